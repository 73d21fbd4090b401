import type { Person } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'
import { mayVoteFor } from './roll.ts'

/**
 * Who casts a delegation's ballot. Each member delegation present has one
 * vote, cast by its voting delegate when present, otherwise by one of its
 * designated substitutes who is present. Nobody else casts it; observers
 * never vote.
 */
export interface SeatFacts {
  delegationId: string
  votingId: string | null
  substituteIds: readonly string[]
  /** Ids of the delegation's registered people marked present. */
  presentIds: readonly string[]
}

/** Looks a person up as they are now (role, delegation); undefined for someone unknown or no longer active. */
export type PersonOf = (id: string) => Person | undefined

/**
 * Who cast a ballot in the vote at hand, and for which delegation: person id → delegation id. One person casts one
 * delegation's ballot in a vote: someone who cast another's (then moved to this party) casts none here, and stands in
 * nobody's way; counted as this delegation's voter, it was "present with a vote" while nobody could cast its ballot, its
 * present substitute barred by a delegate who never could.
 */
export type BallotsCastBy = ReadonlyMap<string, string>

const castElsewhere = (castBy: BallotsCastBy | undefined, id: string, delegationId: string) => {
  const cast = castBy?.get(id)
  return cast !== undefined && cast !== delegationId
}

/** Whether `id` may still vote for the seat as they are now: present, still of the delegation, not since made an observer, no other delegation's ballot cast. */
function stands(seat: SeatFacts, id: string, personOf: PersonOf, castBy?: BallotsCastBy): boolean {
  const person = personOf(id)
  return person !== undefined && seat.presentIds.includes(id) && mayVoteFor(person, seat.delegationId) && !castElsewhere(castBy, id, seat.delegationId)
}

/**
 * Whether the delegation can vote now: someone may cast its ballot, as they
 * are now (`personOf`). A delegate present who has since become an observer,
 * or moved to another delegation, does not give it a vote, and it does not
 * count towards the quorum.
 */
export function hasVote(seat: SeatFacts, personOf: PersonOf, castBy?: BallotsCastBy): boolean {
  return castersOf(seat, personOf, castBy).length > 0
}

/**
 * The people entitled to cast the delegation's ballot now, by id: the
 * delegate if present and still able to vote for it, else the present
 * substitutes who are. A delegate made an observer or moved to another party
 * while marked present stands in nobody's way: the substitute votes, as for a
 * delegate who is absent.
 */
export function castersOf(seat: SeatFacts, personOf: PersonOf, castBy?: BallotsCastBy): string[] {
  if (seat.votingId !== null && stands(seat, seat.votingId, personOf, castBy)) return [seat.votingId]
  return seat.substituteIds.filter((id) => stands(seat, id, personOf, castBy))
}

/**
 * Delegations present with a vote, as the quorum and a vote's `eligible`
 * count them: those that have voted (`voted`, delegation ids), and those
 * someone may still cast a ballot for.
 */
export function presentWithVote(seats: readonly SeatFacts[], voted: ReadonlySet<string>, personOf: PersonOf, castBy?: BallotsCastBy): number {
  return seats.filter((seat) => voted.has(seat.delegationId) || hasVote(seat, personOf, castBy)).length
}

/**
 * Delegations on the roll that vote in this meeting, as the default quorum and `notVoting` count them: those someone is
 * designated to vote for and may as they are now, present or not, and those that have voted (`voted`). A party seated
 * only so its leader may attend as an observer, or before anyone is designated, has no vote: counted, it raised the
 * quorum and failed a vote the members present had carried.
 */
export function votingDelegations(seats: readonly SeatFacts[], voted: ReadonlySet<string>, personOf: PersonOf, castBy?: BallotsCastBy): number {
  const designated = (seat: SeatFacts) =>
    [seat.votingId, ...seat.substituteIds].some((id) => {
      const person = id === null ? undefined : personOf(id)
      return person !== undefined && mayVoteFor(person, seat.delegationId) && !castElsewhere(castBy, person.id, seat.delegationId)
    })
  return seats.filter((seat) => voted.has(seat.delegationId) || designated(seat)).length
}

/** Why someone may not cast a ballot, for the voting card to explain in the interface's language. */
export type BallotBar = 'observer' | 'notOnRoll' | 'otherDelegation' | 'notDesignated' | 'absent' | 'delegatePresent'

export interface BallotRefusal extends Refusal {
  bar: BallotBar
}

const refuse = (bar: BallotBar, message: string): BallotRefusal => ({ status: 403, code: 'forbidden', message, bar })

/**
 * Whether `person` may cast the ballot of the delegation seated as `seat`
 * (undefined: the delegation is not on the roll), the others on the roll as
 * `personOf` finds them now. All refusals are 403: the ballot is not theirs
 * to cast.
 */
export function checkBallot(person: Person, seat: SeatFacts | undefined, personOf: PersonOf, castBy?: BallotsCastBy): BallotRefusal | null {
  if (person.role === 'observer') return refuse('observer', 'Observers attend without a vote.')
  if (!seat) return refuse('notOnRoll', 'This delegation is not on the roll of the meeting.')
  if (person.delegation?.id !== seat.delegationId) return refuse('otherDelegation', 'Only the delegation’s own delegate, or its substitute, casts its ballot.')
  const isDelegate = seat.votingId === person.id
  const isSubstitute = seat.substituteIds.includes(person.id)
  if (!isDelegate && !isSubstitute) return refuse('notDesignated', 'You are neither the voting delegate nor a designated substitute of your delegation.')
  if (!seat.presentIds.includes(person.id)) return refuse('absent', 'You are not marked present at the meeting.')
  if (!isDelegate && seat.votingId !== null && stands(seat, seat.votingId, personOf, castBy)) {
    return refuse('delegatePresent', 'Your delegation’s voting delegate is present and casts its ballot.')
  }
  return null
}

/** The delegations `person` may cast a ballot for now (at most one: their own). */
export function seatsFor(person: Person, seats: readonly SeatFacts[], personOf: PersonOf): SeatFacts[] {
  return seats.filter((seat) => checkBallot(person, seat, personOf) === null)
}
