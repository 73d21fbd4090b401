import type { Role, Stage } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

/** Whether delegations may table now, by the server's clock: amendments open and the deadline ahead. */
export function tablingOpen(stage: Stage, deadline: Date | null, now: Date): boolean {
  return stage === 'amendments' && (deadline === null || now.getTime() < deadline.getTime())
}

/** A deadline as given: an instant in the future. */
export function checkFutureInstant(value: string | undefined, now: Date): Refusal | null {
  if (!value) return refusal(400, 'deadline_required', 'Give the deadline.')
  const deadline = new Date(value)
  if (Number.isNaN(deadline.getTime())) return refusal(400, 'invalid_deadline', 'The deadline is not a date and time.')
  if (deadline.getTime() <= now.getTime()) return refusal(422, 'deadline_past', 'The deadline must be in the future.')
  return null
}

/**
 * Setting or extending the deadline while amendments are open: the
 * secretariat's, to an instant in the future (it may also bring it
 * forward: the secretariat answers to the meeting for that).
 */
export function checkDeadlineChange(role: Role, stage: Stage, deadline: string | undefined, now: Date): Refusal | null {
  if (role !== 'secretariat') return refusal(403, 'forbidden', 'Only the secretariat sets the deadline for amendments.')
  if (stage !== 'amendments') return refusal(409, 'wrong_stage', 'The deadline can be changed only while amendments are open; reopening amendments sets a new one.')
  return checkFutureInstant(deadline, now)
}

/**
 * Reopening amendments from consolidation: a deadline given must be in the
 * future, and one must be given when the old one has passed, or
 * amendments would open with tabling already closed.
 */
export function checkReopeningDeadline(from: Stage, to: Stage, current: Date | null, given: string | undefined, now: Date): Refusal | null {
  if (to !== 'amendments' || from === 'draft') return null
  if (given !== undefined) return checkFutureInstant(given, now)
  if (current === null || current.getTime() <= now.getTime()) {
    return refusal(400, 'deadline_required', 'The deadline for amendments has passed: reopening them needs a new one.')
  }
  return null
}
