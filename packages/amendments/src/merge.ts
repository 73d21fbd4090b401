import { applyEdits, clashes, type Edit, editsBetween, madeAlone } from './edits.ts'
import { plainText } from './inline.ts'
import { unpairedAnew } from './pairedMarks.ts'
import { type Token, tokensOfWording, wordingOfTokens } from './tokens.ts'
import { editsAlong, sameTokens, type Trail } from './trail.ts'
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
 * to resolve, never a silent choice. `trail`: the texts the paragraph is
 * known to have read since the base (before and after each decision),
 * which the words of the base are followed through. A change made
 * identically on both sides is one change, applied once, unless one side
 * moved the words the other removed; the same new word written by both
 * sides in two places is a conflict too (see `clashes`).
 *
 * Fuzzy patching (diff-match-patch's patch_apply) is not used: it can put
 * text in the wrong place when the context has moved.
 */
export function mergeTokens(base: readonly Token[], current: readonly Token[], proposal: readonly Token[], trail: Trail | null = null): TokenMerge {
  const proposed = editsBetween(base, proposal)
  const direct = mergeEdits(base, current, proposal, proposed, editsBetween(base, current))
  // What happened since is read through the texts known between, when there are (see `trail.ts`). Where the base and
  // today's text alone read a conflict, it stands: a step's diff may pair a word moved and rewritten ("c c a a" →
  // "c a c a" → "c a a a") with one the proposal writes, and agree with it.
  if (!trail || !direct.ok) return direct
  const along = mergeEdits(base, current, proposal, proposed, editsAlong(base, trail, current))
  if (!along.ok || sameTokens(base, current)) return along
  // Followed one wording to the next, the amendment must merge with each step on its own: typing beside a run of
  // repeated words, read in one diff with a decision's words, hid which of them the decision wrote (hostile reviews:
  // "agir, agir" → "agir, agir, agir", then " ensemble" typed at the end, and "vite" went after the first "agir"
  // unasked; "territoires" typed, then a compromise wrote "pays et les" again, and "pays" → "États" went to the copy).
  return stepsConflict(base, current, proposal, trail) ?? along
}

/** Whether an amendment conflicts with a step of its paragraph's trail, or with what was typed since (`stepsConflict`). */
export function conflictsAlongTrail(base: readonly Token[], current: readonly Token[], proposal: readonly Token[], trail: Trail): boolean {
  return !sameTokens(base, current) && stepsConflict(base, current, proposal, trail) !== null
}

/**
 * Where an amendment conflicts with a step of its paragraph's trail, or with
 * what was typed since its last wording: it is rebased from one wording to
 * the next, each step read by its own diff, and the first step whose change
 * touches its rebased change is returned; null when it merges with every
 * step. The steps of the trail are worked out once per amendment and trail.
 */
function stepsConflict(base: readonly Token[], current: readonly Token[], proposal: readonly Token[], trail: Trail): TokenMerge | null {
  // Keyed by a 64-bit hash of what it is worked out from: the texts themselves made keys of hundreds of kilobytes for a
  // long paragraph, and a cache bounded by their size kept a handful. A collision could only change whether a conflict
  // is seen, never the text a merge writes (that is `along`'s).
  const key = hash64(`${JSON.stringify(base)}\u0002${JSON.stringify(proposal)}\u0002${trail.key}`)
  let through = steppedThrough.get(key)
  if (through === undefined) {
    through = stepThrough(base, proposal, trail.texts)
    steppedThrough.set(key, through)
    for (const [oldest] of steppedThrough) {
      if (steppedThrough.size <= STEPPED_KEPT) break
      steppedThrough.delete(oldest)
    }
  }
  if ('conflict' in through) return through.conflict
  return 'conflict' in (through = stepThrough(through.from, through.rebased, [current])) ? through.conflict : null
}

/** Two 32-bit FNV-1a hashes of a string, with different offsets, as one key. */
function hash64(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    a = Math.imul(a ^ unit, 0x01000193)
    b = Math.imul(b ^ unit, 0x5bd1e995) ^ (b >>> 13)
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${text.length}`
}

/**
 * The amendment rebased through `texts` a step at a time, or a step it
 * conflicts with. A wording the paragraph read before is that text again
 * (as in `trailOf`): the amendment reads there as it read then, and a
 * conflict with steps since undone is no longer one.
 */
function stepThrough(base: readonly Token[], proposal: readonly Token[], texts: ReadonlyArray<readonly Token[]>): { conflict: TokenMerge } | { from: readonly Token[]; rebased: readonly Token[] } {
  type Reached = { from: readonly Token[]; rebased: readonly Token[] }
  const reached = new Map<string, Reached>()
  let state: Reached | null = { from: base, rebased: proposal }
  let conflict: TokenMerge | null = null
  reached.set(JSON.stringify(base), state)
  for (const next of texts) {
    const key = JSON.stringify(next)
    const back = reached.get(key)
    if (back) {
      state = back
      conflict = null
      continue
    }
    if (!state || sameTokens(state.from, next)) continue
    const step = mergeEdits(state.from, next, state.rebased, editsBetween(state.from, state.rebased), editsBetween(state.from, next))
    if (!step.ok) {
      conflict = step
      state = null
      continue
    }
    state = { from: next, rebased: step.tokens }
    reached.set(key, state)
  }
  return conflict || !state ? { conflict: conflict! } : state
}

/** What `stepsConflict` found, by amendment and trail: a keystroke reads every amendment of its paragraph again. */
const steppedThrough = new Map<string, ReturnType<typeof stepThrough>>()
/** Amendments and trails kept: each holds an amendment's words rebased once, about a paragraph's size. */
const STEPPED_KEPT = 512

function mergeEdits(base: readonly Token[], current: readonly Token[], proposal: readonly Token[], proposed: readonly Edit[], happened: readonly Edit[]): TokenMerge {
  // A change both sides made is agreed and applied once; `clashes` says which changes a person must decide between.
  const conflicts: Collision[] = clashes(proposed, happened, base).map(([proposal, current]) => ({ proposal, current }))
  if (conflicts.length > 0) return { ok: false, conflicts }
  const applied = [...madeAlone(proposed, happened), ...happened]
  const tokens = applyEdits(base, applied)
  // A date, a time or a figure is read from the words around it: changes a word apart can each leave one and together
  // make another ("11 heures 30 de et avril" → "11 le heures 30 de avril": 30 April, which nobody wrote). A merge
  // whose text reads such a group none of the three texts holds is a conflict between the changes that made it.
  if (proposed.length > 0 && happened.length > 0) {
    const spans = regroupedSpans(base, tokens, applied, [current, proposal])
    if (spans.length > 0) return { ok: false, conflicts: regroupConflicts(spans, proposed, happened) }
    // Quotes and brackets each side left paired, together left unpaired: a person decides where they go.
    if (unpairedAnew(tokens, [base, current, proposal])) return { ok: false, conflicts: regroupConflicts([], proposed, happened) }
  }
  return { ok: true, tokens }
}

/**
 * Where the merged text `tokens`, read again, holds what neither the base
 * nor the `others` holds: a token none of them has, or a group of words (a
 * date, a time, a figure) more often than any of them (the same date made
 * anew beside one the paragraph already held). Each as the tokens of the
 * base it stands on, [from, to), an inserted token standing on the base
 * tokens its edit replaced; a group too often, each place it stands.
 */
export function regroupedSpans(base: readonly Token[], tokens: readonly Token[], applied: readonly Edit[], others: ReadonlyArray<readonly Token[]>): Array<[number, number]> {
  // Words with the spaces between them (a space alone is no group: every insertion adds one).
  const isGroup = (text: string) => /\s/u.test(text) && /\S/u.test(text)
  const held = new Map<string, number>()
  for (const source of [base, ...others]) {
    for (const [text, count] of countsOf(readPlain(source))) held.set(text, Math.max(count, held.get(text) ?? 0))
  }
  const read = readPlain(tokens)
  const counts = countsOf(read)
  const spans: Array<[number, number]> = []
  let merged: Array<{ start: number; end: number; from: number; to: number }> | null = null
  let offset = 0
  for (const token of read) {
    const start = offset
    offset += token.text.length
    const most = held.get(token.text)
    if (most !== undefined && !(isGroup(token.text) && counts.get(token.text)! > most)) continue
    merged ??= placed(base, applied)
    const under = merged.filter((piece) => piece.start < offset && piece.end > start)
    // The merged text is the merged tokens' text, read again; should a rendering ever differ, the span is the whole text.
    spans.push(under.length > 0 ? [Math.min(...under.map((piece) => piece.from)), Math.max(...under.map((piece) => piece.to))] : [0, Number.POSITIVE_INFINITY])
  }
  return spans
}

/** Tokens read again from their text alone: a date is one thing to a reader, bold or not ("30 de **avril** de 2024"). */
const readPlain = (tokens: readonly Token[]) => tokensOfWording(wordingOfTokens(tokens).map((runs) => [{ text: plainText(runs) }]))

function countsOf(tokens: readonly Token[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const { text } of tokens) counts.set(text, (counts.get(text) ?? 0) + 1)
  return counts
}

/** Each merged token's characters in the merged text, and the base tokens it stands on (those its edit replaced, if inserted). */
function placed(base: readonly Token[], applied: readonly Edit[]) {
  const pieces: Array<{ start: number; end: number; from: number; to: number }> = []
  let offset = 0
  const put = (token: Token, from: number, to: number) => {
    pieces.push({ start: offset, end: offset + token.text.length, from, to })
    offset += token.text.length
  }
  let at = 0
  for (const edit of [...applied].sort((a, b) => a.from - b.from || a.to - b.to)) {
    for (; at < edit.from; at++) put(base[at]!, at, at + 1)
    for (const token of edit.insert) put(token, edit.from, edit.to)
    at = edit.to
  }
  for (; at < base.length; at++) put(base[at]!, at, at + 1)
  return pieces
}

/** Whether an edit's base tokens meet one of `spans` (`regroupedSpans`), touching it included. */
export const reachesSpans = (edit: Edit, spans: ReadonlyArray<[number, number]>) => spans.some(([from, to]) => edit.from <= to && edit.to >= from)

/**
 * The pairs of changes a regrouping is reported as: those of each side whose
 * reach meets a regrouped span (touching it counts: a word taken out beside a
 * date regroups it). Every pair when one side has none there, which a
 * tokenizer reading further than one word could cause: broad, never silent.
 */
function regroupConflicts(spans: ReadonlyArray<[number, number]>, proposed: readonly Edit[], happened: readonly Edit[]): Collision[] {
  const mine = proposed.filter((edit) => reachesSpans(edit, spans))
  const theirs = happened.filter((edit) => reachesSpans(edit, spans))
  const [left, right] = mine.length > 0 && theirs.length > 0 ? [mine, theirs] : [proposed, happened]
  return left.flatMap((proposal) => right.map((current) => ({ proposal, current })))
}

export type MergeResult = { ok: true; wording: Wording } | { ok: false; conflicts: Collision[] }

/** `mergeTokens` over formatted wordings (paragraphs of runs). */
export function threeWayMerge(base: Wording, current: Wording, proposal: Wording): MergeResult {
  const merged = mergeTokens(tokensOfWording(base), tokensOfWording(current), tokensOfWording(proposal))
  return merged.ok ? { ok: true, wording: wordingOfTokens(merged.tokens) } : merged
}
