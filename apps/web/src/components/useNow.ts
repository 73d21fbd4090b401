import { useEffect, useState } from 'react'

/** The server's clock decides; this one only refreshes what the buttons offer as the deadline passes. */
export function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
