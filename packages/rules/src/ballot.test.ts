import fc from 'fast-check'
import type { Person, Role } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { castersOf, checkBallot, hasVote, presentWithVote, type SeatFacts, seatsFor, votingDelegations } from './ballot.ts'

const person = (id: string, role: Role, delegation: string | null): Person => ({
  id,
  username: id,
  name: id,
  role,
  delegation: delegation ? { id: delegation, party: delegation, country: 'X' } : null,
})

const delegate = person('delegate', 'delegate', 'own')
const substitute = person('substitute', 'steering', 'own')
const secondSubstitute = person('second', 'chair', 'own')
const member = person('member', 'delegate', 'own')
const observer = person('observer', 'observer', 'own')
const foreigner = person('foreigner', 'delegate', 'other')
const secretariat = person('secretariat', 'secretariat', null)
const everyone = [delegate, substitute, secondSubstitute, member, observer, foreigner, secretariat]
const personOf = (id: string) => everyone.find((who) => who.id === id)

const seat = (presentIds: readonly string[]): SeatFacts => ({
  delegationId: 'own',
  votingId: delegate.id,
  substituteIds: [substitute.id, secondSubstitute.id],
  presentIds,
})

/** Every subset of the people, as the ids of those present. */
function presences(): string[][] {
  const out: string[][] = []
  for (let mask = 0; mask < 1 << everyone.length; mask++) out.push(everyone.filter((_, bit) => mask & (1 << bit)).map((who) => who.id))
  return out
}

/** CONTRACT.md restated: the delegate if present, else a present substitute; nobody else, observers never. */
function expected(who: Person, present: readonly string[]): boolean {
  if (!present.includes(who.id)) return false
  if (who === delegate) return true
  return (who === substitute || who === secondSubstitute) && !present.includes(delegate.id)
}

describe('who casts a delegation’s ballot, for every person and every combination of who is present', () => {
  it('follows the contract in all 128 × 7 cases', () => {
    for (const present of presences()) {
      for (const who of everyone) {
        const refusal = checkBallot(who, seat(present), personOf)
        expect({ who: who.id, present, allowed: refusal === null }).toEqual({ who: who.id, present, allowed: expected(who, present) })
        if (refusal) {
          expect(refusal.status).toBe(403)
          expect(refusal.message.length).toBeGreaterThan(15)
        }
      }
    }
  })

  it('names the cases: delegate present, delegate absent with a substitute present, neither, an observer, another party’s delegate', () => {
    expect(checkBallot(delegate, seat(['delegate', 'substitute']), personOf)).toBeNull()
    expect(checkBallot(substitute, seat(['delegate', 'substitute']), personOf)).toMatchObject({ bar: 'delegatePresent', message: expect.stringMatching(/voting delegate is present/) })
    expect(checkBallot(substitute, seat(['substitute']), personOf)).toBeNull()
    expect(checkBallot(delegate, seat(['substitute']), personOf)).toMatchObject({ bar: 'absent' })
    expect(checkBallot(member, seat(['member']), personOf)).toMatchObject({ bar: 'notDesignated' })
    expect(hasVote(seat([]), personOf)).toBe(false)
    expect(hasVote(seat(['member', 'observer']), personOf)).toBe(false)
    expect(hasVote(seat(['delegate']), personOf)).toBe(true)
    // The delegate present has since become an observer: nobody can cast the ballot, so the delegation has no vote.
    expect(hasVote(seat(['delegate']), (id) => (id === delegate.id ? { ...delegate, role: 'observer' } : personOf(id)))).toBe(false)
    // Made an observer, or moved to another party, while marked present: the substitute present casts the ballot instead.
    const demoted = (id: string) => (id === delegate.id ? { ...delegate, role: 'observer' as const } : personOf(id))
    const moved = (id: string) => (id === delegate.id ? { ...delegate, delegation: foreigner.delegation } : personOf(id))
    for (const now of [demoted, moved]) {
      expect(checkBallot(substitute, seat(['delegate', 'substitute']), now)).toBeNull()
      expect(castersOf(seat(['delegate', 'substitute']), now)).toEqual([substitute.id])
      expect(hasVote(seat(['delegate', 'substitute']), now)).toBe(true)
    }
    // Someone the lookup does not find (a deactivated account) stands in nobody's way either.
    expect(checkBallot(substitute, seat(['delegate', 'substitute']), (id) => (id === delegate.id ? undefined : personOf(id)))).toBeNull()
    expect(checkBallot(observer, seat(['observer']), personOf)).toMatchObject({ bar: 'observer' })
    expect(checkBallot(foreigner, seat(['foreigner']), personOf)).toMatchObject({ bar: 'otherDelegation' })
    expect(checkBallot(delegate, undefined, personOf)).toMatchObject({ bar: 'notOnRoll' })
  })

  it('counts as present with a vote the delegations that voted, and those someone may still vote for', () => {
    const other: SeatFacts = { delegationId: 'other', votingId: foreigner.id, substituteIds: [], presentIds: [] }
    expect(presentWithVote([seat(['delegate']), other], new Set(), personOf)).toBe(1)
    expect(presentWithVote([seat(['delegate']), other], new Set(['other']), personOf)).toBe(2)
    expect(presentWithVote([seat([]), other], new Set(['own']), personOf)).toBe(1)
  })

  it('refuses an observer even when the roll names them', () => {
    const odd: SeatFacts = { delegationId: 'own', votingId: observer.id, substituteIds: [observer.id], presentIds: [observer.id] }
    expect(checkBallot(observer, odd, personOf)?.status).toBe(403)
  })
})

const people = fc.constantFrom(...everyone)
const seats = fc.record({
  votingId: fc.option(fc.constantFrom(delegate.id, member.id, substitute.id, observer.id, foreigner.id), { nil: null }),
  substituteIds: fc.subarray([substitute.id, secondSubstitute.id, member.id, observer.id, foreigner.id]),
  presentIds: fc.subarray(everyone.map((who) => who.id)),
})

describe('ballot rights, as properties', () => {
  it('let exactly the casters of a seat vote, and a seat has a vote exactly when someone may cast it', () => {
    fc.assert(
      fc.property(seats, (facts) => {
        const full: SeatFacts = { delegationId: 'own', ...facts }
        const allowed = everyone.filter((who) => checkBallot(who, full, personOf) === null).map((who) => who.id)
        expect(new Set(allowed)).toEqual(new Set(castersOf(full, personOf).filter((id) => checkBallot(personOf(id)!, full, personOf) === null)))
        expect(allowed.length > 0).toBe(hasVote(full, personOf))
      }),
    )
  })

  it('never let anyone cast another party’s ballot, nor an observer any ballot', () => {
    fc.assert(
      fc.property(people, seats, (who, facts) => {
        const other: SeatFacts = { delegationId: 'other', ...facts }
        if (who !== foreigner) expect(checkBallot(who, other, personOf)).not.toBeNull()
        expect(checkBallot(observer, { delegationId: 'own', ...facts }, personOf)).not.toBeNull()
      }),
    )
  })

  it('give a person at most one seat to vote for', () => {
    fc.assert(
      fc.property(people, seats, seats, (who, own, other) => {
        expect(seatsFor(who, [{ delegationId: 'own', ...own }, { delegationId: 'other', ...other }], personOf).length).toBeLessThanOrEqual(1)
      }),
    )
  })
})

describe('the delegations that vote in a meeting', () => {
  const seated = (delegationId: string, votingId: string | null, substituteIds: readonly string[] = []): SeatFacts => ({ delegationId, votingId, substituteIds, presentIds: [] })

  it('are those someone designated may vote for, present or not, and those that have voted', () => {
    const withDelegate = seated('own', 'delegate')
    const withSubstitute = seated('own', null, ['substitute'])
    const observersOnly = seated('own', null)
    const designatedObserver = seated('own', 'observer', ['foreigner'])
    expect(votingDelegations([withDelegate, withSubstitute, observersOnly, designatedObserver], new Set(), personOf)).toBe(2)
    // A delegation that voted counts, though its voter has since become unable to vote for it.
    expect(votingDelegations([designatedObserver], new Set(['own']), personOf)).toBe(1)
    expect(votingDelegations([seated('own', 'gone')], new Set(), personOf)).toBe(0)
  })
})

describe('someone who cast another delegation’s ballot in the vote', () => {
  it('casts none here and bars nobody: the substitute present casts it, and the delegation counts only through them', () => {
    const here = seat(['delegate', 'substitute'])
    const castBy = new Map([['delegate', 'elsewhere']])
    expect(castersOf(here, personOf, castBy)).toEqual(['substitute', 'second'].filter((id) => here.presentIds.includes(id)))
    expect(checkBallot(substitute, here, personOf, castBy)).toBeNull()
    expect(checkBallot(substitute, here, personOf)?.bar).toBe('delegatePresent')
    expect(presentWithVote([seat(['delegate'])], new Set(), personOf, castBy)).toBe(0)
    expect(presentWithVote([seat(['delegate'])], new Set(), personOf)).toBe(1)
  })
})
