import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { eachDescendant } from './walk.ts'

/**
 * How much text a resolution's body may hold in all, counted as
 * `MAX_BLOCK_TEXT` counts (UTF-16 units, formatting aside). Without it,
 * 50,000 blocks of 10,000 characters each, written a megabyte a frame by a
 * hand-written client, would take half a billion characters, gigabytes of
 * memory twice over (the live text and the gate's copy of it): the server
 * would die, and everyone's unsaved words with it. Four million is about
 * 1,500 pages, twice the longest draft the import is tested with and
 * eighty times the Kuala Lumpur draft.
 */
export const MAX_DOCUMENT_TEXT = 4_000_000

/** The characters of every text node in a Y.Doc's body, walked without recursion: each Y.XmlText keeps its own length. */
export function yBodyTextLength(body: Y.XmlFragment): number {
  let length = 0
  const stack: Array<Y.XmlFragment | Y.XmlElement> = [body]
  while (stack.length > 0) {
    for (let item = stack.pop()!._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue
      const { type } = item.content
      if (type instanceof Y.XmlText) length += type.length
      else if (type instanceof Y.XmlElement) stack.push(type)
    }
  }
  return length
}

/** The characters of every text node of a ProseMirror document, as `yBodyTextLength` counts them once it is a Y.Doc. */
export function bodyTextLength(doc: PMNode): number {
  let length = 0
  eachDescendant(doc, (node) => {
    if (node.isText) length += node.text!.length
  })
  return length
}

/**
 * Whether a body `after` characters long, changed from one `before`
 * characters long, is past the limit: longer than it may be and longer
 * than it was, so a text stored longer (imported before the limit existed)
 * may still be shortened, or changed without growing.
 */
export function documentGrownPastLimit(after: number, before: number): boolean {
  return after > MAX_DOCUMENT_TEXT && after > before
}
