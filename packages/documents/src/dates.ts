import type { Language } from '@hemicycle/protocol'
import { calendarDayIn } from '@hemicycle/rules'

/**
 * Dates as the alliance prints them, day first in the resolution's own
 * language ("03 juillet 2019", "03 de julio de 2019", "03 July 2019"). The
 * month names are spelled out here rather than asked of Intl, whose output
 * depends on the ICU data a runtime ships: a printed resolution must read
 * the same wherever it was produced.
 */
const MONTHS: Record<Language, readonly string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/

/** `2019-07-03` (or a full ISO timestamp, read in UTC) in words; anything else comes back as it was. */
export function formatDate(iso: string, language: Language): string {
  const match = ISO_DAY.exec(iso)
  if (!match) return iso
  const [, year, month, day] = match
  const name = MONTHS[language][Number(month) - 1]
  if (!name) return iso
  return language === 'es' ? `${day} de ${name} de ${year}` : `${day} ${name} ${year}`
}

/** The day an instant (an ISO timestamp) falls on in `timeZone`, as `YYYY-MM-DD`; anything that is no instant comes back as it was. */
export function dayIn(iso: string, timeZone: string): string {
  const instant = new Date(iso)
  return Number.isNaN(instant.getTime()) ? iso : calendarDayIn(instant, timeZone)
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * Reads a date written in words back to `YYYY-MM-DD`, in any of the three
 * languages (drafts arrive from Word with the stamp typed out). Accents and
 * case are ignored, and the day may have one digit. Null if it is not a date.
 */
export function parseDate(text: string): string | null {
  const match = /^\s*(\d{1,2})(?:er)?\s+(?:de\s+)?([\p{L}]+)\s+(?:de\s+)?(\d{4})\s*$/u.exec(text)
  if (!match) return null
  const [, day, monthName, year] = match
  const wanted = fold(monthName!)
  for (const months of Object.values(MONTHS)) {
    const index = months.findIndex((month) => fold(month) === wanted)
    if (index < 0) continue
    const dayNumber = Number(day)
    const probe = new Date(Date.UTC(Number(year), index, dayNumber))
    if (probe.getUTCMonth() !== index || dayNumber < 1) return null
    return `${year}-${String(index + 1).padStart(2, '0')}-${String(dayNumber).padStart(2, '0')}`
  }
  return null
}
