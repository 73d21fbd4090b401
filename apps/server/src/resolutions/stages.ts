import type { Person } from '@hemicycle/protocol'
import { freezeNumbering, MARKDOWN_RULE, readBody } from '@hemicycle/schema'
import { calendarDayIn, checkReopeningDeadline, checkTransition, type StageMove } from '@hemicycle/rules'
import { audit } from '../audit.ts'
import type { Queryable } from '../db/database.ts'
import { catchUpFromLog } from '../collab/extensions/storedChanges.ts'
import { normalizeWhole } from '../collab/extensions/normalizedText.ts'
import { storedText } from '../collab/storage.ts'
import { ApiError, conflict, notFound } from '../http/errors.ts'
import type { Services } from '../http/env.ts'
import { textHash } from './documents.ts'
import { type NotificationRecord } from '../notifications/notifications.ts'
import { notifyStageMove } from '../notifications/procedureNotices.ts'
import { guardOutstandingAmendments, lapseTabledAmendments } from './outstandingAmendments.ts'
import { findResolution, publicResolution, type StoredResolution } from './repository.ts'
import { recordVersion } from './versions.ts'
import { guardTranslationsAtLock, hashVersions } from '../translations/lock.ts'
import { listLanguageVersions, writeLockedHashes } from '../translations/repository.ts'
import { followOriginal } from '../translations/texts.ts'
import { documentName } from '../collab/documentKey.ts'

/** How far back a stage move looks in the log for changes its live copies lack. */
const CATCH_UP_WINDOW_MS = 10 * 60_000

const FORWARD = ['draft', 'amendments', 'consolidation', 'final', 'adopted']

/**
 * Moves a resolution through the procedure, one move of a resolution at a
 * time on this instance. The live document takes the new stage first, so no
 * write slips in between the check and the record; then the text is stored,
 * versioned (and hashed when locked), the move audited, and everyone told.
 * The move is recorded only if the stage is still the one it was checked
 * against (`… where stage = <from>`): of two moves racing from different
 * instances exactly one is recorded, the other refused with 409
 * `stage_changed`, so an adoption and a reopening can never both land and
 * leave an adopted resolution without its hash.
 */
export function moveStage(
  services: Pick<Services, 'db' | 'collab' | 'events' | 'now' | 'turns' | 'amendments' | 'notifications'>,
  resolutionId: string,
  person: Person,
  move: StageMove,
  /** A meeting's vote moving it: closes that vote in the move's own transaction. */
  seal?: (tx: Queryable) => Promise<void>,
): Promise<StoredResolution> {
  return services.turns.run(resolutionId, () => moveInTurn(services, resolutionId, person, move, seal))
}

/** While a meeting votes on the resolution or one of its amendments, only that vote moves it: the text it votes on stays as it is. */
async function refuseWhileVoting(db: Queryable, resolutionId: string): Promise<void> {
  const [open] = await db.query<{ subject_kind: 'amendment' | 'adoption' }>(`select subject_kind from votes where status = 'open' and resolution_id = $1 limit 1`, [resolutionId])
  if (!open) return
  throw conflict(
    'vote_open',
    open.subject_kind === 'adoption'
      ? 'A meeting is voting on adopting this resolution: its vote decides. Close the vote first.'
      : 'A meeting is voting on an amendment to this resolution. Close the vote before the resolution moves on.',
  )
}

/**
 * A meeting that voted against adopting the text as locked has the last word on it: only a new vote adopts it, as
 * only a new vote decides an amendment a meeting voted on. Recorded by hand, the adoption would read "adopted by the
 * Council" beside a vote on record of the Council refusing it. Votes on an earlier lock (the text was reopened and
 * locked again since, in the audit log's order) were on another text.
 */
async function refuseAfterAdoptionVotedDown(db: Queryable, resolutionId: string): Promise<void> {
  const [refused] = await db.query<{ title: string }>(
    `select m.title from votes v join meetings m on m.id = v.meeting_id
      where v.resolution_id = $1 and v.subject_kind = 'adoption' and v.status = 'closed' and v.result->>'passed' = 'false'
        and exists (select 1 from audit_log opened where opened.resolution_id = $1 and opened.action = 'vote' and opened.detail->>'vote' = v.id
                      and opened.id > coalesce((select max(lock.id) from audit_log lock where lock.resolution_id = $1 and lock.action = 'lock'), 0))
      order by v.closed_at desc limit 1`,
    [resolutionId],
  )
  if (!refused) return
  throw conflict('adoption_voted_down', `The meeting “${refused.title}” voted against adopting this text: only a new vote adopts it, not a move by hand.`)
}

async function moveInTurn(
  services: Pick<Services, 'db' | 'collab' | 'events' | 'now' | 'amendments' | 'notifications'>,
  resolutionId: string,
  person: Person,
  move: StageMove,
  seal: ((tx: Queryable) => Promise<void>) | undefined,
): Promise<StoredResolution> {
  const { db, collab, events } = services
  const now = services.now()
  const resolution = await findResolution(db, resolutionId)
  if (!resolution) throw notFound('resolution', resolutionId)
  const verdict = checkTransition(resolution.stage, person.role, move, now)
  if (!verdict.ok) throw new ApiError(verdict.refusal.status, verdict.refusal.code, verdict.refusal.message)
  const reopening = checkReopeningDeadline(resolution.stage, move.to, resolution.deadline ? new Date(resolution.deadline) : null, move.deadline, now)
  if (reopening) throw new ApiError(reopening.status, reopening.code, reopening.message)
  if (resolution.stage === 'consolidation') await services.amendments.followParagraphsOf(resolutionId)
  let lockedOver = await guardOutstandingAmendments(db, resolutionId, move.to, move.acceptOutstandingAmendments)
  // What can refuse the move is asked before the text freezes for it: a refusal then takes nobody's right away, even for a moment.
  if (!seal) await refuseWhileVoting(db, resolutionId)
  if (!seal && move.to === 'adopted') await refuseAfterAdoptionVotedDown(db, resolutionId)
  if (move.to === 'final') await guardTranslationsAtLock(services, resolutionId, move)

  const document = await collab.open(resolutionId)
  // Every language version is held here too, so the new stage reaches each of them with the original, on every instance.
  const languages = (await listLanguageVersions(db, resolutionId)).map(({ language }) => language)
  const versions = await Promise.all(languages.map((language) => collab.open(documentName({ resolutionId, language }))))
  // What an instance stored and died before passing on is in the text before it freezes: the hash reads the log, and
  // would otherwise be of a text nobody here had on screen. Older changes the checks every few seconds took already.
  for (const held of [document, ...versions]) {
    if (!(await catchUpFromLog(db, collab, held, new Date(now.getTime() - CATCH_UP_WINDOW_MS)))) {
      throw new ApiError(503, 'text_behind', 'Changes stored on another server had not reached the text here; it is read again. Try again in a moment.')
    }
  }
  let lapsed: Array<{ id: string }>
  let notice: NotificationRecord | null = null
  try {
    // Every instance holding the text follows the new stage and stores what it took before, or the move fails here.
    await collab.applyStage(resolutionId, move.to)
    // Versions follow the original a moment after it changes; the lock hashes them aligned with it as it is frozen now
    // (a paragraph it deleted or moved a moment ago is not left behind in a version, nor in its old place).
    if (move.to === 'final') {
      // Typing another instance took a moment before the freeze reached the one composing it after it froze: composed
      // now, by this instance alone, no other composing any more; the versions follow the original so composed.
      normalizeWhole(document)
      const original = readBody(document.doc)
      for (const version of versions) {
        followOriginal(version, original)
        normalizeWhole(version)
      }
    }
    for (const held of [document, ...versions]) await collab.store(held)
    // Read again against the frozen text: an undo between the first reading and the freeze brings a paragraph back, and its
    // amendments are undecided in the text that is hashed, not obsolete (before, the lock passed over them).
    if (resolution.stage === 'consolidation') {
      await services.amendments.followParagraphsOf(resolutionId)
      lockedOver = await guardOutstandingAmendments(db, resolutionId, move.to, move.acceptOutstandingAmendments)
    }
    const backwards = FORWARD.indexOf(move.to) < FORWARD.indexOf(resolution.stage)
    // Checked again once every document is frozen, so what is checked is what gets hashed.
    const acknowledged = move.to === 'final' ? await guardTranslationsAtLock(services, resolutionId, move) : []
    lapsed = await db.transaction(async (tx) => {
      const moved = await tx.query('update resolutions set stage = $2, updated_at = $3 where id = $1 and stage = $4 returning id', [resolutionId, move.to, now, resolution.stage])
      if (moved.length === 0) throw conflict('stage_changed', 'The resolution moved to another stage meanwhile; nothing was changed. Reload and try again.')
      // Under the resolution's row lock, which opening a vote takes too: no vote opens unseen between this check and the move.
      if (seal) await seal(tx)
      else await refuseWhileVoting(tx, resolutionId)
      if (!seal && move.to === 'adopted') await refuseAfterAdoptionVotedDown(tx, resolutionId)
      // The text as stored, read under the row lock every store takes: what is versioned and hashed is exactly what the database holds.
      const { body, state } = await storedText(tx, resolutionId)
      if (move.to === 'amendments') {
        const frozen = freezeNumbering(body)
        // Reopening keeps the deadline unless a new one is given; numbering is frozen afresh for the new round.
        await tx.query('update resolutions set amendment_deadline = coalesce($2, amendment_deadline), frozen_numbering = $3::text::json where id = $1', [
          resolutionId,
          move.deadline ? new Date(move.deadline) : null,
          JSON.stringify(frozen),
        ])
      }
      if (move.to === 'final') await tx.query('update resolutions set locked_hash = $2, hash_rule = $3 where id = $1', [resolutionId, textHash(body, MARKDOWN_RULE), MARKDOWN_RULE])
      if (move.to === 'final') await writeLockedHashes(tx, resolutionId, await hashVersions(tx, resolutionId, languages))
      if (resolution.stage === 'final' && backwards) {
        await tx.query('update resolutions set locked_hash = null, hash_rule = null where id = $1', [resolutionId])
        await writeLockedHashes(tx, resolutionId, null)
      }
      if (move.to === 'adopted') {
        await tx.query('update resolutions set adopted_by = $2, adopted_at = $3, adoption_event = $4, adoption_vote = $5::text::json where id = $1', [
          resolutionId,
          move.adoptedBy,
          // A calendar date (`checkTransition` saw to it), or today where the resolution's meeting sits when none is given.
          move.adoptedAt || calendarDayIn(now, resolution.timeZone),
          move.event?.trim() || resolution.event,
          move.vote ? JSON.stringify(move.vote) : null,
        ])
      }
      await recordVersion(tx, { resolutionId, label: `${resolution.stage} → ${move.to}`, stage: move.to, state, personId: person.id, at: now })
      const lapsed = await lapseTabledAmendments(tx, { resolutionId, from: resolution.stage, to: move.to, person, reason: move.reason, at: now })
      const action = move.to === 'final' ? 'lock' : backwards ? 'reopen' : 'stage'
      await audit(tx, {
        person,
        action,
        resolutionId,
        detail: {
          from: resolution.stage,
          to: move.to,
          ...(move.reason ? { reason: move.reason } : {}),
          ...(move.deadline ? { deadline: move.deadline } : {}),
          ...(move.vote ? { vote: move.vote.voteId } : {}),
          ...(acknowledged.length > 0 ? { outstandingTranslationsAcknowledged: acknowledged } : {}),
          ...(lockedOver.length > 0 ? { acceptedOutstanding: lockedOver.map((item) => ({ amendment: item.number, amendmentId: item.id, reason: item.reason })) } : {}),
          ...(lapsed.length > 0 ? { lapsed: lapsed.map((row) => `A${row.number}`) } : {}),
        },
      })
      notice = await notifyStageMove(services.notifications, tx, { resolutionId, from: resolution.stage, move, person })
      return lapsed
    })
  } catch (error) {
    // Back to the stage as stored, which is not the one read above if another move won the race.
    const stored = await findResolution(db, resolutionId).catch(() => null)
    await collab.applyStage(resolutionId, stored?.stage ?? resolution.stage).catch(() => {})
    throw error
  }

  const updated = (await findResolution(db, resolutionId))!
  events.publish(resolutionId, {
    type: 'stage',
    from: resolution.stage,
    resolution: publicResolution(updated, now),
    by: person.name,
    ...(move.reason ? { reason: move.reason } : {}),
  })
  services.notifications.send([notice])
  await services.amendments.announceChanged(resolutionId, lapsed.map((row) => row.id))
  return updated
}
