import * as Y from 'yjs'
import { BIDI_CONTROLS, normalizedText, SETTLED_TEXT } from './characters.ts'

/**
 * Text written straight into a Y.Doc, kept as every other way in keeps it
 * (`normalizedText`). A hand-written client (or two people's inserts
 * meeting) can leave "e" + a combining accent in the text: it reads and
 * prints as "é", but its canonical Markdown, which the lock hashes,
 * imported again comes back composed, so another text with another hash.
 * A bidi override it types shows one thing on screen and prints another.
 */

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff

/** Every text in `fragment` (a document's body), in order. */
export function textsIn(fragment: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
  const texts: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(fragment)
  return texts
}

/** The texts a transaction wrote in or deleted from: the texts it changed, and those in elements it created. */
export function textsChangedBy(transaction: Y.Transaction): Y.XmlText[] {
  const texts = new Set<Y.XmlText>()
  const isNew = (item: Y.Item | null) => item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)
  const stack: Array<Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment> = []
  for (const [type, keys] of transaction.changed) {
    if (type instanceof Y.XmlText) texts.add(type)
    // An element or the body that gained children: only the new ones are walked (the body of a long text has thousands).
    else if (keys.has(null) && (type instanceof Y.XmlElement || type instanceof Y.XmlFragment)) for (const child of type.toArray()) if (isNew(child._item)) stack.push(child)
  }
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node instanceof Y.XmlText) texts.add(node)
    else if (node instanceof Y.XmlElement) stack.push(...node.toArray())
  }
  return [...texts].filter((text) => text._item === null || !text._item.deleted)
}

/**
 * What NFC may join to the character before it: a combining mark, a Hangul vowel or final consonant, or Kirat Rai's
 * vowel sign E (U+16D67, no mark: two of them compose into U+16D68; the one such character in Unicode 16, helper-170).
 */
const JOINS_BEFORE_CLASS = '[\\p{M}\\u1160-\\u11ff\\ud7b0-\\ud7ff\\u{16d67}]'
const JOINS_BEFORE = new RegExp(`^${JOINS_BEFORE_CLASS}$`, 'u')
/** Anywhere in a text, a character that joins the one before it or a bidi control. */
const UNSETTLING = new RegExp(`${JOINS_BEFORE_CLASS}|${BIDI_CONTROLS.source}`, 'u')

/**
 * Whether a piece of text is as `normalizedText` keeps it whatever stands
 * before it: each character unchanged by NFC, no bidi control, and none that
 * NFC joins to the character before it or reorders (a combining mark, a
 * Hangul vowel or final consonant; every character that may compose with
 * the one before is one of these). Prose in the resolutions' languages is
 * settled (`SETTLED_TEXT`) and answered by one scan.
 */
function standsAlone(text: string): boolean {
  if (SETTLED_TEXT.test(text)) return true
  // With nothing that joins the character before it, NFC composes nothing across characters: the piece is unchanged
  // by NFC as a whole exactly when each character is alone. One scan and one call, not a regex and a call per character.
  return !UNSETTLING.test(text) && text.normalize('NFC') === text
}

/**
 * Whether a transaction can have left a text it changed other than
 * `normalizedText` keeps it, judged from what it wrote alone: false when it
 * deleted nothing and only wrote characters that stand alone into texts
 * (`standsAlone`), each piece followed by such a character or the text's end
 * (changes of formatting between them aside). Nothing before such a piece
 * composes with it; only the character after it could (a letter typed before
 * a combining mark takes it). So typing costs a look at the typed piece and
 * its right neighbour, not a reading of the whole paragraph per keystroke.
 * Conservative: true whenever in doubt.
 *
 * `update`, the transaction's own update (Yjs's 'update' event), names the
 * clients it wrote under: read from it, they are found without walking the
 * state vector, which holds every client that ever wrote in the text (with
 * 3,000 past writers that walk was a sixth of applying a keystroke).
 */
export function mayUnsettle(transaction: Y.Transaction, update?: Uint8Array): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  const { store } = transaction.doc
  for (const client of update ? Y.parseUpdateMeta(update).to.keys() : transaction.afterState.keys()) {
    const before = transaction.beforeState.get(client) ?? 0
    const after = transaction.afterState.get(client) ?? 0
    if (after <= before) continue
    const structs = store.clients.get(client)
    if (!structs) return true
    for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
      const item = structs[index]!
      if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString) || !(item.parent instanceof Y.XmlText)) return true
      // Yjs merges a piece a client types into the run it typed before: that part was read when it came (and composed if
      // it had to be), and a piece that stands alone joins nothing before it, so only the piece is read, not the whole run
      // at each keystroke (a paragraph typed in Greek or Vietnamese, outside SETTLED_TEXT, was read letter by letter each
      // time). Pieces arrive as UTF-8, whole characters: the cut never parts a surrogate pair.
      if (item.deleted || !standsAlone(item.content.str.slice(Math.max(0, before - item.id.clock)))) return true
      // The next character, across changes of formatting too: whether they part runs is not for this check to assume.
      let right = item.right
      while (right !== null && (right.deleted || right.content instanceof Y.ContentFormat)) right = right.right
      if (right === null) continue
      if (!(right.content instanceof Y.ContentString)) return true
      const next = right.content.str.codePointAt(0)
      if (next === undefined || !standsAlone(String.fromCodePoint(next))) return true
    }
  }
  return false
}


interface Edit {
  at: number
  length: number
  insert: string
}

/** The single edit from the first character that changes to the last: correct for any text, but it writes again what lies between. */
function spanningEdit(insert: string, kept: string): Edit {
  let start = 0
  while (start < insert.length && start < kept.length && insert[start] === kept[start]) start++
  if (start > 0 && isHighSurrogate(insert.charCodeAt(start - 1))) start--
  let end = 0
  while (end < insert.length - start && end < kept.length - start && insert[insert.length - 1 - end] === kept[kept.length - 1 - end]) end++
  if (end > 0 && isLowSurrogate(insert.charCodeAt(insert.length - end))) end--
  return { at: start, length: insert.length - start - end, insert: kept.slice(start, kept.length - end) }
}

/**
 * The edits that compose a run (its bidi controls already taken out, `normalizeYText`), each as small as it can be:
 * a character and the marks NFC composes with it written again alone. One edit from the first difference to the last
 * rewrote everything between as the server's own words: two marks typed around someone else's sentence made the
 * redline credit the whole sentence to Hemicycle, its author and the marks' writer named nowhere. Where the pieces
 * normalized one by one do not give the run's normalized text, the one spanning edit is made.
 */
function smallestEdits(insert: string, kept: string): Edit[] {
  const pieces: Array<{ at: number; text: string }> = []
  let at = 0
  for (const character of insert) {
    const last = pieces.at(-1)
    if (last && JOINS_BEFORE.test(character)) last.text += character
    else pieces.push({ at, text: character })
    at += character.length
  }
  const edits: Edit[] = []
  let joined = ''
  for (const piece of pieces) {
    const normalized = normalizedText(piece.text)
    joined += normalized
    if (normalized !== piece.text) edits.push({ at: piece.at, length: piece.text.length, insert: normalized })
  }
  return joined === kept ? edits : [spanningEdit(insert, kept)]
}

/** Characters at the start of `text` that NFC joins to the one before: an accent, a Hangul vowel. */
export function leadingJoiners(text: string): string {
  let end = 0
  for (const character of text) {
    if (!JOINS_BEFORE.test(character)) break
    end += character.length
  }
  return text.slice(0, end)
}

type DeltaRun = { insert: unknown; attributes?: Record<string, unknown> }
type Attributes = Record<string, unknown>

const sameAttributes = (a: Attributes = {}, b: Attributes = {}) => {
  const keys = Object.keys(a).filter((key) => a[key] !== null && a[key] !== undefined)
  return keys.length === Object.keys(b).filter((key) => b[key] !== null && b[key] !== undefined).length && keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]))
}

/**
 * The text's runs, each a stretch of one formatting: Yjs can part a stretch of one formatting in two (a format
 * ended and started again at one place), and such a part was never composed with the rest, for good (helper-168).
 */
function runsOf(text: Y.XmlText): DeltaRun[] {
  const runs: DeltaRun[] = []
  for (const run of text.toDelta() as DeltaRun[]) {
    const last = runs.at(-1)
    if (last && typeof last.insert === 'string' && typeof run.insert === 'string' && sameAttributes(last.attributes, run.attributes)) last.insert += run.insert
    else runs.push({ ...run })
  }
  return runs
}

/**
 * The bidi controls in the text, as deletions in its order: controls side by side in one, which takes the formatting
 * around them too when nothing else is left in it (deleted one by one, "\u2067\u2069" in bold left an empty bold run).
 */
function bidiControls(runs: readonly DeltaRun[]): Change[] {
  const deletions: Array<{ at: number; length: number }> = []
  let index = 0
  for (const { insert } of runs) {
    if (typeof insert !== 'string') {
      index += 1
      continue
    }
    for (const match of insert.matchAll(BIDI_CONTROLS)) {
      const at = index + match.index
      const last = deletions.at(-1)
      if (last && last.at + last.length === at) last.length++
      else deletions.push({ at, length: 1 })
    }
    index += insert.length
  }
  return deletions
}

/**
 * Where an accent (or what else NFC joins to the character before) stands in a run of other formatting than its
 * letter's, the accent with its letter's formatting: a letter and its accent are one character to a reader, with one
 * formatting. A hand-written client typed "Caf" + "e" plain and "\u0301" in bold: it read "Café", but no run held
 * "é" to compose, and the text was hashed and exported as "Cafe**\u0301**". The letter is the last character before
 * that is no joiner, whatever run the joiners between stand in; nothing follows an embed. Read with no bidi control
 * in the text (they are taken out first): one between a letter and its accent hid it.
 */
function accentsApart(runs: readonly DeltaRun[]): Array<{ at: number; joiners: string; attributes: Attributes; own: Attributes }> {
  const apart: Array<{ at: number; joiners: string; attributes: Attributes; own: Attributes }> = []
  let letter: Attributes | null = null
  let index = 0
  for (const { insert, attributes = {} } of runs) {
    if (typeof insert !== 'string') {
      letter = null
      index += 1
      continue
    }
    for (const character of insert) {
      if (!JOINS_BEFORE.test(character)) letter = attributes
      else if (letter !== null && !sameAttributes(letter, attributes)) {
        const last = apart.at(-1)
        if (last && last.at + last.joiners.length === index && last.attributes === letter && last.own === attributes) last.joiners += character
        else apart.push({ at: index, joiners: character, attributes: letter, own: attributes })
      }
      index += character.length
    }
  }
  return apart
}

/** Whether `normalizeYText` would change the text: a bidi control, a run other than NFC, or an accent in a run apart from its letter's. */
export function needsNormalizing(text: Y.XmlText): boolean {
  const runs = runsOf(text)
  return runs.some(({ insert }) => typeof insert === 'string' && normalizedText(insert) !== insert) || accentsApart(runs).length > 0
}

/** A change of the text at `at`: `length` characters deleted, formatted with `format`, or the characters `old` replaced by `insert` with `attributes`. */
type Change = { at: number; length: number } | { at: number; length: number; format: Attributes } | { at: number; length: number; old: string; insert: string; attributes: Attributes }

/**
 * Makes `changes` (in the order of the text, none overlapping) in one walk through the text (one by one, from the
 * end, each looked up from the start: a paragraph of 10,000 characters with an accent in every third held the event
 * loop 2.5 s, helper-169). A replaced character and its accents: the first deleted, the new written, the rest deleted,
 * so the new stands where the old did for whoever typed meanwhile: before it stays before, after it after (written
 * after all of them, a letter typed after "Cafe\u0301" came before "é"; written before, one typed before "e" came
 * after, by client ids). Attributes are given whole: what the text inherits from the left is not the run's own.
 */
function applyChanges(text: Y.XmlText, changes: readonly Change[]): void {
  if (changes.length === 0) return
  const delta: Array<{ retain: number; attributes?: Attributes } | { insert: string; attributes: Attributes } | { delete: number }> = []
  let cursor = 0
  for (const change of changes) {
    if (change.at > cursor) delta.push({ retain: change.at - cursor })
    if ('format' in change) delta.push({ retain: change.length, attributes: change.format })
    else if (!('insert' in change) || change.insert.length === 0) delta.push({ delete: change.length })
    else {
      const first = change.old.length > 0 ? String.fromCodePoint(change.old.codePointAt(0)!).length : 0
      if (first > 0) delta.push({ delete: first })
      delta.push({ insert: change.insert, attributes: { ...change.attributes } })
      if (change.length > first) delta.push({ delete: change.length - first })
    }
    cursor = change.at + change.length
  }
  text.applyDelta(delta, { sanitize: false })
}

/**
 * More changes than this in one text and it is written again whole, stretch by stretch between embeds
 * (`rewriteWhole`): each change deleting or formatting part of a piece splits a Yjs item, and each split is spliced
 * into its writer's array of items, as long as all it wrote: one frame of 24 paragraphs of 5,000 "e\u0301" each took
 * the server 100 s to compose (helper-173), long enough for its claim to compose to run out and another instance to
 * compose them all again ("éé" throughout). Nobody typing writes so many in one go; the price, for such text only,
 * is that the text is credited to the server, as a composition is.
 */
const MANY_CHANGES = 64

/** A stretch of string runs as `normalizeYText` leaves it, worked out without Yjs: no bidi control, each accent in its letter's formatting, each run composed. */
function normalizedStretch(runs: readonly DeltaRun[]): Array<{ insert: string; attributes: Attributes }> {
  const out: Array<{ insert: string; attributes: Attributes }> = []
  let letter: Attributes | null = null
  for (const run of runs) {
    const attributes = run.attributes ?? {}
    for (const character of (run.insert as string).replace(BIDI_CONTROLS, '')) {
      let own = attributes
      if (!JOINS_BEFORE.test(character)) letter = attributes
      else if (letter !== null) own = letter
      const last = out.at(-1)
      if (last && sameAttributes(last.attributes, own)) last.insert += character
      else out.push({ insert: character, attributes: own })
    }
  }
  for (const run of out) run.insert = normalizedText(run.insert)
  return out
}

/** Writes each stretch of string runs that needs it again, normalized, in one delta: a delete of the stretch and its runs inserted (embeds stay as they are). */
function rewriteWhole(text: Y.XmlText): void {
  const delta: Array<{ retain: number } | { insert: string; attributes: Attributes } | { delete: number }> = []
  let cursor = 0
  const rewrite = (at: number, stretch: DeltaRun[]) => {
    const length = stretch.reduce((sum, run) => sum + (run.insert as string).length, 0)
    const target = normalizedStretch(stretch)
    if (target.length === stretch.length && target.every((run, index) => run.insert === stretch[index]!.insert && sameAttributes(run.attributes, stretch[index]!.attributes))) return
    if (at > cursor) delta.push({ retain: at - cursor })
    delta.push({ delete: length })
    for (const run of target) delta.push({ insert: run.insert, attributes: { ...run.attributes } })
    cursor = at + length
  }
  let index = 0
  let stretch: DeltaRun[] = []
  let start = 0
  for (const run of runsOf(text)) {
    if (typeof run.insert === 'string') {
      if (stretch.length === 0) start = index
      stretch.push(run)
      index += run.insert.length
      continue
    }
    if (stretch.length > 0) rewrite(start, stretch)
    stretch = []
    index += 1
  }
  if (stretch.length > 0) rewrite(start, stretch)
  if (delta.length > 0) text.applyDelta(delta, { sanitize: false })
}

/**
 * Normalizes a text where it needs it: bidi controls out, each accent in
 * its letter's run (`accentsApart`), then each run composed with its own
 * formatting (marks part what NFC may compose, as they part the editor's
 * text nodes). Only the characters that change are deleted and written
 * again (see `smallestEdits`), never half a surrogate pair (Yjs would make
 * each half U+FFFD). Call inside a transaction; returns how many places
 * changed (0: the text was as `normalizedText` keeps it).
 *
 * More than `manyChanges` (tests set it) and the text is written again
 * whole (`MANY_CHANGES`).
 *
 * A composition is new content: two servers composing the same "e\u0301"
 * each write an "é", and their copies merge into "éé" (helper-169). One
 * server composes a text at a time (the server's `composer.ts`).
 */
export function normalizeYText(text: Y.XmlText, manyChanges = MANY_CHANGES): number {
  // Bidi controls out first, then each accent given its letter's formatting, then each run composed.
  const controls = bidiControls(runsOf(text))
  const many = (count: number) => {
    if (count <= manyChanges) return false
    rewriteWhole(text)
    return true
  }
  if (many(controls.length)) return controls.length
  applyChanges(text, controls)
  const apart = accentsApart(runsOf(text))
  if (many(controls.length + apart.length)) return controls.length + apart.length
  // Formatted, not written again: the accent stays its writer's, and nobody's typing meanwhile moves.
  const unset = (own: Attributes) => Object.fromEntries(Object.keys(own).map((key) => [key, null]))
  applyChanges(text, apart.map(({ at, joiners, attributes, own }) => ({ at, length: joiners.length, format: { ...unset(own), ...attributes } })))
  // Each run's edits with the run they compose: what is counted is the runs composed.
  const edits: Array<Change & { run: number }> = []
  let index = 0
  for (const [run, { insert, attributes = {} }] of runsOf(text).entries()) {
    if (typeof insert !== 'string') {
      index += 1
      continue
    }
    const kept = normalizedText(insert)
    if (kept !== insert) {
      for (const edit of smallestEdits(insert, kept)) edits.push({ ...edit, at: index + edit.at, old: insert.slice(edit.at, edit.at + edit.length), attributes, run })
    }
    index += insert.length
  }
  const changed = new Set(edits.map(({ run }) => run)).size
  if (many(controls.length + apart.length + edits.length)) return controls.length + apart.length + changed
  applyChanges(text, edits)
  return controls.reduce((count, { length }) => count + length, 0) + apart.length + changed
}
