import { useEffect, useState, useSyncExternalStore } from 'react'
import { onOffsetChange, serverNow, serverOffset } from '../serverClock.ts'

/** setTimeout's longest wait; a deadline further off is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1

/** Milliseconds until the deadline passes, `left` before it; never again once it has. */
const untilPassed = (left: number) => (left >= 0 ? left : Infinity)

/** A reading of the server's time, and the correction of this page's clock it was read with. */
interface Reading {
  readonly at: Date
  readonly offset: number
}

const readNow = (): Reading => ({ at: new Date(serverNow()), offset: serverOffset() })

/**
 * The server's time now (this page's clock, corrected by what the API's answers say of the server's: see
 * serverClock), read again at the instant what is shown of `deadline` turns: by default when it passes, or when
 * `untilTurn(left)` says (the countdown's next minute), and when the correction changes. The server's clock decides;
 * this only changes what the page offers and says, and changes it then, on every screen at once, not up to a timer's
 * period later. `untilTurn` is a module-level function, not one made at each render.
 */
export function useNowAround(deadline: string | null, untilTurn: (left: number) => number = untilPassed): Date {
  const offset = useSyncExternalStore(onOffsetChange, serverOffset)
  const [reading, setReading] = useState(readNow)
  // A new correction: read again before anything is drawn with the old one (React's adjust-state-in-render pattern).
  if (reading.offset !== offset) setReading(readNow())
  useEffect(() => {
    if (deadline === null) return
    // Read from the clock when the effect runs, which may be a few milliseconds after the render.
    const wait = untilTurn(new Date(deadline).getTime() - serverNow())
    if (wait === Infinity) return
    const timer = setTimeout(() => setReading(readNow()), Math.min(wait + 1, LONGEST_WAIT_MS))
    return () => clearTimeout(timer)
  }, [deadline, reading, untilTurn])
  return reading.at
}
