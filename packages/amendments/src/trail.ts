import { type Edit, editsOfSteps } from './edits.ts'
import type { Run } from './inline.ts'
import { diffTokens, type Step } from './tokenDiff.ts'
import { type Token, tokensOfRuns } from './tokens.ts'
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
}

/**
 * Trails already followed, by their wordings: every amendment tabled on a
 * paragraph before the same decisions shares one, and following it costs a
 * diff per step (a 7,000-character paragraph through ten decisions: ~75 ms),
 * each time a list, a preview or an acceptance reads those amendments.
 * A few are kept: each holds two wordings' tokens and the key of all of them.
 */
const followed = new Map<string, Trail>()
const FOLLOWED = 16

/** The trail of `wordings` (at least one), followed once. */
export function trailOf(wordings: readonly Run[][]): Trail {
  const key = JSON.stringify(wordings)
  const known = followed.get(key)
  if (known) {
    followed.delete(key)
    followed.set(key, known)
    return known
  }
  const texts = wordings.map((runs) => tokensOfRuns(normalizeParagraph(runs)))
  const trail = { first: texts[0]!, last: texts[texts.length - 1]!, origins: originsThrough(texts) }
  followed.set(key, trail)
  if (followed.size > FOLLOWED) followed.delete(followed.keys().next().value!)
  return trail
}

/** The edits that turn `base` into `current`, followed through `trail` (the texts between) when there is one. */
export function editsAlong(base: readonly Token[], trail: Trail | null, current: readonly Token[]): Edit[] {
  if (!trail) return editsThrough([base, current])
  const origins = composed(composed(originsBetween(base, trail.first), trail.origins), originsBetween(trail.last, current))
  return editsOfOrigins(base, current, origins)
}
