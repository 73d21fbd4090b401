import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dayIn, formatDate, parseDate } from './dates.ts'

describe('formatDate', () => {
  it('writes the day first, in the resolution’s language', () => {
    expect(formatDate('2019-07-03', 'fr')).toBe('03 juillet 2019')
    expect(formatDate('2019-07-03', 'es')).toBe('03 de julio de 2019')
    expect(formatDate('2019-07-03', 'en')).toBe('03 July 2019')
    expect(formatDate('2019-08-31T22:00:00.000Z', 'fr')).toBe('31 août 2019')
  })

  it('leaves what is not a date as it was', () => {
    expect(formatDate('soon', 'en')).toBe('soon')
  })
})

describe('dayIn', () => {
  it('gives the day an instant falls on where the meeting sits', () => {
    expect(dayIn('2019-08-30T17:30:00.000Z', 'Asia/Kuala_Lumpur')).toBe('2019-08-31')
    expect(dayIn('2019-08-30T17:30:00.000Z', 'UTC')).toBe('2019-08-30')
    expect(dayIn('2019-08-30T09:00:00.000Z', 'Pacific/Pago_Pago')).toBe('2019-08-29')
  })

  it('leaves what is not an instant as it was', () => {
    expect(dayIn('soon', 'UTC')).toBe('soon')
  })
})

describe('parseDate', () => {
  it('reads back every date it writes, in every language', () => {
    const day = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10))
    fc.assert(
      fc.property(day, fc.constantFrom('fr' as const, 'en' as const, 'es' as const), (iso, language) => {
        expect(parseDate(formatDate(iso, language))).toBe(iso)
      }),
    )
  })

  it('forgives case, accents, one-digit days and "1er", and refuses impossible days', () => {
    expect(parseDate('1er AOUT 2019')).toBe('2019-08-01')
    expect(parseDate('3 de Julio de 2019')).toBe('2019-07-03')
    expect(parseDate('31 février 2019')).toBeNull()
    expect(parseDate('the third of July')).toBeNull()
  })
})
