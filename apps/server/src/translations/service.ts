import { plainText, type Run } from '@hemicycle/amendments'
import { Language, type LanguageEntry, type Person, type TranslationBlock, type TranslationStatus } from '@hemicycle/protocol'
import { checkVersionWork, checkVersionCreation, numberingFrozen, versionsFollowOriginal } from '@hemicycle/rules'
import type { DocumentNode } from '@hemicycle/schema'
import { alignmentOf, changedSinceRead, type Reading, showsNothing, sourceChanges } from '@hemicycle/translations'
import * as Y from 'yjs'
import { audit } from '../audit.ts'
import type { CollabServer } from '../collab/collabServer.ts'
import { documentName } from '../collab/documentKey.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import { readDocumentUpdates, writeSnapshot } from '../collab/storage.ts'
import type { Database } from '../db/database.ts'
import type { LiveEvents } from '../events/liveEvents.ts'
import { ApiError, conflict, notFound, unprocessable } from '../http/errors.ts'
import type { Logger } from '../logger.ts'
import { makeVersion } from '../documents/versionMaker.ts'
import { liveBody } from '../resolutions/bodies.ts'
import { currentBody, storedBody } from '../resolutions/documents.ts'
import { findResolution, numberingAt, type StoredResolution } from '../resolutions/repository.ts'
import type { ResolutionTurns } from '../resolutions/turns.ts'
import { confirmationsOf, findLanguageVersion, insertLanguageVersion, listLanguageVersions, versionExists, writeConfirmation, writeVersionTitle } from './repository.ts'
import { type BlockState, type BlockStatus, blockStates, countStatuses, digestOfRuns, followOriginal, identifiedBlocks, readVersion } from './texts.ts'

/** How long changes to a text gather before the versions follow: well under the second people may wait to see a block turn due. */
const FOLLOW_AFTER_MS = 40
const FOLLOW_AT_MOST_AFTER_MS = 600

/**
 * How long the list of a resolution's versions is trusted while its texts
 * change, instead of being read again every FOLLOW_AFTER_MS of typing. A
 * version added meanwhile (on another instance, or here while a read was
 * under way) is followed at most this late: a list that was relied on is
 * read again when it expires, and the versions follow once more.
 */
const VERSIONS_FRESH_MS = 1000

/**
 * The pause before the versions follow again, after a run that took
 * `lastRunMs`: FOLLOW_AFTER_MS, or long enough that following takes at most
 * a fifth of the time while someone types without stopping. A long
 * resolution in three languages takes tens of milliseconds a run, and runs
 * back to back would hold a whole core for as long as anyone typed. Never
 * more than FOLLOW_AT_MOST_AFTER_MS: a block still turns due within a second.
 */
const followDelay = (lastRunMs: number): number => Math.min(FOLLOW_AT_MOST_AFTER_MS, Math.max(FOLLOW_AFTER_MS, lastRunMs * 4))

/** After `failures` runs failed in a row: 80 ms, then twice as long each time, at most 5 s. */
const retryDelay = (failures: number): number => (failures === 0 ? 0 : Math.min(5000, FOLLOW_AFTER_MS * 2 ** failures))

/** The runs of a block with no translation yet: one array, so its digest is computed once. */
const NO_RUNS: readonly Run[] = Object.freeze([])

export interface TranslationServices {
  db: Database
  /** The collaboration server, created after this service (its extensions call back here). */
  collab: () => CollabServer
  events: LiveEvents
  turns: ResolutionTurns
  now: () => Date
  logger: Logger
}

/**
 * The language versions of resolutions: creating them, keeping them
 * aligned with the original as it changes, the status of each block
 * (announced live as it changes), and translators' confirmations.
 */
export class TranslationService {
  /** The status last announced for each block of each version open here, by document name. */
  private readonly announced = new Map<string, Map<string, TranslationStatus>>()
  private readonly scheduled = new Map<string, NodeJS.Timeout>()
  private readonly following = new Map<string, Promise<void>>()
  /** How many runs of following failed in a row, per resolution: the next waits longer (`retryDelay`). */
  private readonly failures = new Map<string, number>()
  /** How long the last run of following took, for resolutions whose runs are long enough to pace: see `followDelay`. */
  private readonly lastRunMs = new Map<string, number>()
  /** For each version open here, the shape of the original it was last found aligned with, unchanged (`alignmentOf`), and its body then. */
  private readonly aligned = new WeakMap<Y.Doc, { alignment: string; version: DocumentNode }>()
  /** The languages of each resolution's versions, as read at `readAt` (performance.now()), and whether a run relied on them since. */
  private readonly knownVersions = new Map<string, { languages: Language[]; readAt: number; relied: boolean }>()
  /** Versions a run of following is opening: their loading sets no run off (see `loaded`). */
  private readonly openedToFollow = new Set<string>()
  private closed = false

  constructor(private readonly services: TranslationServices) {}

  private get collab() {
    return this.services.collab()
  }

  private reader() {
    return { db: this.services.db, collab: this.collab }
  }

  /**
   * A text of the resolution changed (the original, or a version from a
   * connection): shortly after, every version is aligned with the original
   * and the blocks whose status changed are announced. Runs one at a time
   * per resolution; changes meanwhile gather into the next run.
   */
  changed(resolutionId: string): void {
    if (this.closed || this.scheduled.has(resolutionId)) return
    const timer = setTimeout(() => {
      this.scheduled.delete(resolutionId)
      const previous = this.following.get(resolutionId) ?? Promise.resolve()
      const next = previous
        .then(async () => {
          const started = performance.now()
          await this.follow(resolutionId)
          const took = performance.now() - started
          if (took > FOLLOW_AFTER_MS / 4) this.lastRunMs.set(resolutionId, took)
          else this.lastRunMs.delete(resolutionId)
          this.failures.delete(resolutionId)
        })
        .catch((error: unknown) => {
          if (this.closed) return
          // Tried again, slower and slower (the database may be down): nothing else might ask before the next edit, and a
          // paragraph inserted during an outage left its versions without their block until then (53 s in a hostile test).
          const failures = (this.failures.get(resolutionId) ?? 0) + 1
          this.failures.set(resolutionId, failures)
          if (failures === 1) this.services.logger.error('the language versions could not follow the original', { resolutionId, error })
          this.changed(resolutionId)
        })
      this.following.set(resolutionId, next)
      void next.finally(() => {
        if (this.following.get(resolutionId) === next) this.following.delete(resolutionId)
      })
    }, Math.max(followDelay(this.lastRunMs.get(resolutionId) ?? 0), retryDelay(this.failures.get(resolutionId) ?? 0)))
    timer.unref()
    this.scheduled.set(resolutionId, timer)
  }

  /**
   * A version loaded here: it may have missed changes of the original while
   * it was unloaded, so the versions follow. Not when a run of following
   * opened it, which aligns it next: where documents unload sooner than the
   * next run comes (UNLOAD_AFTER_MS shorter than a run of a long text and
   * the pause before the next), each run loaded the versions again and set
   * the next one off, for good (39 runs in 2 s with nothing changing).
   */
  loaded(resolutionId: string, name: string): void {
    if (!this.openedToFollow.has(name)) this.changed(resolutionId)
  }

  /** The languages a resolution has versions in, read again once VERSIONS_FRESH_MS old. */
  private async versionLanguages(resolutionId: string): Promise<Language[]> {
    const known = this.knownVersions.get(resolutionId)
    if (known && performance.now() - known.readAt < VERSIONS_FRESH_MS) {
      known.relied = true
      return known.languages
    }
    const entry = { languages: [] as Language[], readAt: performance.now(), relied: false }
    entry.languages = (await listLanguageVersions(this.services.db, resolutionId)).map((row) => row.language)
    this.knownVersions.set(resolutionId, entry)
    // Forgotten once stale, so resolutions nobody edits any more hold nothing here; if a run relied on it, one more run reads afresh.
    setTimeout(() => {
      if (this.knownVersions.get(resolutionId) !== entry) return
      this.knownVersions.delete(resolutionId)
      if (entry.relied) this.changed(resolutionId)
    }, VERSIONS_FRESH_MS).unref()
    return entry.languages
  }

  private async follow(resolutionId: string): Promise<void> {
    const languages = await this.versionLanguages(resolutionId)
    if (languages.length === 0 || this.closed) return
    const live = this.collab.peek(resolutionId)
    let original = live ? liveBody(live.doc) : await storedBody(this.services.db, resolutionId)
    let settled = live === undefined
    // The blocks are announced cited as the page reads them (`GET …/blocks`): frozen through consolidation. The freeze
    // is read only then: in a draft, where typing follows typing, this ran a query for nothing at every run.
    const resolution = live && !numberingFrozen(live.stage) ? null : await findResolution(this.services.db, resolutionId)
    const numbering = resolution ? numberingAt(resolution, resolution.stage) : null
    for (const language of languages) {
      if (this.closed) return
      const name = documentName({ resolutionId, language })
      this.openedToFollow.add(name)
      let document: LiveDocument
      try {
        document = await this.collab.open(name)
      } finally {
        this.openedToFollow.delete(name)
      }
      if (versionsFollowOriginal(document.stage) && !this.stillAligned(document, original) && !settled) {
        // A version follows only what of the original is stored: the blocks it gains are stored at once, and a crash
        // before the original's typing was stored left a version with a block whose paragraph the restarted server
        // lacked; it took the block away, with what a translator had written there, before the editor's tab brought the
        // paragraph back. Read again once stored, and followed with no wait between (nothing new can arrive).
        // Typing outrunning the writes, or the database failing, fails the run: the next tries again (`retryDelay`).
        await this.collab.settle(live!)
        settled = true
        original = liveBody(live!.doc)
      }
      if (versionsFollowOriginal(document.stage) && !this.stillAligned(document, original)) {
        // Aligning the same version with an original of the same shape again would change nothing: remembered only when this run changed nothing.
        if (!followOriginal(document, original)) this.aligned.set(document.doc, { alignment: alignmentOf(original), version: liveBody(document.doc) })
      }
      const confirmations = await confirmationsOf(this.services.db, resolutionId, language)
      this.announce(resolutionId, language, blockStates(original, liveBody(document.doc), confirmations, numbering))
    }
  }

  /**
   * Whether the version was found aligned with an original of this one's shape (`alignmentOf`: typing in its words
   * leaves it) and has not changed since (its body is read once per change: `liveBody`).
   */
  private stillAligned(document: LiveDocument, original: DocumentNode): boolean {
    const last = this.aligned.get(document.doc)
    return last !== undefined && last.version === liveBody(document.doc) && last.alignment === alignmentOf(original)
  }

  /** Tells everyone watching the resolution of each block whose status differs from what was last told. */
  private announce(resolutionId: string, language: Language, blocks: readonly BlockStatus[]): void {
    const name = documentName({ resolutionId, language })
    const before = this.announced.get(name)
    const now = new Map(blocks.map((block) => [block.sourceId, block.status]))
    this.announced.set(name, now)
    for (const [sourceId, status] of now) {
      if (before?.get(sourceId) !== status) this.services.events.publish(resolutionId, { type: 'translation', language, sourceId, status })
    }
  }

  /** A version's document unloaded here: what was last announced of it is forgotten (it is announced afresh if it loads again). */
  forget(name: string): void {
    this.announced.delete(name)
  }

  /** Stops following: pending runs are dropped, running ones finish. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.scheduled.values()) clearTimeout(timer)
    this.scheduled.clear()
    await Promise.allSettled(this.following.values())
  }

  private async resolution(resolutionId: string): Promise<StoredResolution> {
    const resolution = await findResolution(this.services.db, resolutionId)
    if (!resolution) throw notFound('resolution', resolutionId)
    return resolution
  }

  /** A version that exists, or 404. */
  private async version(resolution: StoredResolution, language: string): Promise<Language> {
    const parsed = Language.safeParse(language)
    if (!parsed.success || parsed.data === resolution.language || !(await versionExists(this.services.db, resolution.id, parsed.data))) {
      throw notFound(`${language} version of this resolution`, resolution.id)
    }
    return parsed.data
  }

  async languages(resolutionId: string): Promise<LanguageEntry[]> {
    const resolution = await this.resolution(resolutionId)
    const original = await currentBody(this.services.db, this.collab, resolution.id)
    const originalEntry: LanguageEntry = {
      language: resolution.language,
      original: true,
      title: resolution.title,
      counts: { current: identifiedBlocks(original), due: 0, missing: 0 },
      hash: resolution.lockedHash,
    }
    const entries = [originalEntry]
    for (const row of await listLanguageVersions(this.services.db, resolution.id)) {
      const blocks = await readVersion(this.reader(), resolution.id, row.language, original, numberingAt(resolution, resolution.stage))
      entries.push({ language: row.language, original: false, title: row.title ?? resolution.title, counts: countStatuses(blocks), hash: row.locked_hash })
    }
    return entries
  }

  /**
   * Adds a version: one empty block per block of the original, same
   * structure, each linked to its source; stored as the version's first
   * state, with the addition audited, all or nothing.
   */
  async create(resolutionId: string, person: Person, language: string): Promise<LanguageEntry> {
    const parsed = Language.safeParse(language)
    if (!parsed.success) throw unprocessable('invalid_language', `"${language.slice(0, 20)}" is not one of the alliance’s languages (${Language.options.join(', ')}).`)
    const mayCreate = (resolution: StoredResolution) => {
      const refusal = checkVersionCreation(resolution.stage, person.role)
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      if (parsed.data === resolution.language) throw unprocessable('original_language', `The resolution is written in ${resolution.language}: that is its original, not a version.`)
    }
    mayCreate(await this.resolution(resolutionId))
    // Made outside the resolution's turn, which decisions, stage moves and loading its documents wait for: the version may wait
    // its own turn on the thread. The original as it stands, from memory if it is open here.
    const live = this.collab.peek(resolutionId)
    const updates = live ? [Y.encodeStateAsUpdate(live.doc)] : await readDocumentUpdates(this.services.db, resolutionId)
    const { state, sourceIds } = await makeVersion({ updates })
    const blocks = sourceIds.map((sourceId): BlockStatus => ({ sourceId, status: 'missing' }))
    return this.services.turns.run(resolutionId, async () => {
      // Checked again in the turn: the stage may have moved (to the lock) while the version was made.
      const resolution = await this.resolution(resolutionId)
      mayCreate(resolution)
      await this.services.db.transaction(async (tx) => {
        if (!(await insertLanguageVersion(tx, resolution.id, parsed.data, person.id, this.services.now()))) {
          throw conflict('language_exists', `The resolution already has a ${parsed.data} version.`)
        }
        await writeSnapshot(tx, documentName({ resolutionId: resolution.id, language: parsed.data }), state)
        await audit(tx, { person, action: 'language', resolutionId: resolution.id, detail: { language: parsed.data, blocks: blocks.length } })
      })
      this.knownVersions.delete(resolution.id)
      this.announce(resolution.id, parsed.data, blocks)
      // The original may have moved on while the version was made.
      this.changed(resolution.id)
      return { language: parsed.data, original: false, title: resolution.title, counts: countStatuses(blocks), hash: null }
    })
  }

  /** Gives a version its title in its language (empty: the original's again), while the versions may change. */
  async retitle(resolutionId: string, language: string, title: string, person: Person): Promise<LanguageEntry> {
    return this.services.turns.run(resolutionId, async () => {
      const resolution = await this.resolution(resolutionId)
      const version = await this.version(resolution, language)
      const refusal = checkVersionWork(resolution.stage, person.role)
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      const given = title.normalize('NFC').trim() || null
      const before = await findLanguageVersion(this.services.db, resolution.id, version)
      // The title heads every print of the version: who changed it, and from what, is on the record as any change is.
      await this.services.db.transaction(async (tx) => {
        await writeVersionTitle(tx, resolution.id, version, given)
        if ((before?.title ?? null) !== given) await audit(tx, { person, action: 'versionTitle', resolutionId: resolution.id, detail: { language: version, from: before?.title ?? null, to: given } })
      })
      const blocks = await readVersion(this.reader(), resolution.id, version, undefined, numberingAt(resolution, resolution.stage))
      return { language: version, original: false, title: given ?? resolution.title, counts: countStatuses(blocks), hash: before?.locked_hash ?? null }
    })
  }

  private view(block: BlockState): TranslationBlock {
    const source = block.confirmation?.source ?? null
    return {
      sourceId: block.sourceId,
      id: block.translation?.id ?? '',
      paragraph: block.paragraph,
      section: block.section,
      numbered: block.numbered,
      status: block.status,
      text: block.translation ? plainText(block.translation.runs) : '',
      sourceText: plainText(block.sourceRuns),
      sourceChanges: sourceChanges(block.status, block.sourceRuns, source),
      confirmed: block.confirmation ? { by: block.confirmation.by, at: block.confirmation.at.toISOString() } : null,
      sourceDigest: digestOfRuns(block.sourceRuns),
      translationDigest: digestOfRuns(block.translation?.runs ?? NO_RUNS),
    }
  }

  async blocks(resolutionId: string, language: string): Promise<TranslationBlock[]> {
    const resolution = await this.resolution(resolutionId)
    const version = await this.version(resolution, language)
    return (await readVersion(this.reader(), resolution.id, version, undefined, numberingAt(resolution, resolution.stage))).map((block) => this.view(block))
  }

  /**
   * A translator says a block's translation matches its source as the
   * original has it now: that wording is recorded, and the block is current
   * until the source changes. Serialised with the lock, so nothing is
   * confirmed once the text is locked.
   *
   * With `read` (what the translator's page showed), the block is confirmed
   * only if both texts still read so: otherwise 409 `changed_since_read`
   * with the block as it now stands, nothing recorded, since the record
   * would vouch for words the translator never saw. Without it, as before,
   * for clients that do not send it.
   */
  async confirm(resolutionId: string, language: string, sourceId: string, person: Person, read?: Reading): Promise<TranslationBlock> {
    return this.services.turns.run(resolutionId, async () => {
      const resolution = await this.resolution(resolutionId)
      const version = await this.version(resolution, language)
      const refusal = checkVersionWork(resolution.stage, person.role)
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
      const blocks = await readVersion(this.reader(), resolution.id, version, undefined, numberingAt(resolution, resolution.stage))
      const block = blocks.find((candidate) => candidate.sourceId === sourceId)
      if (!block) throw notFound('block of the original', sourceId)
      // A block with nothing to translate is current without a word; there is still nothing to vouch for.
      if (block.status === 'missing' || showsNothing(block.translation?.runs ?? null)) throw conflict('empty_translation', `§${block.section}: the translation is empty; there is nothing to confirm.`)
      const changed = read ? changedSinceRead({ source: block.sourceRuns, translation: block.translation!.runs }, read) : []
      if (changed.length > 0) {
        const what = changed.length === 2 ? 'the original and the translation' : changed[0] === 'source' ? 'the original' : 'the translation'
        throw new ApiError(409, 'changed_since_read', `§${block.section}: ${what} changed since it was read; read the block again before confirming it.`, {}, {
          changed,
          block: this.view(block),
        })
      }
      const at = this.services.now()
      await this.services.db.transaction(async (tx) => {
        await writeConfirmation(tx, { resolutionId: resolution.id, language: version, sourceId, source: block.sourceRuns, translation: block.translation!.runs, personId: person.id, at })
        await audit(tx, { person, action: 'confirm', resolutionId: resolution.id, detail: { language: version, sourceId, paragraph: block.paragraph } })
      })
      const confirmed: BlockState = { ...block, status: 'current', confirmation: { source: block.sourceRuns, translation: block.translation!.runs, by: person.name, at } }
      this.announce(resolution.id, version, blocks.map((candidate) => (candidate.sourceId === sourceId ? confirmed : candidate)))
      return this.view(confirmed)
    })
  }
}
