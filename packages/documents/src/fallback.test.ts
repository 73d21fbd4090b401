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

  it('keeps the uncovered clusters as they are when asked (a Word file, where the reader finds a font for them)', () => {
    expect(segmentByCoverage('Tiếng 😀! 😀😀', 3, covers, 'kept')).toEqual([
      { face: 0, text: 'Tiếng ' },
      { face: null, text: '😀' },
      { face: 0, text: '! ' },
      { face: null, text: '😀😀' },
    ])
    expect(segmentByCoverage('abc😀', 1, covers, 'kept')).toEqual([
      { face: 0, text: 'abc' },
      { face: null, text: '😀' },
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
    // on the event loop every editor shares. Now 0.6-0.9 s in CI, 2.3 s once with both cores shared three ways: the
    // bound tells the two apart on a busy machine.
    const text = '1\u202f000\u00a0€;Ж'.repeat(20_000)
    const started = performance.now()
    const segments = segmentByCoverage(text, 3, covers)
    expect(performance.now() - started).toBeLessThan(8_000)
    expect(segments.map((segment) => segment.text).join('')).toBe(text)
  })

  /** The cut cluster by cluster, as every text was cut before Latin lines went faster: what they must still come to. */
  function byClusters(text: string, faces: number, coversFace: (face: number, codePoint: number) => boolean) {
    const ignorable = (point: number) => /^\p{Default_Ignorable_Code_Point}$/u.test(String.fromCodePoint(point))
    const out: Array<{ face: number | null; text: string }> = []
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text.normalize('NFC'))) {
      const points = [...segment].map((char) => char.codePointAt(0)!)
      let face: number | null = null
      for (let candidate = 0; candidate < faces && face === null; candidate++) if (points.filter((point) => !ignorable(point)).every((point) => coversFace(candidate, point))) face = candidate
      const piece = face === null ? PLACEHOLDER : points.filter((point) => coversFace(face!, point) || !ignorable(point)).map((point) => String.fromCodePoint(point)).join('')
      const last = out[out.length - 1]
      if (last && last.face === face) last.text += piece
      else out.push({ face, text: piece })
    }
    return out.filter((segment) => segment.text.length > 0)
  }

  it('cuts Latin text as it cuts any, asking each face about each character once', () => {
    const latin = fc.integer({ min: 0x20, max: 0x2ff }).map((point) => String.fromCodePoint(point))
    const other = fc.constantFrom('\t', '\n', '\r', '—', '’', '€', '\u202f', '\u00ad', '\u200d', 'e\u0301', 'Ж', '😀', '👍🏽', '\u2061')
    fc.assert(
      fc.property(fc.array(fc.oneof(latin, other), { maxLength: 60 }), (parts) => {
        const text = parts.join('')
        expect(segmentByCoverage(text, 3, covers)).toEqual(byClusters(text, 3, covers))
      }),
      { numRuns: 2_000 },
    )
    let asked = 0
    const counting = (face: number, point: number) => {
      asked += 1
      return covers(face, point)
    }
    const line = 'Nous devons nous assurer que ceux qui élèvent des enfants perçoivent un revenu décent — 10 000 € ; '.repeat(100)
    expect(segmentByCoverage(line, 3, counting)).toEqual(byClusters(line, 3, covers))
    expect(asked).toBeLessThanOrEqual(3 * new Set(line).size)
  })
})
