import type { Edit } from './edits.ts'
import type { Token } from './tokens.ts'

/**
 * Marks that open and close what they enclose. Only those whose closing mark
 * closes nothing else: "?" and "!" end sentences without a "¿" or "¡" in
 * English and French, so Spanish's pairs are left out.
 */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['«', '»'],
  ['‹', '›'],
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['“', '”'],
]

/**
 * Single quotes, whose closing mark is also the apostrophe ("l’Union",
 * "d'accord"): a quote closes where no letter follows, and a straight one
 * opens where a letter follows and none comes before. An English plural
 * possessive ("States’ duties") reads as a closing mark; it only matters
 * when both sides change the count, and then the merge is held back.
 */
const SINGLE_QUOTES: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/‘/gu, /’(?!\p{L})/gu],
  [/(?<![\p{L}\p{N}])'(?=\p{L})/gu, /(?<=[\p{L}\p{N}.,;:!?])'(?!\p{L})/gu],
]

/**
 * How a text's marks pair up: for each pair, opening marks less closing
 * ones; then how many straight double quotes, odd or even; then the single
 * quotes; then how many „ open a German quote (closed by “, which opens an
 * English one).
 */
function balances(tokens: readonly Token[]): string {
  const text = tokens.map((token) => token.text).join('')
  const count = (mark: string) => text.split(mark).length - 1
  const matches = (pattern: RegExp) => text.match(pattern)?.length ?? 0
  return [
    ...PAIRS.map(([open, close]) => count(open) - count(close)),
    count('"') % 2,
    ...SINGLE_QUOTES.map(([open, close]) => matches(open) - matches(close)),
    count('„'),
  ].join(',')
}

/**
 * Whether a merged text leaves its quotes or brackets unpaired in a way none
 * of `texts` does: one side moving "»" where the other removed both marks
 * gave "Il est urgent de réduire » les dépenses", every text balanced but the
 * merge. Counted, not placed: a mark moved inside another pair's span is not
 * seen, but no merge passes that takes a mark away from its pair.
 */
export function unpairedAnew(merged: readonly Token[], texts: ReadonlyArray<readonly Token[]>): boolean {
  const seen = new Set(texts.map(balances))
  return !seen.has(balances(merged))
}

const MARKS = new Set([...PAIRS.flat(), '"', '‘', '’', "'", '„'])

/** Whether an edit takes out or writes a quote or a bracket. */
export const movesPairedMark = (edit: Edit, base: readonly Token[]) => [...base.slice(edit.from, edit.to), ...edit.insert].some((token) => MARKS.has(token.text))
