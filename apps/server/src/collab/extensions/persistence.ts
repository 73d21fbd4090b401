import type { Language, Stage } from '@hemicycle/protocol'
import { readOnlyReason, versionReadOnlyReason } from '@hemicycle/rules'
import * as Y from 'yjs'
import type { Database } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import type { Connection } from '../connection.ts'
import type { LiveDocument } from '../liveDocument.ts'
import { needsStoring, STORAGE_ORIGIN, type UpdateOrigin } from '../origin.ts'
import { replayed } from '../slicedApply.ts'
import { mergedUpdates } from '../mergedUpdates.ts'
import { StoredClocks } from '../storedClocks.ts'
import { wordMovesOf } from '../wordMoves.ts'
import { appendUpdates, appendUpdatesAtStage, compactDocument, type LoggedUpdate, readStoredLog } from '../storage.ts'

export interface PersistenceOptions {
  db: Database
  /** Updates wait at most this long before they are written (the README's persistence bound). */
  flushAfterMs: number
  /** Fold the log into the snapshot after this many rows, or after this long with any row written. */
  compactAfterRows: number
  compactEveryMs: number
  now: () => Date
  /** Told when writing keeps failing (`delayed`) and when it works again (`recovered`). */
  onHealth?: (document: LiveDocument, health: 'delayed' | 'recovered', error?: unknown) => void
  /** A change another instance made and has not said it stored after this long is stored here (its maker died). */
  takeOverAfterMs?: number
  logger?: Pick<Logger, 'error'>
}

/**
 * Changes written in one statement at most. A write takes what a document took since the last (200 ms of typing: a few
 * rows), but after an outage everything it took meanwhile: with several people typing in turn each change is a row of
 * its own, and past 6,553 rows one statement has more parameters than PostgreSQL takes (65,535), so every retry failed
 * and nothing typed during an outage of a few minutes was ever stored.
 */
export const ENTRIES_PER_WRITE = 1_000

/** A change waiting to be written; `seq` for the changes made here, which other instances hold until told they are stored. */
type QueuedUpdate = LoggedUpdate & { seq?: number }

interface DocumentQueue {
  entries: QueuedUpdate[]
  timer: NodeJS.Timeout | null
  /** The latest write: the next one starts after it, so writes of one document never overlap. */
  writing: Promise<void> | null
  failures: number
  rowsSinceCompaction: number
  lastCompaction: number
  /** Per Yjs client, the clock up to which everything is in the database. */
  stored: StoredClocks
  /** The number of the latest change this document took, and up to which of its own changes this instance said are stored. */
  lastSeq: number
  toldThrough: number
  /** A write is running: what it took is in no list, and not yet in the database. */
  busy: boolean
}

const originKey = (origin: LoggedUpdate['origin']) =>
  origin.kind === 'server' ? 'server' : origin.kind === 'amendment' ? `amendment:${origin.amendmentId}` : `person:${origin.person.id}`

/** Consecutive updates from the same origin become one log row. */
function batch(entries: readonly QueuedUpdate[]): LoggedUpdate[] {
  const rows: LoggedUpdate[] = []
  let run: LoggedUpdate[] = []
  const close = () => {
    if (run.length === 0) return
    const { update, origin, at } = run[0]!
    const moves = run.flatMap((entry) => entry.moves ?? [])
    rows.push({ origin, at, update: run.length === 1 ? update : mergedUpdates(run.map((entry) => entry.update)), ...(moves.length > 0 ? { moves } : {}) })
    run = []
  }
  for (const entry of entries) {
    if (run.length > 0 && originKey(run[0]!.origin) !== originKey(entry.origin)) close()
    run.push(entry)
  }
  close()
  return rows
}

/** Whether a stored row's maker may still write the document (the original, or a language version) at `stage`. */
const allowedAt = (stage: Stage | undefined, language: Language | null) => (row: LoggedUpdate) => {
  if (stage === undefined || row.origin.kind !== 'connection') return true
  const refusal = language === null ? readOnlyReason(stage, row.origin.person.role) : versionReadOnlyReason(stage, row.origin.person.role)
  return refusal === null
}

/**
 * Storage of live documents: load from snapshot + log, append every change to
 * the log within `flushAfterMs`, compact now and then and on unload. A failed
 * write keeps its updates in memory and retries with backoff, so a database
 * outage delays saving but loses nothing the server still holds.
 *
 * Each instance stores the changes made on it, and says so to the others
 * (the document's custody); changes made on another instance that it does
 * not say it stored within `takeOverAfterMs` are stored here. A person's
 * change is written only if the stage in the database, read under the
 * resolution's row lock in the same transaction, still lets them write: a
 * change one instance took after another locked the text can never reach
 * the stored text the lock hashed.
 */
export function persistence(options: PersistenceOptions): Extension {
  const queues = new Map<LiveDocument, DocumentQueue>()
  const takeOverAfterMs = options.takeOverAfterMs ?? 3000
  let destroyed = false
  let custodyTimer: NodeJS.Timeout | null = null

  const queueOf = (document: LiveDocument) => {
    let queue = queues.get(document)
    if (!queue) {
      queue = {
        entries: [],
        timer: null,
        writing: null,
        failures: 0,
        rowsSinceCompaction: 0,
        lastCompaction: options.now().getTime(),
        stored: new StoredClocks(),
        lastSeq: 0,
        toldThrough: 0,
        busy: false,
      }
      queues.set(document, queue)
    }
    return queue
  }

  /** Moves the changes other instances did not store in time into the document's own queue. */
  const takeOver = (document: LiveDocument, queue: DocumentQueue, before: number) => {
    const overdue = document.custody.takeOverdue(before)
    if (overdue.length === 0) return
    for (const { update, origin, at } of overdue) queue.entries.push({ update, origin, at })
    schedule(document, queue, 0)
  }

  const watchCustody = () => {
    if (custodyTimer || destroyed) return
    custodyTimer = setInterval(() => {
      let holding = false
      for (const [document, queue] of queues) {
        if (document.custody.size === 0) continue
        holding = true
        takeOver(document, queue, performance.now() - takeOverAfterMs)
      }
      if (!holding && custodyTimer) {
        clearInterval(custodyTimer)
        custodyTimer = null
      }
    }, Math.max(50, takeOverAfterMs / 4))
    custodyTimer.unref()
  }

  /** Tells the other instances up to which of this instance's changes everything is stored. */
  const tellStored = (document: LiveDocument, queue: DocumentQueue) => {
    const pending = queue.entries.find((entry) => entry.seq !== undefined)
    const through = pending ? pending.seq! - 1 : queue.lastSeq
    if (through <= queue.toldThrough) return
    queue.toldThrough = through
    document.custody.storedHere(through, queue.stored.stateVector())
  }

  /** Tells each connection what is stored (see `Connection.sendSaved`), encoded at most once. */
  const acknowledge = (document: LiveDocument, queue: DocumentQueue, connections: Iterable<Connection>) => {
    const stored = queue.stored.stateVector(document.custody.storedElsewhere)
    let encoded: Uint8Array | null = null
    for (const connection of connections) connection.sendSaved(stored, () => (encoded ??= Y.encodeStateVector(stored)))
  }

  const schedule = (document: LiveDocument, queue: DocumentQueue, delay: number) => {
    if (queue.timer || destroyed) return
    queue.timer = setTimeout(() => {
      queue.timer = null
      void write(document).catch(() => {})
    }, delay)
  }

  /** Writes what is queued now, `ENTRIES_PER_WRITE` at a time (what is queued meanwhile waits for the next write). */
  async function writeOnce(document: LiveDocument, queue: DocumentQueue): Promise<void> {
    for (let left = queue.entries.length; left > 0; left -= ENTRIES_PER_WRITE) {
      const taken = queue.entries.splice(0, Math.min(left, ENTRIES_PER_WRITE))
      queue.busy = true
      try {
        await writeTaken(document, queue, taken)
      } finally {
        queue.busy = false
        // Written, or failing: then kept for the retry, and the tabs are not kept waiting through an outage for what the
        // server made (they were sent it at once before; a crash during the outage can lose it, as it can then lose
        // typing). Not a spread: after a long outage the queue holds more entries than a call takes arguments.
        document.releaseOwnChanges(taken.reduce((latest, entry) => Math.max(latest, entry.seq ?? 0), 0))
      }
    }
  }

  async function writeTaken(document: LiveDocument, queue: DocumentQueue, taken: QueuedUpdate[]): Promise<void> {
    const rows = batch(taken)
    let written: typeof rows
    try {
      // Usually the database's stage is the one this document knows and lets every row in: one guarded statement then.
      const { stage, language } = document
      const stored = rows.every(allowedAt(stage, language)) && (await appendUpdatesAtStage(options.db, document.name, rows, stage))
      written = stored
        ? rows
        : await options.db.transaction(async (tx) => {
            const [resolution] = await tx.query<{ stage: Stage }>('select stage from resolutions where id = $1 for share', [document.resolutionId])
            const allowed = rows.filter(allowedAt(resolution?.stage, language))
            await appendUpdates(tx, document.name, allowed)
            return allowed
          })
    } catch (error) {
      // Not `unshift(...taken)`: past about 120,000 entries (a long outage, many typing) the spread threw, and they were lost.
      queue.entries = [...taken, ...queue.entries]
      queue.failures += 1
      if (queue.failures === 1) options.onHealth?.(document, 'delayed', error)
      schedule(document, queue, Math.min(5000, options.flushAfterMs * 2 ** queue.failures))
      throw error
    }
    if (queue.failures > 0) options.onHealth?.(document, 'recovered')
    queue.failures = 0
    if (written.length < rows.length) {
      // Only if this instance missed a stage change (it lost the bus unnoticed): logged loudly, never stored.
      options.logger?.error('changes taken after the stage changed elsewhere were not stored', { resolutionId: document.resolutionId, refused: rows.length - written.length })
    }
    queue.rowsSinceCompaction += written.length
    for (const { update } of written) queue.stored.add(update)
    acknowledge(document, queue, document.connections)
    tellStored(document, queue)
    const due = options.now().getTime() - queue.lastCompaction >= options.compactEveryMs
    if (queue.rowsSinceCompaction >= options.compactAfterRows || due) {
      queue.rowsSinceCompaction = 0
      queue.lastCompaction = options.now().getTime()
      await options.db.transaction((tx) => compactDocument(tx, document.name))
    }
  }

  /** Writes what is queued; serialised per document. */
  function write(document: LiveDocument): Promise<void> {
    const queue = queueOf(document)
    const run = (queue.writing ?? Promise.resolve()).catch(() => {}).then(() => writeOnce(document, queue))
    queue.writing = run
    return run
  }

  return {
    name: 'persistence',

    async onLoadDocument({ document }) {
      const { snapshot, rows } = await readStoredLog(options.db, document.name)
      const updates = [...(snapshot ? [snapshot] : []), ...rows]
      // Each row is an update the gate admitted, its Yjs work bounded (`conflictWalk.ts`); all the rows since the last
      // compaction are not: a delegate placing items among long runs for minutes leaves seconds of Yjs's work in the log.
      // They are replayed on a copy a slice at a time (in another order where the order stored walks far: `replayed`),
      // and the document takes the result in one step, so nothing reading it meanwhile finds it half loaded.
      const copy = updates.length > 1 ? await replayed(snapshot, rows, { gc: document.doc.gc }) : null
      document.doc.transact(() => {
        if (copy) Y.applyUpdate(document.doc, Y.encodeStateAsUpdate(copy), STORAGE_ORIGIN)
        else for (const update of updates) Y.applyUpdate(document.doc, update, STORAGE_ORIGIN)
      }, STORAGE_ORIGIN)
      copy?.destroy()
      queueOf(document).stored = new StoredClocks(Y.decodeStateVector(Y.encodeStateVector(document.doc)))
      document.holdsOwnChanges = true
      document.custody.takeOverNow = () => takeOver(document, queueOf(document), Number.POSITIVE_INFINITY)
      document.unstored = () => {
        const queue = queues.get(document)
        return queue !== undefined && (queue.entries.length > 0 || queue.busy)
      }
    },

    onChange({ document, update, origin, seq, transaction }) {
      const queue = queueOf(document)
      queue.lastSeq = seq
      if (origin.kind === 'remote') return watchCustody()
      if (!needsStoring(origin)) return
      const moves = wordMovesOf(transaction)
      queue.entries.push({ update, origin: origin as Extract<UpdateOrigin, LoggedUpdate['origin']>, at: options.now(), seq, ...(moves.length > 0 ? { moves } : {}) })
      // A change the server made itself (a version's blocks following its original, ids given, characters composed)
      // waits for its write before tabs are sent it (`holdsOwnChanges`): after a crash nobody could send it again, and a
      // translator's tab holding a block the restarted server lacked could type there no more (a hostile review killed
      // the server within 100 ms of such a block reaching a tab: 18 times of 18). So it is written at once, not with
      // the next group of typing. (Not while the database fails: the retries keep their pace.)
      const atOnce = origin.kind === 'server' && queue.failures === 0
      if (atOnce && queue.timer) {
        clearTimeout(queue.timer)
        queue.timer = null
      }
      schedule(document, queue, atOnce ? 0 : options.flushAfterMs)
    },

    onConnect({ document, connection }) {
      acknowledge(document, queueOf(document), [connection])
    },

    async onStoreDocument({ document }) {
      const queue = queueOf(document)
      if (queue.timer) clearTimeout(queue.timer)
      queue.timer = null
      await write(document)
    },

    async onDestroy() {
      // The server is gone: whatever could not be stored was reported by its shutdown; no retry outlives it.
      destroyed = true
      for (const queue of queues.values()) if (queue.timer) clearTimeout(queue.timer)
      if (custodyTimer) clearInterval(custodyTimer)
    },

    async onUnloadDocument({ document }) {
      const queue = queueOf(document)
      // Nobody here will hold these any longer: stored now, perhaps a second time.
      takeOver(document, queue, Number.POSITIVE_INFINITY)
      if (queue.timer) clearTimeout(queue.timer)
      queue.timer = null
      await write(document)
      queues.delete(document)
      await options.db.transaction((tx) => compactDocument(tx, document.name))
    },
  }
}
