import * as Y from 'yjs'
import { CloseCode } from '@hemicycle/protocol'
import type { Database, Queryable } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { CollabServer } from '../collabServer.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'
import { type LoggedRow, readLoggedPayloads, readLoggedRows, readLogTop, storedStateBefore } from '../storage.ts'

type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>

/** How long a row once seen is looked at again: longer than any transaction writing rows takes, so a row committed after one with a higher id is still found. */
const SLACK_MS = 60_000

export interface StoredChangesOptions {
  db: Database
  collab: () => CollabServer
  logger: Logger
  /** How often the open texts are compared with the log; 0: never (one instance stores every change it takes). */
  everyMs: number
  /** How long a change is left to arrive over the bus before it is taken from the log. */
  graceMs?: number
}

/** Whether the copy holds every deletion of `ranges` ([client, clock, length]), `deleted` being its delete set. */
function deletedHere(deleted: DeleteSet, ranges: ReadonlyArray<[number, number, number]>): boolean {
  return ranges.every(([client, clock, length]) => {
    for (let offset = 0; offset < length; offset++) if (!Y.isDeleted(deleted, Y.createID(client, clock + offset))) return false
    return true
  })
}

/** Whether the copy lacks something a logged row stored: items it inserted, or deletions it made. */
function lacks(document: LiveDocument, row: LoggedRow, deleted: () => DeleteSet): boolean {
  return row.inserts.some(([client, , end]) => Y.getState(document.doc.store, client) < end) || (row.deletes.length > 0 && !deletedHere(deleted(), row.deletes))
}

/**
 * Applies to a live copy the logged rows it lacks, in the order stored, each as the change it is: a decision's words
 * watched for typing made without it (its basis the log's state before it), the rest as another instance's changes.
 * Returns false when the copy could not take them (a change compacted into the snapshot since, or one building on
 * changes the log no longer lists): it is put away, and read again from storage when next opened.
 */
export async function takeFromLog(db: Queryable, collab: CollabServer, document: LiveDocument, rows: readonly LoggedRow[], logger?: Pick<Logger, 'warn'>): Promise<boolean> {
  if (rows.length === 0) return true
  const payloads = await readLoggedPayloads(db, rows.map((row) => row.id))
  if (document.doc.isDestroyed) return true
  if (rows.some((row) => !payloads.get(row.id))) {
    await collab.putAway(document, CloseCode.Diverged, 'changes stored on another server never reached this copy; open the text afresh')
    return false
  }
  for (const row of rows) {
    for (const [client] of row.inserts) document.gate.clients.adopt(client, row.personId && row.origin === 'connection' ? `person:${row.personId}` : 'server')
    const payload = payloads.get(row.id)!
    const watched = row.origin === 'amendment' && row.decision !== null && row.amendmentId !== null
    const basis = watched ? await storedStateBefore(db, document.name, row.id) : null
    if (document.doc.isDestroyed) return true
    const origin: UpdateOrigin = {
      kind: 'remote',
      instanceId: 'log',
      ...(basis ? { decision: { amendmentId: row.amendmentId!, ...(row.decision === 'reset' && row.personId ? { resetBy: row.personId } : {}), basis, made: payload } } : {}),
    }
    Y.applyUpdate(document.doc, payload, origin)
  }
  logger?.warn('changes stored on another instance had not reached this copy; taken from the log', { document: document.name, rows: rows.map((row) => row.id) })
  if (document.doc.store.pendingStructs || document.doc.store.pendingDs) {
    await collab.putAway(document, CloseCode.Diverged, 'changes stored on another server never reached this copy; open the text afresh')
    return false
  }
  return true
}

/**
 * Every row of the document's log stored since `since` that the copy lacks, at once: a stage move's catch-up, no grace,
 * the text freezes now. The checks every few seconds (`storedChanges`) took what is older.
 */
export async function catchUpFromLog(db: Queryable, collab: CollabServer, document: LiveDocument, since: Date): Promise<boolean> {
  const rows = await readLoggedRows(db, document.name, 0, since)
  let deleted: DeleteSet | null = null
  const deletedNow = () => (deleted ??= Y.createDeleteSetFromStructStore(document.doc.store))
  return takeFromLog(db, collab, document, rows.filter((row) => lacks(document, row, deletedNow)))
}

/**
 * Keeps every open copy up to what the log holds. An instance publishes a change to the others as it takes it and
 * stores it a moment later; a decision it stores first and applies and publishes after. One that dies, or loses the
 * bus, in between leaves changes stored that no other copy has: the other instance's people went on in a text
 * without an accepted amendment (recorded "accepted"), or without typing the lock then hashed from the log. Each
 * instance reads the rows its open copies' logs gained since it last looked (every `everyMs`), and takes those a copy
 * still lacks after `graceMs` (the bus's time) from the log (`takeFromLog`).
 */
export function storedChanges({ db, collab, logger, everyMs, graceMs = 3000 }: StoredChangesOptions): Extension {
  /** Per open copy: rows up to `floor` are held; rows seen after it, when first seen, and whether held. */
  const open = new Map<LiveDocument, { floor: number; seen: Map<number, { at: number; held: boolean }> }>()
  let timer: NodeJS.Timeout | null = null
  let checking = false

  const check = async () => {
    if (checking) return
    checking = true
    try {
      for (const [document, state] of open) {
        if (document.doc.isDestroyed) continue
        // Rows already found held are not read again while the floor waits for the slack to pass.
        const held = [...state.seen].flatMap(([id, seen]) => (seen.held ? [id] : []))
        const rows = await readLoggedRows(db, document.name, state.floor, null, held)
        const at = performance.now()
        let deleted: DeleteSet | null = null
        const deletedNow = () => (deleted ??= Y.createDeleteSetFromStructStore(document.doc.store))
        const due: LoggedRow[] = []
        for (const row of rows) {
          const seen = state.seen.get(row.id) ?? { at, held: false }
          state.seen.set(row.id, seen)
          if (seen.held) continue
          if (!lacks(document, row, deletedNow)) seen.held = true
          else if (at - seen.at >= graceMs) due.push(row)
        }
        if (due.length > 0 && (await takeFromLog(db, collab(), document, due, logger))) for (const row of due) state.seen.get(row.id)!.held = true
        // The floor moves past rows held and seen long enough ago that no row with a lower id can still be committing.
        for (const [id, seen] of [...state.seen].sort(([a], [b]) => a - b)) {
          if (!seen.held || at - seen.at < SLACK_MS) break
          state.floor = id
          state.seen.delete(id)
        }
      }
    } catch (error) {
      logger.error('the log could not be compared with the open texts', { error })
    } finally {
      checking = false
    }
  }

  return {
    name: 'storedChanges',
    async afterLoadDocument({ document }) {
      if (everyMs <= 0) return
      // Loaded from the log as it stood: rows after it are looked at from the next check on.
      open.set(document, { floor: await readLogTop(db, document.name), seen: new Map() })
      timer ??= setInterval(() => void check(), everyMs).unref()
    },
    async onUnloadDocument({ document }) {
      open.delete(document)
      if (open.size === 0 && timer) {
        clearInterval(timer)
        timer = null
      }
    },
    async onDestroy() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
