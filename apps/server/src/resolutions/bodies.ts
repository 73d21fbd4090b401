import { createHash } from 'node:crypto'
import { type DocumentNode, readBody } from '@hemicycle/schema'
import type * as Y from 'yjs'
import { readDocumentUpdates } from '../collab/storage.ts'
import { bodyFromUpdates } from '../documents/exportModel.ts'
import type { Database } from '../db/database.ts'

/**
 * Texts read once per change instead of once per request. Reading a long
 * resolution's body (8,000 paragraphs) holds the event loop for hundreds of
 * milliseconds, and its versions' pages, their list and the following of the
 * original read the same bodies again and again. A body is a ProseMirror
 * node, immutable, so one read can be handed to every caller; it is served
 * again only while what it was read from provably has not changed.
 */

/** For each live Y.Doc read: its body as of its last change, or null once it changed. */
const liveBodies = new WeakMap<Y.Doc, { body: DocumentNode | null }>()

function sameState(before: Map<number, number>, after: Map<number, number>): boolean {
  if (before.size !== after.size) return false
  for (const [client, clock] of after) if (before.get(client) !== clock) return false
  return true
}

/**
 * The body of a live document, read again only after it changed. Any change
 * to a Y.Doc is a transaction that adds items (its state moves on) or
 * deletes some (its delete set is not empty): either forgets the body before
 * anything observes the change. Within a transaction or its observers,
 * where the text may be half changed, it is read afresh and not kept.
 */
export function liveBody(doc: Y.Doc): DocumentNode {
  // Yjs clears `_transaction` before observers run; a change made by an observer is in the text already but forgotten only
  // once its own cleanup starts. Until every cleanup is done, the text is read afresh.
  if (doc._transaction !== null || doc._transactionCleanups.length > 0) return readBody(doc)
  let entry = liveBodies.get(doc)
  if (!entry) {
    const created: { body: DocumentNode | null } = { body: null }
    doc.on('beforeObserverCalls', (transaction: Y.Transaction) => {
      // Nothing to forget while nobody read it since the last change: a keystroke would walk every past writer's clock.
      if (created.body === null) return
      if (transaction.deleteSet.clients.size > 0 || !sameState(transaction.beforeState, transaction.afterState)) created.body = null
    })
    liveBodies.set(doc, created)
    entry = created
  }
  entry.body ??= readBody(doc)
  return entry.body
}

/** How many stored texts are kept: a resolution's original and versions, for a few resolutions read at once. */
const STORED_KEPT = 8

/** Stored texts by document name, with the digest of the updates they were read from; the least recently read first. */
const storedBodies = new Map<string, { digest: string; body: DocumentNode }>()

/** SHA-256 over each update's length and bytes, in order: equal digests, equal updates, so the same text. */
function digestOf(updates: readonly Uint8Array[]): string {
  const hash = createHash('sha256')
  const length = Buffer.alloc(4)
  for (const update of updates) {
    length.writeUInt32BE(update.byteLength)
    hash.update(length).update(update)
  }
  return hash.digest('hex')
}

/**
 * The text as stored in the database. Its stored updates are fetched (the
 * database's work) and digested (milliseconds): the same digest as the text
 * last read from them, the same text, served without applying them again.
 */
export async function storedDocumentBody(db: Database, name: string): Promise<DocumentNode> {
  const updates = await readDocumentUpdates(db, name)
  const digest = digestOf(updates)
  const kept = storedBodies.get(name)
  storedBodies.delete(name)
  if (kept?.digest === digest) {
    storedBodies.set(name, kept)
    return kept.body
  }
  const body = bodyFromUpdates(updates)
  storedBodies.set(name, { digest, body })
  if (storedBodies.size > STORED_KEPT) storedBodies.delete(storedBodies.keys().next().value!)
  return body
}
