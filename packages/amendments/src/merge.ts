import { applyEdits, clashes, type Edit, editsBetween, madeAlone } from './edits.ts'
import { type Token, tokensOfWording, wordingOfTokens } from './tokens.ts'
import type { Wording } from './wording.ts'

export interface Collision {
  proposal: Edit
  current: Edit
}

export type TokenMerge = { ok: true; tokens: Token[] } | { ok: false; conflicts: Collision[] }

/**
 * The three-way merge behind every rebase: what the amendment changed
 * (base → proposal) and what happened to the paragraph since it was tabled
 * (base → current) are both applied to the base, unless a change of one
 * touches a change of the other (the same words, neighbouring words, or the
 * same gap between words: see `reach`); then it is a conflict for a person
 * to resolve, never a silent choice. A change made identically on both
 * sides is one change, applied once, unless one side moved the words the
 * other removed; the same new word written by both sides a word apart is a
 * conflict too (see `clashes`).
 *
 * Fuzzy patching (diff-match-patch's patch_apply) is not used: it can put
 * text in the wrong place when the context has moved.
 */
export function mergeTokens(base: readonly Token[], current: readonly Token[], proposal: readonly Token[]): TokenMerge {
  const proposed = editsBetween(base, proposal)
  const happened = editsBetween(base, current)
  // A change both sides made is agreed and applied once; `clashes` says which changes a person must decide between.
  const conflicts: Collision[] = clashes(proposed, happened, base).map(([proposal, current]) => ({ proposal, current }))
  if (conflicts.length > 0) return { ok: false, conflicts }
  const tokens = applyEdits(base, [...madeAlone(proposed, happened), ...happened])
  // A date, a time or a figure is read from the words around it: changes a word apart can each leave one and together
  // make another ("11 heures 30 de et avril" → "11 le heures 30 de avril": 30 April, which nobody wrote). A merge
  // whose text reads such a group none of the three texts holds is a conflict.
  if (proposed.length > 0 && happened.length > 0 && regroups(tokens, [base, current, proposal])) {
    return { ok: false, conflicts: proposed.flatMap((proposal) => happened.map((current) => ({ proposal, current }))) }
  }
  return { ok: true, tokens }
}

/** Whether the merged text, read again, holds a group of words (a date, a time, a figure) that none of `sources` holds. */
function regroups(tokens: readonly Token[], sources: ReadonlyArray<readonly Token[]>): boolean {
  const held = new Set(sources.flatMap((source) => source.map((token) => token.text)))
  return tokensOfWording(wordingOfTokens(tokens)).some((token) => /\s/u.test(token.text) && !held.has(token.text))
}

export type MergeResult = { ok: true; wording: Wording } | { ok: false; conflicts: Collision[] }

/** `mergeTokens` over formatted wordings (paragraphs of runs). */
export function threeWayMerge(base: Wording, current: Wording, proposal: Wording): MergeResult {
  const merged = mergeTokens(tokensOfWording(base), tokensOfWording(current), tokensOfWording(proposal))
  return merged.ok ? { ok: true, wording: wordingOfTokens(merged.tokens) } : merged
}
