import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PLACEHOLDER, segmentByCoverage } from './fallback.ts'

/** Three faces: Latin (and space) only; Latin and Cyrillic; everything but emoji. */
const covers = (face: number, point: number) => {
  const char = String.fromCodePoint(point)
  if (/\p{Extended_Pictographic}/u.test(char)) return false
  if (face === 0) return /[\p{Script=Latin}\s\p{P}]/u.test(char)
  if (face === 1) return /[\p{Script=Latin}\p{Script=Cyrillic}\s\p{P}]/u.test(char)
  return !/\p{Default_Ignorable_Code_Point}/u.test(char)
}

describe('segmentByCoverage', () => {
  it('sets each character in the first face that has it, and the uncovered as one visible placeholder each', () => {
    expect(segmentByCoverage('Tiếng Việt — Өнөөдөр სოციალური 😀!', 3, covers)).toEqual([
      { face: 0, text: 'Tiếng Việt — ' },
      { face: 1, text: 'Өнөөдөр' },
      { face: 0, text: ' ' },
      { face: 2, text: 'სოციალური' },
      { face: 0, text: ' ' },
      { face: null, text: PLACEHOLDER },
      { face: 0, text: '!' },
    ])
  })

  it('keeps a letter and its combining accents in one face, composed', () => {
    // "ế" typed as e + circumflex + acute: composed, it is one character the Latin face has.
    expect(segmentByCoverage('Tie\u0302\u0301ng', 3, covers)).toEqual([{ face: 0, text: 'Tiếng' }])
  })

  it('drops joiners and variation selectors a face lacks rather than print a box for them', () => {
    expect(segmentByCoverage('a\u200db\ufe0f', 3, covers)).toEqual([{ face: 0, text: 'ab' }])
  })

  it('gives back the composed text, save for placeholders, whatever the text', () => {
    const text = fc.array(fc.constantFrom('a', 'é', 'e\u0301', 'Ж', 'ө', 'ქ', ' ', '—', '😀', '👍🏽', '\u200d', 'ς'), { maxLength: 30 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(text, (input) => {
        const segments = segmentByCoverage(input, 3, covers)
        const visible = input.normalize('NFC').replace(/\p{Default_Ignorable_Code_Point}/gu, '')
        const printed = segments.map((segment) => segment.text).join('')
        expect(printed.replace(new RegExp(PLACEHOLDER, 'g'), '')).toBe(visible.replace(/\p{Extended_Pictographic}\p{Emoji_Modifier}?/gu, ''))
        expect(segments.every((segment, index) => index === 0 || segment.face !== segments[index - 1]!.face)).toBe(true)
      }),
    )
  })

  it('cuts 200,000 characters without a space into faces in time linear in them', () => {
    // A Word export sets a paragraph's runs whole: given to Node's segmenter at once, this one took 44 s here,
    // on the event loop every editor shares.
    const text = '1\u202f000\u00a0€;Ж'.repeat(20_000)
    const started = performance.now()
    const segments = segmentByCoverage(text, 3, covers)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(segments.map((segment) => segment.text).join('')).toBe(text)
  })
})
