import type { Refusal } from './lifecycle.ts'

/**
 * The business a lock must not leave behind: amendments nobody decided, and
 * objections nobody answered. The Steering Committee may still lock over
 * them, but only by saying so (`acceptOutstandingAmendments`), and the
 * record keeps what it locked over.
 */
export interface AmendmentStanding {
  id: string
  /** "A3". */
  number: string
  status: string
  /** The tabling delegation's answer to a modified or merged wording; null until it answers. */
  response: { agree: boolean } | null
  /**
   * The chairs' or the secretariat's reply to the delegation's objection.
   * A new answer from the delegation clears it, so a reply always answers
   * the objection standing now.
   */
  objectionReply: { at: string } | null
  /** For a merged amendment: the compromise it was merged into fell (`compromiseFell`), so none of its words are in the text. */
  compromiseFell?: boolean
  /**
   * Typing that landed unseen in an acceptance's words (`decision.lateTyping`): when the last of it was noted, and when a
   * chair or the secretariat last said the paragraph reads as meant (null: never).
   */
  lateTyping?: { lastAt: string; checkedAt: string | null } | null
}

export type OutstandingReason = 'undecided' | 'objection' | 'lateTyping'

export interface Outstanding {
  id: string
  number: string
  reason: OutstandingReason
}

/** A refusal that lists what stands in the way. */
export interface OutstandingRefusal extends Refusal {
  outstanding: Outstanding[]
}

/** Decided wordings a delegation is asked to answer for: an acceptance as modified, or a merge into a compromise. */
export const ANSWERABLE_STATUSES: readonly string[] = ['acceptedModified', 'merged']

/** Statuses of a compromise none of whose words are in the text: its merged amendments have nothing left to answer for. */
const FALLEN_STATUSES: readonly string[] = ['rejected', 'withdrawn', 'lapsed', 'obsolete']

/** Whether a compromise of this status fell: rejected, withdrawn, lapsed or made obsolete. */
export function compromiseFell(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && FALLEN_STATUSES.includes(status)
}

/**
 * An objection is unanswered while the tabling delegation's current answer
 * to a modified or merged wording is "no" and nobody deciding has replied
 * to it since. It is answered when a chair or the secretariat replies, or
 * when the delegation changes its answer to "yes".
 */
export function objectionUnanswered(amendment: AmendmentStanding): boolean {
  if (!ANSWERABLE_STATUSES.includes(amendment.status) || amendment.compromiseFell === true) return false
  return amendment.response !== null && !amendment.response.agree && amendment.objectionReply === null
}

/**
 * `AmendmentStanding.lateTyping` from a decision's record: when the last typing over its words was noted, and when the
 * paragraph was last checked. Null when none was noted.
 */
export function lateTypingStanding(decision: { lateTyping?: ReadonlyArray<{ at: string }>; lateTypingChecked?: { at: string } } | null | undefined): AmendmentStanding['lateTyping'] {
  const notes = decision?.lateTyping ?? []
  if (notes.length === 0) return null
  const lastAt = notes.reduce((latest, note) => (Date.parse(note.at) > Date.parse(latest) ? note.at : latest), notes[0]!.at)
  return { lastAt, checkedAt: decision?.lateTypingChecked?.at ?? null }
}

/** Statuses whose words an acceptance wrote into the text. */
const ACCEPTED_STATUSES: readonly string[] = ['accepted', 'acceptedModified']

/**
 * Typing by someone whose editor had not received an acceptance landed in its words: Yjs merged both, so the paragraph
 * may read as neither meant ("rapidements", a fragment of a word). Unchecked until a chair or the secretariat says the
 * paragraph reads as meant (having corrected it, or not), after the last such typing. Instants are ISO 8601 in UTC.
 */
export function lateTypingUnchecked(amendment: Pick<AmendmentStanding, 'status' | 'lateTyping'>): boolean {
  const late = amendment.lateTyping
  if (!late || !ACCEPTED_STATUSES.includes(amendment.status)) return false
  return late.checkedAt === null || Date.parse(late.checkedAt) < Date.parse(late.lastAt)
}

/** What stands in the way of the lock, in the order given (the order tabled). */
export function outstandingAmendments(amendments: readonly AmendmentStanding[]): Outstanding[] {
  return amendments.flatMap((amendment): Outstanding[] => {
    if (amendment.status === 'tabled') return [{ id: amendment.id, number: amendment.number, reason: 'undecided' }]
    if (objectionUnanswered(amendment)) return [{ id: amendment.id, number: amendment.number, reason: 'objection' }]
    if (lateTypingUnchecked(amendment)) return [{ id: amendment.id, number: amendment.number, reason: 'lateTyping' }]
    return []
  })
}

/**
 * The lock's guard on amendments: refused (409 `amendments_outstanding`,
 * with the list) while any is undecided or any objection unanswered, unless
 * the Steering Committee explicitly accepts locking over them.
 */
export function checkOutstandingAmendments(amendments: readonly AmendmentStanding[], acceptOutstanding: boolean): OutstandingRefusal | null {
  const outstanding = outstandingAmendments(amendments)
  if (outstanding.length === 0 || acceptOutstanding) return null
  const undecided = outstanding.filter((item) => item.reason === 'undecided').map((item) => item.number)
  const objections = outstanding.filter((item) => item.reason === 'objection').map((item) => item.number)
  const typedOver = outstanding.filter((item) => item.reason === 'lateTyping').map((item) => item.number)
  const parts = [
    ...(undecided.length > 0 ? [`undecided: ${undecided.join(', ')}`] : []),
    ...(objections.length > 0 ? [`objection unanswered: ${objections.join(', ')}`] : []),
    ...(typedOver.length > 0 ? [`words typed over unseen, paragraph not checked: ${typedOver.join(', ')}`] : []),
  ]
  return {
    status: 409,
    code: 'amendments_outstanding',
    message: `The text cannot be locked with amendments outstanding (${parts.join('; ')}). Decide them, answer the objections and check the paragraphs typed over, or lock over them with acceptOutstandingAmendments: true.`,
    outstanding,
  }
}
