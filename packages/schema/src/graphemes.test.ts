import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { graphemes } from './graphemes.ts'

const native = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), ({ index, segment }) => ({ index, segment }))

/** What joins or parts clusters: marks, joiners, emoji and their modifiers, flags, CR LF, Hangul jamo, Indic conjuncts, supplementary marks. */
const PIECES = ['a', 'é', 'e\u0301', '\u0301', '\u200d', '\u200c', '👩', '🏽', '⚖', '\ufe0f', '🇫', '🇷', '\r', '\n', '\u1100', '\u1161', '\u11a8', 'क', '\u094d', 'ष', '\u0915\u093f', '\u{1d165}', '\u{11000}', '\u{11001}', '\u0600', ' ', '\u00ad', '漢']

describe('grapheme clusters in windows', () => {
  it('are the segmenter’s own, wherever the windows fall', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (pieces, window) => {
        const text = pieces.join('')
        expect([...graphemes(text, window)]).toEqual(native(text))
      }),
      { numRuns: 2_000 },
    )
  })

  it('keep a cluster longer than a window whole', () => {
    const text = `a${'\u0301'.repeat(50)}b`
    expect([...graphemes(text, 4)]).toEqual([{ index: 0, segment: text.slice(0, 51) }, { index: 51, segment: 'b' }])
  })

  it('take time linear in the text: 200,000 characters without a space', () => {
    // The segmenter given the whole text took 44 s here, on the event loop every editor shares.
    const text = '1\u202f000\u00a0€;'.repeat(25_000)
    const started = performance.now()
    let count = 0
    for (const _ of graphemes(text)) count += 1
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(count).toBe(text.length)
  })
})
