import type * as Y from 'yjs'

/**
 * Calls `moved` with the document's new id whenever Yjs gives it one: Yjs
 * takes a new id when changes under its own arrive from elsewhere, which a
 * tab writing under a reused id (`clientIdPool.ts`) must follow, its
 * presence and its count of what it wrote going with it. `known`: the ids
 * already followed; the new one is added. Returns the way to stop.
 */
export function followClientId(doc: Y.Doc, known: Set<number>, moved: (client: number) => void): () => void {
  const check = () => {
    if (known.has(doc.clientID)) return
    known.add(doc.clientID)
    moved(doc.clientID)
  }
  doc.on('afterTransactionCleanup', check)
  return () => doc.off('afterTransactionCleanup', check)
}
