import { type Run, runsOfNode } from '@hemicycle/amendments'
import type { Language } from '@hemicycle/protocol'
import { blockIdOf, type DocumentNode, type FrozenNumbering, LINE_WIDTH, numberBlocks, sourceIdOf } from '@hemicycle/schema'
import { letterhead, stampText } from './letterhead.ts'
import type { PendingTranslation } from './pendingTranslation.ts'
import { type AdoptionFacts, adoptionRecord } from './record.ts'
import { wrapPieces } from './lines.ts'

/**
 * A resolution as it is printed, before any file format: the header, title,
 * stamp and event, then every textblock with its § number, its list marker
 * and its lines. The DOCX, PDF and HTML renderers only lay this out, so all
 * three cite the same "§4, line 12" as the screen.
 */
export interface DocumentMeta {
  title: string
  language: Language
  organisation: string
  event: string
  stamp: { label: string; date: string | null }
  /** Who adopted the text, when, and by what vote: only for the adopted text. */
  adoption?: AdoptionFacts | null | undefined
  /** The § and line numbers frozen when amendments opened, while they are in force (amendments, consolidation); otherwise the text is numbered as it stands. */
  numbering?: FrozenNumbering | null | undefined
  /** How the text's blocks are found in `numbering`: by their own id (the original), or by the original's block each translates (a language version). */
  numberedBy?: 'block' | 'source' | undefined
  /** The IANA time zone the resolution's dates are read in (`Resolution.timeZone`: its meeting's); UTC when not given. */
  timeZone?: string | undefined
}

export interface ModelBlock {
  id: string | null
  kind: 'heading' | 'paragraph'
  /** Heading level (1–3); 0 for a paragraph. */
  level: number
  /** The § of a top-level paragraph as cited ("4", or "4a" added after §4 under a frozen numbering); null for headings and paragraphs inside lists or quotes. */
  number: string | null
  /** The § it belongs to: its own, or the last before it (0 before the first). */
  paragraph: number
  /** That § as cited ("0" before the first; "4a" under a frozen numbering). */
  section: string
  /** "•" or "3." on the first paragraph of a list item. */
  marker: string | null
  /** How many lists and quotes the block sits in, for indentation. */
  depth: number
  quote: boolean
  /** How many lists it sits in inside its innermost quote (or the text, outside any): a list's level where it is. */
  lists: number
  runs: Run[]
  /** The block wrapped as the numbering wraps it: one entry per cited line. */
  lines: Run[][]
  /** Each line's number as cited ("12", or "14a" under a frozen numbering), counted across the whole text: one per entry of `lines`. */
  lineLabels: string[]
  /** In a language version, whether its words are no confirmed translation of the original's as they now read (`pendingNote`); null in the original. */
  pending: PendingTranslation | null
}

export interface DocumentModel {
  letterhead: string
  title: string
  stamp: string
  event: string
  language: Language
  blocks: ModelBlock[]
  /** "Adopted by the Council on 31 August 2019 (24 in favour, 2 against, 3 abstentions)", printed after the text; null before adoption. */
  record: string | null
}

interface Context {
  depth: number
  quote: boolean
  lists: number
  marker: string | null
}

/**
 * Every textblock of the body in document order, with the context numbering
 * does not know: list markers, nesting, quotes. Iterative, so no depth of
 * nesting can exhaust the stack.
 */
function walk(doc: DocumentNode): Array<{ node: DocumentNode; context: Context }> {
  const out: Array<{ node: DocumentNode; context: Context }> = []
  interface Frame {
    parent: DocumentNode
    index: number
    context: Context
  }
  const stack: Frame[] = [{ parent: doc, index: 0, context: { depth: 0, quote: false, lists: 0, marker: null } }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    if (frame.index >= frame.parent.childCount) {
      stack.pop()
      continue
    }
    const index = frame.index++
    const node = frame.parent.child(index)
    const list = frame.parent.type.name
    if (list === 'bulletList' || list === 'orderedList') {
      // 0 is a start like any other (the editor makes one of "0. "); only a value that is no integer falls back to 1.
      const given = Number(frame.parent.attrs['start'] ?? 1)
      const start = Number.isInteger(given) ? given : 1
      const marker = list === 'orderedList' ? `${start + index}.` : '•'
      stack.push({ parent: node, index: 0, context: { depth: frame.context.depth + 1, quote: frame.context.quote, lists: frame.context.lists + 1, marker } })
      continue
    }
    if (node.isTextblock) {
      out.push({ node, context: frame.context })
      // Only the first paragraph of a list item carries its marker.
      frame.context = { ...frame.context, marker: null }
      continue
    }
    if (node.type.name === 'blockquote') stack.push({ parent: node, index: 0, context: { depth: frame.context.depth + 1, quote: true, lists: 0, marker: null } })
    else stack.push({ parent: node, index: 0, context: frame.context })
  }
  return out
}

/** A language version's blocks that are not current, by the id of the original's block each translates. */
export type PendingTranslations = ReadonlyMap<string, PendingTranslation>

/** `numbering`: the § and line numbers frozen when amendments opened, while they are in force (`numberBlocks`). */
export function modelBlocks(
  doc: DocumentNode,
  width: number = LINE_WIDTH,
  pending: PendingTranslations | null = null,
  numbering: FrozenNumbering | null = null,
  numberedBy: 'block' | 'source' = 'block',
): ModelBlock[] {
  const numbered = numberBlocks(doc, width, numbering, numberedBy)
  const walked = walk(doc)
  if (numbered.length !== walked.length) throw new Error('documentModel: the numbering and the walk disagree on the blocks')
  return walked.map(({ node, context }, index) => {
    const numbering = numbered[index]!
    const runs = runsOfNode(node)
    const source = pending ? sourceIdOf(node) : null
    return {
      id: blockIdOf(node),
      kind: node.type.name === 'heading' ? 'heading' : 'paragraph',
      level: node.type.name === 'heading' ? Number(node.attrs['level'] ?? 1) : 0,
      number: numbering.numbered ? numbering.label : null,
      paragraph: numbering.paragraph,
      section: numbering.label,
      marker: context.marker,
      depth: context.depth,
      quote: context.quote,
      lists: context.lists,
      runs,
      lines: wrapPieces(runs, width),
      lineLabels: numbering.lineLabels,
      pending: (source !== null ? pending?.get(source) : undefined) ?? null,
    }
  })
}

/** `pending`: for a language version, its blocks that are not current (`PendingTranslations`). */
export function buildDocumentModel(doc: DocumentNode, meta: DocumentMeta, pending: PendingTranslations | null = null): DocumentModel {
  return {
    letterhead: letterhead(meta.organisation),
    title: meta.title,
    stamp: stampText(meta.stamp, meta.language),
    event: meta.event,
    language: meta.language,
    blocks: modelBlocks(doc, LINE_WIDTH, pending, meta.numbering ?? null, meta.numberedBy ?? 'block'),
    record: meta.adoption ? adoptionRecord(meta.adoption, meta.language) : null,
  }
}
