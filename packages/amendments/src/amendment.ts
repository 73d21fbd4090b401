import { clashes, type Edit, editsBetween, farthestEnd } from './edits.ts'
import type { Run } from './inline.ts'
import { mergeTokens } from './merge.ts'
import type { MemoEntry, ReadingMemo } from './readingMemo.ts'
import { isWord, signsOf, type Token, tokensOfRuns, tokensOfWording, wordingOfTokens } from './tokens.ts'
import { trailOf } from './trail.ts'
import { normalizeParagraph, normalizeWording, sameWording, type Wording } from './wording.ts'

export const AMENDMENT_KINDS = ['replace', 'insertAfter', 'delete'] as const
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number]

export const AMENDMENT_STATUSES = ['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete', 'lapsed'] as const
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number]

/** What an amendment proposes, in the terms the rebase needs. */
export interface Proposal {
  kind: AmendmentKind
  /** The block it targets; null only for an insertion at the very start. */
  blockId: string | null
  /** The block's runs when the amendment was tabled ([] for an insertion at the start). */
  base: Run[]
  /** The new wording (replace), the new paragraphs (insertAfter), or [] (delete). */
  wording: Wording
  /**
   * The block's wordings since it was tabled, oldest first, as the decisions
   * taken on it since recorded them (before and after each): the rebase
   * follows the base's words through them (see `trail.ts`).
   */
  since?: Run[][]
}

/** "A12 · §4": how people cite an amendment (§0 is before the first numbered paragraph). */
export function amendmentLabel(number: number, paragraph: number): string {
  return `A${number} · §${paragraph}`
}

export type Rebase =
  /**
   * Applies to the text as it stands: `wording` is what to write (for a
   * replacement, its first paragraph replaces the block and the others
   * follow it; empty for a deletion). `unchanged` when the text already says
   * what the amendment asks (the same change was accepted before).
   */
  | { state: 'clean'; wording: Wording; unchanged: boolean }
  /**
   * The paragraph changed where the amendment changes it: a person decides.
   * `partlyInText`: some of the paragraphs it adds stand right there already,
   * others not (`rebaseInText`).
   */
  | { state: 'conflict'; partlyInText?: true }
  /** Its block is gone. */
  | { state: 'obsolete' }

/**
 * Whether the paragraph lost its end since `base`: its last word deleted and
 * no word written in its place. That is what Enter inside it does (the block
 * id stays with the first half, the rest becomes a new paragraph), or
 * deleting its closing words; rewriting them, or adding words after them, is
 * not.
 */
function cutShort(base: Run[], current: Run[]): boolean {
  // Read sign by sign: a date, a figure or a time ending the paragraph is one word to the merge, and cut in its
  // middle ("le 12 mars 2024" split before "2024") what is left of it read as that word rewritten, not its end lost.
  const before = signsOf(tokensOfRuns(normalizeParagraph(base)))
  let last = before.length - 1
  while (last >= 0 && !isWord(before[last]!)) last--
  if (last < 0) return false
  // A deletion sits leftmost (see `editsBetween`); where the ending repeats what stands before the cut ("pour tous.
  // Des droits pour tous." split after the first "tous."), the same text also reads as the end deleted: the words
  // cannot say which, so the deletion counts as far right as it could stand.
  return editsBetween(before, signsOf(tokensOfRuns(normalizeParagraph(current)))).some(
    (edit) => !edit.insert.some(isWord) && edit.from <= last && last < farthestEnd(edit, before),
  )
}

/**
 * Brings a proposal up to the current runs of its block (null when the
 * block no longer exists). An insertion does not depend on the wording of
 * the block it follows, only on where that block ends: one whose block lost
 * its end since it was tabled (split in two) conflicts, for the new paragraph
 * would land after the words left of it, before the ones it followed.
 */
export function rebase(proposal: Proposal, current: Run[] | null, wording: Wording = proposal.wording): Rebase {
  if (proposal.kind === 'insertAfter') {
    if (proposal.blockId !== null && current === null) return { state: 'obsolete' }
    if (current !== null && cutShort(proposal.base, current)) return { state: 'conflict' }
    return { state: 'clean', wording, unchanged: false }
  }
  if (current === null) return { state: 'obsolete' }
  // Compared composed (NFC), whatever form the live text or an old row holds.
  const now = normalizeParagraph(current)
  const target = proposal.kind === 'delete' ? [] : normalizeWording(wording)
  const trail = proposal.since && proposal.since.length > 0 ? trailOf(proposal.since) : null
  const merged = mergeTokens(tokensOfRuns(normalizeParagraph(proposal.base)), tokensOfRuns(now), tokensOfWording(target), trail)
  if (!merged.ok) return { state: 'conflict' }
  if (proposal.kind === 'delete') return merged.tokens.length === 0 ? { state: 'clean', wording: [], unchanged: false } : { state: 'conflict' }
  const result = wordingOfTokens(merged.tokens)
  return { state: 'clean', wording: result, unchanged: sameWording(result, [now]) }
}

export interface Candidate extends Proposal {
  id: string
}

/**
 * Which amendments on the same block touch each other in its current text
 * (the same words, neighbouring words, or the same gap: see `reach`): those
 * cannot all be accepted as they stand. The same change proposed twice is
 * not a collision: it is applied once (two deletions of one block included),
 * unless one of them moves words the other removes; the same new word written
 * by both in different places is one (see `clashes`).
 * Deleting a block collides with every other change to it, and with
 * insertions after it: accepted first, the deletion left the insertion
 * nowhere to go (obsolete), accepted second it let it stand, so the order
 * of acceptance, not a person, chose the text. Insertions collide with
 * nothing else.
 * Amendments already in conflict are left out: they are resolved by hand anyway.
 */
export function findCollisions(candidates: readonly Candidate[], currentOf: (blockId: string) => Run[] | null, memo?: ReadingMemo): Map<string, Set<string>> {
  const collisions = new Map<string, Set<string>>()
  const mark = (a: string, b: string) => {
    collisions.set(a, (collisions.get(a) ?? new Set()).add(b))
    collisions.set(b, (collisions.get(b) ?? new Set()).add(a))
  }
  memo?.begin()
  // Each block's runs read once: the memo knows them by the array.
  const currents = new Map<string, Run[] | null>()
  const currentOnce = (blockId: string) => {
    if (!currents.has(blockId)) currents.set(blockId, currentOf(blockId))
    return currents.get(blockId)!
  }
  type Entry = { candidate: Candidate; edits: Edit[]; memo: MemoEntry | null }
  type Block = { current: Run[]; tokens: Token[] | null; entries: Entry[] }
  const byBlock = new Map<string, Block>()
  // Tokenised only when something not remembered needs them.
  const tokensOf = (block: Block) => (block.tokens ??= tokensOfRuns(normalizeParagraph(block.current)))
  const insertedAfter = new Map<string, string[]>()
  for (const candidate of candidates) {
    if (candidate.blockId === null) continue
    const current = currentOnce(candidate.blockId)
    const entry = memo ? memo.entry(candidate, current) : null
    const rebased = entry ? memo!.rebase(entry, () => rebase(candidate, current)) : rebase(candidate, current)
    if (candidate.kind === 'insertAfter') {
      if (rebased.state === 'clean') insertedAfter.set(candidate.blockId, [...(insertedAfter.get(candidate.blockId) ?? []), candidate.id])
      continue
    }
    if (rebased.state !== 'clean' || current === null) continue
    const block = byBlock.get(candidate.blockId) ?? { current, tokens: null, entries: [] }
    const compute = () => editsBetween(tokensOf(block), tokensOfWording(rebased.wording))
    const edits = candidate.kind === 'delete' ? [] : entry ? memo!.edits(entry, compute) : compute()
    block.entries.push({ candidate, edits, memo: entry })
    byBlock.set(candidate.blockId, block)
  }
  for (const block of byBlock.values()) {
    const { entries } = block
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const a = entries[i]!
        const b = entries[j]!
        const deletions = Number(a.candidate.kind === 'delete') + Number(b.candidate.kind === 'delete')
        if (deletions === 2) continue
        const compute = () => clashes(a.edits, b.edits, tokensOf(block)).length > 0
        const touching = deletions === 1 || (a.memo && b.memo ? memo!.touching(a.memo, b.memo, compute) : compute())
        if (touching) mark(a.candidate.id, b.candidate.id)
      }
    }
  }
  for (const [blockId, { entries }] of byBlock) {
    for (const { candidate } of entries) if (candidate.kind === 'delete') for (const insertion of insertedAfter.get(blockId) ?? []) mark(candidate.id, insertion)
  }
  return collisions
}
