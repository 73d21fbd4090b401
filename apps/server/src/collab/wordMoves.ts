import { type MovedRun, movedWords } from '@hemicycle/schema'
import type * as Y from 'yjs'
import { isUpdateOrigin } from './origin.ts'

/**
 * The words each connection's transaction moved (Enter in the middle of a
 * paragraph, see `movedWords`), read as the transaction ends: Yjs discards
 * what a transaction deleted before it announces the update, and the move
 * is known only by comparing the two. Storage records it beside the update,
 * so the redline reads authorship through it.
 */
const moved = new WeakMap<Y.Transaction, MovedRun[]>()

export function noteWordMoves(doc: Y.Doc): void {
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    // Only what a person sent: the server's own changes and decisions move nothing.
    const { origin } = transaction
    if (!isUpdateOrigin(origin) || origin.kind !== 'connection' || transaction.deleteSet.clients.size === 0) return
    const moves = movedWords(transaction)
    if (moves.length > 0) moved.set(transaction, moves)
  })
}

/** The words a transaction moved; none for one `noteWordMoves` did not see. */
export const wordMovesOf = (transaction: Y.Transaction | undefined): MovedRun[] => (transaction && moved.get(transaction)) ?? []
