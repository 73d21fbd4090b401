import { describe, expect, it } from 'vitest'
import { capitals, letterhead } from './letterhead.ts'

describe('letterhead', () => {
  it('sets Latin, Greek and Cyrillic names in capitals and leaves Georgian as written', () => {
    expect(letterhead('Progressive Alliance / Прогрессив холбоо / პროგრესული ალიანსი / Προοδευτική Συμμαχία')).toBe(
      'PROGRESSIVE ALLIANCE · ПРОГРЕССИВ ХОЛБОО · პროგრესული ალიანსი · ΠΡΟΟΔΕΥΤΙΚΉ ΣΥΜΜΑΧΊΑ',
    )
  })

  it('never turns a Georgian letter into a Mtavruli capital, which the fonts lack', () => {
    const georgian = 'სოციალური ერთიანობა'
    expect(georgian.toLocaleUpperCase('fr')).not.toBe(georgian)
    expect(capitals(georgian)).toBe(georgian)
    expect(capitals('Đảng Lao động')).toBe('ĐẢNG LAO ĐỘNG')
  })
})
