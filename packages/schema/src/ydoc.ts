import type { Node as PMNode } from '@tiptap/pm/model'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { BLOCK_ID, newBlockId } from './blockId.ts'
import { schema } from './extensions.ts'

/** The one shared root of a resolution's Y.Doc: its text. Metadata lives in the database. */
export const BODY = 'body'

const TEXTBLOCKS = new Set(Object.values(schema.nodes).filter((type) => type.isTextblock).map((type) => type.name))

export function bodyOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY)
}

export function readBody(doc: Y.Doc): PMNode {
  return yXmlFragmentToProseMirrorRootNode(bodyOf(doc), schema)
}

/** Fills an empty document's body with `content`. */
export function writeBody(doc: Y.Doc, content: PMNode): void {
  const body = bodyOf(doc)
  if (body.length > 0) throw new Error('writeBody: the body is not empty')
  prosemirrorToYXmlFragment(content, body)
}

/** A new Y.Doc whose body is `content`, encoded as one update. */
export function encodeBody(content: PMNode): Uint8Array {
  const doc = new Y.Doc()
  writeBody(doc, content)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/**
 * The Yjs-side twin of the editor's id plugin, for the server: gives a fresh
 * id to every textblock element without one or sharing one (the first in
 * document order keeps it). Returns how many were set; call inside a transaction.
 */
export function repairYBlockIds(fragment: Y.XmlFragment, generate: () => string = newBlockId): number {
  const seen = new Set<string>()
  let repaired = 0
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
    if (!(node instanceof Y.XmlElement)) return
    if (TEXTBLOCKS.has(node.nodeName)) {
      const id = node.getAttribute(BLOCK_ID)
      if (typeof id === 'string' && id.length > 0 && !seen.has(id)) {
        seen.add(id)
      } else {
        const fresh = generate()
        node.setAttribute(BLOCK_ID, fresh)
        seen.add(fresh)
        repaired += 1
      }
      return
    }
    node.toArray().forEach(visit)
  }
  fragment.toArray().forEach(visit)
  return repaired
}

/**
 * Gives every textblock element without a text element an empty one. Two
 * people (or a person and an accepted amendment) filling an empty paragraph
 * at once would otherwise each create one, and the paragraph would hold two
 * texts side by side that the editor later folds into one by rewriting them.
 * Returns how many were added; call inside a transaction.
 */
export function giveTextblocksText(fragment: Y.XmlFragment): number {
  let added = 0
  const pending: Array<Y.XmlFragment | Y.XmlElement> = [fragment]
  while (pending.length > 0) {
    for (const child of pending.pop()!.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (!TEXTBLOCKS.has(child.nodeName)) pending.push(child)
      else if (!child.toArray().some((inner) => inner instanceof Y.XmlText)) {
        child.insert(child.length, [new Y.XmlText()])
        added += 1
      }
    }
  }
  return added
}
