import type { Run } from '@hemicycle/amendments'
import { adoptionRecord, type DocumentMeta, letterhead, modelBlocks, type ModelBlock, stampText } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import type { DocumentNode } from '@hemicycle/schema'
import { alignedBlocks } from './blocks.ts'

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

export interface ParallelRow extends Pick<ModelBlock, 'kind' | 'level' | 'number' | 'marker' | 'depth' | 'quote'> {
  sourceId: string | null
  /** One entry per column, in the columns' order. */
  cells: Run[][]
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
}

export function buildParallelModel(original: DocumentNode, texts: readonly ParallelText[]): ParallelModel {
  const lookups = texts.map(({ body }) => {
    if (body === null) return null
    return new Map(alignedBlocks(original, body).map((block) => [block.sourceId, block.translation?.runs ?? []]))
  })
  const rows = modelBlocks(original).map((block): ParallelRow => ({
    sourceId: block.id,
    kind: block.kind,
    level: block.level,
    number: block.number,
    marker: block.marker,
    depth: block.depth,
    quote: block.quote,
    cells: lookups.map((lookup) => (lookup === null ? block.runs : ((block.id ? lookup.get(block.id) : undefined) ?? []))),
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
