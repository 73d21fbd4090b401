import { describe, expect, it } from 'vitest'
import { formatMeetingDate, formatStampDate } from './format.ts'

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
