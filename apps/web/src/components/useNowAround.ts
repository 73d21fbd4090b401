import { useEffect, useState } from 'react'

/** setTimeout's longest wait; a deadline further off is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1

/**
 * The time now, read again at the instant `deadline` passes. The server's clock decides; this one only changes what
 * the buttons offer, and changes it then, as the countdown turns to "closed", not up to a timer's period later.
 */
export function useNowAround(deadline: string | null): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    if (deadline === null) return
    const wait = new Date(deadline).getTime() - Date.now()
    if (wait < 0) return
    const timer = setTimeout(() => setNow(new Date()), Math.min(wait + 1, LONGEST_WAIT_MS))
    return () => clearTimeout(timer)
  }, [deadline, now])
  return now
}
