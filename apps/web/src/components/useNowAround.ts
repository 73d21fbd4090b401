import { useEffect, useState } from 'react'

/** setTimeout's longest wait; a deadline further off is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1

/** Milliseconds until the deadline passes, `left` before it; never again once it has. */
const untilPassed = (left: number) => (left >= 0 ? left : Infinity)

/**
 * The time now, read again at the instant what is shown of `deadline` turns: by default when it passes, or when
 * `untilTurn(left)` says (the countdown's next minute). The server's clock decides; this one only changes what the
 * page offers and says, and changes it then, on every screen at once, not up to a timer's period later.
 * `untilTurn` is a module-level function, not one made at each render.
 */
export function useNowAround(deadline: string | null, untilTurn: (left: number) => number = untilPassed): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    if (deadline === null) return
    // Read from the clock when the effect runs, which may be a few milliseconds after the render.
    const wait = untilTurn(new Date(deadline).getTime() - Date.now())
    if (wait === Infinity) return
    const timer = setTimeout(() => setNow(new Date()), Math.min(wait + 1, LONGEST_WAIT_MS))
    return () => clearTimeout(timer)
  }, [deadline, now, untilTurn])
  return now
}
