import * as Y from 'yjs'

/**
 * Whether a transaction changed more than the contents of texts. Yjs lists
 * every type that existed before the transaction and gained or lost a child
 * or a key in it; new elements show up as a change of the element or body
 * they were put into, so only the texts themselves can be passed over.
 */
export function changesStructure(transaction: Y.Transaction): boolean {
  for (const [type, keys] of transaction.changed) {
    if (!(type instanceof Y.XmlText)) return true
    for (const key of keys) if (key !== null) return true
  }
  return false
}
