import { describe, expect, it } from 'vitest'
import { NewAmendment } from './amendments.ts'
import { LineText, nameKey, PlainText, withoutFormatCharacters } from './text.ts'

describe('text people write into the record', () => {
  it('loses zero-width characters, joiners, bidi controls and soft hyphens, and keeps everything visible', () => {
    expect(withoutFormatCharacters('ab\u200bc\u200d\u202ed\u2066e\u00adf\ufeff')).toBe('abcdef')
    expect(withoutFormatCharacters('Résolution — « ñ » 😀 中文\ttab')).toBe('Résolution — « ñ » 😀 中文\ttab')
  })

  it('is cleaned before its length is checked, at the boundary of every amendment route', () => {
    expect(PlainText(3).safeParse('ab\u200b\u200b').success).toBe(true)
    const parsed = NewAmendment.parse({ kind: 'replace', blockId: 'b', text: 'Same\u200b words', justification: '\u200b\u202e' })
    expect(parsed).toMatchObject({ text: 'Same words', justification: '' })
  })
})

describe('titles and names', () => {
  it('are kept composed, on one line, without invisible characters, and are empty when nothing visible is left', () => {
    expect(LineText(30).parse('\u202eRe\u0301sumé\u200b\n\t du  texte ')).toBe('Résumé du texte')
    expect(LineText(30).safeParse('\u200b\u2066\u00a0\u3000').success).toBe(false)
    expect(LineText(30, 0).parse('\u200b ')).toBe('')
    expect(LineText(3).safeParse('abc\u200b\u200b').success).toBe(true)
    expect(LineText(3).safeParse('abcd').success).toBe(false)
  })

  it('refuse control characters with the invalid_character code', () => {
    for (const text of ['a\u0000', 'a\u0007b', '\u001b[2J', 'a\u007f', 'a\u0085']) {
      const parsed = LineText(30).safeParse(text)
      expect(parsed.success ? null : parsed.error.issues[0]).toMatchObject({ params: { code: 'invalid_character' } })
    }
  })

  it('compare in any case, composed or not, with or without invisible characters and doubled spaces', () => {
    expect(nameKey('PARTI  E\u0301COLOGISTE\u200b')).toBe(nameKey('Parti écologiste'))
    expect(nameKey('Parti écologiste')).not.toBe(nameKey('Parti ecologiste'))
  })
})
