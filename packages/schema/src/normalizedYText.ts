import * as Y from 'yjs'
import { normalizedText } from './characters.ts'

/**
 * Text written straight into a Y.Doc, kept as every other way in keeps it
 * (`normalizedText`). A hand-written client (or two people's inserts
 * meeting) can leave "e" + a combining accent in the text: it reads and
 * prints as "é", but its canonical Markdown, which the lock hashes,
 * imported again comes back composed, so another text with another hash.
 * A bidi override it types shows one thing on screen and prints another.
 */

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff

/** The texts a transaction wrote in or deleted from: the texts it changed, and those in elements it created. */
export function textsChangedBy(transaction: Y.Transaction): Y.XmlText[] {
  const texts = new Set<Y.XmlText>()
  const isNew = (item: Y.Item | null) => item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)
  const stack: Array<Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment> = []
  for (const [type, keys] of transaction.changed) {
    if (type instanceof Y.XmlText) texts.add(type)
    // An element or the body that gained children: only the new ones are walked (the body of a long text has thousands).
    else if (keys.has(null) && (type instanceof Y.XmlElement || type instanceof Y.XmlFragment)) for (const child of type.toArray()) if (isNew(child._item)) stack.push(child)
  }
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node instanceof Y.XmlText) texts.add(node)
    else if (node instanceof Y.XmlElement) stack.push(...node.toArray())
  }
  return [...texts].filter((text) => text._item === null || !text._item.deleted)
}

/**
 * Normalizes a text's runs where they need it, each run with its own
 * formatting (marks part what NFC may compose, as they part the editor's
 * text nodes). Only the characters that change are deleted and written
 * again, never half a surrogate pair (Yjs would make each half U+FFFD).
 * Call inside a transaction; returns how many runs changed.
 */
export function normalizeYText(text: Y.XmlText): number {
  const runs = text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>
  const edits: Array<{ at: number; length: number; insert: string; attributes: Record<string, unknown> }> = []
  let index = 0
  for (const { insert, attributes } of runs) {
    if (typeof insert !== 'string') {
      index += 1
      continue
    }
    const kept = normalizedText(insert)
    if (kept !== insert) {
      let start = 0
      while (start < insert.length && start < kept.length && insert[start] === kept[start]) start++
      if (start > 0 && isHighSurrogate(insert.charCodeAt(start - 1))) start--
      let end = 0
      while (end < insert.length - start && end < kept.length - start && insert[insert.length - 1 - end] === kept[kept.length - 1 - end]) end++
      if (end > 0 && isLowSurrogate(insert.charCodeAt(insert.length - end))) end--
      edits.push({ at: index + start, length: insert.length - start - end, insert: kept.slice(start, kept.length - end), attributes: { ...attributes } })
    }
    index += insert.length
  }
  // From the end, so the positions of the edits still to make stay as read.
  for (const edit of edits.reverse()) {
    text.delete(edit.at, edit.length)
    // Formatting given whole: what the text inherits from the left is not the run's own.
    if (edit.insert.length > 0) text.insert(edit.at, edit.insert, edit.attributes)
  }
  return edits.length
}
