import * as Y from 'yjs'
import { TEXTBLOCK_NAMES } from './shape.ts'

/**
 * Words an edit moved rather than wrote: Enter in the middle of a paragraph.
 *
 * Yjs cannot move text. The editor's binding (y-tiptap) writes a split as
 * the words after the caret deleted from the paragraph and the very same
 * words inserted into a new paragraph right after it, as new items under
 * the client id of whoever pressed Enter. Everything that reads authorship
 * from items (the redline, dated and attributed per character) then says
 * that person wrote them. A move says which new characters are which old
 * ones, so that authorship can be read through it.
 *
 * Only a split counts, read from one transaction: the new textblock holds
 * nothing but characters it inserted, it follows (in reading order) a
 * textblock that was there before, the transaction deleted exactly that
 * block's characters from some point to its end and wrote no character
 * into it, and the deleted characters equal the new block's, one for one,
 * formatting included. The text then reads the same words in the same
 * order, one paragraph break more, and each new character is given back
 * the old character it stands for, never any other: a participant cannot
 * dress their own words as someone else's, nor someone else's as theirs.
 */

/** `length` consecutive characters: the new ones from `to` on stand for the old ones from `from` on. */
export interface MovedRun {
  to: { client: number; clock: number }
  from: { client: number; clock: number }
  length: number
}

interface Char {
  client: number
  clock: number
  char: string
  /** The formatting in force, as a canonical string. */
  format: string
}

const created = (transaction: Y.Transaction, id: Y.ID) => id.clock >= (transaction.beforeState.get(id.client) ?? 0)

/** Items of the element's texts in order. */
function textItems(element: Y.XmlElement): Y.Item[] {
  const items: Y.Item[] = []
  for (let child = element._start; child !== null; child = child.right) {
    if (child.deleted || !(child.content instanceof Y.ContentType) || !(child.content.type instanceof Y.XmlText)) continue
    for (let item = child.content.type._start; item !== null; item = item.right) items.push(item)
  }
  return items
}

/** The formatting `item` sets or clears, applied to `format`. */
function applyFormat(format: Map<string, string>, item: Y.Item): void {
  const content = item.content as Y.ContentFormat
  if (content.value === null) format.delete(content.key)
  else format.set(content.key, JSON.stringify(content.value))
}

/**
 * The characters `alive` keeps, with the formatting in force (set by the
 * format items it keeps, starting from `format`), one per UTF-16 unit as
 * Yjs counts them.
 */
function charsOf(items: readonly Y.Item[], alive: (item: Y.Item) => boolean, format = new Map<string, string>()): Char[] {
  const chars: Char[] = []
  for (const item of items) {
    if (!alive(item)) continue
    if (item.content instanceof Y.ContentFormat) {
      applyFormat(format, item)
      continue
    }
    if (!(item.content instanceof Y.ContentString)) continue
    const shown = JSON.stringify([...format].sort(([a], [b]) => (a < b ? -1 : 1)))
    const { str } = item.content
    for (let offset = 0; offset < str.length; offset++) chars.push({ client: item.id.client, clock: item.id.clock + offset, char: str[offset]!, format: shown })
  }
  return chars
}

/**
 * How many characters of `block`'s texts, there before the transaction, it
 * deleted: read from its delete set, so as many steps as it deleted runs,
 * whatever the block's length.
 */
function deletedFrom(transaction: Y.Transaction, block: Y.XmlElement): number {
  let count = 0
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString) || created(transaction, struct.id)) return
    const text = struct.parent
    if (text instanceof Y.XmlText && text._item?.parent === block) count += struct.length
  })
  return count
}

/** The last textblock inside `element` (itself, if it is one), among the living; null if it holds none. */
function lastTextblockIn(element: Y.XmlElement): Y.XmlElement | null {
  if (TEXTBLOCK_NAMES.has(element.nodeName)) return element
  for (let item = element._start === null ? null : lastOf(element._start); item !== null; item = item.left) {
    if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue
    const found = lastTextblockIn(item.content.type)
    if (found) return found
  }
  return null
}

function lastOf(item: Y.Item): Y.Item {
  let last = item
  while (last.right !== null) last = last.right
  return last
}

/** The textblock before `element` in reading order, among the living; null at the start of the body. */
function textblockBefore(element: Y.XmlElement): Y.XmlElement | null {
  for (let at: Y.Item | null = element._item; at !== null; ) {
    for (let item = at.left; item !== null; item = item.left) {
      if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue
      const found = lastTextblockIn(item.content.type)
      if (found) return found
    }
    const parent = at.parent
    at = parent instanceof Y.XmlElement ? parent._item : null
  }
  return null
}

/**
 * Whether the transaction changed a list of elements (the body's, an element's): a new textblock is in one that was
 * there before (Yjs records it, or the new element's outermost new ancestor's, with a null key), or in a deleted one,
 * which deletes it too. Typing and deleting characters change only texts: told so without walking the state vector,
 * which holds every client that ever wrote in the text (with 3,000 past writers, 128 µs a deleted character).
 */
function changedElementLists(transaction: Y.Transaction): boolean {
  for (const [type, keys] of transaction.changed) if (type instanceof Y.XmlFragment && keys.has(null)) return true
  return false
}

/** The new textblocks a transaction made, still there after it. */
function newTextblocks(transaction: Y.Transaction): Y.XmlElement[] {
  const found: Y.XmlElement[] = []
  if (!changedElementLists(transaction)) return found
  const { store } = transaction.doc
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    if (after <= before) continue
    const structs = store.clients.get(client)!
    for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
      const struct = structs[index]!
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) continue
      const { type } = struct.content
      if (type instanceof Y.XmlElement && TEXTBLOCK_NAMES.has(type.nodeName)) found.push(type)
    }
  }
  return found
}

/**
 * The moves a transaction made (see above), read after it applied and
 * before Yjs discards what it deleted (`afterTransaction`, or earlier).
 */
export function movedWords(transaction: Y.Transaction): MovedRun[] {
  const moves: MovedRun[] = []
  for (const block of newTextblocks(transaction)) {
    const written = textItems(block)
    if (written.some((item) => !created(transaction, item.id))) continue
    const words = charsOf(written, (item) => !item.deleted)
    if (words.length === 0) continue
    const kept = textblockBefore(block)
    if (kept === null || created(transaction, kept._item!.id)) continue
    // A split deletes from the kept block exactly the characters it writes into the new one: anything else is no
    // split, told from the delete set alone, before reading a block that may be long.
    if (deletedFrom(transaction, kept) !== words.length) continue
    const items = textItems(kept)
    // The kept block's words as they stood before: what the transaction did not write, and had not been deleted earlier.
    const before = (item: Y.Item) => !created(transaction, item.id) && (!item.deleted || Y.isDeleted(transaction.deleteSet, item.id))
    if (items.some((item) => created(transaction, item.id) && item.content instanceof Y.ContentString && !item.deleted)) continue
    // Only the block's tail is read character by character: its last `words.length` characters as they stood before.
    let start = items.length
    for (let counted = 0; start > 0 && counted < words.length; ) {
      start--
      const item = items[start]!
      if (before(item) && item.content instanceof Y.ContentString) counted += item.length
    }
    const format = new Map<string, string>()
    for (const item of items.slice(0, start)) if (before(item) && item.content instanceof Y.ContentFormat) applyFormat(format, item)
    const read = charsOf(items.slice(start), before, format)
    const tail = read.slice(read.length - words.length)
    if (tail.length !== words.length) continue
    const deletedNow = (char: Char) => Y.isDeleted(transaction.deleteSet, { client: char.client, clock: char.clock } as Y.ID)
    // As many deleted as there are new characters, all of them in the tail: the head is untouched.
    if (!tail.every(deletedNow)) continue
    if (!words.every((word, index) => word.char === tail[index]!.char && word.format === tail[index]!.format)) continue
    words.forEach((word, index) => {
      const old = tail[index]!
      const last = moves[moves.length - 1]
      if (last && last.to.client === word.client && last.from.client === old.client && last.to.clock + last.length === word.clock && last.from.clock + last.length === old.clock) last.length++
      else moves.push({ to: { client: word.client, clock: word.clock }, from: { client: old.client, clock: old.clock }, length: 1 })
    })
  }
  return moves
}
