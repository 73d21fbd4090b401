import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import {
  type AmendmentKind,
  type AppliedChange,
  applyAmendment,
  blockRuns,
  type Candidate,
  findBlock,
  findCollisions,
  keepFormatCharacters,
  markdownBeyondWords,
  markdownToWording,
  normalizeParagraph,
  normalizeWording,
  plainText,
  keepsUnpairedMarks,
  ReadingMemo,
  rebase,
  rebaseInText,
  type Revert,
  revertApplied,
  wordingsSince,
  type Run,
  runsToMarkdown,
  sameWording,
  wordDiff,
  type Wording,
  wordingText,
  wordingToMarkdown,
} from '@hemicycle/amendments'
import {
  type Amendment,
  type AmendmentChange,
  type BulkAcceptance,
  type Decision,
  type DecisionReset,
  MAX_AMENDMENT_TEXT,
  MAX_WORDING_PARAGRAPHS,
  type NewAmendment,
  type NewCompromise,
  type ObjectionReply,
  type Person,
  type Preview,
  type Response,
  saysNothing,
  type VoteResult,
  withoutFormatCharacters,
  withoutInvisibleCharacters,
  type WordingInput,
} from '@hemicycle/protocol'
import { type Inserted, readAgainstText } from '@hemicycle/documents'
import { LINE_WIDTH, numberBlocks, readBody } from '@hemicycle/schema'
import { type AmendmentAction, type AmendmentFacts, checkAmendmentAction, checkDecisionReset, checkLateTypingCheck, checkObjectionReply, checkTablingCount, compromiseFell, lateTypingStanding, numberingFrozen } from '@hemicycle/rules'
import { audit } from '../audit.ts'
import type { LateTyping } from '../collab/extensions/lateTyping.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import { STORAGE_ORIGIN } from '../collab/origin.ts'
import { appendUpdates, decisionWatch, readDecisionUpdates } from '../collab/storage.ts'
import type { Queryable } from '../db/database.ts'
import type { Services } from '../http/env.ts'
import { ApiError, badRequest, conflict, documentTooLong, notFound, paragraphTooLong, unprocessable } from '../http/errors.ts'
import type { NotificationRecord } from '../notifications/notifications.ts'
import { notifyAnswerAwaited, notifyCosponsorsAgain, notifyObjection } from '../notifications/procedureNotices.ts'
import { findResolution, type StoredResolution } from '../resolutions/repository.ts'
import { acceptedReading, blockedNow, breaksContainer, candidateOf, type Reading, rewritesOf, changeWithBasis, holds, holdsWords, insertedAmong, touchesWordsOf, insertedOf, overlong, passesDocumentLimit, tooLong } from './acceptance.ts'
import { readAsOfOneMoment } from './asOfOneMoment.ts'
import { refuseByHand, refuseUnderVote, underVote, votedWithoutDecision } from './meetingVotes.ts'
import { type AmendmentRow, amendmentRow, amendmentRows, baseOf, cosponsorsOf, directory, toAmendment, wordingOf } from './repository.ts'

export interface AmendmentFilters {
  status?: string | undefined
  delegation?: string | undefined
  blockId?: string | undefined
}

/** Amendments as the database holds them, and the tabled ones still to be read against the text (`readAgainstText`). */
export interface UnreadAmendments {
  amendments: Amendment[]
  tabled: Candidate[]
  /** What acceptances wrote after each block, from all the resolution's amendments (`readAgainstText`). */
  inserted: Inserted[]
  /** The rows as read (`stampOf`): the same when read again after the text, no decision came in between. */
  stamp: string
}

/** Each amendment's id, status and last change, in order. */
const stampOf = (rows: ReadonlyArray<Pick<AmendmentRow, 'id' | 'status' | 'updated_at'>>) => rows.map((row) => `${row.id}:${row.status}:${row.updated_at.getTime()}`).join(' ')

/** The meeting's vote that decides an amendment, recorded in the decision instead of a chair's judgement. */
export interface DecidingVote {
  id: string
  result: VoteResult
  /** The day it closed in its meeting's time zone, which the record prints (`at`, in UTC, can be another day there). */
  day: string
  /** Closes the vote, in the decision's own transaction: the decision and the vote's close are stored together or not at all. */
  seal(tx: Queryable): Promise<void>
}

const votedBy = (vote: DecidingVote | undefined) => (vote ? { vote: vote.id, result: vote.result, day: vote.day } : {})

const facts = (row: AmendmentRow, cosponsors: readonly string[] = []): AmendmentFacts => ({
  status: row.status,
  delegationId: row.delegation_id,
  cosponsorIds: cosponsors,
  compromise: row.compromise,
})

/** Typing noted per decision at most (one per person), and how much of the paragraph each note keeps. */
export const MAX_LATE_TYPING_NOTES = 50
const MAX_LATE_TYPING_TEXT = 1000

/** How the record names an amendment: its number, and its id for machines. */
const cited = (row: Pick<AmendmentRow, 'number' | 'id'>) => ({ amendment: `A${row.number}`, amendmentId: row.id })

/**
 * Whether amendments were opened again (from the draft, or reopened from consolidation) since the decision standing on
 * an amendment was taken, in the order of the audit log, which records both in the transaction that makes them.
 */
async function decidedInEarlierRound(db: Queryable, resolutionId: string, amendmentId: string): Promise<boolean> {
  const [row] = await db.query<{ earlier: boolean }>(
    `select coalesce((select max(id) from audit_log where resolution_id = $1 and action in ('stage', 'reopen') and detail->>'to' = 'amendments'), 0)
          > coalesce((select max(id) from audit_log where resolution_id = $1 and action = 'decision' and detail->>'amendmentId' = $2), 0) as earlier`,
    [resolutionId, amendmentId],
  )
  return row?.earlier === true
}

/** The amendment's paragraph as the live text reads it now, cut to `MAX_LATE_TYPING_TEXT`, for a late-typing note. */
function paragraphAsItReads(document: LiveDocument, row: Pick<AmendmentRow, 'block_id'>): string {
  const runs = row.block_id === null ? null : blockRuns(document.doc, row.block_id)
  const whole = runs === null ? '' : plainText(runs)
  return whole.length > MAX_LATE_TYPING_TEXT ? `${whole.slice(0, MAX_LATE_TYPING_TEXT - 1)}…` : whole
}

/** The merged amendments whose delegations a reworded compromise asks again, and the notices that ask them. */
interface AskedAgain {
  merged: readonly AmendmentRow[]
  notices: ReadonlyArray<NotificationRecord | null>
}
const NOBODY_ASKED: AskedAgain = { merged: [], notices: [] }

/**
 * Tabling, changing and deciding amendments. Who may do what comes from the
 * rules package; the wording is rebased on the live text at the moment of
 * decision and applied to it as the smallest edit, attributed to the
 * amendment. Work on one resolution is serialised, so two decisions never
 * rebase on the same stale text.
 */
export class AmendmentService {
  /**
   * What reading each live text's amendments found last time (`ReadingMemo`): a text's amendments are read at every
   * tabling, listing and page, and but for what changed, read alike. Dropped with the text when it unloads.
   */
  private readonly memos = new WeakMap<LiveDocument, ReadingMemo>()

  private memoOf(document: LiveDocument): ReadingMemo {
    let memo = this.memos.get(document)
    if (!memo) {
      memo = new ReadingMemo()
      this.memos.set(document, memo)
    }
    return memo
  }

  constructor(private readonly services: Pick<Services, 'db' | 'collab' | 'events' | 'now' | 'turns' | 'notifications'>) {}

  private exclusive<T>(resolutionId: string, work: () => Promise<T>): Promise<T> {
    return this.services.turns.run(resolutionId, work)
  }

  private async open(resolutionId: string): Promise<{ resolution: StoredResolution; document: LiveDocument }> {
    const resolution = await findResolution(this.services.db, resolutionId)
    if (!resolution) throw notFound('resolution', resolutionId)
    return { resolution, document: await this.services.collab.open(resolutionId) }
  }

  private check(action: AmendmentAction, person: Person, resolution: StoredResolution, amendment?: AmendmentFacts): void {
    const now = this.services.now()
    const deadline = resolution.deadline ? new Date(resolution.deadline) : null
    const refusal = checkAmendmentAction(action, person, { stage: resolution.stage, deadline, now }, amendment)
    if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
  }

  private async row(amendmentId: string): Promise<AmendmentRow> {
    const row = await amendmentRow(this.services.db, amendmentId)
    if (!row) throw notFound('amendment', amendmentId)
    return row
  }

  private currentRuns(document: LiveDocument, blockId: string | null): Run[] | null {
    return blockId === null ? [] : blockRuns(document.doc, blockId)
  }

  /** Views of the given rows, with conflicts and collisions against the live text (the tabled amendments of `all`). */
  private async present(rows: readonly AmendmentRow[], document: LiveDocument, all: readonly AmendmentRow[]): Promise<Amendment[]> {
    const { amendments, tabled, inserted } = await this.unread(rows, all)
    return readAgainstText(amendments, tabled, document.doc, inserted, this.memoOf(document))
  }

  /** Views of the given rows as they stand in the database, and the tabled amendments of `all` to read against the text (`readAgainstText`). */
  private async unread(rows: readonly AmendmentRow[], all: readonly AmendmentRow[]): Promise<UnreadAmendments> {
    const dir = await directory(this.services.db)
    const cosponsors = await cosponsorsOf(this.services.db, rows.map((row) => row.id))
    return {
      amendments: rows.map((row) => toAmendment(row, { directory: dir, cosponsors: cosponsors.get(row.id) ?? [], conflict: false, collidesWith: [] })),
      tabled: all.filter((row) => row.status === 'tabled').map((row) => candidateOf(row, all)),
      inserted: insertedOf(all),
      stamp: stampOf(all),
    }
  }

  /** The resolution's amendment rows as they stand now, stamped (`UnreadAmendments.stamp`). */
  async rowsStamp(resolutionId: string): Promise<string> {
    // What the stamp says of each row, not the rows: their wordings and justifications are megabytes on a busy text.
    return stampOf(
      await this.services.db.query<Pick<AmendmentRow, 'id' | 'status' | 'updated_at'>>('select id, status, updated_at from amendments where resolution_id = $1 order by number', [resolutionId]),
    )
  }

  /**
   * Tells everyone following the resolution of these amendments, and of the
   * other tabled amendments to the same paragraphs: what collides with what
   * changes for them too (a new amendment on the same words, one decided or
   * withdrawn), and a page must not need a reload to show it. For a new
   * amendment, only of those it collides with.
   */
  /**
   * `alone`: the change touched these amendments and nothing their neighbours are read against (a co-sponsor, an answer):
   * they are not read and sent again. Sent again at every answer, a delegate re-sending one had every amendment of a busy
   * paragraph (150) pushed to every open stream, 3 MB a request.
   */
  private async announce(rows: readonly AmendmentRow[], document: LiveDocument, action: 'created' | 'changed', { alone = false } = {}): Promise<Amendment[]> {
    const all = await amendmentRows(this.services.db, document.resolutionId)
    const announced = new Set(rows.map((row) => row.id))
    let views: Amendment[]
    if (alone) views = await this.present(rows, document, all)
    else if (action === 'created') {
      // A new amendment changes no text: of the others, only those it collides with read differently (they collide with
      // it now). Read again, every amendment of its paragraph made each tabling cost them all, hundreds on a busy one.
      const created = await this.present(rows, document, all)
      const colliding = new Set(created.flatMap((amendment) => amendment.collidesWith))
      const neighbours = all.filter((row) => row.status === 'tabled' && !announced.has(row.id) && colliding.has(row.id))
      views = neighbours.length > 0 ? [...created, ...(await this.present(neighbours, document, all))] : created
    } else {
      const blocks = new Set(rows.map((row) => row.block_id))
      const neighbours = all.filter((row) => row.status === 'tabled' && !announced.has(row.id) && blocks.has(row.block_id))
      views = await this.present([...rows, ...neighbours], document, all)
    }
    views.forEach((amendment, index) => this.services.events.publish(document.resolutionId, { type: 'amendment', action: index < rows.length ? action : 'changed', amendment }))
    return views.slice(0, rows.length)
  }

  /**
   * Keeps `obsolete` meaning what it says, its paragraph gone: tabled
   * amendments whose paragraph is gone become obsolete, and obsolete ones
   * whose paragraph is back are tabled again (an undo brings a deleted
   * paragraph back with its id). Before, only the reset of an accepted
   * deletion brought them back: a chair who deleted a paragraph and undid it
   * left its amendments obsolete for good, out of every decision and of the
   * lock's count.
   */
  private async followParagraphs(document: LiveDocument): Promise<AmendmentRow[]> {
    const rows = await amendmentRows(this.services.db, document.resolutionId)
    // Gone, and back, is its block gone or there: what makes a rebase read it obsolete, with no merge (a rebase of each
    // tabled amendment at every decision, hundreds of them, held the event loop for nothing).
    const orphans = rows.filter((row) => row.status === 'tabled' && row.block_id !== null && findBlock(document.doc, row.block_id) === null).map((row) => row.id)
    const returned = rows.filter((row) => row.status === 'obsolete' && row.block_id !== null && findBlock(document.doc, row.block_id) !== null).map((row) => row.id)
    if (orphans.length === 0 && returned.length === 0) return []
    const now = this.services.now()
    const changed = await this.services.db.transaction(async (tx) => [
      ...(await tx.query<AmendmentRow>(`update amendments set status = 'obsolete', updated_at = $2 where id = any($1::text[]) and status = 'tabled' returning *`, [orphans, now])),
      ...(await tx.query<AmendmentRow>(`update amendments set status = 'tabled', updated_at = $2 where id = any($1::text[]) and status = 'obsolete' returning *`, [returned, now])),
    ])
    await this.announce(changed, document, 'changed')
    return changed
  }

  /** `followParagraphs` for a stage move, in the resolution's turn: the lock counts what is outstanding in the text as it is. */
  async followParagraphsOf(resolutionId: string): Promise<void> {
    await this.followParagraphs((await this.open(resolutionId)).document)
  }

  /** The amendment as a decision on it must see it: an obsolete one whose paragraph is back is tabled again first. */
  private async revived(row: AmendmentRow): Promise<AmendmentRow> {
    if (row.status !== 'obsolete') return row
    const { resolution, document } = await this.open(row.resolution_id)
    // Only while amendments are decided: a locked text's record stays as the lock left it.
    if (resolution.stage !== 'consolidation') return row
    await this.followParagraphs(document)
    return this.row(row.id)
  }

  /** Tells everyone following the resolution that these amendments changed (a stage move lapsed them). */
  async announceChanged(resolutionId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    const { document } = await this.open(resolutionId)
    const rows = (await amendmentRows(this.services.db, resolutionId)).filter((row) => ids.includes(row.id))
    await this.announce(rows, document, 'changed')
  }

  async list(resolutionId: string, filters: AmendmentFilters): Promise<Amendment[]> {
    const views = await readAsOfOneMoment(async () => {
      const { amendments, tabled, inserted, stamp } = await this.listUnread(resolutionId, filters)
      // Only tabled amendments are read against the text. Without one (before amendments open, once all are decided) the
      // text is not loaded: for 8,000 paragraphs that held the event loop ~0.3 s, for each list asked for.
      const document = tabled.length > 0 ? await this.services.collab.open(resolutionId) : null
      if (!document) return { value: amendments, stamp: null }
      return { value: readAgainstText(amendments, tabled, document.doc, inserted, this.memoOf(document)), stamp }
    }, () => this.rowsStamp(resolutionId))
    return filters.status ? views.filter((view) => view.status === filters.status) : views
  }

  /**
   * The amendments `list` gives (but for its `status` filter, which applies
   * once they are read), before the tabled ones are read against the text:
   * the booklet's export thread reads them there (`readAgainstText`), so the
   * text is neither loaded nor read on the event loop.
   */
  async listUnread(resolutionId: string, filters: Omit<AmendmentFilters, 'status'>): Promise<UnreadAmendments> {
    if (!(await findResolution(this.services.db, resolutionId))) throw notFound('resolution', resolutionId)
    const all = await amendmentRows(this.services.db, resolutionId)
    const rows = all.filter(
      (row) => (!filters.delegation || row.delegation_id === filters.delegation) && (!filters.blockId || row.block_id === filters.blockId),
    )
    return this.unread(rows, all)
  }

  async get(amendmentId: string): Promise<Amendment> {
    const { resolution_id: resolutionId } = await this.row(amendmentId)
    const { document } = await this.open(resolutionId)
    return readAsOfOneMoment(async () => {
      const all = await amendmentRows(this.services.db, resolutionId)
      const row = all.find((candidate) => candidate.id === amendmentId)
      if (!row) throw notFound('amendment', amendmentId)
      const [view] = await this.present([row], document, all)
      return { value: view!, stamp: stampOf(all) }
    }, () => this.rowsStamp(resolutionId))
  }

  /** Where an amendment is cited: the § and first line of its block, as frozen when amendments opened. */
  private locate(resolution: StoredResolution, document: LiveDocument, blockId: string | null): { paragraph: number; line: number } {
    if (blockId === null) return { paragraph: 0, line: 1 }
    const frozen = resolution.frozenNumbering
    if (frozen && Object.hasOwn(frozen, blockId)) return frozen[blockId]!
    // A paragraph added since (a compromise on it): the number it is cited by now, §4a under a frozen numbering.
    const block = numberBlocks(readBody(document.doc), LINE_WIDTH, numberingFrozen(resolution.stage) ? frozen : null).find((candidate) => candidate.blockId === blockId)
    return block ? { paragraph: block.paragraph, line: block.firstLine } : { paragraph: 0, line: 1 }
  }

  /**
   * Checks and normalises a wording, given exactly or as inline Markdown.
   * `base`: the paragraph a replacement rewrites, which it may not leave
   * unchanged; `rewrites`, when not that (a chair's modified wording), the
   * paragraph it rewrites all the same. Its invisible format characters are
   * kept where the words around them are (`keepFormatCharacters`).
   */
  private wording(kind: NewAmendment['kind'], input: WordingInput, base: Run[] | null, rewrites: Run[] | null = base): Wording {
    // Dropped in silence, words sent with a deletion let their sender believe they were tabled.
    if (kind === 'delete' && saysWords(input)) throw badRequest('wording_not_expected', 'A deletion carries no wording: send no "text" or "wording", or table a replacement.')
    if (kind === 'delete') return []
    if (input.text !== undefined && input.wording !== undefined) throw badRequest('wording_twice', 'Give the wording once: in "wording" or in "text", not both.')
    if (input.text === undefined && input.wording === undefined) throw badRequest('text_required', 'Give the new wording in "wording" (or as Markdown in "text").')
    const { blocks, markup } = input.text !== undefined ? markdownBeyondWords(input.text) : { blocks: [], markup: [] }
    if (blocks.length > 0) {
      throw unprocessable('markdown_blocks', `The text is read as paragraphs only; it writes ${blocks.join(', ')}, whose marks ("#", "1.", "-", ">", a line of "=" or "-") would be dropped or kept as words. Write the paragraph's words alone, or give the runs in "wording".`)
    }
    if (markup.length > 0) {
      throw unprocessable(
        'markdown_unsupported',
        `The text writes ${markup.join(', ')}, which a resolution's text cannot hold: kept as written, the marks would be words of the adopted text. Write the words alone, write "\\" before a mark meant as a character ("\\<", "\\[", "\\\`", "\\~"), or give the runs in "wording".`,
      )
    }
    // Markdown decodes character references ("&#x202E;", "&shy;") after the protocol took format characters out of the raw
    // text: a bidi override written so reached the adopted text, "61" on paper where the screen showed "16".
    const given = input.wording !== undefined ? normalizeWording(input.wording) : normalizeWording(markdownToWording(input.text!).map((runs) => runs.map((run) => ({ ...run, text: withoutFormatCharacters(run.text) }))))
    // Marks Markdown did not read as bold or italic ("**L'**Alliance": a closing "**" after punctuation must not touch
    // a letter; "*L'*Alliance", "_Conseil_s") stay in the words as written, on their way to the adopted text.
    // The server's own spelling of a wording (an amendment's `text`, read and sent back) says exactly that wording.
    if (input.text !== undefined && keepsUnpairedMarks(input.text, given) && wordingToMarkdown(given) !== input.text.trim()) {
      throw unprocessable(
        'markdown_unmatched',
        'The text keeps "*" or "_" as written: its bold or italic marks do not pair up as Markdown reads them. Mark whole words ("**L’Alliance**"), write "\\*" for a star meant as one, or give the runs in "wording".',
      )
    }
    const wording = kind === 'replace' && rewrites !== null ? keepFormatCharacters(given, rewrites) : given
    if (wordingText(wording).length > MAX_AMENDMENT_TEXT) {
      throw new ApiError(413, 'text_too_long', `The wording is longer than ${MAX_AMENDMENT_TEXT} characters.`)
    }
    // As Markdown, a wording's paragraphs are blank lines apart, and the schema's cap on them was never asked.
    if (wording.length > MAX_WORDING_PARAGRAPHS) throw new ApiError(413, 'too_many_paragraphs', `A wording holds at most ${MAX_WORDING_PARAGRAPHS} paragraphs.`)
    if (wording.length === 0) throw unprocessable('empty_text', 'The wording is empty.')
    // What a reader cannot see is no change: a joiner or a filler added to a word would be tabled, decided and adopted
    // as a proposal that reads exactly as the paragraph does.
    if (kind === 'replace' && base !== null && readsAs(given, base)) throw unprocessable('no_change', 'The proposal reads exactly as the paragraph as it stands.')
    return wording
  }

  /** The columns that hold a wording: exactly, and as Markdown for reading. */
  private wordingColumns(wording: Wording): { text: string; wording: Wording } {
    return { text: wordingToMarkdown(wording), wording }
  }

  private justification(text: string | undefined): string {
    const trimmed = text?.trim() ?? ''
    if (saysNothing(trimmed)) throw unprocessable('justification_required', 'Say why: the justification is empty.')
    if (trimmed.length > MAX_AMENDMENT_TEXT) throw new ApiError(413, 'text_too_long', `The justification is longer than ${MAX_AMENDMENT_TEXT} characters.`)
    return trimmed
  }

  private async insert(tx: Queryable, row: Omit<AmendmentRow, 'number' | 'created_at' | 'updated_at' | 'decision' | 'response' | 'merged_into' | 'objection_reply'>, now: Date) {
    // The resolution row is the lock that keeps numbers unique and in order.
    await tx.query('select id from resolutions where id = $1 for no key update', [row.resolution_id])
    const [inserted] = await tx.query<AmendmentRow>(
      `insert into amendments (id, resolution_id, number, kind, block_id, paragraph, line, base_text, text, wording, base_wording, justification, status, compromise, tabled_by, delegation_id, created_at, updated_at)
       select $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9::text::json, $10::text::json, $11, $12, $13, $14, $15, $16, $16 from amendments where resolution_id = $2
       returning *`,
      [
        row.id,
        row.resolution_id,
        row.kind,
        row.block_id,
        row.paragraph,
        row.line,
        row.base_text,
        row.text,
        JSON.stringify(row.wording),
        JSON.stringify(row.base_wording),
        row.justification,
        row.status,
        row.compromise,
        row.tabled_by,
        row.delegation_id,
        now,
      ],
    )
    return inserted!
  }

  async table(resolutionId: string, person: Person, input: NewAmendment): Promise<Amendment> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      // The same tabling sent again, its answer lost on the way: the amendment it made, not a second one, and not a
      // refusal either (sent again past the deadline, it said "deadline passed" of an amendment tabled in time).
      if (input.requestId !== undefined) {
        const [made] = await this.services.db.query<AmendmentRow>('select * from amendments where resolution_id = $1 and tabled_by = $2 and request_id = $3', [resolutionId, person.id, input.requestId])
        if (made) {
          // Only as it was sent: edited or withdrawn since (by someone of the delegation), or sent again with other words,
          // it is not what this sender is tabling now, and saying "tabled" would have them believe their words were.
          const asSent = made.status === 'tabled' && made.kind === input.kind && made.block_id === input.blockId && made.justification === this.justification(input.justification) && this.sameAsSent(made, input)
          if (!asSent) throw conflict('already_tabled', `This form already tabled A${made.number}${made.status === 'tabled' ? '' : ` (now ${made.status})`}, which now differs from what was sent: it is not tabled again. Open A${made.number} to see or change it.`)
          return (await this.present([made], document, await amendmentRows(this.services.db, resolutionId)))[0]!
        }
      }
      this.check('table', person, resolution)
      if (input.blockId === null && input.kind !== 'insertAfter') throw badRequest('block_required', 'Only an insertion may have no block (blockId null = at the start).')
      const base = this.currentRuns(document, input.blockId)
      if (base === null) throw unprocessable('unknown_block', `No paragraph of this resolution has the id "${input.blockId}".`)
      const wording = this.wording(input.kind, input, base)
      const justification = this.justification(input.justification)
      const now = this.services.now()
      const row = await this.services.db.transaction(async (tx) => {
        // Counted in the resolution's turn, so two tablings at once cannot both pass the last place.
        const [count] = await tx.query<{ tabled: number }>('select count(*)::int as tabled from amendments where resolution_id = $1 and delegation_id = $2 and not compromise', [
          resolutionId,
          person.delegation?.id ?? null,
        ])
        const tooMany = checkTablingCount(count?.tabled ?? 0)
        if (tooMany) throw new ApiError(tooMany.status, tooMany.code, tooMany.message)
        const inserted = await this.insert(
          tx,
          {
            id: randomUUID(),
            resolution_id: resolutionId,
            kind: input.kind,
            block_id: input.blockId,
            ...this.locate(resolution, document, input.blockId),
            base_text: runsToMarkdown(base),
            base_wording: normalizeParagraph(base),
            ...this.wordingColumns(wording),
            justification,
            status: 'tabled',
            compromise: false,
            tabled_by: person.id,
            delegation_id: person.delegation?.id ?? null,
          },
          now,
        )
        if (input.requestId !== undefined) await tx.query('update amendments set request_id = $2 where id = $1', [inserted.id, input.requestId])
        await audit(tx, { person, action: 'table', resolutionId, detail: { ...cited(inserted), kind: inserted.kind, blockId: inserted.block_id } })
        return inserted
      })
      return (await this.announce([row], document, 'created'))[0]!
    })
  }

  async edit(amendmentId: string, person: Person, change: AmendmentChange): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('edit', person, resolution, facts(row))
      const changesWording = change.text !== undefined || change.wording !== undefined
      if (!changesWording && change.justification === undefined) throw badRequest('nothing_to_change', 'Send the new wording ("text" or "wording") or justification, or both.')
      const wording = changesWording ? this.wording(row.kind, change, baseOf(row)) : wordingOf(row)
      const rewritten = changesWording && !sameWording(wording, wordingOf(row))
      const justification = change.justification === undefined ? row.justification : this.justification(change.justification)
      const updated = await this.services.db.transaction(async (tx) => {
        // The meeting votes on the words it was shown: they stay as they are until the vote is closed.
        await refuseUnderVote(tx, [row])
        const [written] = await tx.query<AmendmentRow>(
          'update amendments set text = $2, wording = $3::text::json, justification = $4, updated_at = $5 where id = $1 returning *',
          [amendmentId, wordingToMarkdown(wording), JSON.stringify(wording), justification, this.services.now()],
        )
        // Co-sponsors signed the wording they read: a new wording needs their signatures again.
        const dropped = rewritten
          ? await tx.query<{ delegation_id: string }>('delete from amendment_cosponsors where amendment_id = $1 returning delegation_id', [amendmentId])
          : []
        const askedAgain = rewritten && row.compromise ? await this.askMergedAgain(tx, row, person) : NOBODY_ASKED
        await audit(tx, {
          person,
          action: 'edit',
          resolutionId: row.resolution_id,
          detail: { ...cited(row), wording: rewritten, justification: justification !== row.justification, ...(dropped.length > 0 ? { cosponsorsRemoved: dropped.map((d) => d.delegation_id) } : {}) },
        })
        const notices = await notifyCosponsorsAgain(this.services.notifications, tx, {
          resolutionId: row.resolution_id,
          amendment: row,
          delegationIds: dropped.map((d) => d.delegation_id),
          person,
        })
        return { written: written!, notices: [...notices, ...askedAgain.notices], merged: askedAgain.merged }
      })
      this.services.notifications.send(updated.notices)
      return (await this.announce([updated.written, ...updated.merged], document, 'changed'))[0]!
    })
  }

  /**
   * The delegations whose amendments a compromise merged answer its wording
   * (on their own amendments). A new wording, the compromise edited or
   * accepted as modified, is not what they agreed to: their agreements are
   * cleared and they are asked again. Before, an agreement stood for words
   * the delegation never saw. An objection stands, and still counts at the
   * lock, until the delegation answers anew or a chair replies.
   */
  private async askMergedAgain(tx: Queryable, compromise: AmendmentRow, person: Person): Promise<AskedAgain> {
    // Asked again those who had answered: one not yet answering was told already (each rewording told it again, seven
    // notices for six edits).
    const answered = new Set(
      (await tx.query<{ id: string }>(`select id from amendments where merged_into = $1 and status = 'merged' and response is not null`, [compromise.id])).map((row) => row.id),
    )
    const merged = await tx.query<AmendmentRow>(
      `update amendments set response = case when (response::jsonb ->> 'agree') = 'true' then null else response end, updated_at = $2
       where merged_into = $1 and status = 'merged' returning *`,
      [compromise.id, this.services.now()],
    )
    const notices = await Promise.all(
      merged.filter((amendment) => answered.has(amendment.id)).map((amendment) => notifyAnswerAwaited(this.services.notifications, tx, { resolutionId: compromise.resolution_id, amendment, status: 'merged', person })),
    )
    return { merged, notices }
  }

  /** Withdraws an amendment; withdrawing a compromise gives the amendments it merged back to the chair, tabled. */
  async withdraw(amendmentId: string, person: Person): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('withdraw', person, resolution, facts(row))
      const now = this.services.now()
      const { withdrawn, restored } = await this.services.db.transaction(async (tx) => {
        await refuseUnderVote(tx, [row])
        const [withdrawn] = await tx.query<AmendmentRow>(`update amendments set status = 'withdrawn', updated_at = $2 where id = $1 and status = 'tabled' returning *`, [
          amendmentId,
          now,
        ])
        if (!withdrawn) throw conflict('already_decided', `A${row.number} was decided meanwhile.`)
        const restored = row.compromise
          ? await tx.query<AmendmentRow>(
              `update amendments set status = 'tabled', merged_into = null, decision = null, response = null, updated_at = $2 where merged_into = $1 and status = 'merged' returning *`,
              [amendmentId, now],
            )
          : []
        await audit(tx, {
          person,
          action: 'withdraw',
          resolutionId: row.resolution_id,
          detail: { ...cited(row), ...(restored.length > 0 ? { restored: restored.map((r) => `A${r.number}`) } : {}) },
        })
        return { withdrawn, restored }
      })
      await this.announce(restored, document, 'changed')
      return (await this.announce([withdrawn], document, 'changed'))[0]!
    })
  }

  /** Rejects a tabled amendment: the decision and its record in one transaction, at a stage checked under the row lock. */
  private async reject(amendmentId: string, person: Person, reason: string | undefined, vote?: DecidingVote): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('decide', person, resolution, facts(row))
      // Asked for once the person may decide and the amendment exists: a refusal says first what stands in the way most.
      if (!reason && !vote) throw badRequest('reason_required', 'Give the reason for rejecting in "reason".')
      // Read from one moment of the text, caught up and all of it stored, as an acceptance reads it: a vote's close is
      // refused alike either way. By hand, asked only of an amendment a voided vote left undecided.
      let blocked: ApiError | null = null
      if (row.status === 'tabled' && (vote || (await votedWithoutDecision(this.services.db, [row.id])).has(row.id))) {
        const reading = await this.readingFor(row)
        await this.caughtUp(document)
        await this.settled(document)
        blocked = blockedNow(row, document, reading)
      }
      if (vote && blocked) throw blocked
      const now = this.services.now()
      const updated = await this.services.db.transaction(async (tx) => {
        const [locked] = await tx.query<{ stage: string }>('select stage from resolutions where id = $1 for no key update', [row.resolution_id])
        if (locked?.stage !== 'consolidation') throw conflict('wrong_stage', 'Amendments are decided during consolidation; the resolution has moved on.')
        if (vote) await vote.seal(tx)
        else await refuseByHand(tx, row, { rejecting: true, blocked: blocked !== null })
        const [written] = await tx.query<AmendmentRow>(
          `update amendments set status = 'rejected', decision = $2::text::json, updated_at = $3 where id = $1 and status = 'tabled' returning *`,
          [amendmentId, JSON.stringify({ by: person.id, at: now.toISOString(), ...(reason ? { reason } : {}), ...votedBy(vote) }), now],
        )
        if (!written) throw conflict('already_decided', `A${row.number} was decided meanwhile.`)
        await audit(tx, {
          person,
          action: 'decision',
          resolutionId: row.resolution_id,
          detail: { ...cited(row), status: 'rejected', ...(reason ? { reason } : {}), ...(vote ? { vote: vote.id } : {}) },
        })
        return written
      })
      return (await this.announce([updated], document, 'changed'))[0]!
    })
  }

  async cosponsor(amendmentId: string, person: Person): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      const existing = (await cosponsorsOf(this.services.db, [row.id])).get(row.id) ?? []
      this.check('cosponsor', person, resolution, facts(row, existing))
      const added = await this.services.db.transaction(async (tx) => {
        const added = await tx.query(
          'insert into amendment_cosponsors (amendment_id, delegation_id, added_by, added_at) values ($1, $2, $3, $4) on conflict do nothing returning delegation_id',
          [row.id, person.delegation!.id, person.id, this.services.now()],
        )
        if (added.length > 0) await audit(tx, { person, action: 'cosponsor', resolutionId: row.resolution_id, detail: cited(row) })
        return added.length > 0
      })
      // Already a co-sponsor: nothing changed, nothing to tell anyone.
      if (!added) return (await this.present([row], document, await amendmentRows(this.services.db, row.resolution_id)))[0]!
      return (await this.announce([row], document, 'changed', { alone: true }))[0]!
    })
  }

  /**
   * Waits for a moment when everything typed in the document is stored: a
   * change made from the live text then depends on nothing a crash could
   * lose (an accepted insertion after a paragraph typed a moment before
   * would otherwise be stored, and lost, with it).
   */
  private async settled(document: LiveDocument): Promise<void> {
    try {
      await this.services.collab.settle(document)
    } catch {
      throw new ApiError(503, 'saving_delayed', 'The text is not all saved yet, so the decision cannot be stored safely; nothing was changed. Try again in a moment.')
    }
  }

  /**
   * Brings the live text up to every decision stored before this turn. One
   * taken on another instance the moment before reaches this one over the
   * bus, later: rebased on a text without it, a rival change to the same
   * words was accepted too, and both merged ("rapidementpromptement").
   * Its stored update is applied here (Yjs takes an update once); one that
   * cannot be yet (it builds on typing still on its way) is refused with a
   * 503, nothing changed.
   */
  private async caughtUp(document: LiveDocument): Promise<void> {
    const rows = await readDecisionUpdates(this.services.db, document.name)
    const payloads = rows.flatMap((row) => (row.payload ? [row.payload] : []))
    for (const [client] of rows.flatMap((row) => row.inserts)) document.gate.clients.adopt(client, 'server')
    if (payloads.length > 0) Y.applyUpdate(document.doc, Y.mergeUpdates(payloads), STORAGE_ORIGIN)
    if (rows.some((row) => row.inserts.some(([client, , end]) => Y.getState(document.doc.store, client) < end))) {
      throw new ApiError(503, 'text_behind', 'A decision just taken has not reached the text on this server yet; nothing was changed. Try again in a moment.', { 'retry-after': '1' })
    }
  }

  /**
   * What reading an amendment against the text needs of the others: what earlier acceptances inserted at its place,
   * for one that adds paragraphs (as `kind`; a deletion needs none), and the resolution's amendments as they stand,
   * whose decisions say what its paragraph read since it was tabled (`candidateOf`).
   */
  private async readingFor(row: AmendmentRow, kind: AmendmentKind = row.kind): Promise<Reading> {
    const rows = await amendmentRows(this.services.db, row.resolution_id)
    return { earlier: kind === 'delete' ? new Set<string>() : insertedAmong(rows, row.block_id), rows }
  }

  /** `blockedNow` for an amendment, as the live text reads now; null for one no longer tabled. */
  async blocked(amendmentId: string): Promise<ApiError | null> {
    const row = await this.row(amendmentId)
    if (row.status !== 'tabled') return null
    const { document } = await this.open(row.resolution_id)
    const reading = await this.readingFor(row)
    await this.caughtUp(document)
    return blockedNow(row, document, reading)
  }

  /**
   * Accepts one tabled amendment (as tabled, or in the chair's wording); the
   * caller holds the resolution's turn. The text change and the decision
   * are stored in one transaction, which also checks the stage again under
   * the resolution's row lock; only then does the live text take the change.
   * A crash at any instant leaves both or neither. An amendment deleting a
   * paragraph, accepted as modified, replaces it with the chair's wording.
   */
  private async accept(row: AmendmentRow, document: LiveDocument, person: Person, modified?: Wording, vote?: DecidingVote): Promise<AmendmentRow> {
    const kind = row.kind === 'delete' && modified !== undefined ? 'replace' : row.kind
    // Only an amendment that adds paragraphs needs to know where earlier ones put theirs.
    const reading = await this.readingFor(row, kind)
    const { earlier } = reading
    await this.settled(document)
    // From here to the change, nothing awaits: it is rebased on, and made from, one moment of the text, all of it stored.
    // A vote's result is refused as a rejection would be (`blockedNow`): the same refusal, whatever the ballots.
    const blocked = vote ? blockedNow(row, document, reading) : null
    if (blocked) throw blocked
    const rebased = rebaseInText(document.doc, { ...candidateOf(row, reading.rows), kind }, modified ?? wordingOf(row), earlier)
    if (rebased.state === 'obsolete') {
      await this.followParagraphs(document)
      throw conflict('obsolete', `A${row.number} is obsolete: its paragraph no longer exists.`)
    }
    const broken = breaksContainer(row, document.doc, kind)
    if (broken) throw broken
    if (rebased.state === 'conflict' && rebased.partlyInText) {
      throw conflict(
        'conflict',
        `Some of the paragraphs A${row.number} adds are in the text right there already, others not: accept it as modified with only the new ones, or reject it.`,
      )
    }
    if (rebased.state === 'conflict' && kind === 'insertAfter') {
      // A wording of the chair's would land in the same place: only the text can be mended, by hand.
      throw conflict('conflict', `A${row.number} follows a paragraph whose end was cut off (split in two?) since it was tabled; put its paragraph in by hand where it belongs, or join the paragraph back first.`)
    }
    if (rebased.state === 'conflict') {
      throw conflict('conflict', `A${row.number} conflicts with changes made to the same words since it was tabled; resolve it by hand (accept as modified).`)
    }
    const overLimit = tooLong(row, rebased.wording)
    if (overLimit) throw overLimit
    const status = modified === undefined ? 'accepted' : 'acceptedModified'
    const now = this.services.now()
    const origin = { kind: 'amendment' as const, amendmentId: row.id, person }
    let applied: AppliedChange | null = null
    const made = rebased.unchanged ? null : changeWithBasis(document, (copy) => (applied = applyAmendment(copy, kind, row.block_id, rebased.wording, earlier)))
    if (made?.documentPast) throw documentTooLong(`Accepted, A${row.number} would make the text too long`, made.documentPast)
    const change = made?.change ?? null
    // What it did to the text goes with the decision, so the decision can be taken back exactly.
    const decision = { by: person.id, at: now.toISOString(), ...(modified !== undefined ? this.wordingColumns(modified) : {}), ...votedBy(vote), applied }
    let notice: NotificationRecord | null = null
    let askedAgain: AskedAgain = NOBODY_ASKED
    // Measured against the whole text's limit before it is stored; applied after: its room is held meanwhile.
    const release = document.gate.reserve(made?.grownBy ?? 0)
    let claimed: AmendmentRow
    try {
      claimed = await this.services.db.transaction(async (tx) => {
        const [resolution] = await tx.query<{ stage: string }>('select stage from resolutions where id = $1 for no key update', [row.resolution_id])
        if (resolution?.stage !== 'consolidation') throw conflict('wrong_stage', 'Amendments are decided during consolidation; the resolution has moved on.')
        if (vote) await vote.seal(tx)
        else await refuseByHand(tx, row, { rejecting: false, blocked: false })
        const [written] = await tx.query<AmendmentRow>(
          `update amendments set status = $2, decision = $3::text::json, updated_at = $4 where id = $1 and status = 'tabled' returning *`,
          [row.id, status, JSON.stringify(decision), now],
        )
        if (!written) throw conflict('already_decided', `A${row.number} was decided meanwhile.`)
        if (change) await appendUpdates(tx, row.resolution_id, [{ update: change, origin, at: now, watch: decisionWatch(change, document.doc, 'accepted') }])
        await audit(tx, {
          person,
          action: 'decision',
          resolutionId: row.resolution_id,
          detail: { ...cited(row), status, ...(rebased.unchanged ? { unchanged: true } : {}), ...(vote ? { vote: vote.id } : {}) },
        })
        if (status === 'acceptedModified') notice = await notifyAnswerAwaited(this.services.notifications, tx, { resolutionId: row.resolution_id, amendment: row, status, person })
        if (status === 'acceptedModified' && row.compromise) askedAgain = await this.askMergedAgain(tx, row, person)
        return written
      })
      if (made?.change) Y.applyUpdate(document.doc, made.change, { ...origin, stored: true, accepted: true, basis: made.basis, made: made.change })
    } finally {
      release()
    }
    this.services.notifications.send([notice, ...askedAgain.notices])
    if (askedAgain.merged.length > 0) await this.announce(askedAgain.merged, document, 'changed')
    return claimed
  }

  /**
   * Typing by `personId` landed in the words this acceptance changed, made
   * before their editor had received it (the `lateTyping` extension saw
   * it): Yjs merged both, and the paragraph differs from the decision. The
   * decision's record notes it, with the paragraph as it now reads, the
   * audit log too, and the decision's author and the typist are told.
   * Once per decision and person, whatever a client sends; nothing if the
   * decision was taken back meanwhile.
   */
  async noteLateTyping({ resolutionId, amendmentId, personId, resetBy }: LateTyping): Promise<void> {
    if (resetBy !== undefined) return this.noteLateTypingAfterReset({ resolutionId, amendmentId, personId, resetBy })
    await this.exclusive(resolutionId, async () => {
      const row = await amendmentRow(this.services.db, amendmentId)
      const decision = row?.decision
      if (!row || !decision || (row.status !== 'accepted' && row.status !== 'acceptedModified')) return
      const notes = decision.lateTyping ?? []
      // Once per person until the paragraph is checked: typing over it again after that is news again.
      const checkedAt = decision.lateTypingChecked?.at
      const since = (note: { at: string }) => checkedAt === undefined || Date.parse(note.at) > Date.parse(checkedAt)
      if (notes.some((note) => note.by === personId && since(note))) return
      const { document } = await this.open(resolutionId)
      const dir = await directory(this.services.db)
      const typist = dir.person(personId)
      const text = paragraphAsItReads(document, row)
      const now = this.services.now()
      const { updated, notices } = await this.services.db.transaction(async (tx) => {
        // Later than the check, even on a clock that has not moved (a note at the check's instant would count as checked).
        const at = checkedAt !== undefined && now.getTime() <= Date.parse(checkedAt) ? new Date(Date.parse(checkedAt) + 1) : now
        // At the cap the oldest note goes, not the new one: the lock waits for typing noted after its last check, and
        // typing dropped at the cap let a lock pass over a paragraph nobody had checked (a hostile review, 51 rounds).
        const kept = notes.slice(Math.max(0, notes.length - MAX_LATE_TYPING_NOTES + 1))
        const noted = { ...decision, lateTyping: [...kept, { by: personId, at: at.toISOString(), text }] }
        const [written] = await tx.query<AmendmentRow>('update amendments set decision = $2::text::json, updated_at = $3 where id = $1 and status = $4 returning *', [
          row.id,
          JSON.stringify(noted),
          now,
          row.status,
        ])
        if (!written) return { updated: null, notices: [] }
        await audit(tx, { person: typist, action: 'lateTyping', resolutionId, detail: { ...cited(row), paragraph: row.paragraph, typist: typist.name, decidedBy: decision.by, text } })
        const subject = { kind: 'lateTyping' as const, amendmentId: row.id, amendment: `A${row.number}`, paragraph: row.paragraph, typist: typist.name, text }
        const notices = await Promise.all(
          [...new Set([decision.by, personId])].map((recipient) =>
            this.services.notifications.record(tx, {
              resolutionId,
              audience: { personId: recipient },
              actor: null,
              subject,
              onceKey: `lateTyping:${row.id}:${personId}:${recipient}${checkedAt === undefined ? '' : `:${checkedAt}`}`,
            }),
          ),
        )
        return { updated: written, notices }
      })
      this.services.notifications.send(notices)
      if (updated) await this.announce([updated], document, 'changed')
    })
  }

  /**
   * A chair or the secretariat says the paragraph of an acceptance typed over
   * unseen reads as meant (corrected by hand first, or as it is): the lock
   * is no longer held up by it, until such typing is noted again.
   */
  async checkLateTyping(amendmentId: string, person: Person): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      const lateTyping = lateTypingStanding(row.decision)
      const refusal = checkLateTypingCheck(person.role, resolution.stage, { number: `A${row.number}`, status: row.status, lateTyping })
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      await this.caughtUp(document)
      const text = paragraphAsItReads(document, row)
      const now = this.services.now()
      // Not before the typing it checks, on a clock that lags the instance that noted it.
      const at = now.getTime() < Date.parse(lateTyping!.lastAt) ? new Date(lateTyping!.lastAt) : now
      const updated = await this.services.db.transaction(async (tx) => {
        const checked = { ...row.decision!, lateTypingChecked: { by: person.id, at: at.toISOString() } }
        // Only the record as read: typing noted meanwhile needs its own check.
        const [written] = await tx.query<AmendmentRow>(
          `update amendments set decision = $2::text::json, updated_at = $3 where id = $1 and status = $4 and decision::text = $5 returning *`,
          [row.id, JSON.stringify(checked), now, row.status, JSON.stringify(row.decision)],
        )
        if (!written) throw conflict('typed_again', `Someone typed in the words of A${row.number} again meanwhile; read the paragraph again first.`)
        await audit(tx, { person, action: 'lateTypingChecked', resolutionId: row.resolution_id, detail: { ...cited(row), paragraph: row.paragraph, text } })
        return written
      })
      return (await this.announce([updated], document, 'changed'))[0]!
    })
  }

  /**
   * Typing by `personId` landed in the words a reset put back, made before
   * their editor had received it: the paragraph differs from the text as it
   * stood before the decision. The reset cleared the decision's record, so
   * the audit log notes it, with the paragraph as it now reads, and the
   * person who reset and the typist are told. Once per reset and typist,
   * though every instance holding the text watches the reset (the typist's
   * notice is recorded once: its `onceKey`). Nothing if the amendment was
   * decided again meanwhile (that decision's own watch then speaks).
   */
  private async noteLateTypingAfterReset({ resolutionId, amendmentId, personId, resetBy }: Required<LateTyping>): Promise<void> {
    await this.exclusive(resolutionId, async () => {
      const row = await amendmentRow(this.services.db, amendmentId)
      if (!row || row.status !== 'tabled') return
      const { document } = await this.open(resolutionId)
      const dir = await directory(this.services.db)
      const typist = dir.person(personId)
      const text = paragraphAsItReads(document, row)
      const notices = await this.services.db.transaction(async (tx) => {
        const subject = { kind: 'lateTyping' as const, amendmentId: row.id, amendment: `A${row.number}`, paragraph: row.paragraph, typist: typist.name, text }
        const notices = await Promise.all(
          [...new Set([personId, resetBy])].map((recipient) =>
            this.services.notifications.record(tx, { resolutionId, audience: { personId: recipient }, actor: null, subject, onceKey: `lateTyping:reset:${row.id}:${row.updated_at.toISOString()}:${personId}:${recipient}` }),
          ),
        )
        // The typist's notice was recorded already: another instance, watching the same reset, said it first.
        if (!notices[0]) return []
        await audit(tx, { person: typist, action: 'lateTyping', resolutionId, detail: { ...cited(row), paragraph: row.paragraph, typist: typist.name, resetBy, text } })
        return notices
      })
      this.services.notifications.send(notices)
    })
  }

  /** A chair's decision, or (with `vote`) a meeting's: a vote needs no reason, its result stands for one. */
  async decide(amendmentId: string, person: Person, input: Decision, vote?: DecidingVote): Promise<Amendment> {
    // Only an acceptance as modified writes words of the chair's: sent with "accept", they were dropped and the tabled
    // words written instead.
    if (input.decision !== 'acceptModified' && saysWords(input)) {
      throw badRequest('wording_not_expected', `A decision "${input.decision}" carries no wording: to write other words, accept as modified ("acceptModified").`)
    }
    // A reason a reader sees as blank is none.
    if (input.decision === 'reject') return this.reject(amendmentId, person, input.reason === undefined || saysNothing(input.reason) ? undefined : input.reason.trim(), vote)
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('decide', person, resolution, facts(row))
      await this.caughtUp(document)
      let modified: Wording | undefined
      if (input.decision === 'acceptModified') {
        const kind = row.kind === 'delete' ? 'replace' : row.kind
        modified = this.wording(kind, input, null, baseOf(row))
        // Words that change nothing would record a change with nothing written, and ask the delegation to agree to it
        // (a reason is what a rejection needs): as tabling and compromises, 422.
        const current = this.currentRuns(document, row.block_id)
        const asItStands = current !== null && readsAs(modified, current)
        if (kind === 'replace' && (asItStands || readsAs(modified, baseOf(row)))) {
          throw unprocessable('no_change', `The wording reads exactly as the paragraph ${asItStands ? 'as it stands' : `A${row.number} was tabled on`}: accepting it would change nothing. Reject the amendment with a reason instead.`)
        }
      }
      const accepted = await this.accept(row, document, person, modified, vote)
      const [view] = await this.announce([accepted], document, 'changed')
      await this.followParagraphs(document)
      return view!
    })
  }

  async compromise(resolutionId: string, person: Person, input: NewCompromise): Promise<Amendment> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      this.check('decide', person, resolution)
      const ids = [...new Set(input.amendmentIds)]
      // Counted once each: one amendment named twice is no compromise, only a rewrite of it behind a new number.
      if (ids.length < 2) throw unprocessable('too_few_amendments', 'A compromise merges at least two different amendments.')
      const rows = (await amendmentRows(this.services.db, resolutionId)).filter((row) => ids.includes(row.id))
      const missing = ids.find((id) => !rows.some((row) => row.id === id))
      if (missing) throw notFound('amendment of this resolution', missing)
      const open = rows.find((row) => row.status !== 'tabled')
      if (open) throw conflict('already_decided', `A${open.number} is already ${open.status}.`)
      // Merged into a compromise decided by hand, an amendment a meeting voted on would be decided by hand too.
      for (const row of rows) await refuseByHand(this.services.db, row, { rejecting: false, blocked: false })
      const blocks = new Set(rows.map((row) => row.block_id))
      if (blocks.size !== 1 || rows.some((row) => row.kind === 'insertAfter')) {
        throw unprocessable('different_paragraphs', 'A compromise merges amendments that change or delete one and the same paragraph.')
      }
      const blockId = rows[0]!.block_id!
      await this.caughtUp(document)
      const base = this.currentRuns(document, blockId)
      if (base === null) throw conflict('obsolete', 'The paragraph these amendments target no longer exists.')
      const wording = this.composedOn(input.base, this.wording('replace', input, base), base)
      const justification = this.justification(input.justification)
      const now = this.services.now()
      const { created, merged, notices } = await this.services.db.transaction(async (tx) => {
        const created = await this.insert(
          tx,
          {
            id: randomUUID(),
            resolution_id: resolutionId,
            kind: 'replace',
            block_id: blockId,
            ...this.locate(resolution, document, blockId),
            base_text: runsToMarkdown(base),
            base_wording: normalizeParagraph(base),
            ...this.wordingColumns(wording),
            justification,
            status: 'tabled',
            compromise: true,
            tabled_by: person.id,
            delegation_id: null,
          },
          now,
        )
        const merged = await tx.query<AmendmentRow>(
          `update amendments set status = 'merged', merged_into = $2, decision = $3::text::json, updated_at = $4
           where id = any($1::text[]) returning *`,
          [ids, created.id, JSON.stringify({ by: person.id, at: now.toISOString() }), now],
        )
        await audit(tx, { person, action: 'compromise', resolutionId, detail: { ...cited(created), merged: rows.map((row) => `A${row.number}`) } })
        const notices = await Promise.all(merged.map((amendment) => notifyAnswerAwaited(this.services.notifications, tx, { resolutionId, amendment, status: 'merged', person })))
        return { created, merged, notices }
      })
      this.services.notifications.send(notices)
      await this.announce(merged, document, 'changed')
      return (await this.announce([created], document, 'created'))[0]!
    })
  }

  /** Whether an amendment's wording is the one `input` sends (as the tabling would read it against the amendment's base). */
  private sameAsSent(row: AmendmentRow, input: NewAmendment): boolean {
    if (row.kind === 'delete') return true
    try {
      return sameWording(wordingOf(row), this.wording(input.kind, input, row.base_wording))
    } catch {
      return false
    }
  }

  /**
   * A compromise's wording brought from the paragraph it was composed on (`composed`) up to the paragraph as it stands
   * (`base`). Taken as it was sent, it replaced the paragraph as it stands: words someone wrote there while the chair
   * composed were taken out by the compromise, which nobody had asked for, and its acceptance deleted them unseen.
   */
  private composedOn(composed: Run[] | undefined, wording: Wording, base: Run[]): Wording {
    if (composed === undefined || sameWording([normalizeParagraph(composed)], [normalizeParagraph(base)])) return wording
    const rebased = rebase({ kind: 'replace', blockId: null, base: composed, wording }, base)
    if (rebased.state !== 'clean') {
      throw conflict('conflict', 'The paragraph changed, where the compromise changes it, while it was being composed: compose it again on the paragraph as it stands.')
    }
    return rebased.wording
  }

  /** Accepts what applies cleanly and collides with nothing; with `dryRun`, only says which would be accepted and which skipped, changing nothing. */
  async acceptNonColliding(resolutionId: string, person: Person, options: { dryRun?: boolean; only?: readonly string[] | undefined } = {}): Promise<BulkAcceptance> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      this.check('decide', person, resolution)
      await this.caughtUp(document)
      const rows = await amendmentRows(this.services.db, resolutionId)
      const tabled = rows.filter((row) => row.status === 'tabled')
      const collisions = findCollisions(
        tabled.map((row) => candidateOf(row, rows)),
        (blockId) => blockRuns(document.doc, blockId),
        this.memoOf(document),
      )
      const result: BulkAcceptance = { accepted: [], skipped: [] }
      const changed: AmendmentRow[] = []
      // A meeting decides what it votes on, and what it voted on without deciding it: skipped as under vote, both runs alike.
      const voting = new Set([...(await underVote(this.services.db, tabled.map((row) => row.id))), ...(await votedWithoutDecision(this.services.db, tabled.map((row) => row.id))).keys()])
      // A dry run accepts on a copy, one after another as the real run does: what one acceptance does to the text
      // (a paragraph deleted) decides the next (another deletion of it is then obsolete), in both alike.
      const rehearsal = options.dryRun ? new Y.Doc() : null
      if (rehearsal) Y.applyUpdate(rehearsal, document.wholeState())
      // What the rehearsal inserted, as the real run's acceptances (`changed`) record it: the next insertion there sees it.
      const rehearsed: AmendmentRow[] = []
      // Confirmed by the chair (`only`): those shown by the dry run, no other, whatever became acceptable since.
      const confirmed = options.only === undefined ? null : new Set(options.only)
      for (const row of tabled) {
        if (confirmed && !confirmed.has(row.id)) continue
        const earlier = row.kind === 'delete' ? new Set<string>() : insertedAmong([...rows, ...changed, ...rehearsed], row.block_id)
        const rebased = rebaseInText(rehearsal ?? document.doc, candidateOf(row, [...rows, ...changed, ...rehearsed]), wordingOf(row), earlier)
        const state = rebased.state
        if (voting.has(row.id)) result.skipped.push({ id: row.id, reason: 'voting' })
        else if (state !== 'clean') result.skipped.push({ id: row.id, reason: state })
        else if (collisions.has(row.id)) result.skipped.push({ id: row.id, reason: 'colliding' })
        else if (
          rehearsal &&
          (overlong(rebased.wording) !== null ||
            passesDocumentLimit(rehearsal, row, rebased.wording, earlier) !== null ||
            // As the acceptance refuses it: a list item left starting with a list (a hostile review).
            breaksContainer(row, rehearsal, row.kind) !== null)
        )
          result.skipped.push({ id: row.id, reason: 'conflict' })
        else if (rehearsal) {
          const applied = rebased.unchanged ? null : applyAmendment(rehearsal, row.kind, row.block_id, rebased.wording, earlier)
          rehearsed.push({ ...row, status: 'accepted', decision: { by: person.id, at: this.services.now().toISOString(), applied } })
          result.accepted.push(row.id)
        } else {
          try {
            changed.push(await this.accept(row, document, person))
            result.accepted.push(row.id)
          } catch (error) {
            if (!(error instanceof ApiError)) throw error
            result.skipped.push({ id: row.id, reason: error.code === 'obsolete' ? 'obsolete' : 'conflict' })
          }
        }
      }
      if (rehearsal) {
        rehearsal.destroy()
        return result
      }
      await this.announce(changed, document, 'changed')
      await this.followParagraphs(document)
      return result
    })
  }

  async respond(amendmentId: string, person: Person, input: Response): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      const [merged] = row.merged_into ? await this.services.db.query<{ status: string }>('select status from amendments where id = $1', [row.merged_into]) : []
      this.check('respond', person, resolution, { ...facts(row), compromiseFell: compromiseFell(merged?.status) })
      const response = { agree: input.agree, by: person.id, at: this.services.now().toISOString(), ...(input.comment !== undefined && !saysNothing(input.comment) ? { comment: input.comment.trim() } : {}) }
      // The same answer again, nobody having replied to it: nothing changes, nobody is told again.
      if (row.response && row.response.agree === response.agree && row.response.comment === response.comment && row.objection_reply === null) {
        return (await this.present([row], document, await amendmentRows(this.services.db, row.resolution_id)))[0]!
      }
      const { updated, notice } = await this.services.db.transaction(async (tx) => {
        // A new answer stands on its own: a reply to the delegation's earlier objection does not answer it.
        const [written] = await tx.query<AmendmentRow>('update amendments set response = $2::text::json, objection_reply = null, updated_at = $3 where id = $1 returning *', [
          amendmentId,
          JSON.stringify(response),
          this.services.now(),
        ])
        await audit(tx, { person, action: 'response', resolutionId: row.resolution_id, detail: { ...cited(row), agree: input.agree, ...(response.comment ? { comment: response.comment } : {}) } })
        // Once per decision, and once more after each reply: objecting, agreeing and objecting again over and over sent
        // the chairs and the secretariat one notice each time, pushing every other notice out of their list.
        const onceKey = `objection:${row.id}:${row.decision?.at ?? ''}:${row.objection_reply?.at ?? ''}`
        const notice = input.agree
          ? null
          : await notifyObjection(this.services.notifications, tx, { resolutionId: row.resolution_id, amendment: { id: row.id, number: `A${row.number}` }, person, comment: response.comment, onceKey })
        return { updated: written!, notice }
      })
      this.services.notifications.send([notice])
      return (await this.announce([updated], document, 'changed', { alone: true }))[0]!
    })
  }

  /**
   * Takes a decision back (correcting the record): the amendment is tabled
   * again, and what accepting it did to the text is reverted, rebased onto
   * the text as it stands, by the same path as an acceptance: computed on a
   * copy, stored with the status in one transaction that checks the stage
   * under the resolution's row lock, then applied live. A revert that would
   * clash with what was changed since is refused (409 `reset_conflict`);
   * never a silently wrong text. Amendments made obsolete by a deletion it
   * reverts are tabled again with their paragraph.
   */
  async reset(amendmentId: string, person: Person, input: DecisionReset): Promise<Amendment> {
    const reason = input.reason.trim()
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      const refusal = checkDecisionReset(person.role, resolution.stage, {
        number: `A${row.number}`,
        status: row.status,
        byVote: row.decision?.vote !== undefined,
        earlierRound: await decidedInEarlierRound(this.services.db, row.resolution_id, row.id),
      })
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      if (saysNothing(reason)) throw badRequest('reason_required', 'Give the reason for resetting the decision in "reason".')
      const accepted = row.status === 'accepted' || row.status === 'acceptedModified'
      const applied = accepted ? row.decision?.applied : null
      if (applied === undefined) {
        throw conflict('not_recoverable', `A${row.number} was accepted before Hemicycle kept what a decision changed; correct the text by hand and record the decision again.`)
      }
      await this.caughtUp(document)
      const reverted: { outcome: Revert } = { outcome: { ok: true } }
      const others = (await amendmentRows(this.services.db, row.resolution_id)).filter((other) => other.id !== row.id && (other.status === 'accepted' || other.status === 'acceptedModified'))
      if (applied) await this.settled(document)
      // The accepted amendments whose words the text holds now: taking this decision back must leave theirs there.
      // Where they stand among the paragraphs accepted amendments inserted, this one's too (a copy without them finds none of its ids).
      const standing = [row, ...others]
      // Its own words gone (a later decision or a hand changed them), taking it back would undo nothing of its own and
      // leave what changed them to put its words back when that is taken back in turn (a hostile review: A1's word,
      // dropped by a compromise; A1 reset, then the compromise: A1's word back, no decision standing for it). A reading
      // that is a conflict (a change beside its words) is refused too: leaving it to the revert's own merge let through,
      // in a replay of seeded sequences, more texts whose repeated words came back in another order.
      const own = applied ? acceptedReading(row, document.doc, standing) : null
      if (applied && !holds(own)) {
        throw conflict(
          'reset_conflict',
          `A${row.number}'s change cannot be taken back: its words are no longer in the text as it was accepted (changed since, by a later decision or by hand). Take that decision back first, or put its words back as they were, or correct the text by hand.`,
        )
      }
      const readings = new Map(others.map((other) => [other.id, acceptedReading(other, document.doc, standing)]))
      const holding = others.filter((other) => holds(readings.get(other.id)!))
      // The others whose words cannot be told to be there (the paragraph changed beside them since): a revert that
      // changes their paragraph, or how they read, may take their words; a person decides (a hostile review: the chair
      // typed beside A2's word, and taking A1 back took "et les régions", which A2, standing, says too).
      const unsure = others.filter((other) => !holds(readings.get(other.id)!))
      let relied: AmendmentRow | undefined
      const made = applied
        ? changeWithBasis(document, (copy) => {
            reverted.outcome = revertApplied(copy, applied, applied.kind === 'rewrite' ? wordingsSince(applied.blockId, row.decision!.at, rewritesOf(others)) : [])
            relied =
              holding.find((other) => !holdsWords(other, copy, standing)) ??
              unsure.find((other) => {
                const after = acceptedReading(other, copy, standing)
                // Its words back (the decision taken back is the one that had taken them out): nothing lost.
                if (holds(after)) return false
                const before = readings.get(other.id)!
                const read = (reading: typeof after) => `${reading?.state}:${reading?.state === 'clean' && reading.unchanged}`
                if (other.kind === 'insertAfter') return JSON.stringify(after) !== JSON.stringify(before)
                const was = other.block_id === null ? null : blockRuns(document.doc, other.block_id)
                const now = other.block_id === null ? null : blockRuns(copy, other.block_id)
                if (was === null || now === null || JSON.stringify(was) === JSON.stringify(now)) return read(after) !== read(before)
                // Its paragraph changed: refused when it now reads otherwise, or lost a word it wrote, or got back one it took out.
                return read(after) !== read(before) || touchesWordsOf(other, was, now)
              })
          })
        : null
      const change = made?.change ?? null
      if (relied) {
        throw conflict('reset_conflict', `A${row.number}'s change cannot be taken back: A${relied.number}, accepted too, says the same words, and would stand accepted without them, or changes the same paragraph, which has changed beside its words since. Reset A${relied.number} first, or correct the text by hand.`)
      }
      const { outcome } = reverted
      if (!outcome.ok) {
        throw conflict(
          'reset_conflict',
          outcome.reason === 'gone'
            ? `A${row.number}'s change cannot be taken back: a paragraph it changed, or the one next to it, no longer exists. Correct the text by hand.`
            : `A${row.number}'s change cannot be taken back: the same words have been changed since. Correct the text by hand.`,
        )
      }
      if (made?.documentPast) throw documentTooLong(`A${row.number}'s change cannot be taken back: what it restores would make the text too long`, made.documentPast)
      if (made?.grownPast) {
        throw paragraphTooLong(`A${row.number}'s change cannot be taken back: what it restores, beside what was written since, would make § ${row.paragraph} ${made.grownPast} characters long`, row.paragraph)
      }
      const restoredBlocks = applied?.kind === 'delete' ? [applied.blockId] : []
      const now = this.services.now()
      const origin = { kind: 'amendment' as const, amendmentId: row.id, person }
      // Measured against the whole text's limit before it is stored; applied after: its room is held meanwhile.
      const release = document.gate.reserve(made?.grownBy ?? 0)
      let stored: { updated: AmendmentRow; restored: AmendmentRow[]; notice: NotificationRecord | null }
      try {
        stored = await this.services.db.transaction(async (tx) => {
          const [locked] = await tx.query<{ stage: string }>('select stage from resolutions where id = $1 for no key update', [row.resolution_id])
          if (locked?.stage !== 'consolidation') throw conflict('wrong_stage', 'Decisions are reset during consolidation; the resolution has moved on.')
          const [written] = await tx.query<AmendmentRow>(
            `update amendments set status = 'tabled', decision = null, response = null, objection_reply = null, updated_at = $3 where id = $1 and status = $2 returning *`,
            [row.id, row.status, now],
          )
          if (!written) throw conflict('already_decided', `A${row.number} was changed meanwhile.`)
          const restored =
            restoredBlocks.length > 0
              ? await tx.query<AmendmentRow>(`update amendments set status = 'tabled', updated_at = $3 where resolution_id = $1 and status = 'obsolete' and block_id = any($2::text[]) returning *`, [
                  row.resolution_id,
                  restoredBlocks,
                  now,
                ])
              : []
          if (change) await appendUpdates(tx, row.resolution_id, [{ update: change, origin, at: now, watch: decisionWatch(change, document.doc, 'reset') }])
          await audit(tx, {
            person,
            action: 'reset',
            resolutionId: row.resolution_id,
            detail: {
              ...cited(row),
              from: row.status,
              reason,
              decidedBy: row.decision?.by ?? null,
              decidedAt: row.decision?.at ?? null,
              ...(row.decision?.vote ? { vote: row.decision.vote } : {}),
              reverted: change !== null,
              ...(restored.length > 0 ? { restored: restored.map((r) => `A${r.number}`) } : {}),
            },
          })
          const notice = row.delegation_id
            ? await this.services.notifications.record(tx, {
                resolutionId: row.resolution_id,
                audience: { delegationId: row.delegation_id },
                actor: person,
                subject: { kind: 'decisionReset', amendmentId: row.id, amendment: `A${row.number}`, reason, by: person.name },
              })
            : null
          return { updated: written, restored, notice }
        })
        if (made?.change) Y.applyUpdate(document.doc, made.change, { ...origin, stored: true, reset: true, basis: made.basis, made: made.change })
      } finally {
        release()
      }
      const { updated, restored, notice } = stored
      this.services.notifications.send([notice])
      await this.announce(restored, document, 'changed')
      const [view] = await this.announce([updated], document, 'changed')
      await this.followParagraphs(document)
      return view!
    })
  }

  /** A chair's or the secretariat's reply to a delegation's objection: it answers it, for the lock's guard. */
  async replyToObjection(amendmentId: string, person: Person, input: ObjectionReply): Promise<Amendment> {
    const text = input.text.trim()
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.revived(await this.row(amendmentId))
      const { resolution, document } = await this.open(row.resolution_id)
      const refusal = checkObjectionReply(person.role, resolution.stage, {
        id: row.id,
        number: `A${row.number}`,
        status: row.status,
        response: row.response ? { agree: row.response.agree } : null,
        objectionReply: row.objection_reply,
      })
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      if (saysNothing(text)) throw badRequest('text_required', 'Write the reply in "text".')
      const now = this.services.now()
      const reply = { text, by: person.id, at: now.toISOString() }
      const updated = await this.services.db.transaction(async (tx) => {
        // Only the objection standing when it was read is answered; a new answer meanwhile needs its own reply.
        const [written] = await tx.query<AmendmentRow>(
          `update amendments set objection_reply = $2::text::json, updated_at = $3 where id = $1 and objection_reply is null and response::text = $4 returning *`,
          [row.id, JSON.stringify(reply), now, JSON.stringify(row.response)],
        )
        if (!written) throw conflict('answer_changed', `The delegation answered again about A${row.number} meanwhile; read its answer first.`)
        await audit(tx, { person, action: 'objectionReply', resolutionId: row.resolution_id, detail: { ...cited(row), text } })
        return written
      })
      return (await this.announce([updated], document, 'changed'))[0]!
    })
  }

  async preview(amendmentId: string): Promise<Preview> {
    const row = await this.row(amendmentId)
    const { document } = await this.open(row.resolution_id)
    const current = this.currentRuns(document, row.block_id)
    const { earlier, rows } = await this.readingFor(row)
    const rebased = rebaseInText(document.doc, candidateOf(row, rows), wordingOf(row), earlier)
    const clean = rebased.state === 'clean' ? rebased : null
    const before = row.kind === 'insertAfter' ? '' : current === null ? '' : plainText(current)
    return {
      state: rebased.state,
      current: current === null ? null : runsToMarkdown(current),
      currentWording: current,
      text: clean ? wordingToMarkdown(clean.wording) : null,
      wording: clean ? clean.wording : null,
      unchanged: clean?.unchanged ?? false,
      diff: clean ? wordDiff(before, wordingText(clean.wording)) : [],
    }
  }
}

/** Whether a wording reads as one paragraph `runs` does: what a reader cannot see (a joiner, a filler) is no change. */
function readsAs(wording: Wording, runs: Run[]): boolean {
  // Spaces of any kind (a no-break space for a space, two for one, a blank Braille cell) read as one space.
  const visible = (paragraphs: Wording) =>
    paragraphs.map((each) => {
      const spaced = each.map((run) => ({ ...run, text: withoutInvisibleCharacters(run.text).replace(/[\s\u2800]+/gu, ' ') }))
      return spaced.filter((run, index) => !(run.text === ' ' && index > 0 && spaced[index - 1]!.text.endsWith(' ')))
    })
  const trimmed = (paragraphs: Wording) =>
    paragraphs.map((each) =>
      each.map((run, index) => {
        const start = index === 0 ? run.text.trimStart() : run.text
        return { ...run, text: index === each.length - 1 ? start.trimEnd() : start }
      }),
    )
  return sameWording(trimmed(visible(wording)), trimmed(visible([runs])))
}

/** Whether a request gives words (an empty "text" or "wording", as some clients send with a deletion, gives none). */
function saysWords(input: WordingInput): boolean {
  return (input.text !== undefined && input.text.trim() !== '') || (input.wording ?? []).some((paragraph) => paragraph.some((run) => run.text !== ''))
}
