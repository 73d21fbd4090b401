import { type Edit, editsBetween, editsOfSteps } from './edits.ts'
import type { Run } from './inline.ts'
import { diffTokens, type Step } from './tokenDiff.ts'
import { sameToken, type Token, tokensOfRuns } from './tokens.ts'
import { normalizeParagraph } from './wording.ts'

/**
 * What happened to a paragraph, followed through the texts it is known to
 * have read, oldest first, rather than guessed from its first and last:
 * a word is the same word when each step's diff kept it. One diff from
 * first to last pairs words by what the two texts look like, and where a
 * phrase was written twice since ("aider les pays et les régions" →
 * "financer les pays et les pays et régions") the shortest diff takes the
 * copy for the original, and a change aimed at the original lands on the
 * copy. Each step between two texts a decision recorded is a small change,
 * which its diff reads as it was made.
 */

/** For each token of a text, where it comes from in an earlier text (null: written since). */
export type Origins = ReadonlyArray<number | null>

/** Where each token of `after` comes from in `before`, as their diff pairs them. */
export function originsBetween(before: readonly Token[], after: readonly Token[]): Array<number | null> {
  const origins: Array<number | null> = []
  let at = 0
  for (const [op, length] of diffTokens(before, after)) {
    if (op === 0) for (let k = 0; k < length; k++) origins.push(at + k)
    else if (op === 1) for (let k = 0; k < length; k++) origins.push(null)
    if (op !== 1) at += length
  }
  return origins
}

/** `later` (a text's tokens in the text before it) read through `earlier` (those in the first). */
const composed = (earlier: Origins, later: Origins): Array<number | null> => later.map((at) => (at === null ? null : earlier[at]!))

/** The edits that turn `first` into `last`, given where each token of `last` comes from in `first`. */
function editsOfOrigins(first: readonly Token[], last: readonly Token[], origins: Origins): Edit[] {
  const steps: Step[] = []
  const push = (op: -1 | 0 | 1, length: number) => {
    if (length > 0) steps.push([op, length])
  }
  let kept = 0
  let written = 0
  origins.forEach((from, index) => {
    if (from === null) return
    push(-1, from - kept)
    push(1, index - written)
    push(0, 1)
    kept = from + 1
    written = index + 1
  })
  push(-1, first.length - kept)
  push(1, last.length - written)
  return editsOfSteps(first, last, steps)
}

/** Where each token of the last of `texts` comes from in the first, followed through each text between. */
function originsThrough(texts: ReadonlyArray<readonly Token[]>): Origins {
  let origins: Origins = (texts[0] ?? []).map((_, index) => index)
  for (let step = 1; step < texts.length; step++) origins = composed(origins, originsBetween(texts[step - 1]!, texts[step]!))
  return origins
}

/** The edits that turn `texts[0]` into the last of `texts`, followed through each text between. */
export function editsThrough(texts: ReadonlyArray<readonly Token[]>): Edit[] {
  const first = texts[0] ?? []
  return editsOfOrigins(first, texts[texts.length - 1] ?? first, originsThrough(texts))
}

/** Wordings a paragraph read, oldest first, as tokens: the first, the last, and where the last's tokens come from in the first. */
export interface Trail {
  first: Token[]
  last: Token[]
  origins: Origins
  /** Every wording of the trail, oldest first, as tokens. */
  texts: Token[][]
  /** The wordings, as a key for what is worked out from the whole trail once. */
  key: string
}

/**
 * Steps already followed, by their two wordings: every amendment tabled on a
 * paragraph steps through the decisions taken on it since, the earlier ones
 * through more of them, and each step's diff is worked out once (a
 * 1,000-word paragraph, 24 amendments tabled between decisions: 1.1 s a
 * reading, the steps diffed for each). Bounded by the characters of the
 * keys kept, which the origins do not outweigh.
 */
const stepsFollowed = new Map<string, Origins>()
const STEPS_KEPT_CHARACTERS = 4_000_000
let stepsCharacters = 0

function stepOrigins(before: readonly Run[], beforeKey: string, after: readonly Run[], afterKey: string): Origins {
  const key = `${beforeKey}\u0000${afterKey}`
  const known = stepsFollowed.get(key)
  if (known) return known
  const origins = originsBetween(tokensOfRuns(normalizeParagraph(before)), tokensOfRuns(normalizeParagraph(after)))
  stepsFollowed.set(key, origins)
  stepsCharacters += key.length
  for (const [oldest] of stepsFollowed) {
    if (stepsCharacters <= STEPS_KEPT_CHARACTERS) break
    stepsFollowed.delete(oldest)
    stepsCharacters -= oldest.length
  }
  return origins
}

/**
 * The trail of `wordings` (at least one). A wording the paragraph read
 * before (a decision taken back, or typed back) is that text again, its
 * words the same words: two diffs there and back need not pair words as
 * mirror images, and read so, the paragraph back as it was looked like
 * words moved, which an amendment writing one of them agreed with half of.
 */
export function trailOf(wordings: readonly Run[][]): Trail {
  const keys = wordings.map((runs) => JSON.stringify(runs))
  const first = tokensOfRuns(normalizeParagraph(wordings[0]!))
  let origins: Origins = first.map((_, index) => index)
  const read = new Map<string, Origins>([[keys[0]!, origins]])
  for (let step = 1; step < wordings.length; step++) {
    origins = read.get(keys[step]!) ?? composed(origins, stepOrigins(wordings[step - 1]!, keys[step - 1]!, wordings[step]!, keys[step]!))
    read.set(keys[step]!, origins)
  }
  const texts = wordings.map((runs, index) => (index === 0 ? first : tokensOfRuns(normalizeParagraph(runs))))
  return { first, last: texts[texts.length - 1]!, origins, texts, key: keys.join('\u0001') }
}

/** Whether two texts are the same words, each with its formatting. */
export const sameTokens = (a: readonly Token[], b: readonly Token[]) => a.length === b.length && a.every((token, index) => sameToken(token, b[index]!))

/**
 * The edits that turn `base` into `current`, followed through `trail` (the
 * texts between) when there is one. A paragraph that reads as it was
 * tabled is unchanged, whatever it went through.
 */
export function editsAlong(base: readonly Token[], trail: Trail | null, current: readonly Token[]): Edit[] {
  if (!trail || sameTokens(base, current)) return editsBetween(base, current)
  // Most often the paragraph read as tabled until the first decision, and reads as the last left it: no diff to read.
  const fromBase = sameTokens(base, trail.first) ? trail.origins : composed(originsBetween(base, trail.first), trail.origins)
  return editsOfOrigins(base, current, sameTokens(trail.last, current) ? fromBase : composed(fromBase, originsBetween(trail.last, current)))
}
