/**
 * Wall-clock times in a named time zone, as a `datetime-local` field holds
 * them ("2026-11-30T18:00"): deadlines are entered in the meeting's zone,
 * whatever the zone of the browser that enters them.
 */

/** The wall time an instant reads in `timeZone`. */
export function wallTimeOf(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  )
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`
}

function offsetAt(instant: number, timeZone: string): number {
  const wall = wallTimeOf(new Date(instant), timeZone)
  return Date.parse(`${wall}:00Z`) - Math.floor(instant / 60_000) * 60_000
}

/**
 * The instant a wall time names in `timeZone`. A time skipped by a change to
 * summer time is read with the offset before the change; a time that happens
 * twice, as its first occurrence.
 */
export function instantOfWallTime(wall: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall)
  if (!match) throw new RangeError(`not a wall time: ${wall}`)
  const asUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]))
  const candidates = [offsetAt(asUtc - 86_400_000, timeZone), offsetAt(asUtc + 86_400_000, timeZone)].map((offset) => asUtc - offset)
  const exact = candidates.filter((candidate) => wallTimeOf(new Date(candidate), timeZone) === wall).sort((a, b) => a - b)
  return new Date(exact[0] ?? candidates[0]!)
}

/** One week ahead at 18:00 in `timeZone`: the deadline offered first. */
export function inAWeekAtSix(now: Date, timeZone: string): string {
  return `${wallTimeOf(new Date(now.getTime() + 7 * 86_400_000), timeZone).slice(0, 10)}T18:00`
}

