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
