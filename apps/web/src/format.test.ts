import { describe, expect, it } from 'vitest'
import { formatStampDate } from './format.ts'

describe('stamp dates', () => {
  it('read as the printed drafts write them, in the resolution’s language', () => {
    expect(formatStampDate('2019-07-03', 'fr')).toBe('03 juillet 2019')
    expect(formatStampDate('2019-07-03', 'es')).toBe('03 de julio de 2019')
    expect(formatStampDate('2019-07-03', 'en')).toBe('03 July 2019')
    expect(formatStampDate(null, 'fr')).toBe('')
  })
})
