import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Run } from './inline.ts'
import { longestParagraph, markdownToWording, normalizeWording, wordingLength, wordingText } from './wording.ts'

const run: fc.Arbitrary<Run> = fc.record({ text: fc.string({ unit: 'binary' }), bold: fc.constant(true as const) }, { requiredKeys: ['text'] })
const wording = fc.array(fc.array(run, { maxLength: 4 }), { maxLength: 5 })

describe("a wording's length", () => {
  it('counts every UTF-16 unit of its words, as a block counts them: in all, and in its longest paragraph', () => {
    fc.assert(
      fc.property(wording, (paragraphs) => {
        const lengths = paragraphs.map((paragraph) => paragraph.map((part) => part.text).join('').length)
        expect(wordingLength(paragraphs)).toBe(lengths.reduce((sum, length) => sum + length, 0))
        expect(longestParagraph(paragraphs)).toBe(Math.max(0, ...lengths))
        // The text people read adds a blank line between paragraphs, which no block holds.
        expect(wordingText(paragraphs).length).toBe(wordingLength(paragraphs) + Math.max(0, paragraphs.length - 1) * 2)
      }),
    )
  })

  it('counts U+1D160 as two, as typed', () => {
    expect(wordingLength([[{ text: '\u{1D160}' }], [{ text: 'é', italic: true }]])).toBe(3)
  })
})

describe("a wording's one spelling", () => {
  it('holds no bidi control, however it came: a run, or a character reference in Markdown', () => {
    // A hostile review: "&#x202E;61&#x202C;" reads "16" on screen and prints "61".
    expect(normalizeWording([[{ text: 'The budget is \u202e61\u202c million.' }]])).toEqual([[{ text: 'The budget is 61 million.' }]])
    expect(markdownToWording('The budget is &#x202E;61&#x202C; million &lrm;euros&#x2066;.')).toEqual([[{ text: 'The budget is 61 million euros.' }]])
    // Composed too; a joiner inside an emoji is no bidi control and stays.
    expect(normalizeWording([[{ text: 'Conse\u0301il 👩\u200d⚖️' }]])).toEqual([[{ text: 'Conséil 👩\u200d⚖️' }]])
    // An accent in a run of its own formatting joins its letter's run: "Cafe" + bold "\u0301" read "Café", and was tabled and
    // adopted as "Cafe**\u0301**" (helper-161 F3).
    expect(normalizeWording([[{ text: 'Le Cafe' }, { text: '\u0301', bold: true }, { text: ' et l’' }, { text: 'e\u0300', italic: true }, { text: '\u0301re' }]])).toEqual([
      [{ text: 'Le Café et l’' }, { text: 'è\u0301', italic: true }, { text: 're' }],
    ])
    // A bidi control between a letter and its accent, or three runs of marks (helper-168): one pass, and a second changes nothing.
    for (const runs of [
      [{ text: 'e' }, { text: '\u202e', italic: true as const }, { text: '\u0301', bold: true as const }],
      [{ text: 'e' }, { text: '\u202e\u0301', bold: true as const }],
      [{ text: 'e' }, { text: '\u0301', bold: true as const }, { text: '\u0302x', italic: true as const }],
    ]) {
      const once = normalizeWording([runs])
      expect(once[0]![0]!.text.startsWith('é'), JSON.stringify(runs)).toBe(true)
      expect(normalizeWording(once)).toEqual(once)
    }
  })
})
