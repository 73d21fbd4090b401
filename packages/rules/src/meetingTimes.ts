/**
 * When meetings happen, as instants. A meeting starts on a day (in its own
 * time zone) or at an instant with its offset; compared as written, "the
 * latest meeting on a resolution's agenda" was the one whose text sorted
 * last: "2026-12-10T09:00+14:00" (19:00 UTC on the 9th) after
 * "2026-12-09T20:00-11:00" (07:00 UTC on the 10th), and the resolution took
 * the earlier meeting's time zone for its deadlines and dates.
 */
export interface AgendaMeeting {
  timeZone: string
  startsAt: string
  endsAt: string
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** How far `timeZone`'s clock is ahead of UTC at `instant` (ms); 0 for a zone this runtime does not know. */
function offsetAt(instant: number, timeZone: string): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(
      new Date(instant),
    )
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)!.value)
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(instant / 1000) * 1000
  } catch {
    return 0
  }
}

/** The instant (ms since the epoch) a meeting starting at `startsAt` starts: midnight of that day in `timeZone`, or the instant given. */
export function meetingStart(startsAt: string, timeZone: string): number {
  const day = DAY.exec(startsAt)
  if (!day) return Date.parse(startsAt)
  const midnightUtc = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
  // Read twice: the offset at local midnight may differ from the one at UTC midnight across a change of clocks.
  const first = midnightUtc - offsetAt(midnightUtc, timeZone)
  return midnightUtc - offsetAt(first, timeZone)
}

/** The instant a meeting ending at `endsAt` ends: the end of that day (the next midnight) in `timeZone`, or the instant given. */
export function meetingEnd(endsAt: string, timeZone: string): number {
  const day = DAY.exec(endsAt)
  if (!day) return Date.parse(endsAt)
  const next = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1)).toISOString().slice(0, 10)
  return meetingStart(next, timeZone)
}

/** The meeting that starts last, by the instant it starts; null for none. */
export function latestMeeting<M extends AgendaMeeting>(meetings: readonly M[] | null | undefined): M | null {
  let latest: M | null = null
  for (const meeting of meetings ?? []) if (latest === null || meetingStart(meeting.startsAt, meeting.timeZone) > meetingStart(latest.startsAt, latest.timeZone)) latest = meeting
  return latest
}
