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

/** One formatter per zone, made once: making one costs about 60 µs, and a list of meetings reads hundreds of dates. */
const formatters = new Map<string, Intl.DateTimeFormat | null>()
function formatterOf(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    } catch {
      formatter = null
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

interface Clock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** `instant`'s date and time on `timeZone`'s clock; UTC's for a zone this runtime does not know. */
function clockAt(instant: number, timeZone: string): Clock {
  const formatter = formatterOf(timeZone)
  if (!formatter) {
    const date = new Date(instant)
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() }
  }
  const parts = formatter.formatToParts(new Date(instant))
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)!.value)
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') }
}

/** Midnight UTC of a calendar day; years 0–99 as written (`Date.UTC` reads them as 1900–1999). */
function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day))
  date.setUTCFullYear(year, month - 1, day)
  return date.getTime()
}

/** How far `timeZone`'s clock is ahead of UTC at `instant` (ms). */
function offsetAt(instant: number, timeZone: string): number {
  const clock = clockAt(instant, timeZone)
  const asUtc = utcMidnight(clock.year, clock.month, clock.day) + ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1000
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The first instant of a calendar day in `timeZone` (ms since the epoch). */
function startOfDay(year: number, month: number, day: number, timeZone: string): number {
  const midnightUtc = utcMidnight(year, month, day)
  // Midnight read at the offset of UTC midnight, then at its own: the two differ across a change of clocks. Where the
  // clocks jump over midnight (Santiago, Havana), the day begins at the first instant that is on it (01:00).
  const first = midnightUtc - offsetAt(midnightUtc, timeZone)
  const second = midnightUtc - offsetAt(first, timeZone)
  const onDay = [first, second].filter((instant) => {
    const clock = clockAt(instant, timeZone)
    return clock.year === year && clock.month === month && clock.day === day
  })
  return onDay.length > 0 ? Math.min(...onDay) : Math.max(first, second)
}

/** The instant (ms since the epoch) a meeting starting at `startsAt` starts: the first instant of that day in `timeZone`, or the instant given. */
export function meetingStart(startsAt: string, timeZone: string): number {
  const day = DAY.exec(startsAt)
  if (!day) return Date.parse(startsAt)
  return startOfDay(Number(day[1]), Number(day[2]), Number(day[3]), timeZone)
}

/** The instant a meeting ending at `endsAt` ends: the start of the next day in `timeZone`, or the instant given. */
export function meetingEnd(endsAt: string, timeZone: string): number {
  const day = DAY.exec(endsAt)
  if (!day) return Date.parse(endsAt)
  const next = new Date(utcMidnight(Number(day[1]), Number(day[2]), Number(day[3])) + 86_400_000)
  return startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone)
}

/** The meeting that starts last, by the instant it starts; null for none. */
export function latestMeeting<M extends AgendaMeeting>(meetings: readonly M[] | null | undefined): M | null {
  let latest: M | null = null
  for (const meeting of meetings ?? []) if (latest === null || meetingStart(meeting.startsAt, meeting.timeZone) > meetingStart(latest.startsAt, latest.timeZone)) latest = meeting
  return latest
}
