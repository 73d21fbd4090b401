import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { PluginKey, type Transaction } from '@tiptap/pm/state'
import * as Y from 'yjs'
import { normalizedText } from './characters.ts'
import { type RefusalState, refusingPlugin } from './refusals.ts'

/**
 * The editor's side of `MAX_BLOCK_TEXT`: typing or pasting that would make
 * a block's text longer than the server takes is not applied, and the
 * editor says so. Sent, the change would close the connection (4400) and
 * leave this tab unable to save anything until it is reloaded.
 */

/**
 * How long one textblock's text (a paragraph, a heading, a list item's
 * paragraph) may be, counted as JavaScript and the editor count it (UTF-16
 * units: a letter 1, an emoji 2), formatting aside. The server reads a
 * block's whole text on every change to it (normalizing it, the moved
 * words, its preview), so this bounds the cost of a keystroke. It is the
 * longest wording an amendment may carry (`MAX_AMENDMENT_TEXT`), so every
 * block can still be rewritten whole by one; the longest paragraph of a
 * real resolution is about a tenth of it.
 */
export const MAX_BLOCK_TEXT = 10_000

/**
 * The characters of a textblock of a Y.Doc, formatting aside: the lengths of
 * its text nodes (Yjs keeps each one's), usually one, more where two people
 * gave an empty paragraph its first words at once. With `doc`: of the same
 * block (the same Yjs item) in that document, 0 if it does not have it.
 */
export function yBlockTextLength(block: Y.XmlElement, doc?: Y.Doc): number {
  let element: Y.XmlElement = block
  if (doc) {
    const item = block._item
    if (!item || Y.getState(doc.store, item.id.client) <= item.id.clock) return 0
    const known = Y.getItem(doc.store, item.id)
    if (!(known.content instanceof Y.ContentType) || !(known.content.type instanceof Y.XmlElement)) return 0
    element = known.content.type
  }
  let length = 0
  for (let item = element._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) length += item.content.type.length
  }
  return length
}

/**
 * The length of `block` when a change made it longer than a block may be
 * and longer than the same block is in `before` (the document the change
 * applies to), or null: a block stored longer before the limit existed may
 * still be shortened, or changed without growing. The live document's gate
 * and the server's own changes (a decision taken back) judge by this one rule.
 */
export function grownPastLimit(block: Y.XmlElement, before: Y.Doc): number | null {
  const typed = yBlockTextLength(block)
  const length = Math.max(typed, normalizedLength(block, typed))
  return length > MAX_BLOCK_TEXT && length > yBlockTextLength(block, before) ? length : null
}

/**
 * The characters of a textblock once the server has normalized what was written into it (`normalizeYText`, run by
 * run): NFC makes some characters three times as long (U+FB2C, U+1D160), so ten thousand of them, admitted as
 * typed, became a paragraph of thirty thousand. Read only when that could pass the limit (`typed`: its length as typed).
 */
function normalizedLength(block: Y.XmlElement, typed: number): number {
  return typed * 3 <= MAX_BLOCK_TEXT ? 0 : composedRunsLength(block)
}

/** A textblock's characters once the server has normalized it (`normalizeYText`), and at least as typed: what it will hold. */
export function yBlockComposedLength(block: Y.XmlElement): number {
  return Math.max(yBlockTextLength(block), composedRunsLength(block))
}

function composedRunsLength(block: Y.XmlElement): number {
  let length = 0
  for (let item = block._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlText)) continue
    for (const { insert } of item.content.type.toDelta() as Array<{ insert: unknown }>) length += typeof insert === 'string' ? normalizedText(insert).length : 1
  }
  return length
}


const textLength = (block: PMNode) => {
  let length = 0
  block.forEach((child) => (length += child.isText ? child.text!.length : 0))
  return length
}

/**
 * Whether `tr` leaves a textblock it changed longer than `limit` and longer
 * than it was (a block already over the limit may still be shortened).
 */
export function lengthensPastLimit(tr: Transaction, limit: number = MAX_BLOCK_TEXT): boolean {
  if (!tr.docChanged) return false
  const back = tr.mapping.invert()
  let past = false
  tr.mapping.maps.forEach((map, step) => {
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      let [from, to] = [newStart, newEnd]
      for (const next of tr.mapping.maps.slice(step + 1)) [from, to] = [next.map(from, -1), next.map(to, 1)]
      tr.doc.nodesBetween(from, Math.min(to, tr.doc.content.size), (node, pos) => {
        if (past || !node.isTextblock) return !past
        const length = textLength(node)
        if (length <= limit) return false
        const before = tr.before.resolve(Math.min(back.map(pos + 1, -1), tr.before.content.size)).parent
        if (!before.isTextblock || length > textLength(before)) past = true
        return false
      })
    })
  })
  return past
}

export const blockLengthKey = new PluginKey<RefusalState>('blockLength')

export const BlockLength = Extension.create({
  name: 'blockLength',
  addProseMirrorPlugins() {
    return [refusingPlugin(blockLengthKey, lengthensPastLimit)]
  },
})
