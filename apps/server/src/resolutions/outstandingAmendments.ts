import type { Person, Stage } from '@hemicycle/protocol'
import { type AmendmentStanding, checkOutstandingAmendments, compromiseFell, lapsesOnMove, lateTypingStanding, type Outstanding, outstandingAmendments, type OutstandingRefusal } from '@hemicycle/rules'
import type { AmendmentRow } from '../amendments/repository.ts'
import type { Queryable } from '../db/database.ts'
import { ApiError } from '../http/errors.ts'

/** 409 `amendments_outstanding`, with the amendments in the way listed beside the message. */
export class OutstandingAmendmentsError extends ApiError {
  constructor(private readonly refusal: OutstandingRefusal) {
    super(refusal.status, refusal.code, refusal.message)
  }

  override body() {
    return { error: { ...super.body().error, outstanding: this.refusal.outstanding } }
  }
}

type StandingRow = Pick<AmendmentRow, 'id' | 'number' | 'status' | 'response' | 'decision'> & { objection_reply: { at: string } | null; compromise_status: string | null }

async function standings(db: Queryable, resolutionId: string): Promise<AmendmentStanding[]> {
  const rows = await db.query<StandingRow>(
    `select a.id, a.number, a.status, a.response, a.decision, a.objection_reply, c.status as compromise_status
       from amendments a left join amendments c on c.id = a.merged_into
      where a.resolution_id = $1 order by a.number`,
    [resolutionId],
  )
  return rows.map((row) => ({
    id: row.id,
    number: `A${row.number}`,
    status: row.status,
    response: row.response ? { agree: row.response.agree } : null,
    objectionReply: row.objection_reply,
    compromiseFell: compromiseFell(row.compromise_status),
    lateTyping: lateTypingStanding(row.decision),
  }))
}

/**
 * The lock's guard on amendments (rules: `checkOutstandingAmendments`):
 * throws 409 with the list unless nothing is outstanding or the Steering
 * Committee locks over it explicitly. Returns what it locks over, for the
 * record. Called in the resolution's turn, so no decision or answer lands
 * between this check and the lock.
 */
export async function guardOutstandingAmendments(db: Queryable, resolutionId: string, to: Stage, acceptOutstanding: boolean | undefined): Promise<Outstanding[]> {
  if (to !== 'final') return []
  const list = await standings(db, resolutionId)
  const refusal = checkOutstandingAmendments(list, acceptOutstanding === true)
  if (refusal) throw new OutstandingAmendmentsError(refusal)
  return outstandingAmendments(list)
}

/**
 * Amendments still tabled when the text returns to draft, or is locked over
 * them, lapse (rules: `lapsesOnMove`), with the move's reason as their
 * decision's. Inside the move's transaction. Returns their ids.
 */
export async function lapseTabledAmendments(
  tx: Queryable,
  move: { resolutionId: string; from: Stage; to: Stage; person: Person; reason: string | undefined; at: Date },
): Promise<Array<{ id: string; number: number }>> {
  if (!lapsesOnMove(move.from, move.to)) return []
  const decision = { by: move.person.id, at: move.at.toISOString(), ...(move.reason?.trim() ? { reason: move.reason.trim() } : {}) }
  // Back to draft, obsolete ones lapse too: undecided as much as the tabled ones, and an undo in the next round that
  // brought their paragraph back would otherwise table them again (`followParagraphs`) in a round they were never tabled in.
  const statuses = move.to === 'draft' ? ['tabled', 'obsolete'] : ['tabled']
  return tx.query<{ id: string; number: number }>(
    `update amendments set status = 'lapsed', decision = $2::text::json, updated_at = $3 where resolution_id = $1 and status = any($4::text[]) returning id, number`,
    [move.resolutionId, JSON.stringify(decision), move.at, statuses],
  )
}
