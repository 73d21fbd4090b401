import { randomUUID } from 'node:crypto'
import {
  blockMarkdown,
  type Candidate,
  deleteBlock,
  findCollisions,
  insertAfter,
  markdownToParagraphs,
  normalizeMarkdown,
  rebase,
  type Rebase,
  replaceBlock,
} from '@hemicycle/amendments'
import {
  type Amendment,
  type AmendmentChange,
  type BulkAcceptance,
  type Decision,
  MAX_AMENDMENT_TEXT,
  type NewAmendment,
  type NewCompromise,
  type Person,
  type Preview,
  type Response,
  withoutFormatCharacters,
} from '@hemicycle/protocol'
import { numberBlocks, readBody } from '@hemicycle/schema'
import { type AmendmentAction, type AmendmentFacts, checkAmendmentAction } from '@hemicycle/rules'
import { audit } from '../audit.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import type { Queryable } from '../db/database.ts'
import type { Services } from '../http/env.ts'
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../http/errors.ts'
import { findResolution, type StoredResolution } from '../resolutions/repository.ts'
import { type AmendmentRow, amendmentRow, amendmentRows, cosponsorsOf, directory, toAmendment } from './repository.ts'

export interface AmendmentFilters {
  status?: string | undefined
  delegation?: string | undefined
  blockId?: string | undefined
}

const facts = (row: AmendmentRow, cosponsors: readonly string[] = []): AmendmentFacts => ({
  status: row.status,
  delegationId: row.delegation_id,
  cosponsorIds: cosponsors,
})

/**
 * Tabling, changing and deciding amendments. Who may do what comes from the
 * rules package; the wording is rebased on the live text at the moment of
 * decision and applied to it as the smallest edit, attributed to the
 * amendment. Work on one resolution is serialised, so two decisions never
 * rebase on the same stale text.
 */
export class AmendmentService {
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(private readonly services: Pick<Services, 'db' | 'collab' | 'events' | 'now'>) {}

  private exclusive<T>(resolutionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(resolutionId) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(work)
    this.queues.set(resolutionId, next)
    void next.finally(() => {
      if (this.queues.get(resolutionId) === next) this.queues.delete(resolutionId)
    }).catch(() => {})
    return next
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

  private currentText(document: LiveDocument, blockId: string | null): string | null {
    return blockId === null ? '' : blockMarkdown(document.doc, blockId)
  }

  private rebaseRow(row: AmendmentRow, document: LiveDocument, wording = row.text): Rebase {
    return rebase({ kind: row.kind, blockId: row.block_id, baseText: row.base_text, text: wording }, this.currentText(document, row.block_id), wording)
  }

  /** Views of the given rows, with conflicts and collisions against the live text. */
  private async present(rows: readonly AmendmentRow[], document: LiveDocument, all?: readonly AmendmentRow[]): Promise<Amendment[]> {
    const dir = await directory(this.services.db)
    const cosponsors = await cosponsorsOf(this.services.db, rows.map((row) => row.id))
    const tabled = (all ?? (await amendmentRows(this.services.db, document.resolutionId))).filter((row) => row.status === 'tabled')
    const collisions = findCollisions(
      tabled.map((row): Candidate => ({ id: row.id, kind: row.kind, blockId: row.block_id, baseText: row.base_text, text: row.text })),
      (blockId) => blockMarkdown(document.doc, blockId),
    )
    return rows.map((row) =>
      toAmendment(row, {
        directory: dir,
        cosponsors: cosponsors.get(row.id) ?? [],
        conflict: row.status === 'tabled' && this.rebaseRow(row, document).state === 'conflict',
        collidesWith: [...(collisions.get(row.id) ?? [])],
      }),
    )
  }

  private async announce(rows: readonly AmendmentRow[], document: LiveDocument, action: 'created' | 'changed'): Promise<Amendment[]> {
    const views = await this.present(rows, document)
    for (const amendment of views) this.services.events.publish(document.resolutionId, { type: 'amendment', action, amendment })
    return views
  }

  /** Tabled amendments whose block is gone become obsolete. */
  private async retireOrphans(document: LiveDocument): Promise<AmendmentRow[]> {
    const rows = await amendmentRows(this.services.db, document.resolutionId)
    const orphans = rows.filter((row) => row.status === 'tabled' && this.rebaseRow(row, document).state === 'obsolete')
    if (orphans.length === 0) return []
    const retired = await this.services.db.query<AmendmentRow>(
      `update amendments set status = 'obsolete', updated_at = $2 where id = any($1::text[]) and status = 'tabled' returning *`,
      [orphans.map((row) => row.id), this.services.now()],
    )
    await this.announce(retired, document, 'changed')
    return retired
  }

  async list(resolutionId: string, filters: AmendmentFilters): Promise<Amendment[]> {
    const { document } = await this.open(resolutionId)
    await this.retireOrphans(document)
    const all = await amendmentRows(this.services.db, resolutionId)
    const rows = all.filter(
      (row) =>
        (!filters.status || row.status === filters.status) &&
        (!filters.delegation || row.delegation_id === filters.delegation) &&
        (!filters.blockId || row.block_id === filters.blockId),
    )
    return this.present(rows, document, all)
  }

  async get(amendmentId: string): Promise<Amendment> {
    const row = await this.row(amendmentId)
    const { document } = await this.open(row.resolution_id)
    return (await this.present([row], document))[0]!
  }

  /** Where an amendment is cited: the § and first line of its block, as frozen when amendments opened. */
  private locate(resolution: StoredResolution, document: LiveDocument, blockId: string | null): { paragraph: number; line: number } {
    if (blockId === null) return { paragraph: 0, line: 1 }
    const frozen = resolution.frozenNumbering?.[blockId]
    if (frozen) return frozen
    const block = numberBlocks(readBody(document.doc)).find((candidate) => candidate.blockId === blockId)
    return block ? { paragraph: block.paragraph, line: block.firstLine } : { paragraph: 0, line: 1 }
  }

  /** Checks and normalises a wording and a justification. */
  private wording(kind: NewAmendment['kind'], text: string | undefined, base: string | null): string {
    if (kind === 'delete') return ''
    if (text === undefined) throw badRequest('text_required', 'Give the new wording in "text".')
    if (text.length > MAX_AMENDMENT_TEXT) {
      throw new ApiError(413, 'text_too_long', `The wording is longer than ${MAX_AMENDMENT_TEXT} characters.`)
    }
    const normalized = normalizeMarkdown(text)
    if (normalized.length === 0) throw unprocessable('empty_text', 'The wording is empty.')
    if (kind === 'replace' && base !== null && normalized === withoutFormatCharacters(base)) throw unprocessable('no_change', 'The proposal is identical to the paragraph as it stands.')
    return normalized
  }

  private justification(text: string | undefined): string {
    const trimmed = text?.trim() ?? ''
    if (trimmed.length === 0) throw unprocessable('justification_required', 'Say why: the justification is empty.')
    if (trimmed.length > MAX_AMENDMENT_TEXT) throw new ApiError(413, 'text_too_long', `The justification is longer than ${MAX_AMENDMENT_TEXT} characters.`)
    return trimmed
  }

  private async insert(tx: Queryable, row: Omit<AmendmentRow, 'number' | 'created_at' | 'updated_at' | 'decision' | 'response' | 'merged_into'>, now: Date) {
    // The resolution row is the lock that keeps numbers unique and in order.
    await tx.query('select id from resolutions where id = $1 for update', [row.resolution_id])
    const [inserted] = await tx.query<AmendmentRow>(
      `insert into amendments (id, resolution_id, number, kind, block_id, paragraph, line, base_text, text, justification, status, compromise, tabled_by, delegation_id, created_at, updated_at)
       select $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14 from amendments where resolution_id = $2
       returning *`,
      [row.id, row.resolution_id, row.kind, row.block_id, row.paragraph, row.line, row.base_text, row.text, row.justification, row.status, row.compromise, row.tabled_by, row.delegation_id, now],
    )
    return inserted!
  }

  async table(resolutionId: string, person: Person, input: NewAmendment): Promise<Amendment> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      this.check('table', person, resolution)
      if (input.blockId === null && input.kind !== 'insertAfter') throw badRequest('block_required', 'Only an insertion may have no block (blockId null = at the start).')
      const base = this.currentText(document, input.blockId)
      if (base === null) throw unprocessable('unknown_block', `No paragraph of this resolution has the id "${input.blockId}".`)
      const text = this.wording(input.kind, input.text, base)
      const justification = this.justification(input.justification)
      const now = this.services.now()
      const row = await this.services.db.transaction((tx) =>
        this.insert(
          tx,
          {
            id: randomUUID(),
            resolution_id: resolutionId,
            kind: input.kind,
            block_id: input.blockId,
            ...this.locate(resolution, document, input.blockId),
            base_text: input.blockId === null ? '' : base,
            text,
            justification,
            status: 'tabled',
            compromise: false,
            tabled_by: person.id,
            delegation_id: person.delegation?.id ?? null,
          },
          now,
        ),
      )
      return (await this.announce([row], document, 'created'))[0]!
    })
  }

  async edit(amendmentId: string, person: Person, change: AmendmentChange): Promise<Amendment> {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.row(amendmentId)
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('edit', person, resolution, facts(row))
      const text = change.text === undefined ? row.text : this.wording(row.kind, change.text, row.base_text)
      const justification = change.justification === undefined ? row.justification : this.justification(change.justification)
      const [updated] = await this.services.db.query<AmendmentRow>(
        'update amendments set text = $2, justification = $3, updated_at = $4 where id = $1 returning *',
        [amendmentId, text, justification, this.services.now()],
      )
      return (await this.announce([updated!], document, 'changed'))[0]!
    })
  }

  async withdraw(amendmentId: string, person: Person): Promise<Amendment> {
    return this.setStatus(amendmentId, person, 'withdraw', 'withdrawn')
  }

  private async setStatus(amendmentId: string, person: Person, action: AmendmentAction, status: AmendmentRow['status'], decision?: AmendmentRow['decision']) {
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.row(amendmentId)
      const { resolution, document } = await this.open(row.resolution_id)
      this.check(action, person, resolution, facts(row))
      const [updated] = await this.services.db.query<AmendmentRow>(
        'update amendments set status = $2, decision = coalesce($3::text::json, decision), updated_at = $4 where id = $1 returning *',
        [amendmentId, status, decision ? JSON.stringify(decision) : null, this.services.now()],
      )
      if (action === 'decide') await this.auditDecision(row, person, status, decision?.reason)
      return (await this.announce([updated!], document, 'changed'))[0]!
    })
  }

  async cosponsor(amendmentId: string, person: Person): Promise<Amendment> {
    const row = await this.row(amendmentId)
    const { resolution, document } = await this.open(row.resolution_id)
    const existing = (await cosponsorsOf(this.services.db, [row.id])).get(row.id) ?? []
    this.check('cosponsor', person, resolution, facts(row, existing))
    await this.services.db.query(
      'insert into amendment_cosponsors (amendment_id, delegation_id, added_by, added_at) values ($1, $2, $3, $4) on conflict do nothing',
      [row.id, person.delegation!.id, person.id, this.services.now()],
    )
    return (await this.announce([row], document, 'changed'))[0]!
  }

  private async auditDecision(row: AmendmentRow, person: Person, status: string, reason?: string) {
    await audit(this.services.db, {
      person,
      action: 'decision',
      resolutionId: row.resolution_id,
      detail: { amendment: `A${row.number}`, amendmentId: row.id, status, ...(reason ? { reason } : {}) },
    })
  }

  /** Applies a clean rebase to the live text, attributed to the amendment. */
  private apply(row: AmendmentRow, document: LiveDocument, rebased: Extract<Rebase, { state: 'clean' }>, person: Person): void {
    document.doc.transact(
      () => {
        const paragraphs = markdownToParagraphs(rebased.text)
        if (row.kind === 'delete') deleteBlock(document.doc, row.block_id!)
        else if (row.kind === 'insertAfter') insertAfter(document.doc, row.block_id, paragraphs)
        else {
          replaceBlock(document.doc, row.block_id!, paragraphs[0] ?? [])
          if (paragraphs.length > 1) insertAfter(document.doc, row.block_id!, paragraphs.slice(1))
        }
      },
      { kind: 'amendment', amendmentId: row.id, person },
    )
  }

  /** Accepts one tabled amendment (as tabled, or in the chair's wording); the caller holds the resolution's turn. */
  private async accept(row: AmendmentRow, document: LiveDocument, person: Person, modified?: string): Promise<AmendmentRow> {
    const rebased = this.rebaseRow(row, document, modified ?? row.text)
    if (rebased.state === 'obsolete') {
      await this.retireOrphans(document)
      throw conflict('obsolete', `A${row.number} is obsolete: its paragraph no longer exists.`)
    }
    if (rebased.state === 'conflict') {
      throw conflict('conflict', `A${row.number} conflicts with changes made to the same words since it was tabled; resolve it by hand (accept as modified).`)
    }
    const status = modified === undefined ? 'accepted' : 'acceptedModified'
    const now = this.services.now()
    const decision = { by: person.id, at: now.toISOString(), ...(modified !== undefined ? { text: modified } : {}) }
    // Claimed first, so a decision made elsewhere at the same moment cannot apply the same amendment twice.
    const [claimed] = await this.services.db.query<AmendmentRow>(
      `update amendments set status = $2, decision = $3::text::json, updated_at = $4 where id = $1 and status = 'tabled' returning *`,
      [row.id, status, JSON.stringify(decision), now],
    )
    if (!claimed) throw conflict('already_decided', `A${row.number} was decided meanwhile.`)
    // The text may have moved while the claim was written: rebase again, synchronously with the edit.
    const fresh = this.rebaseRow(row, document, modified ?? row.text)
    if (fresh.state !== 'clean') {
      await this.services.db.query(`update amendments set status = 'tabled', decision = null where id = $1`, [row.id])
      throw conflict('conflict', `A${row.number} no longer applies cleanly: the paragraph changed while it was being accepted.`)
    }
    this.apply(row, document, fresh, person)
    await this.auditDecision(row, person, status)
    return claimed
  }

  async decide(amendmentId: string, person: Person, input: Decision): Promise<Amendment> {
    if (input.decision === 'reject') {
      const reason = input.reason?.trim()
      if (!reason) throw badRequest('reason_required', 'Give the reason for rejecting in "reason".')
      return this.setStatus(amendmentId, person, 'decide', 'rejected', { by: person.id, at: this.services.now().toISOString(), reason })
    }
    const current = await this.row(amendmentId)
    return this.exclusive(current.resolution_id, async () => {
      const row = await this.row(amendmentId)
      const { resolution, document } = await this.open(row.resolution_id)
      this.check('decide', person, resolution, facts(row))
      let modified: string | undefined
      if (input.decision === 'acceptModified') {
        if (input.text === undefined) throw badRequest('text_required', 'Give the modified wording in "text".')
        modified = this.wording(row.kind === 'delete' ? 'replace' : row.kind, input.text, null)
      }
      const accepted = await this.accept(row, document, person, modified)
      const [view] = await this.announce([accepted], document, 'changed')
      await this.retireOrphans(document)
      return view!
    })
  }

  async compromise(resolutionId: string, person: Person, input: NewCompromise): Promise<Amendment> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      this.check('decide', person, resolution)
      const ids = [...new Set(input.amendmentIds)]
      const rows = (await amendmentRows(this.services.db, resolutionId)).filter((row) => ids.includes(row.id))
      const missing = ids.find((id) => !rows.some((row) => row.id === id))
      if (missing) throw notFound('amendment of this resolution', missing)
      const open = rows.find((row) => row.status !== 'tabled')
      if (open) throw conflict('already_decided', `A${open.number} is already ${open.status}.`)
      const blocks = new Set(rows.map((row) => row.block_id))
      if (blocks.size !== 1 || rows.some((row) => row.kind === 'insertAfter')) {
        throw unprocessable('different_paragraphs', 'A compromise merges amendments that change or delete one and the same paragraph.')
      }
      const blockId = rows[0]!.block_id!
      const base = this.currentText(document, blockId)
      if (base === null) throw conflict('obsolete', 'The paragraph these amendments target no longer exists.')
      const text = this.wording('replace', input.text, base)
      const justification = this.justification(input.justification)
      const now = this.services.now()
      const { created, merged } = await this.services.db.transaction(async (tx) => {
        const created = await this.insert(
          tx,
          {
            id: randomUUID(),
            resolution_id: resolutionId,
            kind: 'replace',
            block_id: blockId,
            ...this.locate(resolution, document, blockId),
            base_text: base,
            text,
            justification,
            status: 'tabled',
            compromise: true,
            tabled_by: person.id,
            delegation_id: person.delegation?.id ?? null,
          },
          now,
        )
        const merged = await tx.query<AmendmentRow>(
          `update amendments set status = 'merged', merged_into = $2, decision = $3::text::json, updated_at = $4
           where id = any($1::text[]) returning *`,
          [ids, created.id, JSON.stringify({ by: person.id, at: now.toISOString() }), now],
        )
        await audit(tx, { person, action: 'decision', resolutionId, detail: { compromise: `A${created.number}`, merged: rows.map((row) => `A${row.number}`) } })
        return { created, merged }
      })
      await this.announce(merged, document, 'changed')
      return (await this.announce([created], document, 'created'))[0]!
    })
  }

  async acceptNonColliding(resolutionId: string, person: Person): Promise<BulkAcceptance> {
    return this.exclusive(resolutionId, async () => {
      const { resolution, document } = await this.open(resolutionId)
      this.check('decide', person, resolution)
      const tabled = (await amendmentRows(this.services.db, resolutionId)).filter((row) => row.status === 'tabled')
      const collisions = findCollisions(
        tabled.map((row) => ({ id: row.id, kind: row.kind, blockId: row.block_id, baseText: row.base_text, text: row.text })),
        (blockId) => blockMarkdown(document.doc, blockId),
      )
      const result: BulkAcceptance = { accepted: [], skipped: [] }
      const changed: AmendmentRow[] = []
      for (const row of tabled) {
        const state = this.rebaseRow(row, document).state
        if (state !== 'clean') result.skipped.push({ id: row.id, reason: state })
        else if (collisions.has(row.id)) result.skipped.push({ id: row.id, reason: 'colliding' })
        else {
          try {
            changed.push(await this.accept(row, document, person))
            result.accepted.push(row.id)
          } catch (error) {
            if (!(error instanceof ApiError)) throw error
            result.skipped.push({ id: row.id, reason: error.code === 'obsolete' ? 'obsolete' : 'conflict' })
          }
        }
      }
      await this.announce(changed, document, 'changed')
      await this.retireOrphans(document)
      return result
    })
  }

  async respond(amendmentId: string, person: Person, input: Response): Promise<Amendment> {
    const row = await this.row(amendmentId)
    const { resolution, document } = await this.open(row.resolution_id)
    this.check('respond', person, resolution, facts(row))
    const response = { agree: input.agree, by: person.id, at: this.services.now().toISOString(), ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}) }
    const [updated] = await this.services.db.query<AmendmentRow>(
      'update amendments set response = $2::text::json, updated_at = $3 where id = $1 returning *',
      [amendmentId, JSON.stringify(response), this.services.now()],
    )
    return (await this.announce([updated!], document, 'changed'))[0]!
  }

  async preview(amendmentId: string): Promise<Preview> {
    const row = await this.row(amendmentId)
    const { document } = await this.open(row.resolution_id)
    const current = this.currentText(document, row.block_id)
    const rebased = this.rebaseRow(row, document)
    return {
      state: rebased.state,
      current,
      text: rebased.state === 'clean' ? rebased.text : null,
      diff: rebased.state === 'clean' ? rebased.diff : [],
    }
  }
}
