import bidiFactory, { type Bidi } from 'bidi-js'

/**
 * A line of text as it is laid out left to right on paper, by the Unicode
 * Bidirectional Algorithm (UAX #9) on a left-to-right paragraph, as Word,
 * LibreOffice and browsers lay out the same words. A PDF is drawn piece by
 * piece from the left: drawn in the order typed, a party named in Hebrew or
 * Arabic ("יש עתיד", "حركة النهضة") read with its words swapped.
 *
 * Each piece is a stretch of one run at one level, its text kept in logical
 * order (the order typed: what a shaper joining Arabic letters needs), with
 * whether it reads right to left; in a right-to-left piece, the characters
 * with a mirrored form (brackets, "<") are already swapped for it (rule L4).
 * The line is resolved on its own: a resolution's paragraphs carry no
 * explicit embeddings, and the neutrals a line break separates from their
 * context are the trailing spaces rule L1 sets back to the paragraph's level.
 */
export interface VisualPiece<T> {
  run: T
  text: string
  rtl: boolean
}

/** Characters that may start right-to-left text: Hebrew to Arabic Extended, their presentation forms, the right-to-left scripts beyond the BMP, and the explicit controls. */
const MAY_TURN = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\u2068]|[\ud802\ud803\ud83a\ud83b]/

/** A character of the Basic Multilingual Plane of each class a character beyond it may have. */
const STAND_IN: Partial<Record<string, string>> = { R: '\u05d0', AL: '\u0627', EN: '0', AN: '\u0660', ON: '!', NSM: '\u0300', BN: '\u200b', WS: ' ' }

let bidi: Bidi | null = null

export function inVisualOrder<T extends { text: string }>(runs: readonly T[]): Array<VisualPiece<T>> {
  const text = runs.map((run) => run.text).join('')
  // Nearly every line: nothing in it can read right to left.
  if (!MAY_TURN.test(text)) return runs.filter((run) => run.text.length > 0).map((run) => ({ run, text: run.text, rtl: false }))
  const engine = (bidi ??= bidiFactory())
  // The algorithm reads code units, and a lone half is no character: each pair is read as two characters of its class
  // (an emoji is a neutral, Adlam reads right to left), so both halves get one level and no piece ends between them.
  const read = text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, (pair) => (STAND_IN[engine.getBidiCharTypeName(pair)] ?? 'a').repeat(2))
  const resolved = engine.getEmbeddingLevels(read, 'ltr')
  const levels = resolved.levels
  const order = read.length > 0 ? engine.getReorderedIndices(read, resolved, 0, read.length - 1) : []
  const mirrored = engine.getMirroredCharactersMap(text, levels)
  const runOf = new Uint32Array(text.length)
  for (let index = 0, at = 0; index < runs.length; at += runs[index]!.text.length, index++) runOf.fill(index, at, at + runs[index]!.text.length)

  const pieces: Array<VisualPiece<T>> = []
  let start = 0
  while (start < order.length) {
    const first = order[start]!
    const rtl = levels[first]! % 2 === 1
    const step = rtl ? -1 : 1
    let end = start + 1
    while (end < order.length && order[end] === order[end - 1]! + step && runOf[order[end]!] === runOf[first] && levels[order[end]!] === levels[first]) end++
    const [low, high] = rtl ? [order[end - 1]!, first] : [first, order[end - 1]!]
    let piece = ''
    for (let at = low; at <= high; at++) piece += mirrored.get(at) ?? text[at]
    pieces.push({ run: runs[runOf[first]!]!, text: piece, rtl })
    start = end
  }
  return pieces
}
