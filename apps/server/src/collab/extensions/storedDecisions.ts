import * as Y from 'yjs'
import { CloseCode } from '@hemicycle/protocol'
import type { Database } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { CollabServer } from '../collabServer.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'
import { logKey, readDecisionRows, readRecentDecisions, storedStateBefore } from '../storage.ts'

/** How far back decisions are looked for: longer than any decision's transaction takes to commit once its row is written. */
const WINDOW_MS = 5 * 60_000

export interface StoredDecisionsOptions {
  db: Database
  collab: () => CollabServer
  logger: Logger
  now: () => Date
  /** How often the open texts are checked; 0: never (one instance takes every decision itself). */
  everyMs: number
  /** How long a decision is left to arrive over the bus before it is taken from the log. */
  graceMs?: number
}

/**
 * Brings every open text up to the decisions other instances stored. A
 * decision is stored with its change, then applied to its instance's copy,
 * then passed to the others over the bus: an instance that dies in between
 * (or a bus that loses the message) leaves the change stored and listed
 * "accepted" while every other copy goes on without it, its people typing
 * in a text the record no longer describes, and the lock hashing a text
 * nobody had seen. Each instance looks in the log for recent decisions its
 * copies lack, and after a grace for the bus takes them from there, their
 * words watched for typing made without them as if they had come over the
 * bus; one compacted meanwhile has the copy read again from storage.
 */
/** Whether the copy holds every deletion of `ranges` ([client, clock, length]): a decision that deleted words took place here. */
function deletedHere(document: LiveDocument, ranges: ReadonlyArray<[number, number, number]>): boolean {
  if (ranges.length === 0) return true
  const deleted = Y.createDeleteSetFromStructStore(document.doc.store)
  return ranges.every(([client, clock, length]) => {
    for (let offset = 0; offset < length; offset++) if (!Y.isDeleted(deleted, Y.createID(client, clock + offset))) return false
    return true
  })
}

export function storedDecisions({ db, collab, logger, now, everyMs, graceMs = 3000 }: StoredDecisionsOptions): Extension {
  const open = new Map<string, LiveDocument>()
  /** Decision rows found lacking, and when first: taken once they have lacked for `graceMs`. */
  const lacking = new Map<number, number>()
  /** Decision rows every copy here holds, and when found so: not looked at again (forgotten after `WINDOW_MS`). */
  const held = new Map<number, number>()
  let timer: NodeJS.Timeout | null = null
  let checking = false

  const take = async (document: LiveDocument, id: number, inserts: ReadonlyArray<[number, number, number]>) => {
    const [row] = await readDecisionRows(db, [id])
    if (!row || document.doc.isDestroyed) return
    if (!row.payload) {
      await collab().putAway(document, CloseCode.Diverged, 'a decision stored on another server never reached this copy; open the text afresh')
      return
    }
    for (const [client] of inserts) document.gate.clients.adopt(client, 'server')
    const basis = row.watched && row.amendmentId ? await storedStateBefore(db, document.name, id) : null
    const origin: UpdateOrigin = {
      kind: 'remote',
      instanceId: 'log',
      ...(basis && row.amendmentId ? { decision: { amendmentId: row.amendmentId, ...(row.resetBy ? { resetBy: row.resetBy } : {}), basis, made: row.payload } } : {}),
    }
    if (document.doc.isDestroyed) return
    Y.applyUpdate(document.doc, row.payload, origin)
    logger.warn('a decision stored on another instance had not reached this copy; taken from the log', { resolutionId: document.resolutionId, row: id })
  }

  const check = async () => {
    if (checking || open.size === 0) return
    checking = true
    try {
      const at = performance.now()
      for (const found of [held, lacking]) for (const [id, since] of found) if (at - since > WINDOW_MS) found.delete(id)
      const rows = await readRecentDecisions(db, [...open.values()].map((document) => document.name), new Date(now().getTime() - WINDOW_MS))
      for (const row of rows) {
        const document = open.get(row.key)
        if (held.has(row.id) || !document || document.doc.isDestroyed) continue
        const missing = row.inserts.some(([client, , end]) => Y.getState(document.doc.store, client) < end) || !deletedHere(document, row.deletes)
        if (missing && at - (lacking.get(row.id) ?? (lacking.set(row.id, at), at)) < graceMs) continue
        if (missing) await take(document, row.id, row.inserts)
        lacking.delete(row.id)
        held.set(row.id, at)
      }
    } catch (error) {
      logger.error('the log could not be searched for decisions this instance lacks', { error })
    } finally {
      checking = false
    }
  }

  return {
    name: 'storedDecisions',
    async afterLoadDocument({ document }) {
      if (everyMs <= 0) return
      open.set(logKey(document.name), document)
      timer ??= setInterval(() => void check(), everyMs).unref()
    },
    async onUnloadDocument({ document }) {
      open.delete(logKey(document.name))
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
