import { describe, expect, it } from 'vitest'
import { SYNC_BURST, SYNC_REFILL_MS, SyncBudget } from './syncBudget.ts'

describe('a person’s budget of answers to "what do I lack"', () => {
  it('gives a burst, then one answer per refill, and never more than a burst after a long pause', () => {
    let now = 0
    const budget = new SyncBudget(() => now)
    const takes = (count: number) => Array.from({ length: count }, () => budget.take('erik')).filter(Boolean).length
    expect(takes(SYNC_BURST + 5)).toBe(SYNC_BURST)
    now += SYNC_REFILL_MS / 2
    expect(budget.take('erik')).toBe(false)
    now += SYNC_REFILL_MS / 2
    expect(takes(3)).toBe(1)
    now += 100 * SYNC_REFILL_MS
    expect(takes(SYNC_BURST + 5)).toBe(SYNC_BURST)
  })

  it('keeps each person’s apart, and forgets those whose budget refilled once it holds many', () => {
    let now = 0
    const budget = new SyncBudget(() => now)
    for (let i = 0; i < SYNC_BURST; i++) budget.take('erik')
    expect(budget.take('erik')).toBe(false)
    expect(budget.take('kwame')).toBe(true)
    for (let person = 0; person < 5000; person++) budget.take(`person-${person}`)
    now += SYNC_BURST * SYNC_REFILL_MS
    // Past 4,096 people the full ones are forgotten; erik, refilled too, starts again from a full burst.
    for (let person = 5000; person < 5010; person++) budget.take(`person-${person}`)
    expect((budget as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThan(100)
    expect(Array.from({ length: SYNC_BURST + 1 }, () => budget.take('erik')).filter(Boolean).length).toBe(SYNC_BURST)
  })
})
