import { describe, expect, it } from 'vitest'
import { NewAmendment } from './amendments.ts'
import { PlainText, withoutFormatCharacters } from './text.ts'

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
