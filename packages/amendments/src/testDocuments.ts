import { encodeBody, readBody, schema, withBlockIds } from '@hemicycle/schema'
import * as Y from 'yjs'

/** For the package's tests: live documents made of paragraphs, read back, and synced between two replicas. */

/** A live document of one paragraph per text (an empty text: an empty paragraph), and the paragraphs' block ids. */
export function docWith(texts: string[]): { doc: Y.Doc; ids: string[] } {
  const content = withBlockIds(schema.node('doc', null, texts.map((text) => schema.node('paragraph', null, text ? [schema.text(text)] : []))))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeBody(content))
  const ids: string[] = []
  content.forEach((node) => ids.push(node.attrs['id'] as string))
  return { doc, ids }
}

/** Each top-level block's text. */
export const texts = (doc: Y.Doc) => {
  const out: string[] = []
  readBody(doc).forEach((node) => out.push(node.textContent))
  return out
}

/** Each replica given what the other has. */
export const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}
