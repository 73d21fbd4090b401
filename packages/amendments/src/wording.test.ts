import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Run } from './inline.ts'
import { longestParagraph, wordingLength, wordingText } from './wording.ts'

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
