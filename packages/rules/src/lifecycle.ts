import { type AdoptingBody, type Role, saysNothing, type Stage, type VoteResult } from '@hemicycle/protocol'

/**
 * The alliance's procedure: which stage may follow which, and who may move
 * it (CONTRACT.md, "Write rights"). Pure: the server asks it before every
 * stage change, the client to show only the moves a person can make.
 */
export interface Transition {
  from: Stage
  to: Stage
  by: readonly Role[]
  /** What the move must carry: a deadline to open amendments, a reason to go back, a confirmation to lock, the adoption record. */
  requires: 'deadline' | 'reason' | 'confirm' | 'adoption' | null
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'draft', to: 'amendments', by: ['secretariat'], requires: 'deadline' },
  { from: 'amendments', to: 'consolidation', by: ['secretariat'], requires: null },
  { from: 'amendments', to: 'draft', by: ['steering'], requires: 'reason' },
  { from: 'consolidation', to: 'final', by: ['steering'], requires: 'confirm' },
  { from: 'consolidation', to: 'amendments', by: ['steering'], requires: 'reason' },
  { from: 'final', to: 'adopted', by: ['steering', 'secretariat'], requires: 'adoption' },
  { from: 'final', to: 'consolidation', by: ['steering'], requires: 'reason' },
]

export interface StageMove {
  to: Stage
  reason?: string | undefined
  /** ISO 8601 instant when tabling closes. */
  deadline?: string | undefined
  confirm?: boolean | undefined
  /** The Steering Committee locks over undecided amendments and unanswered objections knowingly (see `checkOutstandingAmendments`). */
  acceptOutstandingAmendments?: boolean | undefined
  adoptedBy?: AdoptingBody | undefined
  adoptedAt?: string | undefined
  event?: string | undefined
  /**
   * A meeting's vote that makes the move: a passed adoption vote adopts the
   * text whoever closed it, since the meeting, not that person, decided.
   * Never taken from a request body.
   */
  vote?: (VoteResult & { voteId: string }) | undefined
  /** Locking with language versions that still have due or missing blocks: the Steering Committee says so explicitly. */
  acceptOutstandingTranslations?: boolean | undefined
}

/** Why a move is refused: the HTTP status it maps to, a stable code and a sentence. */
export interface Refusal {
  status: 400 | 403 | 409 | 422
  code: string
  message: string
}

export type Verdict = { ok: true; transition: Transition } | { ok: false; refusal: Refusal }

const refuse = (status: Refusal['status'], code: string, message: string): Verdict => ({ ok: false, refusal: { status, code, message } })

/**
 * An adoption date as it is recorded and printed: an ISO 8601 calendar date
 * (`2019-08-31`) that exists, optionally with a time after it. Its first ten
 * characters are what is stored, so anything a Date merely manages to read
 * ("August 31, 2019", "1", "2019-02-30") would be stamped on the adopted
 * text for good, cut short.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T.+)?$/.exec(value)
  if (!match || Number.isNaN(new Date(value).getTime())) return false
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(year, month - 1, day))
  return year >= 1000 && probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
}

/** The calendar day (YYYY-MM-DD) `instant` falls on in `timeZone` (IANA): a meeting's date is its own, not Greenwich's. */
export function calendarDayIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** How refusals name each role. */
export const ROLE_NAMES: Record<Role, string> = {
  secretariat: 'the secretariat',
  delegate: 'delegates',
  chair: 'chairs',
  steering: 'the Steering Committee',
  observer: 'observers',
  translator: 'translators',
}

export function transitionsFrom(stage: Stage): Transition[] {
  return TRANSITIONS.filter((transition) => transition.from === stage)
}

/**
 * Decides a stage move. Order of refusals: a move the procedure does not
 * have (409), a person not entitled to it (403), then what the move lacks
 * (400 missing, 422 unusable), so a caller learns the most basic problem first.
 */
export function checkTransition(stage: Stage, role: Role, move: StageMove, now: Date): Verdict {
  if (stage === move.to) return refuse(409, 'same_stage', `The resolution is already at the ${stage} stage.`)
  const transition = TRANSITIONS.find((candidate) => candidate.from === stage && candidate.to === move.to)
  if (!transition) {
    const allowed = transitionsFrom(stage).map((candidate) => candidate.to)
    return refuse(
      409,
      'invalid_transition',
      allowed.length === 0
        ? `An ${stage} resolution cannot change stage.`
        : `From ${stage} the resolution can only move to ${allowed.join(' or ')}.`,
    )
  }
  if (move.vote !== undefined) {
    if (transition.requires !== 'adoption') return refuse(409, 'invalid_transition', 'Only adoption is decided by a vote.')
    if (!move.vote.passed) return refuse(409, 'vote_failed', 'The vote did not pass: the resolution stays final.')
  } else if (!transition.by.includes(role)) {
    return refuse(403, 'forbidden', `Only ${transition.by.map((by) => ROLE_NAMES[by]).join(' or ')} may move a resolution from ${stage} to ${move.to}.`)
  }
  switch (transition.requires) {
    case 'deadline': {
      if (!move.deadline) return refuse(400, 'deadline_required', 'Opening amendments needs a deadline.')
      const deadline = new Date(move.deadline)
      if (Number.isNaN(deadline.getTime())) return refuse(400, 'invalid_deadline', 'The deadline is not a date and time.')
      if (deadline.getTime() <= now.getTime()) return refuse(422, 'deadline_past', 'The deadline must be in the future.')
      break
    }
    case 'reason':
      if (move.reason === undefined || saysNothing(move.reason)) return refuse(400, 'reason_required', `Going back from ${stage} to ${move.to} needs a reason.`)
      break
    case 'confirm':
      if (move.confirm !== true) return refuse(400, 'confirmation_required', 'Locking the final text needs an explicit confirmation (confirm: true).')
      break
    case 'adoption':
      if (!move.adoptedBy) return refuse(400, 'adoption_body_required', 'Say which body adopted the resolution: Council, Steering Committee or Conference.')
      if (move.adoptedAt && !isCalendarDate(move.adoptedAt)) return refuse(400, 'invalid_date', 'adoptedAt is not a calendar date (YYYY-MM-DD).')
      break
    case null:
      break
  }
  return { ok: true, transition }
}

/**
 * Whether § and line numbers are those frozen when amendments opened: from
 * then through consolidation (CONTRACT.md, "The text"), so that what a card
 * cites stays where the screen, the print view and the exports show it. The
 * locked text is numbered as it stands, as it will be adopted.
 */
export function numberingFrozen(stage: Stage): boolean {
  return stage === 'amendments' || stage === 'consolidation'
}
