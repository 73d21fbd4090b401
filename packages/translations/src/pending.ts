import type { PendingTranslation, PendingTranslations } from '@hemicycle/documents'
import type { DocumentNode } from '@hemicycle/schema'
import { alignedBlocks, alignedStatus, type ConfirmedWording } from './blocks.ts'

/**
 * A version's blocks that are not current, by the original's block each
 * translates: what its printed exports mark (`pendingNote`). Read from the
 * very bodies the export prints, so a mark stands at the paragraph as
 * printed, never at one the text had a moment before or after.
 */
export function pendingTranslations(original: DocumentNode, version: DocumentNode, confirmations: ReadonlyMap<string, ConfirmedWording>): PendingTranslations {
  const pending = new Map<string, PendingTranslation>()
  for (const block of alignedBlocks(original, version)) {
    const status = alignedStatus(block, confirmations.get(block.sourceId) ?? null)
    if (status !== 'current') pending.set(block.sourceId, status)
  }
  return pending
}
