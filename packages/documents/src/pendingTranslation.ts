import type { Language, TranslationStatus } from '@hemicycle/protocol'
import { VOCABULARY } from './vocabulary.ts'

/**
 * A paragraph of a language version whose words are not a confirmed
 * translation of the original as it now reads: `due` (written, but not
 * confirmed against that wording) or `missing` (nothing written). The Steering
 * Committee may lock with such paragraphs outstanding; the version's printed
 * exports then say so at the paragraph, so that nobody reads old or absent
 * words as the adopted text. The canonical Markdown, which the lock hashes,
 * stays the text alone.
 */
export type PendingTranslation = Exclude<TranslationStatus, 'current'>

/**
 * The note set after such a block, in the version's language, citing the §
 * of the original it belongs to (every language numbers the same §). A
 * heading, or a block before §1, belongs to none: it sends the reader to
 * the original. Never a cited line: the text's lines keep their numbers.
 */
export function pendingNote(block: { pending: PendingTranslation | null; kind: 'heading' | 'paragraph'; section: string }, language: Language): string | null {
  if (block.pending === null) return null
  return VOCABULARY[language].pending(block.pending, block.kind === 'heading' || block.section === '0' ? null : block.section)
}
