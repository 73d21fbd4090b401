import { Fragment, type Mark, type Node as PMNode } from '@tiptap/pm/model'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { BLOCK_ID, keeperOf, newBlockId } from './blockId.ts'
import { schema } from './extensions.ts'
import { TEXTBLOCK_NAMES } from './shape.ts'

/** The one shared root of a resolution's Y.Doc: its text. Metadata lives in the database. */
export const BODY = 'body'

export function bodyOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY)
}

/** y-tiptap names a mark that may overlap itself `name--hash`; the schema's marks never do, but the name is read the same way. */
const markName = (attribute: string) => /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(attribute)?.[1] ?? attribute

/** The text nodes of a Y.XmlText, or null when it holds something the schema cannot (the editor drops it too). */
function textNodes(text: Y.XmlText): PMNode[] | null {
  try {
    return (text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>).map(({ insert, attributes }) => {
      const marks: Mark[] = Object.entries(attributes ?? {}).map(([name, attrs]) => schema.mark(markName(name), attrs as Record<string, unknown>))
      return schema.text(insert as string, marks)
    })
  } catch {
    return null
  }
}

/**
 * The body as a ProseMirror document, as the editor's binding reads it
 * (y-tiptap's `yXmlFragmentToProseMirrorRootNode`: same nodes, same marks,
 * elements the schema cannot build left out) but iteratively, so any depth
 * is safe, and without writing: the binding deletes what it cannot read, as
 * a change of the document; reading here never changes it.
 */
export function readBody(doc: Y.Doc): PMNode {
  interface Frame {
    element: Y.XmlElement | null
    pending: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>
    index: number
    children: PMNode[]
  }
  const stack: Frame[] = [{ element: null, pending: bodyOf(doc).toArray(), index: 0, children: [] }]
  for (;;) {
    const top = stack[stack.length - 1]!
    if (top.index < top.pending.length) {
      const child = top.pending[top.index++]
      if (child instanceof Y.XmlElement) stack.push({ element: child, pending: child.toArray(), index: 0, children: [] })
      else if (child instanceof Y.XmlText && top.element !== null) for (const node of textNodes(child) ?? []) top.children.push(node)
      continue
    }
    stack.pop()
    if (top.element === null) return schema.topNodeType.create(null, Fragment.fromArray(top.children))
    try {
      stack[stack.length - 1]!.children.push(schema.node(top.element.nodeName, top.element.getAttributes(), top.children))
    } catch {
      // An element the schema cannot build: the editor shows the text without it, and so does every export.
    }
  }
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

/** Every textblock element of a body in document order, with the container it sits in (iterative: bodies nest deep). */
export function textblockElements(fragment: Y.XmlFragment): Array<{ element: Y.XmlElement; parent: Y.XmlFragment | Y.XmlElement }> {
  const out: Array<{ element: Y.XmlElement; parent: Y.XmlFragment | Y.XmlElement }> = []
  // Children are pushed in reverse so they come off the stack in document order.
  const stack: Array<{ node: Y.XmlElement | Y.XmlText | Y.XmlHook; parent: Y.XmlFragment | Y.XmlElement }> = fragment
    .toArray()
    .reverse()
    .map((node) => ({ node, parent: fragment }))
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!
    if (!(node instanceof Y.XmlElement)) continue
    if (TEXTBLOCK_NAMES.has(node.nodeName)) {
      out.push({ element: node, parent })
      continue
    }
    const children = node.toArray()
    for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index]!, parent: node })
  }
  return out
}

/** Whether a textblock element holds anything: a character, or an inline element (a hard break). */
const holdsAnything = (element: Y.XmlElement) => element.toArray().some((child) => !(child instanceof Y.XmlText) || child.length > 0)

/**
 * The Yjs-side twin of the editor's id plugin, for the server: gives a fresh
 * id to every textblock element without one or sharing one (of those sharing
 * one, `keeperOf` keeps it, as the editors decide for a change they did not
 * make). Returns how many were set; call inside a transaction.
 */
export function repairYBlockIds(fragment: Y.XmlFragment, generate: () => string = newBlockId): number {
  const sharing = new Map<string, Y.XmlElement[]>()
  const missing: Y.XmlElement[] = []
  for (const { element } of textblockElements(fragment)) {
    const id = element.getAttribute(BLOCK_ID)
    if (typeof id !== 'string' || id.length === 0) missing.push(element)
    else if (sharing.has(id)) sharing.get(id)!.push(element)
    else sharing.set(id, [element])
  }
  const renamed = [...missing]
  for (const elements of sharing.values()) {
    if (elements.length < 2) continue
    const keeper = keeperOf(elements, holdsAnything)
    renamed.push(...elements.filter((element) => element !== keeper))
  }
  // A fresh id is random: it cannot be one already in use.
  for (const element of renamed) element.setAttribute(BLOCK_ID, generate())
  return renamed.length
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
  for (const { element } of textblockElements(fragment)) {
    if (element.toArray().some((inner) => inner instanceof Y.XmlText)) continue
    element.insert(element.length, [new Y.XmlText()])
    added += 1
  }
  return added
}
