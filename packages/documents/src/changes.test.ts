import fc from 'fast-check'
import type { Run } from '@hemicycle/amendments'
import { describe, expect, it } from 'vitest'
import { type MarkedRun, redlineRuns, sideBySide } from './changes.ts'

const text = (runs: readonly Run[]) => runs.map((run) => run.text).join('')
const kept = (runs: readonly MarkedRun[], drop: MarkedRun['change']) => text(runs.filter((run) => run.change !== drop))
const word = fc.constantFrom('le', 'progrès', 'social', 'nous', 'devons', 'cohésion', ',', '.', 'Alliance')
const runs = fc.array(
  fc.record({ text: fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => `${words.join(' ')} `), bold: fc.option(fc.constant(true as const), { nil: undefined }) }),
  { maxLength: 4 },
)

describe('redlineRuns', () => {
  it('holds the old text without insertions and the new text without deletions', () => {
    fc.assert(
      fc.property(runs, runs, (before, after) => {
        const redline = redlineRuns(before, after)
        expect(kept(redline, 'insert')).toBe(text(before))
        expect(kept(redline, 'delete')).toBe(text(after))
      }),
    )
  })

  it('marks whole words and keeps the formatting of the side they come from', () => {
    expect(redlineRuns([{ text: 'investir dans les ' }, { text: 'têtes', bold: true }], [{ text: 'investir dans les écoles' }])).toEqual([
      { text: 'investir dans les ', change: 'equal' },
      { text: 'têtes', bold: true, change: 'delete' },
      { text: 'écoles', change: 'insert' },
    ])
  })
})

describe('sideBySide', () => {
  it('gives each side its own paragraphs, with deletions left and insertions right', () => {
    fc.assert(
      fc.property(fc.array(runs, { maxLength: 3 }), fc.array(runs, { maxLength: 3 }), (before, after) => {
        const sides = sideBySide(before, after)
        expect(sides.before.map(text)).toEqual(before.map(text))
        expect(sides.after.map(text)).toEqual(after.map(text))
        expect(sides.before.flat().some((run) => run.change === 'insert')).toBe(false)
        expect(sides.after.flat().some((run) => run.change === 'delete')).toBe(false)
      }),
    )
  })

  it('marks a new paragraph as inserted', () => {
    const sides = sideBySide([[{ text: 'Un.' }]], [[{ text: 'Un.' }], [{ text: 'Deux.' }]])
    expect(sides.after[1]).toEqual([{ text: 'Deux.', change: 'insert' }])
    expect(sides.before).toEqual([[{ text: 'Un.', change: 'equal' }]])
  })
})
