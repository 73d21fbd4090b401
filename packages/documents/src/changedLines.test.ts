import fc from 'fast-check'
import type { Run } from '@hemicycle/amendments'
import { wrapLines } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { changedLines, markedLines } from './changedLines.ts'
import type { MarkedRun } from './changes.ts'

const text = (runs: readonly Run[]) => runs.map((run) => run.text).join('')
const side = (runs: readonly MarkedRun[], drop: MarkedRun['change']) => text(runs.filter((run) => run.change !== drop))
const word = fc.constantFrom('le', 'progrès', 'social', 'nous', 'devons', 'cohésion', 'l’Alliance', 'européenne', 'intergouvernementale', ',', '.')
const runs = fc.array(
  fc.record({ text: fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => `${words.join(' ')} `), bold: fc.option(fc.constant(true as const), { nil: undefined }) }),
  { maxLength: 6 },
)

describe('markedLines', () => {
  it('lays the whole change on the numbered lines: the lines give back both texts, and each line is the one the numbering prints', () => {
    fc.assert(
      fc.property(runs, runs, fc.integer({ min: 1, max: 500 }), fc.integer({ min: 10, max: 80 }), (before, after, first, width) => {
        const lines = markedLines(before, after, first, width)
        expect(lines.map((line) => line.line)).toEqual(lines.map((_, index) => first + index))
        expect(lines.map((line) => side(line.runs, 'insert')).join('')).toBe(text(before))
        expect(lines.map((line) => side(line.runs, 'delete')).join('')).toBe(text(after))
        // The outside reference: the numbering's own lines (words joined by one space).
        expect(lines.map((line) => side(line.runs, 'insert').trim())).toEqual(wrapLines(text(before), width))
      }),
    )
  })
})

describe('changedLines', () => {
  const paragraph: Run[] = [{ text: 'un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze' }]

  it('keeps only the lines a change touches, numbered from the paragraph’s first line', () => {
    // Width 20: "un deux trois quatre" (l. 7), "cinq six sept huit" (l. 8), "neuf dix onze douze" (l. 9), "treize quatorze" (l. 10).
    const lines = changedLines(paragraph, [{ text: 'un deux trois quatre cinq six SEPT huit neuf dix onze douze treize quatorze' }], 7, 20)
    expect(lines).toEqual([
      {
        line: 8,
        runs: [
          { text: 'cinq six ', change: 'equal' },
          { text: 'sept', change: 'delete' },
          { text: 'SEPT', change: 'insert' },
          { text: ' huit ', change: 'equal' },
        ],
      },
    ])
  })

  it('puts words added at the start of a line on that line, and gives nothing for an unchanged paragraph', () => {
    const lines = changedLines(paragraph, [{ text: 'un deux trois quatre cinq six sept huit donc neuf dix onze douze treize quatorze' }], 1, 20)
    expect(lines.map((line) => [line.line, line.runs.filter((run) => run.change === 'insert').map((run) => run.text.trim())])).toEqual([[3, ['donc']]])
    expect(changedLines(paragraph, paragraph, 1, 20)).toEqual([])
  })

  it('keeps a line whose words stay but whose formatting changes, with the new formatting', () => {
    const bolder: Run[] = [{ text: 'un deux trois quatre cinq six sept huit ' }, { text: 'neuf', bold: true }, { text: ' dix onze douze treize quatorze' }]
    const lines = changedLines(paragraph, bolder, 1, 20)
    expect(lines.map((line) => line.line)).toEqual([3])
    expect(lines[0]!.runs).toContainEqual({ text: 'neuf', bold: true, change: 'equal' })
    // The same formatting cut into other runs is no change.
    expect(changedLines(paragraph, [{ text: 'un deux trois ' }, { text: 'quatre cinq six sept huit neuf dix onze douze treize quatorze' }], 1, 20)).toEqual([])
  })

  it('marks every line of a deleted paragraph', () => {
    expect(changedLines(paragraph, [], 4, 20).map((line) => line.line)).toEqual([4, 5, 6, 7])
  })
})
