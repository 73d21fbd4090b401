import type { GenderBalance, MeetingKind, Person } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'

/**
 * A meeting's roll: which member parties sit, who votes for each, who may
 * stand in, and whom each party sends. The 2014 principles: the Council has
 * at most 30 member parties; the Steering Committee has one delegate per
 * party, and a party may designate a substitute; party leaders without a
 * seat attend as observers and never vote. Invitations ask for delegations
 * balanced between women and men.
 */
export const COUNCIL_SEATS = 30

/** How many substitutes a party may designate, by body; absent means no limit. */
const MAX_SUBSTITUTES: Partial<Record<MeetingKind, number>> = { steering: 1 }

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

/**
 * Whether a party's entry on a roll takes a seat. An entry that sends only observers (its leaders, without a seat)
 * takes none: the Council's thirty member parties are the parties that sit, and other parties' leaders attend beside
 * them. Any other does: a vote (a voting delegate or a substitute), a delegate registered, or nobody named yet (a
 * party seated first, its people designated later). Someone whose account cannot be found counts as seated.
 */
export function takesSeat(entry: RollEntryIds, personOf: (id: string) => Pick<Person, 'role'> | undefined): boolean {
  if (entry.votingId !== null || entry.substituteIds.length > 0 || entry.registeredIds.length === 0) return true
  return entry.registeredIds.some((id) => personOf(id)?.role !== 'observer')
}

/** Whether one more delegation may take a seat on a roll where `seated` delegations already have one (`takesSeat`). */
export function checkRollSeat(kind: MeetingKind, seated: number): Refusal | null {
  if (kind === 'council' && seated >= COUNCIL_SEATS) {
    return refusal(409, 'council_full', `The Council has at most ${COUNCIL_SEATS} member parties; its roll is full.`)
  }
  return null
}

/** Who may vote or stand in for a delegation: its own members, never an observer, the secretariat or a translator. */
export function mayVoteFor(person: Person, delegationId: string): boolean {
  return person.delegation?.id === delegationId && person.role !== 'observer' && person.role !== 'secretariat' && person.role !== 'translator'
}

/** Who a delegation may register: its own people, observers (party leaders without a seat) included. */
export function mayRegisterWith(person: Person, delegationId: string): boolean {
  return person.delegation?.id === delegationId && person.role !== 'secretariat'
}

export interface RollDesignation {
  voting: Person | null
  substitutes: readonly Person[]
  registered: readonly Person[]
}

/** A delegation's entry as stored: who votes, who stands in, who is registered (all of them), by id. */
export interface RollEntryIds {
  votingId: string | null
  substituteIds: readonly string[]
  registeredIds: readonly string[]
}

/**
 * What a change to a delegation's entry keeps of the places it leaves out
 * ("a field left out keeps its value"): the people who may still hold them
 * as `personOf` finds them now. Someone moved to another party, or made an
 * observer, since being designated already gives the delegation no vote
 * (the ballot rules judge people as they are when they cast); carried over
 * as they were, they had every later change refused, the delegation's own
 * registrations included, until the secretariat designated someone else.
 * An id nobody has is kept, for the change to refuse by name.
 */
export function keptOfEntry(current: RollEntryIds, delegationId: string, personOf: (id: string) => Person | undefined): RollEntryIds {
  const may = (id: string, rule: (person: Person, delegationId: string) => boolean) => {
    const person = personOf(id)
    return person === undefined || rule(person, delegationId)
  }
  return {
    votingId: current.votingId !== null && may(current.votingId, mayVoteFor) ? current.votingId : null,
    substituteIds: current.substituteIds.filter((id) => may(id, mayVoteFor)),
    registeredIds: current.registeredIds.filter((id) => may(id, mayRegisterWith)),
  }
}

/** Checks a delegation's entry on the roll of a meeting of `kind`; null when it may stand. */
export function checkRollEntry(kind: MeetingKind, delegationId: string, entry: RollDesignation): Refusal | null {
  if (entry.voting && !mayVoteFor(entry.voting, delegationId)) {
    return refusal(422, 'not_eligible', `${entry.voting.name} cannot vote for this delegation: only its own members, never observers, vote for it.`)
  }
  const wrongSubstitute = entry.substitutes.find((person) => !mayVoteFor(person, delegationId))
  if (wrongSubstitute) {
    return refusal(422, 'not_eligible', `${wrongSubstitute.name} cannot stand in for this delegation: only its own members, never observers, vote for it.`)
  }
  if (entry.voting && entry.substitutes.some((person) => person.id === entry.voting!.id)) {
    return refusal(422, 'substitute_is_delegate', `${entry.voting.name} is the voting delegate and cannot also be a substitute.`)
  }
  const limit = MAX_SUBSTITUTES[kind]
  if (limit !== undefined && entry.substitutes.length > limit) {
    return refusal(422, 'too_many_substitutes', `In the Steering Committee a party designates at most ${limit} substitute.`)
  }
  const stranger = entry.registered.find((person) => !mayRegisterWith(person, delegationId))
  if (stranger) return refusal(422, 'not_in_delegation', `${stranger.name} does not belong to this delegation.`)
  return null
}

/** Women, men and others among `people`; people whose gender is not recorded are not counted. */
export function genderBalance(people: ReadonlyArray<Pick<Person, 'gender'>>): GenderBalance {
  const balance = { f: 0, m: 0, x: 0 }
  for (const person of people) if (person.gender) balance[person.gender] += 1
  return balance
}

/** Balanced when women and men differ by at most one: the closest an odd number of people can come. */
export function isBalanced(balance: GenderBalance): boolean {
  return Math.abs(balance.f - balance.m) <= 1
}

export function addBalances(balances: readonly GenderBalance[]): GenderBalance {
  return balances.reduce((sum, balance) => ({ f: sum.f + balance.f, m: sum.m + balance.m, x: sum.x + balance.x }), { f: 0, m: 0, x: 0 })
}

/**
 * A list someone changed from `basis` to `wanted`, that change applied to the list as it stands (`current`): those
 * `wanted` adds to the basis added, those it leaves out removed, everyone else as they are now. Two members of the
 * secretariat each adding someone at once both keep their addition, where the whole list each sent replaced the other's.
 */
export function rebased(current: readonly string[], basis: readonly string[], wanted: readonly string[]): string[] {
  const [before, after] = [new Set(basis), new Set(wanted)]
  return [...new Set([...current.filter((id) => !before.has(id) || after.has(id)), ...wanted.filter((id) => !before.has(id))])]
}

/**
 * A change to a delegation's entry made from `basis` (the entry as the form that made it showed it), applied to the
 * entry as it stands (`current`): the substitutes and the registered people as `rebased` applies a list's change, so
 * two members of the secretariat, or the secretariat and the delegation, changing one entry at once both keep their
 * change, where the whole entry each sent replaced the other's; the voting delegate changed only if the change names
 * another than the basis did. A field left out of the change keeps its value. Null when both changed the voting
 * delegate, to different people: there is one, and which to keep is a choice for a person to make again.
 */
export function rebasedEntry(current: RollEntryIds, basis: RollEntryIds, change: Partial<RollEntryIds>): RollEntryIds | null {
  let votingId = current.votingId
  if (change.votingId !== undefined && change.votingId !== basis.votingId) {
    if (current.votingId !== basis.votingId && current.votingId !== change.votingId) return null
    votingId = change.votingId
  }
  return {
    votingId,
    substituteIds: change.substituteIds ? rebased(current.substituteIds, basis.substituteIds, change.substituteIds) : [...current.substituteIds],
    registeredIds: change.registeredIds ? rebased(current.registeredIds, basis.registeredIds, change.registeredIds) : [...current.registeredIds],
  }
}
