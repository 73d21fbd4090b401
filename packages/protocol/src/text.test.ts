import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { NewAmendment } from './amendments.ts'
import { LineText, nameKey, PlainText, saysNothing, withoutFormatCharacters } from './text.ts'

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

describe('characters no record can store', () => {
  const code = (parsed: z.ZodSafeParseResult<unknown>) => (parsed.success ? null : (parsed.error.issues[0] as { params?: unknown } | undefined)?.params)
  // Taken, they reached the text through an accepted wording: Word refused the export, the PDF drew boxes, the Markdown
  // read back as another text (another hash), and "Par\u0001is" passed for an amendment changing nothing visible.
  const unstorable = ['Par\u0001is', 'a\u000bb', 'a\u000cb', 'a\u001bb', 'a\u007fb', 'l\u0092Alliance', 'a\u0085b', 'non\uffffcharacter', 'non\ufffe', 'half \ud800 pair', 'half \udc00']

  it('are refused with the invalid_character code in wordings, justifications, reasons and comments', () => {
    for (const text of unstorable) expect(code(PlainText(100).safeParse(text)), JSON.stringify(text)).toEqual({ code: 'invalid_character' })
    for (const text of unstorable) {
      const tabled = NewAmendment.safeParse({ kind: 'replace', blockId: 'b', wording: [[{ text }]], justification: 'Why.' })
      expect(code(tabled), JSON.stringify(text)).toEqual({ code: 'invalid_character' })
    }
    // A justification may run over several lines, and a tab is a character of the text.
    expect(PlainText(100).parse('First.\n\nSecond.\r\nThird\tend 😀')).toBe('First.\n\nSecond.\r\nThird\tend 😀')
  })

  it('include a line break in a run of a wording: a paragraph holds none', () => {
    for (const text of ['ligne\nnouvelle', 'retour\rici']) {
      const tabled = NewAmendment.safeParse({ kind: 'replace', blockId: 'b', wording: [[{ text }]], justification: '' })
      expect(code(tabled), JSON.stringify(text)).toEqual({ code: 'invalid_character' })
    }
    expect(NewAmendment.parse({ kind: 'replace', blockId: 'b', wording: [[{ text: 'a\tb 😀' }]], justification: '' }).wording).toEqual([[{ text: 'a\tb 😀' }]])
  })

  it('are refused in titles and names too', () => {
    for (const text of ['Titre \uffff', 'Titre \ufffe', 'Titre \ud800']) expect(code(LineText(30).safeParse(text)), JSON.stringify(text)).toEqual({ code: 'invalid_character' })
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

  it('lose the other characters drawn as nothing (Hangul fillers, the grapheme joiner), and are empty when only those are left', () => {
    expect(LineText(30).parse('Parti progressiste\u3164')).toBe('Parti progressiste')
    expect(LineText(30).parse('Parti\u034F progre\u034F\u0301ssiste')).toBe('Parti progréssiste')
    for (const blank of ['\u3164\u115F', '\u1160\uFFA0 \u17B4', '\uFE0F\u3164\uFE0F', ' \u{E0100}']) expect(LineText(30).safeParse(blank).success, blank).toBe(false)
  })

  it('keep a variation selector after the character it varies (an emoji, a kanji in a name)', () => {
    expect(LineText(30).parse('\u2764\uFE0F Vert')).toBe('\u2764\uFE0F Vert')
    expect(LineText(30).parse('\u845B\u{E0100}西')).toBe('\u845B\u{E0100}西')
    expect(LineText(30).parse('a\uFE0F\uFE0F \uFE0Fb')).toBe('a\uFE0F b')
  })

  it('refuse control characters with the invalid_character code', () => {
    for (const text of ['a\u0000', 'a\u0007b', '\u001b[2J', 'a\u007f', 'a\u0085']) {
      const parsed = LineText(30).safeParse(text)
      expect(parsed.success ? null : parsed.error.issues[0]).toMatchObject({ params: { code: 'invalid_character' } })
    }
  })

  it('are empty when only blanks are left: the braille blank, a private-use character, a mark with no letter', () => {
    for (const blank of ['\u2800', '\u2800\u2800 \u2800', '\ue000', '\u0301']) expect(LineText(30).safeParse(blank).success, JSON.stringify(blank)).toBe(false)
    expect(LineText(30).parse('Parti progressiste\u2800')).toBe('Parti progressiste')
  })

  it('refuse a word mixing Latin, Cyrillic or Greek letters, which pass for one another', () => {
    for (const lookalike of ['Frаnce', 'Parti progreѕѕiste', 'Ρarti']) {
      const parsed = LineText(30).safeParse(lookalike)
      expect(parsed.success ? null : parsed.error.issues[0], lookalike).toMatchObject({ params: { code: 'invalid_character' } })
    }
    for (const fine of ['Монгол Ардын Нам', 'Δημοκρατία and Démocratie', 'Tiếng Việt', 'Sakartvelo საქართველო']) expect(LineText(60).safeParse(fine).success, fine).toBe(true)
  })

  it('compare in any case, composed or not, with or without invisible characters and doubled spaces', () => {
    expect(nameKey('Ｐａｒｔｉ progressiste\u2800')).toBe(nameKey('Parti progressiste'))
    expect(nameKey('PARTI  E\u0301COLOGISTE\u200b')).toBe(nameKey('Parti écologiste'))
    expect(nameKey('Parti écologiste')).not.toBe(nameKey('Parti ecologiste'))
    expect(nameKey('Parti\u034F progressiste\u3164')).toBe(nameKey('Parti progressiste'))
    expect(nameKey('\u845B\u{E0100}西')).toBe(nameKey('\u845B西'))
  })
})

describe('a text a person must give (a justification, a reason, a reply)', () => {
  it('says nothing when every character in it is drawn as nothing or as a blank', () => {
    for (const blank of ['', '   ', '\u3164', '\u2800\u2800', '\u115f \uffa0\u1160', '\ufe0f', '\u0301\u0308', '\ue000', '\u200b\u034f\u202e']) expect(saysNothing(blank), JSON.stringify(blank)).toBe(true)
  })

  it('says something with one letter, digit, punctuation mark or symbol, in any script', () => {
    for (const said of ['Non.', '?', '5', '€', 'ㅎ', 'حركة', '\u3164x', '🦀', 'é']) expect(saysNothing(said), said).toBe(false)
  })
})
