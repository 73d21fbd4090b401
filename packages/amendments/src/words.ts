import DiffMatchPatch from 'diff-match-patch'
import { inAnyCase } from './anyCase.ts'
import { DATE, TIME } from './datesAndTimes.ts'
import { OTHER_CHARACTER, WORD_CHARACTER } from './wordCharacters.ts'

/** One step of a diff: kept, removed from the first text, or added by the second. */
export type DiffOp = -1 | 0 | 1
export type Diff = [DiffOp, string]

export const DELETE: DiffOp = -1
export const EQUAL: DiffOp = 0
export const INSERT: DiffOp = 1

const dmp = new DiffMatchPatch()
// No deadline: with diff-match-patch's default of one second, a long paragraph's diff came out coarser when the
// machine was busy, so the same redline or booklet could differ from one export to the next.
dmp.Diff_Timeout = 0

/**
 * Tokens (both sides together) up to which a diff is exact: diff-match-patch's time grows with the tokens times
 * the changed ones, at most some tenths of a second here. Past it (a paragraph of thousands of words rewritten),
 * the unchanged start and end are kept and the rest is one deletion and one insertion: coarser, but the same at
 * every export and bounded in time.
 */
export const EXACT_DIFF_TOKENS = 6_000

/**
 * Between two digits, what continues one number: a decimal point or comma
 * ("3,5", "1.000.000", Arabic "٣٫٥" and "١٬٠٠٠"), an apostrophe ("1'000"),
 * the slash, hyphen or colon of a date or a time ("12/03/2024",
 * "2024-03-12", "10:30:15"), or up to three spaces of any width before a
 * group of exactly three digits ("1 000 000", "1\u202f000"; French sets thousands
 * apart with a narrow no-break space, and "1  000", a space typed twice, or
 * a thin space beside a plain one, is the same figure to a reader). Two
 * numbers with only a space between them ("en 2019 2020") stay two.
 */
const NUMBER_JOINT = String.raw`(?<=\p{Nd})(?:[.,'’\u066b\u066c/:\-\u2010\u2011]|\p{Zs}{1,3}(?=\p{Nd}{3}(?!\p{Nd})))(?=\p{Nd})`

/**
 * The Latin suffix of an article's or a paragraph's number: "5 bis" is the
 * number "5bis" (one word) written with a space, so "article 5 bis" made
 * "alinéa 5 bis" by one amendment and "article 5 ter" by another is a
 * conflict, as it is written "5bis", not "alinéa 5 ter", a provision
 * neither named.
 */
const LATIN_SUFFIXES = ['bis', 'ter', 'quater', 'quinquies', 'sexies', 'septies', 'octies', 'nonies', 'novies', 'decies']
const LATIN_SUFFIX = String.raw`(?<=\p{Nd})\p{Zs}{1,3}(?:${LATIN_SUFFIXES.map(inAnyCase).join('|')})(?!${WORD_CHARACTER})`

const WORD = String.raw`${WORD_CHARACTER}+(?:${NUMBER_JOINT}${WORD_CHARACTER}+)*(?:${LATIN_SUFFIX})?`

/**
 * Words, runs of spaces, and single other characters (punctuation, Markdown
 * markers): the units a reader sees change. "l'Homme" is three tokens, so
 * changing "l'Homme" to "l'humain" changes one word, not the article. A
 * number, a date or a time is one word however it is written: split at its
 * spaces, "1 000 000" made "2 000 000" by one amendment and "1 000 500" by
 * another merged, untouched, into "2 000 500", a figure nobody proposed
 * (and "10 h 30" made "11 h 30" and "10 h 45", "11 h 45"; "12 mars 2024"
 * made "13 mars 2024" and "12 mars 2025", "13 mars 2025": see
 * datesAndTimes.ts).
 */
const PIECES = new RegExp(
  String.raw`(?<!${WORD_CHARACTER})(?:${DATE}|${TIME}(?:${WORD})?)|${WORD}|\s+|${OTHER_CHARACTER}`,
  'gu',
)

/**
 * Characters nobody sees: format characters (a soft hyphen, a zero-width space, a word joiner, a byte-order mark, the
 * joiners of an emoji) and the other default-ignorable ones (a combining grapheme joiner, a Hangul filler). Read as
 * punctuation, one typed into a date, a figure or "5 bis" ("12 \u2060mars 2024", "5\u00ad bis") cut it into pieces a
 * reader never sees, and two amendments each changing one piece merged into a date nobody proposed (a hostile review).
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u
const EVERY_INVISIBLE = new RegExp(INVISIBLE.source, 'gu')

/** A word as a reader sees it: its invisible characters (`INVISIBLE`) taken out. */
export const asSeen = (text: string) => text.replace(EVERY_INVISIBLE, '')
/**
 * Of those, the ones the tokenizer always took for part of a word (a combining grapheme joiner and a variation
 * selector are marks, a Hangul filler a letter): standing at a word's end or start, they stay with it, as they did.
 * Left alone, each was a word of its own, which ended an amount ("2\u034f millions 500 000") and kept the words either
 * side from touching (a hostile review of the change that skipped them).
 */
const INVISIBLE_IN_WORD = new RegExp(`^(?=${WORD_CHARACTER})[\\p{Cf}\\p{Default_Ignorable_Code_Point}]$`, 'u')
const STARTS_WORD = new RegExp(`^${WORD_CHARACTER}`, 'u')

const characterAt = (text: string, at: number) => String.fromCodePoint(text.codePointAt(at)!)

/** The character that ends just before `at`, a surrogate pair whole. */
function characterEndingAt(text: string, at: number): string {
  const pair = at >= 2 && /[\udc00-\udfff]/.test(text[at - 1]!) && /[\ud800-\udbff]/.test(text[at - 2]!)
  return text.slice(at - (pair ? 2 : 1), at)
}

/**
 * The text's tokens: words (a figure, a date, a time as one), runs of white space and other characters, which joined
 * give the text back. A word is read as a reader sees it, its invisible characters skipped: those inside a word, a
 * figure or a date belong to it, and so do the marks and letters among them at its ends (`INVISIBLE_IN_WORD`); the
 * others between tokens stay tokens of their own, as punctuation is.
 */
export function tokenize(text: string): string[] {
  if (!INVISIBLE.test(text)) return text.match(PIECES) ?? []
  // What a reader sees, and for each of its UTF-16 units where it stands in the text.
  let visible = ''
  const origin: number[] = []
  for (let at = 0; at < text.length; ) {
    const character = String.fromCodePoint(text.codePointAt(at)!)
    if (!INVISIBLE.test(character)) {
      visible += character
      for (let unit = 0; unit < character.length; unit++) origin.push(at + unit)
    }
    at += character.length
  }
  const tokens: string[] = []
  const asWritten = (from: number, to: number) => {
    if (to > from) tokens.push(...(text.slice(from, to).match(PIECES) ?? []))
  }
  let done = 0
  let seen = 0
  for (const piece of visible.match(PIECES) ?? []) {
    let [from, to] = [origin[seen]!, origin[seen + piece.length - 1]! + 1]
    seen += piece.length
    if (STARTS_WORD.test(piece)) {
      while (from > done && INVISIBLE_IN_WORD.test(characterEndingAt(text, from))) from -= characterEndingAt(text, from).length
      while (to < text.length && INVISIBLE_IN_WORD.test(characterAt(text, to))) to += characterAt(text, to).length
    }
    // Between tokens, invisible characters stand alone; so do they inside white space, which no reader counts.
    asWritten(done, from)
    if (/^\s/u.test(piece)) asWritten(from, to)
    else tokens.push(text.slice(from, to))
    done = to
  }
  asWritten(done, text.length)
  return tokens
}

/**
 * One UTF-16 unit per distinct key (a word, a token), so diff-match-patch,
 * which diffs strings, can diff sequences of words: each is encoded as one
 * character, then mapped back.
 */
export class KeyCodes {
  private readonly codes = new Map<string, string>()
  private readonly keys: string[] = []

  encode(keys: readonly string[]): string {
    return keys
      .map((key) => {
        let code = this.codes.get(key)
        if (code === undefined) {
          // Skip the surrogate range so every key is one UTF-16 unit.
          const index = this.keys.length
          code = String.fromCharCode(index < 0xd800 - 0x100 ? index + 0x100 : index + 0x100 + 0x800)
          this.codes.set(key, code)
          this.keys.push(key)
        }
        return code
      })
      .join('')
  }

  decode(codes: string): string[] {
    return Array.from(codes, (code) => {
      const unit = code.charCodeAt(0) - 0x100
      return this.keys[unit < 0xd800 - 0x100 ? unit : unit - 0x800]!
    })
  }
}

/**
 * A word-level diff for people to read (a tracked change strikes and
 * underlines whole words), with diff-match-patch's semantic cleanup, which
 * folds short unchanged stretches into the change so it reads as people
 * would describe it. Merges and live edits use the raw alignment of
 * `tokenDiff.ts` instead.
 */
export function wordDiff(before: string, after: string): Diff[] {
  const codes = new KeyCodes()
  const [a, b] = [codes.encode(tokenize(before)), codes.encode(tokenize(after))]
  const diffs = a.length + b.length <= EXACT_DIFF_TOKENS ? dmp.diff_main(a, b, false) : coarseDiff(a, b)
  dmp.diff_cleanupSemantic(diffs)
  return diffs.map(([op, text]) => [op as DiffOp, codes.decode(text).join('')])
}

/** The common start and end kept, the middle replaced whole. */
export function coarseDiff(a: string, b: string): DiffMatchPatch.Diff[] {
  const prefix = dmp.diff_commonPrefix(a, b)
  const suffix = dmp.diff_commonSuffix(a.slice(prefix), b.slice(prefix))
  const parts: DiffMatchPatch.Diff[] = [
    [EQUAL, a.slice(0, prefix)],
    [DELETE, a.slice(prefix, a.length - suffix)],
    [INSERT, b.slice(prefix, b.length - suffix)],
    [EQUAL, a.slice(a.length - suffix)],
  ]
  return parts.filter(([, text]) => text.length > 0)
}

/** The text before (`which = DELETE`) or after (`INSERT`) the diff. */
export function side(diffs: readonly Diff[], which: typeof DELETE | typeof INSERT): string {
  return diffs.filter(([op]) => op === EQUAL || op === which).map(([, text]) => text).join('')
}
