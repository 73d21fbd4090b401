import { describe, expect, it } from 'vitest'
import type { OwnerKey } from '../clientIds.ts'
import { CLAIMS_RECORDED_PER_PERSON, staleClaims, UNUSED_CLAIMS_KEPT_MS } from './clientOwners.ts'

describe('stale client id claims', () => {
  const now = Date.parse('2026-11-29T12:00:00Z')
  const claim = (client: number, owner: OwnerKey, ageMs: number) => ({ client, owner, claimedAt: new Date(now - ageMs) })

  it('are the ones the log records for the same owner, and the ones unused for longer than kept', () => {
    const claims = [
      claim(1, 'person:a', 0), // logged for a: redundant
      claim(2, 'person:a', 0), // logged for b: the claim decides, kept
      claim(3, 'person:a', UNUSED_CLAIMS_KEPT_MS + 1), // never logged, old
      claim(4, 'person:a', UNUSED_CLAIMS_KEPT_MS - 1), // never logged, recent
      claim(5, 'person:a', UNUSED_CLAIMS_KEPT_MS * 2), // logged for a long ago: redundant whatever its age
    ]
    const owners = new Map<number, OwnerKey>([
      [1, 'person:a'],
      [2, 'person:b'],
      [5, 'person:a'],
    ])
    expect(staleClaims(claims, owners, now - UNUSED_CLAIMS_KEPT_MS)).toEqual([1, 3, 5])
  })

  it('are, past a person\'s newest CLAIMS_RECORDED_PER_PERSON unused ones, the older ones: sockets opened and closed in a loop leave no more', () => {
    // Found by a hostile review: 16,000 claims from 2,000 sockets made each load of the document take 600 ms.
    const flood = Array.from({ length: CLAIMS_RECORDED_PER_PERSON + 100 }, (_, i) => claim(1000 + i, 'person:a', i * 1000))
    const others = [claim(1, 'person:b', UNUSED_CLAIMS_KEPT_MS - 1), claim(2, 'person:a', 0)]
    const owners = new Map<number, OwnerKey>([[2, 'person:c']])
    const stale = staleClaims([...flood, ...others], owners, now - UNUSED_CLAIMS_KEPT_MS)
    // The 100 oldest of a's unused claims; b's one and a's claim the log gave to c are kept.
    expect(stale.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + CLAIMS_RECORDED_PER_PERSON + i))
  })
})
