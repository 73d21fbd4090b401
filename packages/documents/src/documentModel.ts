import { type Run, runsOfNode } from '@hemicycle/amendments'
import type { Language } from '@hemicycle/protocol'
import { blockIdOf, type DocumentNode, LINE_WIDTH, numberBlocks } from '@hemicycle/schema'
import { letterhead, stampText } from './letterhead.ts'
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
}

export interface ModelBlock {
  id: string | null
  kind: 'heading' | 'paragraph'
  /** Heading level (1–3); 0 for a paragraph. */
  level: number
  /** The § of a top-level paragraph; null for headings and paragraphs inside lists or quotes. */
  number: number | null
  /** "•" or "3." on the first paragraph of a list item. */
  marker: string | null
  /** How many lists and quotes the block sits in, for indentation. */
  depth: number
  quote: boolean
  runs: Run[]
  /** The first line's number, counted across the whole text. */
  firstLine: number
  /** The block wrapped as the numbering wraps it: one entry per cited line. */
  lines: Run[][]
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
  marker: string | null
}

/** Every textblock of the body in document order, with the context numbering does not know: list markers, nesting, quotes. */
function walk(doc: DocumentNode): Array<{ node: DocumentNode; context: Context }> {
  const out: Array<{ node: DocumentNode; context: Context }> = []
  const visit = (parent: DocumentNode, context: Context) => {
    parent.forEach((node) => {
      if (node.isTextblock) {
        out.push({ node, context })
        // Only the first paragraph of a list item carries its marker.
        context = { ...context, marker: null }
        return
      }
      const name = node.type.name
      if (name === 'bulletList' || name === 'orderedList') {
        const start = Number(node.attrs['start'] ?? 1) || 1
        node.forEach((item, _itemOffset, itemIndex) => {
          const marker = name === 'orderedList' ? `${start + itemIndex}.` : '•'
          visit(item, { depth: context.depth + 1, quote: context.quote, marker })
        })
        return
      }
      if (name === 'blockquote') {
        visit(node, { depth: context.depth + 1, quote: true, marker: null })
        return
      }
      visit(node, context)
    })
  }
  visit(doc, { depth: 0, quote: false, marker: null })
  return out
}

export function modelBlocks(doc: DocumentNode, width: number = LINE_WIDTH): ModelBlock[] {
  const numbered = numberBlocks(doc, width)
  const walked = walk(doc)
  if (numbered.length !== walked.length) throw new Error('documentModel: the numbering and the walk disagree on the blocks')
  return walked.map(({ node, context }, index) => {
    const numbering = numbered[index]!
    const runs = runsOfNode(node)
    return {
      id: blockIdOf(node),
      kind: node.type.name === 'heading' ? 'heading' : 'paragraph',
      level: node.type.name === 'heading' ? Number(node.attrs['level'] ?? 1) : 0,
      number: numbering.numbered ? numbering.paragraph : null,
      marker: context.marker,
      depth: context.depth,
      quote: context.quote,
      runs,
      firstLine: numbering.firstLine,
      lines: wrapPieces(runs, width),
    }
  })
}

export function buildDocumentModel(doc: DocumentNode, meta: DocumentMeta): DocumentModel {
  return {
    letterhead: letterhead(meta.organisation),
    title: meta.title,
    stamp: stampText(meta.stamp, meta.language),
    event: meta.event,
    language: meta.language,
    blocks: modelBlocks(doc),
    record: meta.adoption ? adoptionRecord(meta.adoption, meta.language) : null,
  }
}
