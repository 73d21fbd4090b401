import type { AdoptingBody, MeetingKind, Role, Stage } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'

/**
 * Opening and closing votes: the secretariat or the chair conducts them; a
 * meeting votes on an amendment while the text is in consolidation, and on
 * the adoption of the final text. Only the bodies that adopt resolutions
 * vote on adoption: a working group does not.
 */
export const VOTE_CONDUCTORS: readonly Role[] = ['secretariat', 'chair']

export function mayConductVotes(role: Role): boolean {
  return VOTE_CONDUCTORS.includes(role)
}

/** The body a meeting of `kind` adopts in the name of, as the record names it; null for a working group. */
export function adoptingBody(kind: MeetingKind): AdoptingBody | null {
  const bodies: Record<MeetingKind, AdoptingBody | null> = { council: 'Council', steering: 'Steering Committee', conference: 'Conference', workingGroup: null }
  return bodies[kind]
}

export type VoteSubjectFacts =
  | { kind: 'amendment'; stage: Stage; status: string }
  | { kind: 'adoption'; stage: Stage }

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

/** Whether `role` may open a vote on this subject in a meeting of `meeting`; rights (403) before the state of things (409). */
export function checkVoteOpening(role: Role, meeting: MeetingKind, subject: VoteSubjectFacts): Refusal | null {
  if (!mayConductVotes(role)) return refusal(403, 'forbidden', 'Only the secretariat or the chair opens a vote.')
  if (subject.kind === 'amendment') {
    if (subject.stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Amendments are voted on while the text is in consolidation.')
    if (subject.status !== 'tabled') return refusal(409, 'already_decided', `The amendment is already ${subject.status}.`)
    return null
  }
  if (adoptingBody(meeting) === null) return refusal(409, 'cannot_adopt', 'A working group does not adopt resolutions.')
  if (subject.stage !== 'final') return refusal(409, 'wrong_stage', 'Adoption is voted on once the final text is locked.')
  return null
}
