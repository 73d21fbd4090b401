import { BLOCK_ID, blockIdOf, type DocumentNode, newBlockId, SOURCE_ID, TEXTBLOCK_NAMES, textblockElements } from '@hemicycle/schema'
import * as Y from 'yjs'

/**
 * A language version has the original's structure, block for block: the
 * same headings, paragraphs, lists and quotes in the same places, each
 * textblock naming (`sourceId`) the original's block it translates. So §
 * numbers are the same in every language, and a paragraph added to or
 * removed from the original appears in (empty, `missing`) or disappears
 * from every version.
 *
 * `alignVersion` brings a version's Yjs body into that shape with as few
 * changes as it can, inside the caller's transaction: blocks already in
 * place are left alone (whoever is typing in them keeps typing), new ones
 * are inserted empty, removed ones deleted. A block that has to move (into
 * a list, or becomes a heading) is recreated with its id and its text. A
 * textblock that names no block of the original, or one a block before it
 * already names (half of a split, a paste, a script's insertion), gives its
 * text to the block before it, so no translated word is dropped silently;
 * only the translation of a block the original no longer has goes, with
 * whatever followed it.
 */

/** One node of the original as the version must mirror it. */
interface Shape {
  name: string
  /** The node's attributes that the version copies (level, list start…), without ids. */
  attrs: Record<string, unknown>
  /** For a textblock: the original's block id, which becomes the version block's `sourceId`. */
  sourceId: string | null
  children: Shape[]
}

type Delta = Array<{ insert: unknown; attributes?: Record<string, unknown> }>

/** A version block's id and text, read before anything moves. */
interface Kept {
  id: string
  delta: Delta
}

const OWN_ATTRIBUTES = new Set([BLOCK_ID, SOURCE_ID])

function copiedAttrs(node: DocumentNode): Record<string, unknown> {
  const attrs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node.attrs)) if (!OWN_ATTRIBUTES.has(key)) attrs[key] = value
  return attrs
}

/** The original's tree as shapes; a textblock without an id (the server gives one at once) is left out until it has one. */
function shapesOf(original: DocumentNode): Shape[] {
  const out: Shape[] = []
  const stack: Array<{ node: DocumentNode; into: Shape[] }> = []
  original.forEach((node) => stack.push({ node, into: out }))
  // Children are visited in order: the stack holds them reversed.
  stack.reverse()
  while (stack.length > 0) {
    const { node, into } = stack.pop()!
    if (node.isText) continue
    if (node.isTextblock) {
      const id = blockIdOf(node)
      if (id) into.push({ name: node.type.name, attrs: copiedAttrs(node), sourceId: id, children: [] })
      continue
    }
    const shape: Shape = { name: node.type.name, attrs: copiedAttrs(node), sourceId: null, children: [] }
    into.push(shape)
    const children: Array<{ node: DocumentNode; into: Shape[] }> = []
    node.forEach((child) => children.push({ node: child, into: shape.children }))
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!)
  }
  return out
}


const shapeKey = (shape: Shape) => (shape.sourceId !== null ? `t:${shape.name}:${shape.sourceId}` : `c:${shape.name}`)

function nodeKey(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (!(node instanceof Y.XmlElement)) return 'x'
  if (!TEXTBLOCK_NAMES.has(node.nodeName)) return `c:${node.nodeName}`
  const sourceId = node.getAttribute(SOURCE_ID)
  return `t:${node.nodeName}:${typeof sourceId === 'string' ? sourceId : ''}`
}

function deltaOf(element: Y.XmlElement): Delta {
  return element.toArray().flatMap((child) => (child instanceof Y.XmlText ? (child.toDelta() as Delta) : []))
}

const textOfDelta = (delta: Delta) => delta.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')

/** The element's last text (created if it has none), where folded text is appended. */
function lastText(element: Y.XmlElement): Y.XmlText {
  const texts = element.toArray().filter((child): child is Y.XmlText => child instanceof Y.XmlText)
  if (texts.length > 0) return texts[texts.length - 1]!
  const created = new Y.XmlText()
  element.insert(element.length, [created])
  return created
}

/**
 * Folds every textblock that translates nothing of its own (no source, or
 * the source of a block before it: half of a split, a paste, a script's
 * insertion) into the textblock before it, or, at the very start, into the
 * first block that translates something; then removes it. Text that follows
 * the translation of a block the original no longer has goes with it.
 * Returns the blocks that remain, by source id.
 */
function foldStrays(fragment: Y.XmlFragment, wanted: ReadonlySet<string>): { kept: Map<string, Kept>; changed: boolean } {
  const kept = new Map<string, Kept>()
  const seen = new Set<string>()
  /** The last block that translates something (wanted or not): strays after it are its own text. */
  let owner: { element: Y.XmlElement; wanted: boolean } | null = null
  const leading: Delta[] = []
  let changed = false
  for (const { element, parent } of textblockElements(fragment)) {
    const sourceId = element.getAttribute(SOURCE_ID)
    if (typeof sourceId === 'string' && sourceId.length > 0 && !seen.has(sourceId)) {
      seen.add(sourceId)
      owner = { element, wanted: wanted.has(sourceId) }
      if (!owner.wanted) continue
      const id = element.getAttribute(BLOCK_ID)
      kept.set(sourceId, { id: typeof id === 'string' && id.length > 0 ? id : newBlockId(), delta: [] })
      if (leading.length > 0) {
        prepend(element, leading.flatMap((delta, index) => (index === 0 ? delta : [{ insert: ' ' }, ...delta])))
        leading.length = 0
      }
      continue
    }
    const delta = deltaOf(element)
    if (textOfDelta(delta).trim().length > 0) {
      if (owner === null) leading.push(delta)
      else if (owner.wanted) append(owner.element, delta)
    }
    parent.delete(parent.toArray().indexOf(element), 1)
    changed = true
  }
  // Read after folding, so a block that took in a stray carries that text along if it has to move.
  for (const { element } of textblockElements(fragment)) {
    const sourceId = element.getAttribute(SOURCE_ID)
    if (typeof sourceId === 'string' && kept.has(sourceId)) kept.get(sourceId)!.delta = deltaOf(element)
  }
  return { kept, changed }
}

/** Adds text at the end of a block, a space between it and what is there. */
function append(element: Y.XmlElement, delta: Delta): void {
  const text = lastText(element)
  const existing = textOfDelta(deltaOf(element))
  if (existing.length > 0 && !/\s$/.test(existing)) text.insert(text.length, ' ')
  for (const op of delta) if (typeof op.insert === 'string') text.insert(text.length, op.insert, op.attributes ?? {})
}

/** Adds text at the start of a block, a space between it and what is there. */
function prepend(element: Y.XmlElement, delta: Delta): void {
  const existing = textOfDelta(deltaOf(element))
  const text = element.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText) ?? lastText(element)
  let at = 0
  for (const op of delta) {
    if (typeof op.insert !== 'string') continue
    text.insert(at, op.insert, op.attributes ?? {})
    at += op.insert.length
  }
  if (existing.length > 0) text.insert(at, ' ')
}

/** Sets the attributes the version copies from the original; says whether anything changed. */
function copyAttributes(element: Y.XmlElement, attrs: Record<string, unknown>): boolean {
  let changed = false
  for (const [key, value] of Object.entries(attrs)) {
    const current = element.getAttribute(key) as unknown
    if (value === null || value === undefined) {
      if (current !== null && current !== undefined) {
        element.removeAttribute(key)
        changed = true
      }
    } else if (current !== value) {
      element.setAttribute(key, value as string)
      changed = true
    }
  }
  return changed
}

function build(shape: Shape, kept: ReadonlyMap<string, Kept>): Y.XmlElement {
  const element = new Y.XmlElement(shape.name)
  for (const [key, value] of Object.entries(shape.attrs)) if (value !== null && value !== undefined) element.setAttribute(key, value as string)
  if (shape.sourceId === null) {
    element.insert(0, shape.children.map((child) => build(child, kept)))
    return element
  }
  const previous = kept.get(shape.sourceId)
  element.setAttribute(BLOCK_ID, previous?.id ?? newBlockId())
  element.setAttribute(SOURCE_ID, shape.sourceId)
  const text = new Y.XmlText()
  if (previous && previous.delta.length > 0) text.applyDelta(previous.delta)
  element.insert(0, [text])
  return element
}

/**
 * Makes `parent`'s children match `targets`, in order: a child with the
 * same key is kept (and its own children matched in turn), others are
 * inserted or deleted. Greedy, as a person would edit: when the child in
 * the way is wanted further on, the target is inserted before it; otherwise
 * the children in the way are removed.
 */
function reconcile(parent: Y.XmlFragment | Y.XmlElement, targets: readonly Shape[], kept: ReadonlyMap<string, Kept>): boolean {
  let changed = false
  const children = parent.toArray()
  const keys = children.map(nodeKey)
  const later = new Map<string, number>()
  for (const target of targets) later.set(shapeKey(target), (later.get(shapeKey(target)) ?? 0) + 1)
  // Elements to insert side by side go in with one insert: Yjs finds a fragment's position by walking it from the start, so
  // a version of thousands of new blocks inserted one by one took time quadratic in its length.
  let pending: { at: number; elements: Y.XmlElement[] } | null = null
  const flush = () => {
    if (pending) parent.insert(pending.at, pending.elements)
    pending = null
  }
  let at = 0
  for (const target of targets) {
    const key = shapeKey(target)
    later.set(key, later.get(key)! - 1)
    const found = keys.indexOf(key, at)
    const wantedLater = at < keys.length && (later.get(keys[at]!) ?? 0) > 0
    if (found < 0 || (found > at && wantedLater)) {
      const element = build(target, kept)
      pending ??= { at, elements: [] }
      pending.elements.push(element)
      children.splice(at, 0, element)
      keys.splice(at, 0, key)
      at += 1
      changed = true
      continue
    }
    flush()
    if (found > at) {
      parent.delete(at, found - at)
      children.splice(at, found - at)
      keys.splice(at, found - at)
      changed = true
    }
    const element = children[at] as Y.XmlElement
    if (copyAttributes(element, target.attrs)) changed = true
    if (target.sourceId === null && reconcile(element, target.children, kept)) changed = true
    at += 1
  }
  flush()
  if (children.length > at) {
    parent.delete(at, children.length - at)
    changed = true
  }
  return changed
}

/** Each original's `alignmentOf`, once per body (bodies are immutable). */
const alignments = new WeakMap<DocumentNode, string>()

/**
 * All `alignVersion` takes of the original, as one string: the shape of its
 * tree (names, copied attributes, each textblock's id), not its words. Two
 * originals with the same alignment leave a version aligned alike, so a
 * version found aligned with one (nothing changed) is aligned with the
 * other: typing in the original's words needs no alignment.
 */
export function alignmentOf(original: DocumentNode): string {
  let alignment = alignments.get(original)
  if (alignment === undefined) {
    // Attributes as [key, whether defined, value]: an attribute set to undefined is removed by `copyAttributes`, one absent is not.
    const encode = (shape: Shape): unknown => [
      shape.name,
      Object.entries(shape.attrs).map(([key, value]) => [key, value !== undefined, value ?? null]),
      shape.sourceId,
      shape.children.map(encode),
    ]
    alignment = JSON.stringify(shapesOf(original).map(encode))
    alignments.set(original, alignment)
  }
  return alignment
}

/**
 * Aligns a version's body with the original, inside the caller's
 * transaction. Returns whether it changed anything: an aligned version is
 * left untouched, so calling it after every change costs no update.
 */
export function alignVersion(original: DocumentNode, version: Y.XmlFragment): boolean {
  const shapes = shapesOf(original)
  const wanted = new Set<string>()
  const stack = [...shapes]
  while (stack.length > 0) {
    const shape = stack.pop()!
    if (shape.sourceId !== null) wanted.add(shape.sourceId)
    else stack.push(...shape.children)
  }
  const folded = foldStrays(version, wanted)
  const reconciled = reconcile(version, shapes, folded.kept)
  return folded.changed || reconciled
}
