import { plainText, type Run, runsOfNode } from '@hemicycle/amendments'
import { type MarkedRun, redlineRuns } from '@hemicycle/documents'
import type { TranslationStatus } from '@hemicycle/protocol'
import { blockIdOf, type DocumentNode, eachDescendant, type FrozenNumbering, LINE_WIDTH, numberBlocks, sourceIdOf } from '@hemicycle/schema'
import { sameRuns } from './reading.ts'

/**
 * A version read beside its original: one entry per textblock of the
 * original, in its order, with the version's block that translates it.
 * Every language cites the same § (the structures are the same); lines are
 * each text's own, since each wraps at 80 characters of its own words.
 */
export interface AlignedBlock {
  sourceId: string
  /** The § it belongs to, the same in every language. */
  paragraph: number
  /** That § as cited: "2a" for a paragraph added after §2 while numbers are frozen (`numberBlocks`). */
  section: string
  numbered: boolean
  sourceRuns: Run[]
  /** The version's block, or null while the server has not yet given it one. */
  translation: { id: string | null; runs: Run[]; firstLine: number; lastLine: number } | null
}

function textblocks(doc: DocumentNode): DocumentNode[] {
  const out: DocumentNode[] = []
  eachDescendant(doc, (node) => {
    if (!node.isTextblock) return true
    out.push(node)
    return false
  })
  return out
}

type Translation = NonNullable<AlignedBlock['translation']>

/**
 * Each side of a pairing, read once per body: bodies are immutable, and a
 * server pairs the same original with each of its versions, and the same
 * texts again on every read until one changes. Numbering and reading the
 * runs of thousands of blocks is most of the work.
 */
const originalSides = new WeakMap<DocumentNode, { numbering: FrozenNumbering | null; side: ReadonlyArray<Omit<AlignedBlock, 'translation'>> }>()
/**
 * What is shared between callers is frozen, runs and all: a caller changing
 * a run in place would otherwise change every later answer (and the digest
 * a confirmation is checked against) without a word. Frozen, it throws.
 */
const frozenRuns = (runs: Run[]): Run[] => {
  for (const run of runs) Object.freeze(run)
  return Object.freeze(runs) as Run[]
}
const versionSides = new WeakMap<DocumentNode, ReadonlyMap<string, Translation>>()

function originalSide(original: DocumentNode, numbering: FrozenNumbering | null): ReadonlyArray<Omit<AlignedBlock, 'translation'>> {
  const known = originalSides.get(original)
  if (known?.numbering === numbering) return known.side
  const numbers = numberBlocks(original, LINE_WIDTH, numbering)
  const side = textblocks(original).flatMap((node, index) => {
    const sourceId = blockIdOf(node)
    if (!sourceId) return []
    const { paragraph, label, numbered } = numbers[index]!
    return [Object.freeze({ sourceId, paragraph, section: label, numbered, sourceRuns: frozenRuns(runsOfNode(node)) })]
  })
  originalSides.set(original, { numbering, side })
  return side
}

function versionSide(version: DocumentNode): ReadonlyMap<string, Translation> {
  const side = versionSides.get(version)
  if (side) return side
  const translations = new Map<string, Translation>()
  const versionNumbers = numberBlocks(version)
  textblocks(version).forEach((node, index) => {
    const sourceId = sourceIdOf(node)
    const numbered = versionNumbers[index]!
    if (sourceId && !translations.has(sourceId)) {
      translations.set(sourceId, Object.freeze({ id: blockIdOf(node), runs: frozenRuns(runsOfNode(node)), firstLine: numbered.firstLine, lastLine: numbered.lastLine }))
    }
  })
  versionSides.set(version, translations)
  return translations
}

/** The ids of the original's blocks a version translates, in its order: the `sourceId` of each of `alignedBlocks`. */
export function sourceIdsOf(original: DocumentNode): string[] {
  return textblocks(original).flatMap((node) => blockIdOf(node) ?? [])
}

/**
 * The version's blocks beside the original's, each cited by the original's §
 * (`numbering`: frozen when amendments opened, while in force). The runs are
 * shared between calls on the same bodies: read them, do not change them.
 */
export function alignedBlocks(original: DocumentNode, version: DocumentNode, numbering: FrozenNumbering | null = null): AlignedBlock[] {
  const translations = versionSide(version)
  return originalSide(original, numbering).map((block) => ({ ...block, translation: translations.get(block.sourceId) ?? null }))
}

/**
 * The wording of the version's block that translates `sourceId`, as
 * `alignedBlocks` pairs it (the first block naming that source); null when
 * the version holds none. What a page shows in its live editor, read the
 * way the server reads it.
 */
export function translationOf(version: DocumentNode, sourceId: string): Run[] | null {
  const node = textblocks(version).find((candidate) => sourceIdOf(candidate) === sourceId)
  return node ? runsOfNode(node) : null
}

/**
 * Whether a wording shows nothing: no characters but spaces and invisible
 * format characters (a zero-width space, a bidi mark). Such a translation
 * prints as an empty paragraph, so it is no translation at all.
 */
export const showsNothing = (runs: readonly Run[] | null): boolean => runs === null || /^[\s\p{Cf}]*$/u.test(plainText(runs))

/**
 * A translated block's status. `missing`: nothing written yet. `current`: a
 * translator confirmed it against the source wording the original has now
 * (formatting included), or the source has no words and the translation
 * none either. `due`: not confirmed yet, or the source changed since it was
 * (an accepted amendment, a direct edit).
 */
export function translationStatus(
  translation: readonly Run[] | null,
  source: readonly Run[],
  confirmedSource: readonly Run[] | null,
  /** The translation as it read when confirmed (null: not recorded, for confirmations made before it was). */
  confirmedTranslation: readonly Run[] | null = null,
): TranslationStatus {
  // An empty paragraph of the original (printed and numbered as any) has nothing to translate: it was missing for good, no
  // translator could confirm it, and every lock had to acknowledge it as outstanding, hiding the translations really due.
  if (translation === null || showsNothing(translation)) return showsNothing(source) ? 'current' : 'missing'
  // A confirmation vouches for one translation of one source: rewritten since (or swapped with another block's), it vouches for nothing.
  const sameTranslation = confirmedTranslation === null || sameRuns(confirmedTranslation, translation)
  return confirmedSource !== null && sameRuns(confirmedSource, source) && sameTranslation ? 'current' : 'due'
}

/** What a confirmation recorded: the source's wording it vouched for, and the translation's (null: not recorded). */
export interface ConfirmedWording {
  source: readonly Run[]
  translation: readonly Run[] | null
}

/** The status of a block of `alignedBlocks`, against its last confirmation (null: never confirmed). */
export const alignedStatus = (block: AlignedBlock, confirmed: ConfirmedWording | null): TranslationStatus =>
  translationStatus(block.translation?.runs ?? null, block.sourceRuns, confirmed?.source ?? null, confirmed?.translation ?? null)

/** What the translator re-reads: the source's own change since the last confirmation, word by word; null when current or never confirmed. */
export function sourceChanges(status: TranslationStatus, source: readonly Run[], confirmedSource: readonly Run[] | null): MarkedRun[] | null {
  if (status === 'current' || confirmedSource === null) return null
  return redlineRuns(confirmedSource, source)
}
