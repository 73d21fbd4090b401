import { collide, editsBetween } from './edits.ts'
import { threeWayMerge } from './merge.ts'
import { type Diff, wordDiff } from './words.ts'

export const AMENDMENT_KINDS = ['replace', 'insertAfter', 'delete'] as const
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number]

export const AMENDMENT_STATUSES = ['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete'] as const
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number]

/** What an amendment proposes, in the terms the rebase needs. Texts are inline Markdown. */
export interface Proposal {
  kind: AmendmentKind
  /** The block it targets; null only for an insertion at the very start. */
  blockId: string | null
  /** The block's wording when the amendment was tabled ('' for an insertion at the start). */
  baseText: string
  /** The new wording (replace), the new paragraphs (insertAfter), or '' (delete). */
  text: string
}

/** "A12 · §4": how people cite an amendment (§0 is before the first numbered paragraph). */
export function amendmentLabel(number: number, paragraph: number): string {
  return `A${number} · §${paragraph}`
}

export type Rebase =
  /** Applies to the text as it stands; `text` is the wording to write, `diff` the tracked change against the current wording. */
  | { state: 'clean'; text: string; diff: Diff[] }
  /** The paragraph changed under the same words: a person decides. */
  | { state: 'conflict'; current: string }
  /** Its block is gone. */
  | { state: 'obsolete' }

/**
 * Brings a proposal up to the current text of its block (null when the
 * block no longer exists). An insertion never conflicts: it adds, and does
 * not depend on the wording of the block it follows.
 */
export function rebase(proposal: Proposal, current: string | null, wording: string = proposal.text): Rebase {
  if (proposal.kind === 'insertAfter') {
    if (proposal.blockId !== null && current === null) return { state: 'obsolete' }
    return { state: 'clean', text: wording, diff: [[1, wording]] }
  }
  if (current === null) return { state: 'obsolete' }
  const target = proposal.kind === 'delete' ? '' : wording
  const merged = threeWayMerge(proposal.baseText, current, target)
  if (!merged.ok) return { state: 'conflict', current }
  return { state: 'clean', text: merged.text, diff: wordDiff(current, merged.text) }
}

export interface Candidate extends Proposal {
  id: string
}

/**
 * Which amendments on the same block touch the same words (or words side by
 * side) of its current text: those cannot all be accepted as they stand.
 * Deleting a block collides with every other change to it; insertions after
 * a block collide with nothing. Amendments already in conflict are left out:
 * they are resolved by hand anyway.
 */
export function findCollisions(candidates: readonly Candidate[], currentOf: (blockId: string) => string | null): Map<string, Set<string>> {
  const collisions = new Map<string, Set<string>>()
  const mark = (a: string, b: string) => {
    collisions.set(a, (collisions.get(a) ?? new Set()).add(b))
    collisions.set(b, (collisions.get(b) ?? new Set()).add(a))
  }
  const byBlock = new Map<string, Array<{ candidate: Candidate; edits: ReturnType<typeof editsBetween> }>>()
  for (const candidate of candidates) {
    if (candidate.kind === 'insertAfter' || candidate.blockId === null) continue
    const current = currentOf(candidate.blockId)
    const rebased = rebase(candidate, current)
    if (rebased.state !== 'clean' || current === null) continue
    const entry = { candidate, edits: candidate.kind === 'delete' ? [{ from: 0, to: current.length, insert: '' }] : editsBetween(current, rebased.text) }
    byBlock.set(candidate.blockId, [...(byBlock.get(candidate.blockId) ?? []), entry])
  }
  for (const entries of byBlock.values()) {
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const a = entries[i]!
        const b = entries[j]!
        const touching =
          a.candidate.kind === 'delete' || b.candidate.kind === 'delete' || a.edits.some((x) => b.edits.some((y) => collide(x, y)))
        if (touching) mark(a.candidate.id, b.candidate.id)
      }
    }
  }
  return collisions
}
