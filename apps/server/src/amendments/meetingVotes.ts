import type { Queryable } from '../db/database.ts'
import { conflict } from '../http/errors.ts'
import type { AmendmentRow } from './repository.ts'

/*
 * Where a meeting's vote, not a chair, decides an amendment: one open on it,
 * or one closed that decided nothing.
 */

/** Amendments a meeting is voting on right now: only that vote decides them, and nobody withdraws or merges them meanwhile. */
export async function underVote(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.query<{ amendment_id: string }>(`select amendment_id from votes where status = 'open' and amendment_id = any($1::text[])`, [ids])
  return new Set(rows.map((row) => row.amendment_id))
}

export async function refuseUnderVote(db: Queryable, rows: ReadonlyArray<Pick<AmendmentRow, 'id' | 'number'>>): Promise<void> {
  const voting = await underVote(db, rows.map((row) => row.id))
  const first = rows.find((row) => voting.has(row.id))
  if (first) throw conflict('vote_open', `A meeting is voting on A${first.number}: its vote decides it.`)
}

/**
 * The amendments among `ids` a meeting voted on without deciding them:
 * each one's closed votes that decided nothing, `voided` (set aside by the
 * secretariat, its choices never shown) or not applied with a result on
 * record (its paragraph gone while the meeting voted).
 */
export async function votedWithoutDecision(db: Queryable, ids: readonly string[]): Promise<Map<string, { resultOnRecord: boolean }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ amendment_id: string; code: string | null }>(
    `select amendment_id, not_applied->>'code' as code from votes where amendment_id = any($1::text[]) and status = 'closed' and not_applied is not null`,
    [ids],
  )
  const found = new Map<string, { resultOnRecord: boolean }>()
  for (const row of rows) found.set(row.amendment_id, { resultOnRecord: (found.get(row.amendment_id)?.resultOnRecord ?? false) || row.code !== 'voided' })
  return found
}

/**
 * A decision by hand, refused where a meeting's vote decides: one open on
 * the amendment, or one closed that decided nothing. A meeting whose result
 * is on record (not applied: its paragraph was gone) is overturned by no
 * chair, whatever the text says: a new vote decides. After a voided vote
 * (set aside, its choices never shown), only a rejection, while the
 * amendment's acceptance stays refused whatever a vote says (`blocked`:
 * no vote could open on it).
 */
export async function refuseByHand(db: Queryable, row: Pick<AmendmentRow, 'id' | 'number'>, { rejecting, blocked }: { rejecting: boolean; blocked: boolean }): Promise<void> {
  await refuseUnderVote(db, [row])
  const voted = (await votedWithoutDecision(db, [row.id])).get(row.id)
  if (!voted || (rejecting && blocked && !voted.resultOnRecord)) return
  throw conflict('vote_not_applied', `A meeting voted on A${row.number}, and its vote decided nothing: a new vote decides it, not a decision by hand.`)
}
