import DiffMatchPatch from 'diff-match-patch'
import { isWord, type Token, tokenKey } from './tokens.ts'
import { coarseDiff, EXACT_DIFF_TOKENS, KeyCodes } from './words.ts'

/** One step of a diff over tokens: so many tokens kept (0), removed (-1) or added (1). */
export type Step = [-1 | 0 | 1, number]

const dmp = new DiffMatchPatch()
dmp.Diff_Timeout = 0

/**
 * Tokens (both sides together) of a stretch with no word unique on both
 * sides up to which Myers aligns it; past it, the common start and end are
 * kept and the middle replaced whole, as `wordDiff` does past
 * `EXACT_DIFF_TOKENS`, but lower: Myers' time grows with the tokens times
 * the changed ones, and a merge along a trail of decisions diffs each step
 * again. A paragraph of 10,000 characters rewritten with no word in common
 * ("a a a …" → "b b b …", ". . ." → ", , ,") held the event loop 1–4 s at
 * each tabling and each preview of it, and rebasing a rewrite of half of it
 * through ten decisions 4 s. Text people write has unique words every few
 * tokens, which split it into stretches far shorter.
 */
const EXACT_STRETCH_TOKENS = EXACT_DIFF_TOKENS / 2

/** diff-match-patch (Myers) over one character per distinct key, no cleanup; coarse past `EXACT_STRETCH_TOKENS`. */
function myers(before: readonly string[], after: readonly string[]): Step[] {
  if (before.length === 0 && after.length === 0) return []
  const codes = new KeyCodes()
  const [a, b] = [codes.encode(before), codes.encode(after)]
  // One UTF-16 unit per token (KeyCodes): the bound and the steps' lengths count tokens.
  const diffs = a.length + b.length > EXACT_STRETCH_TOKENS ? coarseDiff(a, b) : dmp.diff_main(a, b, false)
  return diffs.map(([op, text]) => [op as -1 | 0 | 1, text.length])
}

/**
 * Which elements of `before` and `after` are the same, as index pairs in
 * order. Patience first: words that occur once on each side anchor the
 * alignment (the longest run of them in the same order), and the stretches
 * between anchors are aligned the same way, down to Myers where no word is
 * unique. A plain shortest diff treats every "de" as good as "services" and
 * can keep the wrong one; a word that occurs once on each side is the same
 * word.
 */
function matches(before: readonly string[], after: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const stack: Array<[number, number, number, number]> = [[0, before.length, 0, after.length]]
  // Explicit stack, not recursion: a paragraph may be long.
  const pending: Array<Array<[number, number]>> = []
  while (stack.length > 0) {
    let [a0, a1, b0, b1] = stack.pop()!
    const anchors = uniqueAnchors(before, after, a0, a1, b0, b1)
    if (anchors.length > 0) {
      // Stretches between anchors go back on the stack; the pairs are put in order at the end.
      pending.push(anchors)
      let i = a0
      let j = b0
      for (const [ai, bj] of anchors) {
        stack.push([i, ai, j, bj])
        i = ai + 1
        j = bj + 1
      }
      stack.push([i, a1, j, b1])
      continue
    }
    // No word is unique here: what both sides start with is kept first, then what they end with, so a
    // repeated word ("social, social") is matched the same way whatever else changed further off.
    const local: Array<[number, number]> = []
    while (a0 < a1 && b0 < b1 && before[a0] === after[b0]) local.push([a0++, b0++])
    while (a0 < a1 && b0 < b1 && before[a1 - 1] === after[b1 - 1]) local.push([--a1, --b1])
    let i = a0
    let j = b0
    for (const [op, length] of myers(before.slice(a0, a1), after.slice(b0, b1))) {
      if (op === 0) for (let k = 0; k < length; k++) local.push([i + k, j + k])
      if (op !== 1) i += length
      if (op !== -1) j += length
    }
    pending.push(local)
  }
  for (const group of pending) out.push(...group)
  return out.sort((x, y) => x[0] - y[0])
}

/** Elements occurring exactly once in each range, in the longest order both agree on. */
function uniqueAnchors(before: readonly string[], after: readonly string[], a0: number, a1: number, b0: number, b1: number): Array<[number, number]> {
  const count = new Map<string, { a: number; b: number; at: number; bt: number }>()
  for (let i = a0; i < a1; i++) {
    const entry = count.get(before[i]!) ?? { a: 0, b: 0, at: -1, bt: -1 }
    entry.a++
    entry.at = i
    count.set(before[i]!, entry)
  }
  for (let j = b0; j < b1; j++) {
    const entry = count.get(after[j]!)
    if (!entry) continue
    entry.b++
    entry.bt = j
  }
  const pairs = [...count.values()].filter((entry) => entry.a === 1 && entry.b === 1).map((entry): [number, number] => [entry.at, entry.bt])
  pairs.sort((x, y) => x[0] - y[0])
  return longestIncreasing(pairs)
}

/** The longest subsequence of pairs whose second elements increase (patience sorting). */
function longestIncreasing(pairs: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const tops: number[] = []
  const back: number[] = []
  pairs.forEach(([, b], index) => {
    let low = 0
    let high = tops.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (pairs[tops[mid]!]![1] < b) low = mid + 1
      else high = mid
    }
    back[index] = low > 0 ? tops[low - 1]! : -1
    tops[low] = index
  })
  const out: Array<[number, number]> = []
  for (let at = tops.length > 0 ? tops[tops.length - 1]! : -1; at >= 0; at = back[at]!) out.unshift(pairs[at]!)
  return out
}

/** Index pairs as diff steps. */
function stepsOf(pairs: ReadonlyArray<[number, number]>, beforeLength: number, afterLength: number, between: (a0: number, a1: number, b0: number, b1: number) => Step[]): Step[] {
  const steps: Step[] = []
  const push = (op: -1 | 0 | 1, length: number) => {
    if (length === 0) return
    const last = steps[steps.length - 1]
    if (last && last[0] === op) last[1] += length
    else steps.push([op, length])
  }
  let a = 0
  let b = 0
  for (const [i, j] of [...pairs, [beforeLength, afterLength] as [number, number]]) {
    for (const [op, length] of between(a, i, b, j)) push(op, length)
    if (i < beforeLength) push(0, 1)
    a = i + 1
    b = j + 1
  }
  return steps
}

/**
 * The diff of two token sequences, words first: the words are aligned on
 * their own (see `matches`), then the spaces and punctuation between two
 * aligned words. A plain token diff would as soon keep spaces as a word
 * ("vision allie le" → "vision durable allie" can come out as two rewritten
 * words around kept spaces), and a kept word is what a reader recognises as
 * unchanged and what anchors the text people type next to it.
 */
export function diffTokens(before: readonly Token[], after: readonly Token[]): Step[] {
  const wordsOf = (tokens: readonly Token[]) => tokens.flatMap((token, index) => (isWord(token) ? [index] : []))
  const beforeWords = wordsOf(before)
  const afterWords = wordsOf(after)
  const keys = (tokens: readonly Token[], indices: readonly number[]) => indices.map((index) => tokenKey(tokens[index]!))
  const anchors = matches(keys(before, beforeWords), keys(after, afterWords)).map(([i, j]): [number, number] => [beforeWords[i]!, afterWords[j]!])
  const allKeys = (tokens: readonly Token[]) => tokens.map(tokenKey)
  const beforeKeys = allKeys(before)
  const afterKeys = allKeys(after)
  return stepsOf(anchors, before.length, after.length, (a0, a1, b0, b1) => myers(beforeKeys.slice(a0, a1), afterKeys.slice(b0, b1)))
}
