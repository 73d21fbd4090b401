import type { Amendment, AmendmentKind, AmendmentStatus, VoteResult } from '@hemicycle/protocol'
import { amendmentLabel, type AppliedChange, markdownToParagraphs, markdownToWording, type Run, type Wording } from '@hemicycle/amendments'
import type { Directory } from '../accounts/directory.ts'
import type { Queryable } from '../db/database.ts'

export { type Directory, directory } from '../accounts/directory.ts'

export interface AmendmentRow {
  id: string
  resolution_id: string
  number: number
  kind: AmendmentKind
  block_id: string | null
  paragraph: number
  line: number
  base_text: string
  text: string
  /** Null on rows tabled before wordings were kept exactly: read `text` then. */
  wording: Wording | null
  base_wording: Run[] | null
  justification: string
  status: AmendmentStatus
  compromise: boolean
  merged_into: string | null
  tabled_by: string
  delegation_id: string | null
  decision: {
    by: string
    at: string
    reason?: string
    text?: string
    wording?: Wording
    vote?: string
    result?: VoteResult
    /** With `vote`: the day it closed in its meeting's time zone; absent on decisions recorded before it was kept. */
    day?: string
    /** What accepting it did to the text (null: nothing, it already said so), to take it back; absent on decisions recorded before it was kept. */
    applied?: AppliedChange | null
    /** Typing that landed in its words unseen, once per person (`lateTyping`). */
    lateTyping?: Array<{ by: string; at: string; text: string }>
    /** A chair or the secretariat said the paragraph reads as meant, after such typing (`checkLateTyping`). */
    lateTypingChecked?: { by: string; at: string }
  } | null
  response: { agree: boolean; comment?: string; by: string; at: string } | null
  objection_reply: { text: string; by: string; at: string } | null
  created_at: Date
  updated_at: Date
}

/** The wording an amendment proposes, exactly. */
export function wordingOf(row: Pick<AmendmentRow, 'wording' | 'text' | 'kind'>): Wording {
  if (row.wording) return row.wording
  return row.kind === 'delete' ? [] : markdownToWording(row.text)
}

/** The block's runs when the amendment was tabled. */
export function baseOf(row: Pick<AmendmentRow, 'base_wording' | 'base_text'>): Run[] {
  return row.base_wording ?? markdownToParagraphs(row.base_text)[0] ?? []
}

/** A chair's modified wording, exactly. */
export function decidedWordingOf(decision: NonNullable<AmendmentRow['decision']>): Wording | undefined {
  if (decision.wording) return decision.wording
  return decision.text !== undefined ? markdownToWording(decision.text) : undefined
}

export async function amendmentRows(db: Queryable, resolutionId: string): Promise<AmendmentRow[]> {
  return db.query<AmendmentRow>('select * from amendments where resolution_id = $1 order by number', [resolutionId])
}

export async function amendmentRow(db: Queryable, id: string): Promise<AmendmentRow | null> {
  const [row] = await db.query<AmendmentRow>('select * from amendments where id = $1', [id])
  return row ?? null
}

export async function cosponsorsOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ amendment_id: string; delegation_id: string }>(
    'select amendment_id, delegation_id from amendment_cosponsors where amendment_id = any($1::text[]) order by added_at',
    [ids],
  )
  const out = new Map<string, string[]>()
  for (const row of rows) out.set(row.amendment_id, [...(out.get(row.amendment_id) ?? []), row.delegation_id])
  return out
}

/** The API's view of an amendment; `conflict` and `collidesWith` come from the live text. */
export function toAmendment(
  row: AmendmentRow,
  extra: { directory: Directory; cosponsors: readonly string[]; conflict: boolean; collidesWith: readonly string[] },
): Amendment {
  const { directory: dir } = extra
  return {
    id: row.id,
    number: `A${row.number}`,
    label: amendmentLabel(row.number, row.paragraph),
    paragraph: row.paragraph,
    line: row.line,
    kind: row.kind,
    blockId: row.block_id,
    baseText: row.base_text,
    baseWording: baseOf(row),
    text: row.text,
    wording: wordingOf(row),
    justification: row.justification,
    status: row.status,
    conflict: extra.conflict,
    compromise: row.compromise,
    mergedInto: row.merged_into,
    collidesWith: [...extra.collidesWith],
    tabledBy: dir.person(row.tabled_by),
    delegation: row.delegation_id ? dir.delegation(row.delegation_id) : null,
    cosponsors: extra.cosponsors.map((id) => dir.delegation(id)),
    ...(row.decision
      ? {
          decision: {
            by: dir.person(row.decision.by),
            at: row.decision.at,
            ...(row.decision.reason ? { reason: row.decision.reason } : {}),
            ...(row.decision.text !== undefined ? { text: row.decision.text, wording: decidedWordingOf(row.decision)! } : {}),
            ...(row.decision.vote
              ? { vote: row.decision.vote, ...(row.decision.result ? { result: row.decision.result } : {}), ...(row.decision.day ? { day: row.decision.day } : {}) }
              : {}),
            ...(row.decision.applied && row.decision.applied.kind !== 'delete' && row.decision.applied.inserted.length > 0
              ? { inserted: row.decision.applied.inserted.map((block) => block.blockId) }
              : {}),
            ...(row.decision.applied?.kind === 'rewrite' ? { rewrote: { before: row.decision.applied.before, after: row.decision.applied.after } } : {}),
            ...(row.decision.lateTyping?.length ? { lateTyping: row.decision.lateTyping.map((note) => ({ ...note, by: dir.person(note.by) })) } : {}),
            ...(row.decision.lateTypingChecked ? { lateTypingChecked: { by: dir.person(row.decision.lateTypingChecked.by), at: row.decision.lateTypingChecked.at } } : {}),
          },
        }
      : {}),
    ...(row.response
      ? {
          response: {
            agree: row.response.agree,
            by: dir.person(row.response.by),
            at: row.response.at,
            ...(row.response.comment ? { comment: row.response.comment } : {}),
          },
        }
      : {}),
    ...(row.objection_reply ? { objectionReply: { text: row.objection_reply.text, by: dir.person(row.objection_reply.by), at: row.objection_reply.at } } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
