import bidiFactory from 'bidi-js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inVisualOrder } from './visualOrder.ts'

const plain = (...texts: string[]) => texts.map((text) => ({ text }))
const shown = (runs: Array<{ text: string }>) => inVisualOrder(runs).map(({ text, rtl }) => [text, rtl])
/** What the page shows from the left, character by character: a right-to-left piece is drawn from its last character. */
const onPage = (runs: Array<{ text: string }>) => inVisualOrder(runs).map(({ text, rtl }) => (rtl ? [...text].reverse().join('') : text)).join('')

describe('inVisualOrder', () => {
  it('leaves a line with nothing right to left as it is, one piece per run', () => {
    const runs = plain('The Council ', 'insists', '', ' on it (2026).')
    expect(inVisualOrder(runs).map(({ run, text, rtl }) => [run, text, rtl])).toEqual([
      [runs[0], 'The Council ', false],
      [runs[1], 'insists', false],
      [runs[3], ' on it (2026).', false],
    ])
  })

  it('sets a name of two Hebrew or Arabic words as one right-to-left piece, its words in their order', () => {
    expect(shown(plain('observers of יש עתיד and of حركة النهضة to'))).toEqual([
      ['observers of ', false],
      ['יש עתיד', true],
      [' and of ', false],
      ['حركة النهضة', true],
      [' to', false],
    ])
  })

  it('sets the runs of a name in two styles from the right: its second word is leftmost', () => {
    const runs = plain('It thanks ', 'מפלגת', ' ', 'העבודה', ' for its report.')
    expect(inVisualOrder(runs).map(({ run, text, rtl }) => [runs.indexOf(run), text, rtl])).toEqual([
      [0, 'It thanks ', false],
      [3, 'העבודה', true],
      [2, ' ', true],
      [1, 'מפלגת', true],
      [4, ' for its report.', false],
    ])
  })

  it('keeps figures among right-to-left words left to right, and mirrors brackets there', () => {
    expect(shown(plain('the חוק 2024 (תיקון) of'))).toEqual([
      ['the ', false],
      // Typed " (תיקון)": each bracket drawn as its mirror, so that the opening one opens on the right.
      [' )תיקון(', true],
      ['2024', false],
      ['חוק ', true],
      [' of', false],
    ])
  })

  it('never parts the two halves of a character beyond the first plane, and reads an emoji among Hebrew words as a neutral', () => {
    const pieces = inVisualOrder(plain('vote א 😀 ב now'))
    expect(pieces.map(({ text, rtl }) => [text, rtl])).toEqual([
      ['vote ', false],
      ['א 😀 ב', true],
      [' now', false],
    ])
  })

  it('shows every line as the Unicode Bidirectional Algorithm orders it, each piece within one run', () => {
    const bidi = bidiFactory()
    const letter = fc.constantFrom('a', 'Z', 'é', 'א', 'ש', 'ب', 'ك', '0', '7', '٣', ' ', ' ', '(', ')', '[', '.', ',', '-', '%', '«', '»', '\u0301', '\u200f', '\u200e')
    const line = fc.array(fc.array(letter, { maxLength: 8 }).map((chars) => chars.join('')), { minLength: 1, maxLength: 6 })
    fc.assert(
      fc.property(line, (texts) => {
        const runs = plain(...texts)
        const text = texts.join('')
        const expected = text.length === 0 ? '' : bidi.getReorderedString(text, bidi.getEmbeddingLevels(text, 'ltr'))
        expect(onPage(runs)).toBe(expected)
        for (const { run, text: piece } of inVisualOrder(runs)) {
          expect(piece.length).toBeGreaterThan(0)
          expect(piece.length).toBeLessThanOrEqual(run.text.length)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
