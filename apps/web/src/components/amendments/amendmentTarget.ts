import { findBlock, readRuns, type Run } from '@hemicycle/amendments'
import { type FrozenNumbering, LINE_WIDTH, type NumberedBlock, numberBlocks, readBody } from '@hemicycle/schema'
import type { TFunction } from 'i18next'
import type * as Y from 'yjs'
import type { AmendmentTarget } from './ProposeAmendment.tsx'

/** How people cite a block now: its § when it is a numbered paragraph, its lines otherwise. */
export function citationOf(block: NumberedBlock | undefined, t: TFunction): string {
  return block?.numbered ? `§${block.label}` : t('amendments.lines', { first: block?.lineLabels[0], last: block?.lineLabels.at(-1) })
}

/** A block's runs as they stand in the live text; null for a block no longer there. */
export function currentRuns(doc: Y.Doc, blockId: string): Run[] | null {
  const block = findBlock(doc, blockId)
  return block ? readRuns(block.element) : null
}

/** A block of the live text as amendments address it: its runs now and its current citation. */
export function amendmentTarget(doc: Y.Doc, blockId: string, t: TFunction, numbering: FrozenNumbering | null | undefined, draft?: Run[]): AmendmentTarget | null {
  const runs = currentRuns(doc, blockId)
  if (!runs) return null
  // Until the numbers in force are known, no citation: numbered as it stands, the block could be cited as another is on the cards.
  if (numbering === undefined) return { blockId, citation: '', current: runs, initial: draft ?? runs }
  const numbered = numberBlocks(readBody(doc), LINE_WIDTH, numbering).find((candidate) => candidate.blockId === blockId)
  return { blockId, citation: citationOf(numbered, t), current: runs, initial: draft ?? runs }
}
