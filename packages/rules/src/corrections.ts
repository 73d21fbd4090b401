import type { Role, Stage } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'
import { type AmendmentStanding, lateTypingUnchecked, objectionUnanswered } from './outstanding.ts'

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

const DECIDERS: readonly Role[] = ['chair', 'secretariat']

/** Decisions that can be taken back: what a chair decided about one amendment (not what a meeting decided by vote). */
export const RESETTABLE_STATUSES: readonly string[] = ['accepted', 'acceptedModified', 'rejected']

/**
 * Correcting the record: a decision goes back to `tabled` (its text change
 * reverted) as long as the text is not locked. Chairs and the secretariat
 * may, as they decide; an amendment merged into a compromise comes back by
 * withdrawing or resetting the compromise, not on its own. A decision is
 * taken back in the round of amendments it was taken in (`earlierRound`:
 * amendments were opened again since): the next round's amendments were
 * tabled on the text it wrote, and a text gone back to draft was co-edited
 * over it; its amendment, tabled again, would come back in a round it was
 * never tabled in.
 */
export function checkDecisionReset(
  role: Role,
  stage: Stage,
  amendment: Pick<AmendmentStanding, 'number' | 'status'> & { byVote?: boolean; earlierRound?: boolean },
): Refusal | null {
  if (!DECIDERS.includes(role)) return refusal(403, 'forbidden', 'Only chairs and the secretariat correct decisions.')
  if (stage === 'final' || stage === 'adopted') return refusal(409, 'locked', 'The text is locked: its decisions can no longer be reset.')
  if (stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Decisions are reset during consolidation.')
  if (amendment.status === 'merged') {
    return refusal(409, 'merged', `${amendment.number} was merged into a compromise: withdraw the compromise (or reset its decision) instead.`)
  }
  if (!RESETTABLE_STATUSES.includes(amendment.status)) return refusal(409, 'not_decided', `${amendment.number} is ${amendment.status}: there is no decision to reset.`)
  // What a meeting decided by vote is not one person's to take back.
  if (amendment.byVote) return refusal(409, 'decided_by_vote', `${amendment.number} was decided by a meeting's vote; only another vote can change that.`)
  if (amendment.earlierRound) {
    return refusal(409, 'earlier_round', `${amendment.number} was decided in an earlier round of amendments, on which this round's text stands: table a new amendment instead.`)
  }
  return null
}

/** Replying to a delegation's objection: chairs and the secretariat, while the objection stands and the text can still be reconsidered or is at its lock. */
export function checkObjectionReply(role: Role, stage: Stage, amendment: AmendmentStanding): Refusal | null {
  if (!DECIDERS.includes(role)) return refusal(403, 'forbidden', 'Only chairs and the secretariat answer objections.')
  if (stage !== 'consolidation' && stage !== 'final') return refusal(409, 'wrong_stage', 'Objections are answered during consolidation or before adoption.')
  if (!objectionUnanswered(amendment)) return refusal(409, 'no_objection', `There is no unanswered objection to ${amendment.number}.`)
  return null
}

/**
 * Saying that a paragraph typed over unseen reads as meant (corrected by hand first where it did not): chairs and the
 * secretariat, while the text can still be corrected, and only while such typing is unchecked.
 */
export function checkLateTypingCheck(role: Role, stage: Stage, amendment: Pick<AmendmentStanding, 'number' | 'status' | 'lateTyping'>): Refusal | null {
  if (!DECIDERS.includes(role)) return refusal(403, 'forbidden', 'Only chairs and the secretariat check the paragraphs of their decisions.')
  if (stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Paragraphs are checked during consolidation, while they can still be corrected.')
  if (!lateTypingUnchecked(amendment)) return refusal(409, 'nothing_to_check', `Nobody typed in the words of ${amendment.number} unseen since it was last checked.`)
  return null
}
