import { amountsChangedIn, quantitySpans } from './quantities.ts'
import { diffTokens, type Step } from './tokenDiff.ts'
import { continuesWord, isWord, isWordText, sameToken, type Token } from './tokens.ts'
import { WORD_CHARACTER } from './wordCharacters.ts'
import { asSeen } from './words.ts'

/** A change to a token sequence: the tokens [from, to) of the original are replaced by `insert`. */
export interface Edit {
  from: number
  to: number
  insert: Token[]
}

/**
 * The edits that turn `base` into `other`, in order, not overlapping, each in
 * its one canonical place. A diff may put the same insertion of "durable"
 * before or after the space next to it ("développement| durable" or
 * "développement |durable "), depending on what else changed; every
 * insertion or deletion that could sit in several places is slid to the
 * leftmost of them, so the same change made on two sides is recognised as
 * one wherever each diff happened to place it.
 */
export function editsBetween(base: readonly Token[], other: readonly Token[]): Edit[] {
  return editsOfSteps(base, other, diffTokens(base, other))
}

/** Diff steps from `base` to `other` as edits (see `editsBetween`). */
export function editsOfSteps(base: readonly Token[], other: readonly Token[], steps: readonly Step[]): Edit[] {
  const edits: Edit[] = []
  let at = 0
  let taken = 0
  let open: Edit | null = null
  const close = () => {
    if (!open) return
    const edit = canonical(open, base, edits.at(-1)?.to ?? 0)
    open = null
    // Words taken out and written back the same (`editsAlong`: a decision taken back, then again) changed nothing.
    if (edit.from === edit.to && edit.insert.length === 0) return
    const previous = edits.at(-1)
    // Slid against the edit before it: the two are one change.
    if (previous && previous.to === edit.from) edits[edits.length - 1] = { from: previous.from, to: edit.to, insert: [...previous.insert, ...edit.insert] }
    else edits.push(edit)
  }
  for (const [op, length] of steps) {
    if (op === 0) {
      close()
      at += length
      taken += length
      continue
    }
    open ??= { from: at, to: at, insert: [] }
    if (op === 1) {
      open.insert.push(...other.slice(taken, taken + length))
      taken += length
    } else {
      open.to += length
      at += length
    }
  }
  close()
  return edits
}

/** Trims what an edit leaves as it was, then slides a pure insertion or deletion as far left as it can go without passing `floor`. */
function canonical(edit: Edit, base: readonly Token[], floor: number): Edit {
  let { from, to } = edit
  let insert = [...edit.insert]
  while (from < to && insert.length > 0 && sameToken(base[from]!, insert[0]!)) {
    from++
    insert = insert.slice(1)
  }
  while (from < to && insert.length > 0 && sameToken(base[to - 1]!, insert[insert.length - 1]!)) {
    to--
    insert = insert.slice(0, -1)
  }
  if (from === to) {
    while (from > floor && insert.length > 0 && sameToken(base[from - 1]!, insert[insert.length - 1]!)) {
      insert = [base[from - 1]!, ...insert.slice(0, -1)]
      from--
      to--
    }
  } else if (insert.length === 0) {
    while (from > floor && sameToken(base[from - 1]!, base[to - 1]!)) {
      from--
      to--
    }
  }
  return { from, to, insert }
}

/** Applies edits given as spans of `tokens`, in any order, none overlapping. */
export function applyEdits(tokens: readonly Token[], edits: readonly Edit[]): Token[] {
  const out: Token[] = []
  let at = 0
  for (const edit of [...edits].sort((a, b) => a.from - b.from || a.to - b.to)) {
    out.push(...tokens.slice(at, edit.from), ...edit.insert)
    at = edit.to
  }
  return [...out, ...tokens.slice(at)]
}

/**
 * Where a pure insertion or deletion could stand as well as where it does:
 * `editsBetween` puts it leftmost, and it reads the same slid right while
 * what it writes or takes out repeats the tokens after it (", pour tous"
 * inserted after "pour tous" is the same text as inserted before it). The
 * returned `to` is the end of its rightmost place.
 */
export function farthestEnd(edit: Edit, base: readonly Token[]): number {
  let to = edit.to
  if (edit.from === edit.to && edit.insert.length > 0) {
    // An insertion moves right one token at a time while its first token (after the rotations so far) is the next one.
    for (let k = 0; to < base.length && sameToken(edit.insert[k % edit.insert.length]!, base[to]!); k++) to++
  } else if (edit.insert.length === 0) {
    while (to < base.length && sameToken(base[to - (edit.to - edit.from)]!, base[to]!)) to++
  }
  return to
}

/**
 * Whether what an edit leaves at either end goes on with the word of the
 * base beside it, where it did not before: an insertion written onto a
 * word ("égale" + "**ment**", "**co**" + "financement"), or a deletion
 * that joins two words. That word is then changed by the edit too.
 */
function glued(edit: Edit, base: readonly Token[]): { left: boolean; right: boolean } {
  const before = base[edit.from - 1]
  const after = base[edit.to]
  const first = edit.insert[0] ?? after
  const last = edit.insert.at(-1) ?? before
  const goesOnWith = (one: Token, next: Token) => continuesWord([one, next])[1]!
  return { left: before !== undefined && first !== undefined && goesOnWith(before, first), right: after !== undefined && last !== undefined && goesOnWith(last, after) }
}

/**
 * What an edit touches: its span, as far right as it could equally stand
 * (see `farthestEnd`), widened over the white space and punctuation on
 * either side, up to the next word. Two edits touch when these reaches
 * meet, that is when they change the same words, or words with only white
 * space or punctuation between them, or insert into the same gap between
 * two words, wherever either diff happened to place them.
 */
export function reach(edit: Edit, base: readonly Token[], goesOn: readonly boolean[] = continuesWord(base)): [number, number] {
  // A word cut by a change of formatting is one word: an edit to part of it reaches all of it; and so is a word an edit
  // writes onto ("**in**compatible", "financement**s**"): it changes that word.
  const { left, right } = glued(edit, base)
  let from = left ? edit.from - 1 : edit.from
  let to = Math.max(farthestEnd(edit, base), right ? edit.to + 1 : 0)
  while (from > 0 && (goesOn[from] === true || !isWord(base[from - 1]!))) from--
  while (to < base.length && (goesOn[to] === true || !isWord(base[to]!))) to++
  return [from, to]
}

/** Two edits of one text collide when they touch (see `reach`): then neither can be applied without a person deciding. */
export function collide(a: Edit, b: Edit, base: readonly Token[]): boolean {
  const [aFrom, aTo] = reach(a, base)
  const [bFrom, bTo] = reach(b, base)
  return aFrom <= bTo && bFrom <= aTo
}

export const sameEdit = (a: Edit, b: Edit) =>
  a.from === b.from && a.to === b.to && a.insert.length === b.insert.length && a.insert.every((token, i) => sameToken(token, b.insert[i]!))

/** The changes of one side the other did not also make: a change both made is agreed, and applied once. */
export function madeAlone(side: readonly Edit[], other: readonly Edit[]): Edit[] {
  // By place first: compared with every other change, two rewrites of 5,000 changes each took 0.1 s here.
  const byPlace = new Map<string, Edit[]>()
  for (const theirs of other) {
    const key = `${theirs.from}:${theirs.to}`
    ;(byPlace.get(key) ?? byPlace.set(key, []).get(key)!).push(theirs)
  }
  return side.filter((edit) => !(byPlace.get(`${edit.from}:${edit.to}`) ?? []).some((theirs) => sameEdit(edit, theirs)))
}

const PIECES_OF_WORD = new RegExp(`${WORD_CHARACTER}+`, 'gu')

/**
 * A word as a reader counts it, whatever its case and formatting: the word
 * token itself, with the width of any space inside it made one ("1 000" with
 * a narrow no-break space is "1 000"), each run of letters and digits in it
 * ("1", "000"), and those runs joined ("1000"). A figure or a time is one
 * token, but written with another space, punctuation or none ("1 000",
 * "1 000", "1000"; "10 h 30", "10 h30", "10h30") it is the same new words as
 * far as two sides writing them is concerned: compared whole only, both would
 * be written.
 */
const wordsOf = (written: string): string[] => {
  const text = spelling(written)
  const pieces = text.match(PIECES_OF_WORD) ?? []
  return pieces.length > 1 ? [text.replace(/\p{Zs}+/gu, ' '), ...pieces, pieces.join('')] : [text]
}

/**
 * A word as it is compared: without case, accents or ligatures. "États" and
 * "Etats", "œuvre" and "oeuvre" written by the two sides were one word
 * twice ("Les États membres … ensemble, Etats compris", a hostile review),
 * and so were "financé" and "ﬁnancé" pasted from a PDF (one character "ﬁ":
 * compatibility forms are read as the letters they stand for).
 * "a" and "à" are then one word too: a merge held back, never a wrong one.
 */
const spelling = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/gu, 'oe')
    .replace(/æ/gu, 'ae')

/**
 * A sign that says something as a word does: a symbol (−, +, €, an emoji) or
 * a per cent or per mille sign. Moved by one side where the other removed it,
 * or moved by both, it would be written twice or its removal lost ("de 5 %
 * puis de 3" → "de 5 puis de 3 %" and "de 5 puis de 3 … de 2 %"). Ordinary
 * punctuation is not counted: every sentence ends with a point, and a
 * sentence dropped by both sides while one writes another would read as a
 * point moved.
 */
const SIGN = /^(?:\p{S}|[%‰‱])/u

/**
 * The words and signs of `tokens` as the rules on moved and rival words
 * count them, each word whole where formatting cuts it into tokens
 * (`goesOn`, see `continuesWord`): read as "égale" and "ment", a
 * half-bold "égale**ment**" moved by one side was not the "également" the
 * other removed, and the removal was recorded as done with the word still
 * there.
 */
function wordsIn(tokens: readonly Token[], goesOn: readonly boolean[] = continuesWord(tokens)): string[] {
  const written: string[] = []
  for (const [index, token] of tokens.entries()) {
    if (index > 0 && goesOn[index]) written[written.length - 1] += token.text
    else written.push(token.text)
  }
  return written.filter((text) => isWordText(text) || SIGN.test(text)).flatMap(wordsOf)
}

/** The words of `base` an edit replaces. */
const replacedWords = (edit: Edit, base: readonly Token[]) => wordsIn(base.slice(edit.from, edit.to), continuesWord(base).slice(edit.from, edit.to))

const windows = new WeakMap<Edit, { base: readonly Token[]; before: ReadonlySet<string>; after: ReadonlySet<string> }>()

/**
 * The words an edit changes, whole, before and after it: its span widened
 * over the rest of any word it changes part of ("**inter**nationale" →
 * "**trans**nationale" is "internationale" → "transnationale", not "inter"
 * → "trans") or writes onto ("égale" + "**ment**" is "égale" →
 * "également"), as a reader reads them. Read from the edit's tokens alone,
 * a half-bold word changed or lengthened by one side was not the word the
 * other moved or wrote, and it was written twice or its removal lost.
 */
function wordWindow(edit: Edit, base: readonly Token[]): { before: ReadonlySet<string>; after: ReadonlySet<string> } {
  const known = windows.get(edit)
  if (known?.base === base) return known
  const goesOn = continuesWord(base)
  const { left, right } = glued(edit, base)
  let from = left ? edit.from - 1 : edit.from
  let to = right ? edit.to + 1 : edit.to
  while (from > 0 && goesOn[from] === true) from--
  while (to < base.length && goesOn[to] === true) to++
  const before = new Set(wordsIn(base.slice(from, to), goesOn.slice(from, to)))
  const after = new Set(wordsIn([...base.slice(from, edit.from), ...edit.insert, ...base.slice(edit.to, to)]))
  const window = { base, before, after }
  windows.set(edit, window)
  return window
}

/** The words an edit writes that were not in the words it changes. */
function newWords(edit: Edit, base: readonly Token[]): Set<string> {
  const { before, after } = wordWindow(edit, base)
  return new Set([...after].filter((word) => !before.has(word)))
}

/** The words an edit takes out and does not write back. */
function goneWords(edit: Edit, base: readonly Token[]): Set<string> {
  const { before, after } = wordWindow(edit, base)
  return new Set([...before].filter((word) => !after.has(word)))
}

const meet = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>) => {
  for (const item of a) if (b.has(item)) return true
  return false
}

const PUNCTUATION = /^\p{P}$/u

/** The punctuation marks an edit takes out and does not write back, and those it writes that were not there. */
function punctuationMoved(edit: Edit, base: readonly Token[]): { gone: ReadonlySet<string>; written: ReadonlySet<string> } {
  // Read once per edit and base: a paragraph's amendments are compared pair by pair.
  const known = punctuationOf.get(edit)
  if (known?.base === base) return known
  const moved = { base, ...readPunctuationMoved(edit, base) }
  punctuationOf.set(edit, moved)
  return moved
}

const punctuationOf = new WeakMap<Edit, { base: readonly Token[]; gone: ReadonlySet<string>; written: ReadonlySet<string> }>()

function readPunctuationMoved(edit: Edit, base: readonly Token[]): { gone: Set<string>; written: Set<string> } {
  const marks = (tokens: readonly Token[]) => tokens.filter((token) => PUNCTUATION.test(token.text)).map((token) => token.text)
  // Counted, not just named: "," made ", et à agir vite," writes a comma (a later review: read as no mark written, the
  // comma the other side removed came back unsaid).
  // Counted once each: counted again for every mark, a paragraph of 10,000 marks rewritten took seconds.
  const counted = (list: readonly string[]) => {
    const counts = new Map<string, number>()
    for (const mark of list) counts.set(mark, (counts.get(mark) ?? 0) + 1)
    return counts
  }
  const before = counted(marks(base.slice(edit.from, edit.to)))
  const after = counted(marks(edit.insert))
  const more = (one: ReadonlyMap<string, number>, other: ReadonlyMap<string, number>) => new Set([...one].filter(([mark, count]) => count > (other.get(mark) ?? 0)).map(([mark]) => mark))
  return { gone: more(before, after), written: more(after, before) }
}

/** A punctuation mark with the words nearest before and after it ('' at an end). */
interface MarkBeside {
  mark: string
  before: string
  after: string
}

/** The punctuation marks of `tokens`, standing for `base`'s [from, to), each with its nearest words, looked for in the base around when `tokens` holds none on that side. */
function marksBesideWords(tokens: readonly Token[], base: readonly Token[], from: number, to: number): MarkBeside[] {
  // As a reader sees the word: a soft hyphen inside it, or an accent typed as a mark, hid the same word (a later review).
  const key = (token: Token) => asSeen(token.text).normalize('NFC').toLowerCase()
  // Past the ends of `tokens`: the base's words before `from` and from `to` on, read in place (sliced out for every
  // change compared, a long paragraph was copied thousands of times).
  const lastWord = () => {
    for (let index = from - 1; index >= 0; index--) if (isWord(base[index]!)) return key(base[index]!)
    return ''
  }
  const firstWord = () => {
    for (let index = to; index < base.length; index++) if (isWord(base[index]!)) return key(base[index]!)
    return ''
  }
  // The nearest word on each side of every token, in one pass each way: looked for from each mark, a paragraph of
  // 10,000 marks held the event loop seconds.
  const wordBefore: string[] = []
  let seen = lastWord()
  for (const token of tokens) {
    wordBefore.push(seen)
    if (isWord(token)) seen = key(token)
  }
  const wordAfter: string[] = new Array<string>(tokens.length)
  seen = firstWord()
  for (let index = tokens.length - 1; index >= 0; index--) {
    wordAfter[index] = seen
    if (isWord(tokens[index]!)) seen = key(tokens[index]!)
  }
  const out: MarkBeside[] = []
  tokens.forEach((token, index) => {
    if (PUNCTUATION.test(token.text)) out.push({ mark: token.text, before: wordBefore[index]!, after: wordAfter[index]! })
  })
  return out
}

/**
 * A mark written between the words a removed one stood between (either end of the paragraph standing for any word):
 * what a diff can read as moved when the words around it repeat. Beside one of them only, a comma before "et" or after
 * "Conseil" written elsewhere clashed for nothing (a later review: 3–4% of a draft's pairs of edits).
 */
const sameMarkBeside = (written: MarkBeside, removed: MarkBeside) =>
  written.mark === removed.mark && (removed.before === '' || removed.before === written.before) && (removed.after === '' || removed.after === written.after)

/**
 * Whether one edit takes out a word the other writes: the two halves of a
 * move ("crédits nouveaux" → "nouveaux crédits" is "crédits" taken out
 * here and written there), which stand or fall together.
 */
export const halvesOfMove = (a: Edit, b: Edit, base: readonly Token[]) =>
  meet(goneWords(a, base), newWords(b, base)) || meet(newWords(a, base), goneWords(b, base))

/**
 * The reach of edits over one base, each worked out once. Worked out again
 * for every pair, with the base's words read anew each time, two rewrites
 * of a 10,000-character paragraph took seconds to compare, the event loop
 * held all along.
 */
function reaches(base: readonly Token[]): (edit: Edit) => [number, number] {
  const goesOn = continuesWord(base)
  const known = new Map<Edit, [number, number]>()
  return (edit) => {
    let found = known.get(edit)
    if (!found) known.set(edit, (found = reach(edit, base, goesOn)))
    return found
  }
}

/**
 * The pairs of changes of two sides over one `base` that a person must
 * decide between, as [proposed, happened]. A change both sides made is
 * agreed, applied once, and clashes with nothing by itself. Beyond changes
 * that touch (see `collide`), two more pairs read as the same words fought
 * over, though they do not touch:
 * - an agreed change takes out a word that one side alone writes back
 *   elsewhere: that side moved the word ("également agir" → "agir
 *   également") where the other removed it; taken together the word would
 *   stay, or come back, and the removal be recorded as done; or an agreed
 *   change writes a word that one side alone takes out elsewhere: that side
 *   moved it where the other added it, and together it would be written
 *   once;
 * - both sides alone write the same new word, anywhere in the paragraph
 *   ("développement durable économique" and "développement économique
 *   durable"; "que no actúen" and "no pide"): rival places for one
 *   insertion, which together would say it twice, a negation twice saying
 *   the opposite of what each side wrote. Held only a word apart, "dès
 *   2025" and "no" were written twice;
 * - each side changes a part of one amount, date, time or period written
 *   over several words (see `quantitySpans`), or writes more of it at one
 *   end (`amountsChangedIn`): "2 millions 500 000" with "3 millions" on one
 *   side and "600 000" on the other is an amount nobody wrote, and so is
 *   "3 millions 500 000" from "3 millions" and "2 millions 500 000".
 */
export function clashes(proposed: readonly Edit[], happened: readonly Edit[], base: readonly Token[]): Array<[Edit, Edit]> {
  const mine = madeAlone(proposed, happened)
  const theirs = madeAlone(happened, proposed)
  const alone = new Set(mine)
  const agreed = proposed.filter((edit) => !alone.has(edit))
  const written = new Map([...mine, ...theirs].map((edit) => [edit, newWords(edit, base)]))
  const marksWritten = new Map([...mine, ...theirs].map((edit) => [edit, punctuationMoved(edit, base).written]))
  const amountsOf = amountsChangedIn(base, quantitySpans(base))
  // One pair for each change of `proposed` that clashes, with a change it clashes with: what callers read (whether
  // any does, and which). Every pair, two rewrites of one long amount made 6 million of them and a gigabyte.
  const pairs: Array<[Edit, Edit]> = []
  const paired = new Set<Edit>()
  const pair = (edit: Edit, other: Edit) => {
    if (paired.has(edit)) return
    paired.add(edit)
    pairs.push([edit, other])
  }
  // Their changes indexed by what a change of mine may meet: by reach (sorted, with the farthest end so far), and
  // (`byKey`) by each word written, by each amount changed. Compared pair by pair, two rewrites of 1,500 changes each took seconds.
  const reachOf = reaches(base)
  const byReach = theirs.map((edit) => ({ edit, at: reachOf(edit) })).sort((x, y) => x.at[0] - y.at[0])
  const farthest: Array<{ edit: Edit; to: number }> = []
  for (const { edit, at } of byReach) farthest.push(farthest.length > 0 && farthest.at(-1)!.to >= at[1] ? farthest.at(-1)! : { edit, to: at[1] })
  const touched = (edit: Edit): Edit | undefined => {
    const [from, to] = reachOf(edit)
    // The last of theirs starting at or before `to`; among those, the one reaching farthest must reach `from`.
    let low = 0
    let high = byReach.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (byReach[mid]!.at[0] <= to) low = mid + 1
      else high = mid
    }
    const reaching = low > 0 ? farthest[low - 1]! : undefined
    return reaching && reaching.to >= from ? reaching.edit : undefined
  }
  // Changes by each key they have (a word written or taken out, an amount changed), every change for each key.
  const byKey = <K>(edits: readonly Edit[], keysOf: (edit: Edit) => Iterable<K>) => {
    const found = new Map<K, Edit[]>()
    for (const edit of edits) for (const key of keysOf(edit)) (found.get(key) ?? found.set(key, []).get(key)!).push(edit)
    return found
  }
  const firstOf = <K>(keys: Iterable<K>, found: ReadonlyMap<K, readonly Edit[]>) => {
    for (const key of keys) if (found.has(key)) return found.get(key)![0]
    return undefined
  }
  const theirsWriting = byKey(theirs, (edit) => written.get(edit)!)
  const theirsChangingAmount = byKey(theirs, amountsOf)
  for (const edit of mine) {
    const other = touched(edit) ?? firstOf(written.get(edit)!, theirsWriting) ?? firstOf(amountsOf(edit), theirsChangingAmount)
    if (other) pair(edit, other)
  }
  // For the changes both made: mine (every one) and theirs (one is enough: the pair's first is the change both made)
  // by each word they write and each word they take out.
  const mineWriting = byKey(mine, (edit) => written.get(edit)!)
  const [mineTaking, theirsTaking] = [byKey(mine, (edit) => goneWords(edit, base)), byKey(theirs, (edit) => goneWords(edit, base))]
  for (const edit of agreed) {
    const gone = goneWords(edit, base)
    for (const word of gone) for (const other of mineWriting.get(word) ?? []) pair(other, edit)
    const theirsBack = firstOf(gone, theirsWriting)
    if (theirsBack) pair(edit, theirsBack)
    // The other way round: a word both sides write here, that one side alone takes out elsewhere, was moved by that
    // side and added by the other ("soit x a b" → "soit a b x" and "soit x a b x"): together it would be written once,
    // and the addition recorded as done.
    const added = newWords(edit, base)
    for (const word of added) for (const other of mineTaking.get(word) ?? []) pair(other, edit)
    const theirsOut = firstOf(added, theirsTaking)
    if (theirsOut) pair(edit, theirsOut)
    // A punctuation mark both sides took out and each wrote back elsewhere was moved by both ("Le Conseil, réuni hier
    // soir" → "réuni, hier" and "soir,"): together it would be written twice. One side alone writing one is no move.
    const marks = punctuationMoved(edit, base).gone
    if (marks.size === 0) continue
    const writing = (edits: readonly Edit[]) => edits.filter((other) => meet(marks, marksWritten.get(other)!))
    const theirsMarking = writing(theirs)
    if (theirsMarking.length > 0) for (const other of writing(mine)) pair(other, theirsMarking[0]!)
    // A mark both took out with no word around it, that one side alone writes back elsewhere between the words it stood
    // between, is the removal of one side and the move of the other, or no move at all: where the words around it repeat
    // ("à agir, et à agir" made "… et les régions à agir, et à agir et à agir"), a side's diff can read its own untouched
    // comma as taken out here and written there, and the comma the other side removed came back, unsaid (a hostile
    // review, helper-162). A comma written between other words is a comma of its own (counted as a move, a quarter of a
    // draft's pairs of edits clashed for it, a later review). A sentence both dropped takes words with its point, and
    // stays no move.
    if (replacedWords(edit, base).length > 0 || wordsIn(edit.insert).length > 0) continue
    const removed = marksBesideWords(base.slice(edit.from, edit.to), base, edit.from, edit.to)
    const rewrites = (other: Edit) => marksBesideWords(other.insert, base, other.from, other.to).some((mark) => removed.some((gone) => sameMarkBeside(mark, gone)))
    for (const other of writing(mine)) if (rewrites(other)) pair(other, edit)
    const theirsRewriting = theirsMarking.find(rewrites)
    if (theirsRewriting) pair(edit, theirsRewriting)
  }
  return pairs
}
