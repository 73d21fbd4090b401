import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HANDLING_BURST_MS, HANDLING_SHARE, HandlingBudget } from './handlingBudget.ts'

describe('a person’s budget of handling time', () => {
  it('lets a message through unless overdrawn, and says how long the next must wait once spent', () => {
    let now = 0
    const budget = new HandlingBudget(() => now)
    expect(budget.waitMs('erik')).toBe(0)
    // One large message is never refused: it overdraws, and the next waits until it is paid back.
    budget.charge('erik', HANDLING_BURST_MS + 50)
    expect(budget.waitMs('erik')).toBeCloseTo(50 / HANDLING_SHARE)
    now += 50 / HANDLING_SHARE / 2
    expect(budget.waitMs('erik')).toBeCloseTo(25 / HANDLING_SHARE)
    // Others are not held by it.
    expect(budget.waitMs('kwame')).toBe(0)
    now += 25 / HANDLING_SHARE + 1
    expect(budget.waitMs('erik')).toBe(0)
  })

  it('never holds more than a burst, however long the pause', () => {
    let now = 0
    const budget = new HandlingBudget(() => now)
    budget.charge('erik', 1)
    now += 3_600_000
    budget.charge('erik', HANDLING_BURST_MS + 1)
    expect(budget.waitMs('erik')).toBeCloseTo(1 / HANDLING_SHARE)
  })

  it('over any window, a person whose messages are handled only when let through takes at most the burst, the share and one message', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.double({ min: 0, max: 50, noNaN: true }), cost: fc.double({ min: 0, max: 20, noNaN: true }) }), { minLength: 1, maxLength: 400, size: 'max' }), (steps) => {
        let now = 0
        const budget = new HandlingBudget(() => now)
        let spent = 0
        for (const { gap, cost } of steps) {
          now += gap
          // A message waits for its turn, as a paused socket does; its handling takes `cost` of the clock.
          now += budget.waitMs('erik')
          now += cost
          budget.charge('erik', cost)
          spent += cost
          expect(spent).toBeLessThanOrEqual(HANDLING_BURST_MS + HANDLING_SHARE * now + 20 + 1e-6)
        }
      }),
    )
  })

  it('forgets the people whose budget refilled once it holds many', () => {
    let now = 0
    const budget = new HandlingBudget(() => now)
    budget.charge('erik', HANDLING_BURST_MS * 2)
    for (let person = 0; person < 5000; person++) budget.charge(`person-${person}`, 1)
    now += 10 * HANDLING_BURST_MS / HANDLING_SHARE
    budget.charge('newcomer', 1)
    expect((budget as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThan(10)
    expect(budget.waitMs('erik')).toBe(0)
  })
})
