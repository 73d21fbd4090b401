import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BIDI_CONTROLS, forbiddenAsSpaces, isForbiddenCharacter, normalizedText, SETTLED_TEXT } from './characters.ts'

const composedTheLongWay = (text: string) => text.replace(BIDI_CONTROLS, '').normalize('NFC')

const settled: string[] = []
for (let code = 0; code < 0x10000; code++) {
  const character = String.fromCharCode(code)
  if (SETTLED_TEXT.test(character)) settled.push(character)
}

describe('text already as a resolution keeps it', () => {
  it('holds no character NFC changes, no mark and no bidi control', () => {
    expect(settled.length).toBeGreaterThan(880)
    const changed = settled.filter((character) => character.normalize('NFC') !== character || /\p{M}/u.test(character) || new RegExp(BIDI_CONTROLS.source).test(character))
    expect(changed.map((character) => character.charCodeAt(0).toString(16))).toEqual([])
  })

  it('holds no two characters NFC would join', () => {
    // A text passes only when every character is in the set, so its pairs are all the neighbours there are.
    const joined: string[] = []
    for (const first of settled) for (const second of settled) if ((first + second).normalize('NFC') !== first + second) joined.push(first + second)
    expect(joined).toEqual([])
  })

  it('leaves out what composes or vanishes: a combining accent, a Hangul vowel, a bidi mark, the em quad', () => {
    for (const character of ['\u0301', '\u1161', '\u200f', '\u202e', '\u2066', '\u2000', '\u2126']) expect(SETTLED_TEXT.test(`a${character}`)).toBe(false)
    expect(SETTLED_TEXT.test('Considérant l’urgence — 5 € « ici »…\u202f!')).toBe(true)
  })

  it('is normalized the same through the shortcut as the long way', () => {
    const alphabet = fc.constantFrom('a', 'e', 'é', 'E', '\u0301', '\u0327', 'c', '’', '—', '\u202f', '\u202e', '\u200f', '\u2000', '\u1100', '\u1161', '가', 'Å', '\u212b', ' ', '€')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (characters) => {
        const text = characters.join('')
        expect(normalizedText(text)).toBe(composedTheLongWay(text))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('characters a resolution never holds', () => {
  it('are the control characters, tab aside, C1 included, and U+FFFE and U+FFFF: an import reads each of them, and only them, as a space', () => {
    const forbidden: number[] = []
    const spaced: number[] = []
    for (let code = 0; code < 0x10000; code++) {
      if (isForbiddenCharacter(code)) forbidden.push(code)
      if (forbiddenAsSpaces(String.fromCharCode(code)) !== String.fromCharCode(code)) spaced.push(code)
    }
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index)
    expect(forbidden).toEqual([...range(0x00, 0x08), ...range(0x0a, 0x1f), ...range(0x7f, 0x9f), 0xfffe, 0xffff])
    expect(spaced).toEqual(forbidden)
    expect(forbiddenAsSpaces('l\u0092Alliance\tse réunit')).toBe('l Alliance\tse réunit')
  })
})
