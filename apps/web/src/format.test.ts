import { describe, expect, it } from 'vitest'
import { formatCountry, formatDuration, formatInstant, formatMeetingDate, formatStampDate, formatTimeZone, sameOffsetAt, untilDurationTurns } from './format.ts'

describe('stamp dates', () => {
  it('read as the printed drafts write them, in the resolution’s language', () => {
    expect(formatStampDate('2019-07-03', 'fr')).toBe('03 juillet 2019')
    expect(formatStampDate('2019-07-03', 'es')).toBe('03 de julio de 2019')
    expect(formatStampDate('2019-07-03', 'en')).toBe('03 July 2019')
    expect(formatStampDate(null, 'fr')).toBe('')
  })
})

describe('meeting dates', () => {
  it('show a calendar day as a day, whatever the time zone', () => {
    expect(formatMeetingDate('2019-08-31', 'en')).toBe('31 August 2019')
    expect(formatMeetingDate('2019-08-31', 'fr')).toBe('31 août 2019')
    expect(formatMeetingDate('2019-08-31T09:00:00+08:00', 'en')).toMatch(/2019/)
  })
})

/** Typographic spaces as plain ones, to compare with what is typed here. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

describe('deadlines', () => {
  it('name the same instant in the same words wherever the reader is, with the zone’s offset', () => {
    const deadline = '2026-11-30T21:00:00.000Z'
    expect(plain(formatInstant(deadline, 'fr', 'America/Santiago'))).toBe('30 nov. 2026, 18:00 UTC−3')
    expect(plain(formatInstant(deadline, 'en', 'Asia/Kuala_Lumpur'))).toBe('1 Dec 2026, 05:00 GMT+8')
    expect(sameOffsetAt(deadline, 'America/Santiago', 'America/Sao_Paulo')).toBe(true)
    expect(sameOffsetAt(deadline, 'America/Santiago', 'Asia/Kuala_Lumpur')).toBe(false)
  })

  it('count down in words of the interface’s language, leaving out the units at zero', () => {
    expect(plain(formatDuration(20 * 60_000, 'fr'))).toBe('20 minutes')
    expect(plain(formatDuration((2 * 1440 + 4 * 60 + 12) * 60_000, 'fr'))).toBe('2 jours, 4 heures et 12 minutes')
    expect(plain(formatDuration((1440 + 1) * 60_000, 'es'))).toBe('1 día y 1 minuto')
    expect(plain(formatDuration(3 * 60 * 60_000, 'en'))).toBe('3 hours')
    expect(plain(formatDuration(-5, 'en'))).toBe('0 minutes')
  })

  it('say when their words next change, to the millisecond, so every screen turns the minute together', () => {
    for (const left of [1, 59_999, 60_000, 60_001, 119_999, 3 * 60 * 60_000 + 17, 2 * 1440 * 60_000]) {
      const wait = untilDurationTurns(left)
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(60_000)
      expect(formatDuration(left - wait + 1, 'en')).toBe(formatDuration(left, 'en'))
      expect(formatDuration(left - wait, 'en')).not.toBe(formatDuration(left, 'en'))
    }
    expect(untilDurationTurns(0)).toBe(Infinity)
  })
})

describe('countries', () => {
  it('are named in the interface’s language', () => {
    expect(formatCountry('Sweden', 'fr')).toBe('Suède')
    expect(formatCountry('Sweden', 'es')).toBe('Suecia')
    expect(formatCountry('Chile', 'en')).toBe('Chile')
    expect(formatCountry('Ghana', 'fr')).toBe('Ghana')
    expect(formatCountry('Malaysia', 'fr')).toBe('Malaisie')
    expect(formatCountry('Atlantis', 'fr')).toBe('Atlantis')
  })

  it('name a meeting’s time zone as people say it, in the interface’s language, never as its code', () => {
    expect(formatTimeZone('Asia/Kuala_Lumpur', 'fr')).toBe('heure de la Malaisie')
    expect(formatTimeZone('America/Santiago', 'es')).toBe('hora de Chile')
    expect(formatTimeZone('UTC', 'es')).toBe('UTC')
    for (const language of ['en', 'fr', 'es']) expect(formatTimeZone('Europe/Paris', language)).not.toMatch(/\//)
  })
})
