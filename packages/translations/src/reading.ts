import { normalizeRuns, type Run } from '@hemicycle/amendments'
import { sha256 } from '@noble/hashes/sha2'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils'

/**
 * What a translator read when confirming a block: the source's wording and
 * the translation's, each as a digest both the server and the browser
 * compute from runs. A confirmation vouches for a wording; if the source or
 * the translation changed between the reading and the click (an amendment
 * accepted, the original edited, someone else rewriting the translation),
 * the server refuses instead of recording words the translator never saw.
 *
 * Two wordings have the same digest exactly when the status of a block
 * reads them as the same (`sameRuns`): the same words in the same
 * formatting, whatever the split into runs or the Unicode composition. A
 * digest, not the texts, so the request stays small and of fixed size
 * whatever the paragraph's length.
 */

/** How a digest is written: SHA-256, lower-case hex. */
export const DIGEST_PATTERN = /^[0-9a-f]{64}$/

interface CanonicalRun {
  text: string
  bold: boolean
  italic: boolean
}

/**
 * One form per wording: runs of the same formatting merged before composing
 * (a letter and its accent may sit in two runs), empty runs dropped, and
 * formatting as plain booleans (an absent mark and `false` are the same).
 */
function canonicalRuns(runs: readonly Run[]): CanonicalRun[] {
  const plain = runs.map((run) => ({ text: run.text, ...(run.bold ? { bold: true as const } : {}), ...(run.italic ? { italic: true as const } : {}) }))
  return normalizeRuns(plain).map((run) => ({ text: run.text.normalize('NFC'), bold: run.bold === true, italic: run.italic === true }))
}

/** A wording as one string, the same for every form of the same wording: what `sameRuns` compares and `wordingDigest` digests (as UTF-8). */
export const canonicalKey = (runs: readonly Run[]) => JSON.stringify(canonicalRuns(runs).map((run) => [run.text, run.bold ? 1 : 0, run.italic ? 1 : 0]))

/** Whether two wordings read the same: same words, same formatting. */
export const sameRuns = (a: readonly Run[], b: readonly Run[]): boolean => canonicalKey(a) === canonicalKey(b)

/** The digest of a wording, formatting included (an empty or absent text is the digest of no runs). */
export const wordingDigest = (runs: readonly Run[]): string => bytesToHex(sha256(utf8ToBytes(canonicalKey(runs))))

/** What the translator read, as the confirmation echoes it. */
export interface Reading {
  sourceDigest: string
  translationDigest: string
}

export type ReadPart = 'source' | 'translation'

/** Which of the two texts now differ from what was read; empty when the confirmation vouches for what the block says. */
export function changedSinceRead(now: { source: readonly Run[]; translation: readonly Run[] }, read: Reading): ReadPart[] {
  const changed: ReadPart[] = []
  if (wordingDigest(now.source) !== read.sourceDigest) changed.push('source')
  if (wordingDigest(now.translation) !== read.translationDigest) changed.push('translation')
  return changed
}
