import * as Y from 'yjs'
import type { Database } from '../../db/database.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import { needsStoring, STORAGE_ORIGIN, type UpdateOrigin } from '../origin.ts'
import { appendUpdates, compactDocument, type LoggedUpdate, readDocumentUpdates } from '../storage.ts'

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
}

interface DocumentQueue {
  entries: LoggedUpdate[]
  timer: NodeJS.Timeout | null
  /** The latest write: the next one starts after it, so writes of one document never overlap. */
  writing: Promise<void> | null
  failures: number
  rowsSinceCompaction: number
  lastCompaction: number
  /** Per Yjs client, the clock up to which everything is in the database. */
  stored: Map<number, number>
}

const originKey = (origin: LoggedUpdate['origin']) =>
  origin.kind === 'server' ? 'server' : origin.kind === 'amendment' ? `amendment:${origin.amendmentId}` : `person:${origin.person.id}`

/** Consecutive updates from the same origin become one log row. */
function batch(entries: readonly LoggedUpdate[]): LoggedUpdate[] {
  const rows: LoggedUpdate[] = []
  let run: LoggedUpdate[] = []
  const close = () => {
    if (run.length === 0) return
    rows.push({ ...run[0]!, update: run.length === 1 ? run[0]!.update : Y.mergeUpdates(run.map((entry) => entry.update)) })
    run = []
  }
  for (const entry of entries) {
    if (run.length > 0 && originKey(run[0]!.origin) !== originKey(entry.origin)) close()
    run.push(entry)
  }
  close()
  return rows
}

/**
 * Storage of live documents: load from snapshot + log, append every change to
 * the log within `flushAfterMs`, compact now and then and on unload. A failed
 * write keeps its updates in memory and retries with backoff, so a database
 * outage delays saving but loses nothing the server still holds.
 */
export function persistence(options: PersistenceOptions): Extension {
  const queues = new Map<LiveDocument, DocumentQueue>()
  let destroyed = false

  const queueOf = (document: LiveDocument) => {
    let queue = queues.get(document)
    if (!queue) {
      queue = { entries: [], timer: null, writing: null, failures: 0, rowsSinceCompaction: 0, lastCompaction: options.now().getTime(), stored: new Map() }
      queues.set(document, queue)
    }
    return queue
  }

  const schedule = (document: LiveDocument, queue: DocumentQueue, delay: number) => {
    if (queue.timer || destroyed) return
    queue.timer = setTimeout(() => {
      queue.timer = null
      void write(document).catch(() => {})
    }, delay)
  }

  const acknowledge = (document: LiveDocument, queue: DocumentQueue, rows: readonly LoggedUpdate[]) => {
    for (const { update } of rows) {
      for (const [client, clock] of Y.parseUpdateMeta(update).to) {
        if (clock > (queue.stored.get(client) ?? 0)) queue.stored.set(client, clock)
      }
    }
    const stateVector = Y.encodeStateVector(queue.stored)
    for (const connection of document.connections) connection.sendSaved(stateVector)
  }

  async function writeOnce(document: LiveDocument, queue: DocumentQueue): Promise<void> {
    const taken = queue.entries.splice(0)
    if (taken.length === 0) return
    const rows = batch(taken)
    try {
      await options.db.transaction((tx) => appendUpdates(tx, document.name, rows))
    } catch (error) {
      queue.entries.unshift(...taken)
      queue.failures += 1
      if (queue.failures === 1) options.onHealth?.(document, 'delayed', error)
      schedule(document, queue, Math.min(5000, options.flushAfterMs * 2 ** queue.failures))
      throw error
    }
    if (queue.failures > 0) options.onHealth?.(document, 'recovered')
    queue.failures = 0
    queue.rowsSinceCompaction += rows.length
    acknowledge(document, queue, rows)
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
      const updates = await readDocumentUpdates(options.db, document.name)
      document.doc.transact(() => {
        for (const update of updates) Y.applyUpdate(document.doc, update, STORAGE_ORIGIN)
      }, STORAGE_ORIGIN)
      queueOf(document).stored = Y.decodeStateVector(Y.encodeStateVector(document.doc))
    },

    onChange({ document, update, origin }) {
      if (!needsStoring(origin)) return
      const queue = queueOf(document)
      queue.entries.push({ update, origin: origin as Extract<UpdateOrigin, LoggedUpdate['origin']>, at: options.now() })
      schedule(document, queue, options.flushAfterMs)
    },

    onConnect({ document, connection }) {
      connection.sendSaved(Y.encodeStateVector(queueOf(document).stored))
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
    },

    async onUnloadDocument({ document }) {
      const queue = queues.get(document)
      queues.delete(document)
      if (queue?.timer) clearTimeout(queue.timer)
      await options.db.transaction((tx) => compactDocument(tx, document.name))
    },
  }
}
