import { describe, expect, it } from 'vitest'
import type { OwnerKey } from '../clientIds.ts'
import { staleClaims, UNUSED_CLAIMS_KEPT_MS } from './clientOwners.ts'

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
})
