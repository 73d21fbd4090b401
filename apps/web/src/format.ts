import { countryName } from '@hemicycle/documents'
/** "03 juillet 2019": a stamp date as the printed drafts write it, in the resolution's own language. */
export function formatStampDate(isoDate: string | null, language: string): string {
  if (!isoDate) return ''
  const [year, month, day] = isoDate.split('-').map(Number)
  if (!year || !month || !day) return isoDate
  // Day before month in all three languages, as the printed drafts have it.
  const locale = language === 'en' ? 'en-GB' : language
  return new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  )
}

/** A date and time for the interface, in the interface's language. */
export function formatWhen(iso: string, language: string): string {
  // Day before month in all three languages, as the printed drafts have it.
  const locale = language === 'en' ? 'en-GB' : language
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** A meeting's start or end: a calendar day as a day, an instant as a date and time, in the interface's language. */
export function formatMeetingDate(value: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : language
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`))
  return formatWhen(value, language)
}

/**
 * An instant in a named time zone, the zone's offset written out ("30 nov. 2026, 14:00 UTC−3"),
 * so a delegate in Santiago and one in Kuala Lumpur read the same words for the same instant.
 */
export function formatInstant(iso: string, language: string, timeZone: string): string {
  const locale = language === 'en' ? 'en-GB' : language
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'shortOffset' }).format(new Date(iso))
}

/** A time zone as people say it, in the interface's language ("heure de la Malaisie", "Chile Time"); UTC as UTC. */
export function formatTimeZone(timeZone: string, language: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC'
  const parts = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date())
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone
}

/** The viewer's own zone, as the browser knows it. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** Whether two zones show the same wall time at an instant (then one reading is enough). */
export function sameOffsetAt(iso: string, a: string, b: string): boolean {
  const at = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', dateStyle: 'short', timeZone }).format(new Date(iso))
  return at(a) === at(b)
}

/**
 * Milliseconds until formatDuration's words for `ms` left change: the count is in whole minutes rounded up, so it
 * turns when `ms` crosses the next multiple of a minute below it. Screens that redraw at that instant, rather than
 * on a timer of their own, show the same words at the same time.
 */
export function untilDurationTurns(ms: number): number {
  return ms <= 0 ? Infinity : ((ms - 1) % 60_000) + 1
}

/** "2 jours, 4 heures et 12 minutes": how long is left, in words of the interface's language; units that are zero are left out. */
export function formatDuration(ms: number, language: string): string {
  const total = Math.max(0, Math.ceil(ms / 60_000))
  const parts: Array<[number, 'day' | 'hour' | 'minute']> = [
    [Math.floor(total / 1440), 'day'],
    [Math.floor((total % 1440) / 60), 'hour'],
    [total % 60, 'minute'],
  ]
  const words = parts
    .filter(([value], index) => value > 0 || (index === 2 && total === 0))
    .map(([value, unit]) => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value))
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(words)
}

/** A country stored under its English name, named in the interface's language ("Sweden" → "Suède"). */
export const formatCountry = countryName
