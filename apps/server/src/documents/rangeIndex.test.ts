import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RangeIndex } from './rangeIndex.ts'

/** What the index answers, as the redline asked it before: every range looked at, in the order added. */
function naive(ranges: ReadonlyArray<{ client: number; from: number; to: number; row: number }>) {
  return {
    overlapping: (client: number, from: number, to: number) => ranges.filter((range) => range.client === client && range.from < to && from < range.to).map((range) => range.row),
    at: (client: number, clock: number) => ranges.findLast((range) => range.client === client && range.from <= clock && clock < range.to)?.row ?? null,
  }
}

const range = fc.record({ client: fc.integer({ min: 1, max: 3 }), from: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 1, max: 20 }) })

describe('the index of the update log’s id ranges', () => {
  it('answers as a look at every range would: overlapping ranges, ranges nested and re-sent, the latest row owning an id', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 40 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 85 }), fc.integer({ min: 1, max: 20 })), { maxLength: 20 }), (added, asked) => {
        // Rows in the log's order: each row adds its ranges, and a row may add several.
        const ranges = added.map(({ client, from, length }, index) => ({ client, from, to: from + length, row: Math.floor(index / 2) }))
        const index = new RangeIndex()
        for (const { client, from, to, row } of ranges) index.add(client, from, to, row)
        const expected = naive(ranges)
        for (const [client, from, length] of asked) {
          expect(index.overlapping(client, from, from + length).sort((a, b) => a - b)).toEqual(expected.overlapping(client, from, from + length).sort((a, b) => a - b))
          expect(index.at(client, from)).toBe(expected.at(client, from))
        }
      }),
      { numRuns: 500 },
    )
  })

  it('takes ranges added after a lookup into account', () => {
    const index = new RangeIndex()
    index.add(1, 0, 5, 0)
    expect(index.at(1, 3)).toBe(0)
    index.add(1, 2, 4, 1)
    expect(index.at(1, 3)).toBe(1)
    expect(index.overlapping(1, 4, 6)).toEqual([0])
  })
})
