import type { Person, Stage } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'

/** What people do with amendments; the stage, their role and the amendment decide whether they may. */
export type AmendmentAction = 'table' | 'edit' | 'withdraw' | 'cosponsor' | 'decide' | 'respond'

export interface AmendmentFacts {
  status: string
  /** The delegation that tabled it (null for a compromise). */
  delegationId: string | null
  cosponsorIds: readonly string[]
  /** A compromise belongs to the chairs and the secretariat who compose them, not to a delegation. */
  compromise?: boolean
  /** For a merged amendment: whether the compromise it was merged into fell (rejected, withdrawn, lapsed). */
  compromiseFell?: boolean
}

export interface AmendmentContext {
  stage: Stage
  /** When tabling closes; null when no deadline is set. */
  deadline: Date | null
  now: Date
}

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

/**
 * How many amendments one delegation may table to one resolution, whatever
 * became of them (withdrawn ones stay in the record). A real round is tens;
 * without a bound, one hand-written client tables until the database is
 * full, and every amendment request, which reads the resolution's
 * amendments against the text, slows for everyone.
 */
export const MAX_AMENDMENTS_PER_DELEGATION = 300

/** Whether a delegation that has tabled `tabled` amendments to a resolution may table one more. */
export function checkTablingCount(tabled: number): Refusal | null {
  if (tabled < MAX_AMENDMENTS_PER_DELEGATION) return null
  return refusal(409, 'too_many_amendments', `Your delegation has tabled ${tabled} amendments to this resolution, the most one delegation may table (${MAX_AMENDMENTS_PER_DELEGATION}).`)
}

/** Members of a delegation table for it: delegates, and chairs or Steering members who belong to one. Observers never write; translators translate. */
export function speaksForDelegation(person: Person): boolean {
  return person.delegation !== null && person.role !== 'observer' && person.role !== 'secretariat' && person.role !== 'translator'
}

/**
 * Whether `person` may do `action` (on `amendment`, for all but tabling),
 * or why not. Rights first (403), then the state of things (409).
 */
export function checkAmendmentAction(
  action: AmendmentAction,
  person: Person,
  context: AmendmentContext,
  amendment?: AmendmentFacts,
): Refusal | null {
  const beforeDeadline = context.deadline === null || context.now.getTime() < context.deadline.getTime()
  const own = amendment !== undefined && person.delegation !== null && amendment.delegationId === person.delegation.id

  const decider = person.role === 'chair' || person.role === 'secretariat'

  if (amendment?.compromise) {
    switch (action) {
      case 'edit':
      case 'withdraw':
        if (!decider) return refusal(403, 'forbidden', 'A compromise belongs to the chairs and the secretariat: only they change or withdraw it.')
        if (amendment.status !== 'tabled') return refusal(409, 'not_tabled', `The compromise is ${amendment.status}, no longer open.`)
        // A compromise is a decision on the amendments it merges, and withdrawing it tables them again: both belong to
        // consolidation, as every decision does, not to a round of amendments reopened (past its deadline or not).
        if (context.stage !== 'consolidation') return refusal(409, 'wrong_stage', 'A compromise can be changed or withdrawn only during consolidation.')
        return null
      case 'cosponsor':
        if (!speaksForDelegation(person)) return refusal(403, 'forbidden', 'Only members of a delegation co-sponsor amendments.')
        return refusal(409, 'compromise', 'A compromise is the chair’s answer to several amendments; it is not co-sponsored.')
      case 'respond':
        return refusal(403, 'forbidden', 'A compromise has no tabling delegation to answer for it; the delegations of the merged amendments answer for theirs.')
      default:
        break
    }
  }

  switch (action) {
    case 'table':
      if (!speaksForDelegation(person)) return refusal(403, 'forbidden', 'Only members of a delegation table amendments.')
      if (context.stage !== 'amendments') return refusal(409, 'wrong_stage', 'Amendments can be tabled only while amendments are open.')
      if (!beforeDeadline) return refusal(409, 'deadline_passed', 'The deadline for amendments has passed.')
      return null
    case 'edit':
    case 'withdraw':
      if (!speaksForDelegation(person) || !own) return refusal(403, 'forbidden', 'Only the tabling delegation may change or withdraw its amendment.')
      if (amendment!.status !== 'tabled') return refusal(409, 'not_tabled', `The amendment is ${amendment!.status}, no longer open.`)
      if (action === 'edit' || context.stage === 'amendments') {
        if (context.stage !== 'amendments') return refusal(409, 'wrong_stage', 'Amendments can be changed only while amendments are open.')
        if (!beforeDeadline) return refusal(409, 'deadline_passed', 'The deadline for amendments has passed.')
        return null
      }
      if (context.stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Amendments can be withdrawn only while amendments are open or in consolidation.')
      return null
    case 'cosponsor':
      if (!speaksForDelegation(person)) return refusal(403, 'forbidden', 'Only members of a delegation co-sponsor amendments.')
      if (own) return refusal(409, 'own_amendment', 'A delegation cannot co-sponsor its own amendment.')
      if (amendment!.status !== 'tabled') return refusal(409, 'not_tabled', `The amendment is ${amendment!.status}, no longer open.`)
      if (context.stage !== 'amendments' || !beforeDeadline) return refusal(409, 'wrong_stage', 'Co-sponsoring closes with tabling.')
      return null
    case 'decide':
      if (!decider) return refusal(403, 'forbidden', 'Only chairs and the secretariat decide amendments.')
      if (context.stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Amendments are decided during consolidation.')
      if (amendment && amendment.status !== 'tabled') return refusal(409, 'already_decided', `The amendment is already ${amendment.status}.`)
      return null
    case 'respond':
      if (!speaksForDelegation(person) || !own) return refusal(403, 'forbidden', 'Only the tabling delegation answers for its amendment.')
      if (amendment!.status !== 'acceptedModified' && amendment!.status !== 'merged') {
        return refusal(409, 'nothing_to_answer', 'There is nothing to answer: the amendment was not modified or merged.')
      }
      // An objection to words that never entered the text would still hold the lock back until a chair replied.
      if (amendment!.compromiseFell) return refusal(409, 'nothing_to_answer', 'There is nothing to answer: the compromise it was merged into fell, and none of its words are in the text.')
      // Not once the text is locked: the lock let it through on the answers then standing, and an objection raised again
      // after it (clearing the chair's reply) would go on record with the adopted text, unanswered.
      if (context.stage !== 'consolidation') return refusal(409, 'wrong_stage', 'Answers are given during consolidation.')
      return null
  }
}
