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
