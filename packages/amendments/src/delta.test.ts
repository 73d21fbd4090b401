import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyDelta, planDelta } from './delta.ts'
import { normalizeRuns, type Run } from './inline.ts'

const run = fc.record(
  { text: fc.stringMatching(/^[a-zé ,.']{1,12}$/), bold: fc.option(fc.constant(true as const), { nil: undefined }), italic: fc.option(fc.constant(true as const), { nil: undefined }) },
  { requiredKeys: ['text'] },
)
const runs = fc.array(run, { maxLength: 8 }).map((list) => normalizeRuns(list.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Run)))

describe('planDelta', () => {
  it('turns the current runs into the target runs, for any pair', () => {
    fc.assert(
      fc.property(runs, runs, (current, target) => {
        expect(applyDelta(current, planDelta(current, target))).toEqual(normalizeRuns(target))
      }),
      { numRuns: 1000 },
    )
  })

  it('touches only the changed characters, retaining the rest', () => {
    const delta = planDelta([{ text: 'Nous devons investir dans les têtes.' }], [{ text: 'Nous devons investir dans les esprits.' }])
    expect(delta).toEqual([{ retain: 30 }, { delete: 4 }, { insert: 'esprit' }])
  })

  it('changes formatting in place, without deleting the words', () => {
    const delta = planDelta([{ text: 'Une vision positive.' }], [{ text: 'Une ' }, { text: 'vision', bold: true }, { text: ' positive.' }])
    expect(delta).toEqual([{ retain: 4 }, { retain: 6, attributes: { bold: {} } }])
    expect(planDelta([{ text: 'vision', bold: true }], [{ text: 'vision' }])).toEqual([{ retain: 6, attributes: { bold: null } }])
  })

  it('is empty when nothing changes', () => {
    fc.assert(
      fc.property(runs, (current) => {
        expect(planDelta(current, current)).toEqual([])
      }),
    )
  })
})
