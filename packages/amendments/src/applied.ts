import { BLOCK_ID, bodyOf } from '@hemicycle/schema'
import * as Y from 'yjs'
import type { AmendmentKind } from './amendment.ts'
import type { DeltaOp } from './delta.ts'
import { findBlock } from './blockIndex.ts'
import { blockRuns, deleteBlock, insertAfter, readRuns, replaceBlock } from './document.ts'
import type { Run } from './inline.ts'
import { mergeTokens } from './merge.ts'
import { runsOfTokens, tokensOfRuns } from './tokens.ts'
import { trailOf } from './trail.ts'
import { normalizeParagraph, type Wording } from './wording.ts'

/**
 * What an accepted amendment did to the text, kept with its decision so the
 * decision can be taken back: the block's wording before and after, the
 * blocks it inserted, or the part of the text it removed and where it
 * stood. Plain data (stored as JSON).
 */
export interface InsertedBlock {
  blockId: string
  runs: Run[]
}

/** An element of the text as plain data: its name, attributes and children (elements, or text as a delta). */
export interface ElementData {
  name: string
  attributes: Record<string, string>
  children: Array<ElementData | { delta: DeltaOp[] }>
}

/**
 * Where a removed element stood: after the sibling holding the textblock
 * `before` (reached by going `up` parents from it), or else before the
 * sibling holding `after`; neither when it was all the text there was.
 */
export interface Anchor {
  before: { blockId: string; up: number } | null
  after: { blockId: string; up: number } | null
  /** Whether it stood at the top level of the text (then, with no neighbour, it was the whole text). */
  topLevel: boolean
}

export type AppliedChange =
  | { kind: 'rewrite'; blockId: string; before: Run[]; after: Run[]; inserted: InsertedBlock[] }
  | { kind: 'insert'; inserted: InsertedBlock[] }
  | { kind: 'delete'; blockId: string; removed: ElementData; anchor: Anchor }

function elementData(element: Y.XmlElement): ElementData {
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(element.getAttributes())) if (typeof value === 'string') attributes[key] = value
  return {
    name: element.nodeName,
    attributes,
    children: element
      .toArray()
      .flatMap((child): ElementData['children'] => (child instanceof Y.XmlElement ? [elementData(child)] : child instanceof Y.XmlText ? [{ delta: child.toDelta() as DeltaOp[] }] : [])),
  }
}

function elementOf(data: ElementData): Y.XmlElement {
  const element = new Y.XmlElement(data.name)
  for (const [key, value] of Object.entries(data.attributes)) element.setAttribute(key, value)
  element.insert(
    0,
    data.children.map((child) => {
      if ('name' in child) return elementOf(child)
      const text = new Y.XmlText()
      text.applyDelta(child.delta)
      return text
    }),
  )
  return element
}

/** The first textblock id inside an element, and how many parents up from it the element is. */
function firstBlockIn(element: Y.XmlElement): { blockId: string; up: number } | null {
  const id = element.getAttribute(BLOCK_ID)
  if (typeof id === 'string') return { blockId: id, up: 0 }
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue
    const inner = firstBlockIn(child)
    if (inner) return { blockId: inner.blockId, up: inner.up + 1 }
  }
  return null
}

/** The element `deleteBlock` removes with a block: the block, or the list item, list or quote it leaves empty. */
function removedWith(element: Y.XmlElement): Y.XmlElement {
  let removed = element
  while (removed.parent instanceof Y.XmlElement && removed.parent.length === 1 && removed.parent.parent) removed = removed.parent
  return removed
}

function anchorOf(removed: Y.XmlElement): Anchor {
  const parent = removed.parent as Y.XmlFragment | Y.XmlElement
  const siblings = parent.toArray()
  const index = siblings.indexOf(removed)
  const near = (from: number, step: 1 | -1) => {
    for (let at = from; at >= 0 && at < siblings.length; at += step) {
      const sibling = siblings[at]
      if (sibling instanceof Y.XmlElement) return { sibling: firstBlockIn(sibling), distance: Math.abs(at - index) }
    }
    return null
  }
  const before = near(index - 1, -1)
  const after = near(index + 1, 1)
  // Only the adjacent sibling places it exactly; a farther one would put it back elsewhere.
  return {
    before: before?.distance === 1 ? before.sibling : null,
    after: after?.distance === 1 ? after.sibling : null,
    topLevel: !(parent instanceof Y.XmlElement),
  }
}

/**
 * Applies an amendment's (rebased) wording to `doc`, inside the caller's
 * transaction, by the smallest edit, and says what it did. A replacement's
 * first paragraph rewrites the block and the others follow it, after any
 * paragraphs earlier amendments inserted there (`earlier`, their ids), in
 * the order they were accepted. Null when the block is gone.
 */
export function applyAmendment(doc: Y.Doc, kind: AmendmentKind, blockId: string | null, wording: Wording, earlier: ReadonlySet<string> = new Set()): AppliedChange | null {
  if (kind === 'insertAfter') {
    const ids = insertAfter(doc, blockId, wording, earlier)
    return ids ? { kind: 'insert', inserted: ids.map((id, index) => ({ blockId: id, runs: normalizeParagraph(wording[index] ?? []) })) } : null
  }
  const block = blockId === null ? null : findBlock(doc, blockId)
  if (!block || blockId === null) return null
  if (kind === 'delete') {
    const removed = removedWith(block.element)
    const record: AppliedChange = { kind: 'delete', blockId, removed: elementData(removed), anchor: anchorOf(removed) }
    deleteBlock(doc, blockId)
    return record
  }
  const before = readRuns(block.element)
  replaceBlock(doc, blockId, wording[0] ?? [])
  const after = blockRuns(doc, blockId) ?? []
  const extra = wording.slice(1)
  const ids = extra.length > 0 ? (insertAfter(doc, blockId, extra, earlier) ?? []) : []
  return { kind: 'rewrite', blockId, before, after, inserted: ids.map((id, index) => ({ blockId: id, runs: normalizeParagraph(extra[index]!) })) }
}

export type Revert = { ok: true } | { ok: false; reason: 'conflict' | 'gone'; blockId: string | null }

const same = (a: readonly Run[], b: readonly Run[]) => JSON.stringify(normalizeParagraph(a)) === JSON.stringify(normalizeParagraph(b))

/** Walks `up` parents from a textblock; null when the text no longer has that shape. */
function climb(doc: Y.Doc, target: { blockId: string; up: number }): Y.XmlElement | null {
  const found = findBlock(doc, target.blockId)
  if (!found) return null
  let element: Y.XmlElement = found.element
  for (let step = 0; step < target.up; step++) {
    if (!(element.parent instanceof Y.XmlElement)) return null
    element = element.parent
  }
  return element
}

function blockIdsIn(data: ElementData): string[] {
  const own = data.attributes[BLOCK_ID]
  return [...(own ? [own] : []), ...data.children.flatMap((child) => ('name' in child ? blockIdsIn(child) : []))]
}

/**
 * Takes an applied change back, inside the caller's transaction: the
 * block's wording is rebased from "after" to "before" onto the block as it
 * stands (a three-way merge: what others changed since is kept, a change
 * to the same words is a conflict), inserted blocks are removed, a removed
 * part is put back where it stood. Everything is checked before anything
 * is written, so a refusal leaves `doc` as it was. Never a silent wrong
 * text: an inserted paragraph someone has edited since, a neighbour gone,
 * or a clash on the same words is a conflict for a person. `since`: the
 * block's wordings before and after each acceptance that rewrote it since
 * (`Proposal.since`), which what happened since is followed through.
 */
export function revertApplied(doc: Y.Doc, applied: AppliedChange, since: readonly Run[][] = []): Revert {
  const work: Array<() => void> = []
  const fail = (reason: 'conflict' | 'gone', blockId: string | null): Revert => ({ ok: false, reason, blockId })

  if (applied.kind === 'rewrite') {
    const now = blockRuns(doc, applied.blockId)
    if (now === null) return fail('gone', applied.blockId)
    const merged = mergeTokens(
      tokensOfRuns(normalizeParagraph(applied.after)),
      tokensOfRuns(normalizeParagraph(now)),
      tokensOfRuns(normalizeParagraph(applied.before)),
      since.length > 0 ? trailOf(since) : null,
    )
    if (!merged.ok) return fail('conflict', applied.blockId)
    const target = runsOfTokens(merged.tokens)
    work.push(() => replaceBlock(doc, applied.blockId, target))
  }
  if (applied.kind === 'rewrite' || applied.kind === 'insert') {
    for (const inserted of applied.inserted) {
      const now = blockRuns(doc, inserted.blockId)
      // Already gone: what reverting wants. Changed since: removing it would lose someone's words.
      if (now === null) continue
      if (!same(now, inserted.runs)) return fail('conflict', inserted.blockId)
      work.push(() => deleteBlock(doc, inserted.blockId))
    }
  }
  if (applied.kind === 'delete') {
    if (blockIdsIn(applied.removed).some((id) => findBlock(doc, id) !== null)) return fail('conflict', applied.blockId)
    const { before, after } = applied.anchor
    if (before) {
      const sibling = climb(doc, before)
      if (!sibling) return fail('gone', before.blockId)
      // Paragraphs put between its two neighbours since (an insertion accepted after the one before it) leave no one
      // place for it: before them or after them is a choice nobody made. So do paragraphs put after the one before it
      // where it was the last (put back at the end, it read after a paragraph inserted since its deletion).
      // The one after it gone (deleted, or joined to another by hand) leaves as little: after what came in its place?
      const next = after ? climb(doc, after) : null
      if (after && !next) return fail('gone', after.blockId)
      const siblings = (sibling.parent as Y.XmlFragment | Y.XmlElement).toArray()
      const position = siblings.indexOf(sibling)
      if (next && (next.parent !== sibling.parent || siblings.indexOf(next) !== position + 1)) return fail('conflict', applied.blockId)
      if (!after && position !== siblings.length - 1) return fail('conflict', applied.blockId)
      work.push(() => {
        const parent = sibling.parent as Y.XmlFragment | Y.XmlElement
        parent.insert(parent.toArray().indexOf(sibling) + 1, [elementOf(applied.removed)])
      })
    } else if (after) {
      const sibling = climb(doc, after)
      if (!sibling) return fail('gone', after.blockId)
      // It was the first: paragraphs put before the one after it since leave it no one place either.
      if ((sibling.parent as Y.XmlFragment | Y.XmlElement).toArray().indexOf(sibling) !== 0) return fail('conflict', applied.blockId)
      work.push(() => {
        const parent = sibling.parent as Y.XmlFragment | Y.XmlElement
        parent.insert(parent.toArray().indexOf(sibling), [elementOf(applied.removed)])
      })
    } else if (applied.anchor.topLevel && bodyOf(doc).length === 0) {
      work.push(() => bodyOf(doc).insert(0, [elementOf(applied.removed)]))
    } else {
      return fail('gone', applied.blockId)
    }
  }
  for (const step of work) step()
  return { ok: true }
}
