import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundsOfAnswer, narrowed, offsetWithin, type OffsetBounds, TOLERATED_SKEW_MS } from './serverClock.ts'

/** One request as it really happened: sent at `sentAt` on our clock, read by the server `serverAfter` ms later, answered `back` ms after that. */
const exchange = fc.record({ sentAt: fc.integer({ min: 1e12, max: 2e12 }), serverAfter: fc.integer({ min: 0, max: 3000 }), back: fc.integer({ min: 0, max: 3000 }) })

/** What the page learns from those requests when the server's clock is `skew` ms ahead of ours. */
function learnt(skew: number, exchanges: readonly { sentAt: number; serverAfter: number; back: number }[]): OffsetBounds | null {
  let known: OffsetBounds | null = null
  for (const { sentAt, serverAfter, back } of exchanges) {
    const serverRead = sentAt + serverAfter + skew
    const dateHeader = Math.floor(serverRead / 1000) * 1000
    known = narrowed(known, boundsOfAnswer(dateHeader, sentAt, sentAt + serverAfter + back))
  }
  return known
}

describe("the server's clock, from the answers' Date headers", () => {
  it('always brackets the true offset, however long the requests took', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(exchange, { minLength: 1, maxLength: 20 }), (skew, exchanges) => {
        const known = learnt(skew, exchanges)!
        expect(known.low).toBeLessThanOrEqual(skew)
        expect(known.high).toBeGreaterThanOrEqual(skew)
      }),
    )
  })

  it('leaves a well-set clock alone, so well-set screens agree to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: -TOLERATED_SKEW_MS, max: TOLERATED_SKEW_MS }), fc.array(exchange, { minLength: 1, maxLength: 20 }), (skew, exchanges) => {
        expect(offsetWithin(learnt(skew, exchanges)!)).toBe(0)
      }),
    )
  })

  it('corrects a wrong clock to within the tolerance, the header’s second and the slowest round trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 1e9 }), fc.boolean(), fc.array(exchange, { minLength: 1, maxLength: 20 }), (size, slow, exchanges) => {
        const skew = slow ? size : -size
        const worst = Math.max(...exchanges.map(({ serverAfter, back }) => serverAfter + back))
        expect(Math.abs(offsetWithin(learnt(skew, exchanges)!) - skew)).toBeLessThanOrEqual(TOLERATED_SKEW_MS + 1000 + worst)
      }),
    )
  })

  it('narrows with answers read either side of the turn of a second', () => {
    // Two quick answers, the server reading its clock 50 ms before and 50 ms after a second turns: known to 100 ms.
    const skew = 180_000
    const known = learnt(skew, [950, 1050].map((at) => ({ sentAt: 1_700_000_000_000 + at - skew, serverAfter: 0, back: 0 })))!
    expect(known.high - known.low).toBeLessThanOrEqual(100)
    expect(offsetWithin(known)).toBeGreaterThanOrEqual(skew - 100)
  })

  it('believes the newest answer once a clock has been set (the answers cannot all hold)', () => {
    const before = learnt(180_000, [{ sentAt: 1_700_000_000_000, serverAfter: 10, back: 10 }])!
    const after = narrowed(before, boundsOfAnswer(1_700_000_010_000, 1_700_000_010_000, 1_700_000_010_020))
    expect(offsetWithin(after)).toBe(0)
  })
})
