import * as Y from 'yjs'

/**
 * Words this tab typed that the server had not stored yet, taken out of the
 * text by someone else's change that removed the text they stood in: a
 * paragraph deleted, or joined to another, while this tab was offline (or in
 * the same moment). Yjs keeps both changes, and words inside a deleted
 * paragraph are deleted with it: they vanished from every screen, this tab's
 * included, while it said "saved". Returned by block id, each block's words
 * in the order typed, so the page can say so and show them to copy.
 *
 * Only text whose own text node went (its paragraph deleted, joined, or
 * rebuilt): a deletion of some letters inside a paragraph that stays, as the
 * server's composition of accents makes, is an edit someone saw, not a loss.
 * `storedUpTo`: the clock up to which the server has stored this tab's
 * changes; what it stored, others had been able to see.
 */
export function unsavedWordsRemoved(transaction: Y.Transaction, client: number, storedUpTo: number): Map<string, string> {
  const removed = new Map<string, string>()
  // This tab's own deletions are its own to make.
  if (transaction.local) return removed
  const ranges = transaction.deleteSet.clients.get(client)
  const structs = transaction.doc.store.clients.get(client)
  if (!ranges || !structs) return removed
  for (const { clock, len } of ranges) {
    const from = Math.max(clock, storedUpTo)
    if (from >= clock + len) continue
    for (let index = Y.findIndexSS(structs, from); index < structs.length && structs[index]!.id.clock < clock + len; index++) {
      const item = structs[index]!
      if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString) || !(item.parent instanceof Y.XmlText)) continue
      if (!item.parent._item?.deleted) continue
      const block = blockIdAbove(item.parent)
      if (block === null) continue
      // Yjs cuts items where a deletion starts and ends: a struct here is within the range, save for what was stored.
      const text = item.content.str.slice(Math.max(0, from - item.id.clock))
      removed.set(block, (removed.get(block) ?? '') + text)
    }
  }
  return removed
}

/** The block id of the nearest element above a text node that has one, read even when the element and its attributes are deleted. */
function blockIdAbove(text: Y.XmlText): string | null {
  let parent = text._item?.parent ?? null
  while (parent instanceof Y.AbstractType) {
    if (parent instanceof Y.XmlElement) {
      // getAttribute skips deleted entries; the deleting transaction has not yet dropped their content.
      const value: unknown = parent._map.get('id')?.content.getContent()[0]
      if (typeof value === 'string') return value
    }
    parent = parent._item?.parent ?? null
  }
  return null
}
