import { BLOCK_ID, bodyOf, childrenProblem, newBlockId } from '@hemicycle/schema'
import * as Y from 'yjs'
import { bodyChildren, findBlock } from './blockIndex.ts'
import type { Attributes, DeltaOp } from './delta.ts'
import { planDelta } from './delta.ts'
import { normalizeRuns, type Run } from './inline.ts'

/*
 * Amendments meet the live Yjs document here: reading a block's wording and
 * changing it by the smallest edit (finding it by its id: blockIndex.ts),
 * inside the caller's transaction (whose origin attributes the change).
 */

/** The paragraph's text elements, in order; one is created if it has none. */
function textsOf(element: Y.XmlElement): Y.XmlText[] {
  const texts = element.toArray().filter((child): child is Y.XmlText => child instanceof Y.XmlText)
  if (texts.length > 0) return texts
  const created = new Y.XmlText()
  element.insert(element.length, [created])
  return [created]
}

/**
 * Applies a delta written against a paragraph's whole text to the text
 * elements that hold it. A paragraph usually has one, but two people filling
 * an empty paragraph at once can give it two, and the reader sees them as
 * one text. Insertions at a boundary join the text before it. Embedded
 * objects are not text: they are kept and not counted.
 */
function applyAcross(texts: readonly Y.XmlText[], delta: readonly DeltaOp[]): void {
  const segments = texts.flatMap((text, child) =>
    (text.toDelta() as Array<{ insert: unknown }>).map((op) => ({ child, text: typeof op.insert === 'string', length: typeof op.insert === 'string' ? op.insert.length : 1 })),
  )
  const local: DeltaOp[][] = texts.map(() => [])
  let segment = 0
  let used = 0
  let child = 0
  const walk = (count: number, make: (length: number) => DeltaOp) => {
    let left = count
    while (left > 0 && segment < segments.length) {
      const current = segments[segment]!
      if (used === current.length) {
        segment++
        used = 0
        continue
      }
      child = current.child
      if (!current.text) {
        local[child]!.push({ retain: 1 })
        used = 1
        continue
      }
      const take = Math.min(left, current.length - used)
      local[child]!.push(make(take))
      used += take
      left -= take
    }
  }
  for (const op of delta) {
    if ('retain' in op) walk(op.retain, (retain) => (op.attributes ? { retain, attributes: op.attributes } : { retain }))
    else if ('delete' in op) walk(op.delete, (count) => ({ delete: count }))
    else local[child]!.push(op)
  }
  texts.forEach((text, index) => {
    const ops = local[index]!
    while (ops.length > 0 && 'retain' in ops[ops.length - 1]! && !(ops[ops.length - 1] as { attributes?: Attributes }).attributes) ops.pop()
    if (ops.length > 0) text.applyDelta(ops)
  })
}

export function readRuns(element: Y.XmlElement): Run[] {
  const runs: Run[] = []
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue
    for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      if (typeof op.insert !== 'string') continue
      runs.push({ text: op.insert, ...(op.attributes?.['bold'] ? { bold: true } : {}), ...(op.attributes?.['italic'] ? { italic: true } : {}) })
    }
  }
  return normalizeRuns(runs)
}

/** A block's runs as they stand, or null if it is gone. */
export function blockRuns(doc: Y.Doc, blockId: string): Run[] | null {
  const block = findBlock(doc, blockId)
  return block ? readRuns(block.element) : null
}

function paragraphElement(runs: readonly Run[]): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.setAttribute(BLOCK_ID, newBlockId())
  const text = new Y.XmlText()
  const delta: DeltaOp[] = runs.map((run) => {
    const attributes: Attributes = {}
    if (run.bold) attributes.bold = {}
    if (run.italic) attributes.italic = {}
    return Object.keys(attributes).length > 0 ? { insert: run.text, attributes } : { insert: run.text }
  })
  text.applyDelta(delta)
  element.insert(0, [text])
  return element
}

/** Rewrites a block to `target` by the smallest delta. Returns false if the block is gone. */
export function replaceBlock(doc: Y.Doc, blockId: string, target: readonly Run[]): boolean {
  const block = findBlock(doc, blockId)
  if (!block) return false
  const delta = planDelta(readRuns(block.element), target)
  if (delta.length > 0) applyAcross(textsOf(block.element), delta)
  return true
}

/**
 * Where paragraphs inserted after a block go (in the same list item or
 * quote), or at the start of the text when `blockId` is null: among
 * `parent`'s children, right after the block (`after`), then past the last
 * of the blocks after it that `earlier` names (those earlier amendments
 * inserted at the same place), at `at`, over up to `WRITTEN_BETWEEN` blocks
 * between them. Past the last, not only past those right after the block: a
 * paragraph someone wrote between (Enter at the end of the block) made the
 * next acceptance go before the earlier ones, and an amendment adding the
 * same paragraph write it a second time unnoticed (`insertedAlready` reads
 * from `after` to `at`). Null if the block is gone.
 */
export function insertionPlace(
  doc: Y.Doc,
  blockId: string | null,
  earlier: ReadonlySet<string> = new Set(),
): { parent: Y.XmlFragment | Y.XmlElement; after: number; at: number; siblings: readonly Sibling[] } | null {
  let parent: Y.XmlFragment | Y.XmlElement = bodyOf(doc)
  let after = 0
  // The parent's children as the block index read them: reading every amendment's place copied a long body each time.
  let siblings: readonly Sibling[]
  if (blockId === null) siblings = bodyChildren(doc)
  else {
    const block = findBlock(doc, blockId)
    if (!block) return null
    ;({ parent, siblings } = block)
    after = block.index + 1
  }
  const placedEarlier = (sibling: Sibling | undefined) => {
    const id = sibling instanceof Y.XmlElement ? sibling.getAttribute(BLOCK_ID) : undefined
    return id !== undefined && earlier.has(id)
  }
  let at = after
  // Past the last of them, over at most a few paragraphs written in between: one moved far away, by hand, is no longer
  // "there", and the next acceptance stays by its block.
  for (let index = after, between = 0; index < siblings.length && between <= WRITTEN_BETWEEN && earlier.size > 0; index++) {
    if (placedEarlier(siblings[index])) {
      at = index + 1
      between = 0
    } else between++
  }
  return { parent, after, at, siblings }
}

type Sibling = Y.XmlElement | Y.XmlText | Y.XmlHook

/** How many blocks written after a block may stand between the paragraphs acceptances put after it, and still be passed over. */
const WRITTEN_BETWEEN = 3

/**
 * Inserts new paragraphs at `insertionPlace`: paragraphs accepted one after
 * the other after one block stand in the order they were accepted. Returns
 * the new blocks' ids, or null if the block is gone.
 */
export function insertAfter(doc: Y.Doc, blockId: string | null, paragraphs: readonly Run[][], earlier: ReadonlySet<string> = new Set()): string[] | null {
  const place = insertionPlace(doc, blockId, earlier)
  if (!place) return null
  const elements = paragraphs.map(paragraphElement)
  place.parent.insert(place.at, elements)
  return elements.map((element) => element.getAttribute(BLOCK_ID) as string)
}

/**
 * Whether deleting the block would leave its container holding children in
 * an order the schema refuses: a list item starting with a list or a
 * heading. No editor can show such an item: the first to open the text
 * deleted it, with the words under it nobody decided to delete.
 */
export function deletionBreaksContainer(doc: Y.Doc, blockId: string): boolean {
  const block = findBlock(doc, blockId)
  if (!block || !(block.parent instanceof Y.XmlElement)) return false
  const left = block.siblings.filter((sibling, index): sibling is Y.XmlElement => index !== block.index && sibling instanceof Y.XmlElement).map((sibling) => sibling.nodeName)
  return left.length > 0 && childrenProblem(block.parent.nodeName, left) !== null
}

/** Deletes a block, and the list item, list or quote it leaves empty. Returns false if the block is gone. */
export function deleteBlock(doc: Y.Doc, blockId: string): boolean {
  const block = findBlock(doc, blockId)
  if (!block) return false
  let parent = block.parent
  parent.delete(block.index, 1)
  while (parent instanceof Y.XmlElement && parent.length === 0 && parent.parent) {
    const container = parent.parent as Y.XmlFragment | Y.XmlElement
    const position = container.toArray().indexOf(parent)
    if (position < 0) break
    container.delete(position, 1)
    parent = container
  }
  return true
}
