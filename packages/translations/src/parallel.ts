import type { Run } from '@hemicycle/amendments'
import { adoptionRecord, type DocumentMeta, letterhead, modelBlocks, type ModelBlock, type PendingTranslation, stampText } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import { type DocumentNode, type FrozenNumbering, LINE_WIDTH } from '@hemicycle/schema'
import { alignedBlocks, type ConfirmedWording } from './blocks.ts'
import { pendingTranslations } from './pending.ts'

/**
 * Two or three languages side by side, as assemblies print them: one row
 * per block of the original, each language's text of that block in its
 * column, under the same § number.
 */
export interface ParallelColumn {
  language: Language
  title: string
  /** "PROYECTO 03 de julio de 2019": the stamp in the column's language. */
  stamp: string
  /** The adoption as the column's language states it; null before adoption. */
  record: string | null
}

/** A language's text of a block; `pending` as a version's printed text marks it (`pendingNote`), null in the original's column. */
export interface ParallelCell {
  runs: Run[]
  pending: PendingTranslation | null
}

export interface ParallelRow extends Pick<ModelBlock, 'kind' | 'level' | 'number' | 'paragraph' | 'section' | 'marker' | 'depth' | 'quote'> {
  sourceId: string | null
  /** One entry per column, in the columns' order. */
  cells: ParallelCell[]
}

export interface ParallelModel {
  letterhead: string
  event: string
  columns: ParallelColumn[]
  rows: ParallelRow[]
}

export interface ParallelText {
  meta: DocumentMeta
  /** The version's body; null for the original itself. */
  body: DocumentNode | null
  /** The version's confirmations, by the original's block id, which say which of its blocks are current; null for the original. */
  confirmations: ReadonlyMap<string, ConfirmedWording> | null
}

/** `numbering`: the original's § numbers frozen when amendments opened, while in force; every column is set beside the original's §. */
export function buildParallelModel(original: DocumentNode, texts: readonly ParallelText[], numbering: FrozenNumbering | null = null): ParallelModel {
  const lookups = texts.map(({ body, confirmations }) => {
    if (body === null) return null
    return { runs: new Map(alignedBlocks(original, body).map((block) => [block.sourceId, block.translation?.runs ?? []])), pending: pendingTranslations(original, body, confirmations ?? new Map()) }
  })
  const rows = modelBlocks(original, LINE_WIDTH, null, numbering).map((block): ParallelRow => ({
    sourceId: block.id,
    kind: block.kind,
    level: block.level,
    number: block.number,
    paragraph: block.paragraph,
    section: block.section,
    marker: block.marker,
    depth: block.depth,
    quote: block.quote,
    cells: lookups.map((lookup) => {
      if (lookup === null) return { runs: block.runs, pending: null }
      // A block of the original the version has no block for (not yet followed) is missing, as its status says.
      return { runs: (block.id ? lookup.runs.get(block.id) : undefined) ?? [], pending: (block.id ? lookup.pending.get(block.id) : undefined) ?? null }
    }),
  }))
  const first = texts[0]?.meta
  return {
    letterhead: letterhead(first?.organisation ?? ''),
    event: first?.event ?? '',
    columns: texts.map(({ meta }) => ({
      language: meta.language,
      title: meta.title,
      stamp: stampText(meta.stamp, meta.language),
      record: meta.adoption ? adoptionRecord(meta.adoption, meta.language) : null,
    })),
    rows,
  }
}
