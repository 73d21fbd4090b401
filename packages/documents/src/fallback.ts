import { graphemes } from '@hemicycle/schema'

/**
 * A printed document must show every character of the text, in whatever
 * script it is written. No one font covers them all, so text is set in a
 * chain of faces: each character (each grapheme cluster, so that a letter
 * and its accents stay in one face) goes to the first face of the chain
 * that has every code point of it. What no face has is printed as the
 * replacement character, a visible placeholder, never as another letter.
 */
export const PLACEHOLDER = '\uFFFD'

export interface Segment {
  /** Index of the face in the chain; null where no face has the cluster (print `PLACEHOLDER`). */
  face: number | null
  text: string
}

/** Invisible code points (joiners, variation selectors) a face may lack without losing anything visible. */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u

/**
 * Characters each a cluster of its own beside any other of them, and
 * visible: tabs and line feeds, Latin (up to the combining marks), and the
 * punctuation, spaces and currency signs a resolution sets beside them.
 */
const SINGLES = /^[\t\n\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u202f-\u205f\u20a0-\u20c0]*$/u

/**
 * `segmentByCoverage` of a text of SINGLES alone, the text of nearly every
 * line printed: with no clusters to find and nothing invisible, each
 * character goes to the first face that has it, and each face is asked
 * about each character once. Reading clusters and code points one by one
 * took 2.8 s of the 6.7 s a PDF of 8,000 paragraphs held the event loop.
 */
function segmentSingles(text: string, faces: number, covers: (face: number, codePoint: number) => boolean, uncovered: Uncovered): Segment[] {
  const out: Segment[] = []
  const chosen = new Map<number, number | null>()
  for (let at = 0; at < text.length; at++) {
    const point = text.charCodeAt(at)
    let face = chosen.get(point)
    if (face === undefined) {
      face = null
      for (let candidate = 0; candidate < faces && face === null; candidate++) if (covers(candidate, point)) face = candidate
      chosen.set(point, face)
    }
    const piece = face === null && uncovered === 'placeholder' ? PLACEHOLDER : text[at]!
    const last = out[out.length - 1]
    if (last && last.face === face) last.text += piece
    else out.push({ face, text: piece })
  }
  return out
}

/**
 * What becomes of a cluster no face has: the placeholder, where the text is
 * drawn with the faces alone (a PDF); or the cluster itself, where a reader
 * sets the text and finds a font of its own for it (a Word file, whose text
 * is what a delegation edits and sends back: the placeholder there was "�"
 * in place of 日本 as words of the file).
 */
export type Uncovered = 'placeholder' | 'kept'

/**
 * Cuts `text` into runs each set in one face of a chain of `faces`, where
 * `covers(face, codePoint)` says whether a face has a glyph. The text is
 * first composed (NFC), so "e" followed by a combining accent is looked up
 * as "é", which the faces carry. Uncovered clusters merge into one segment each.
 */
export function segmentByCoverage(text: string, faces: number, covers: (face: number, codePoint: number) => boolean, uncovered: Uncovered = 'placeholder'): Segment[] {
  const composed = text.normalize('NFC')
  if (SINGLES.test(composed)) return segmentSingles(composed, faces, covers, uncovered)
  const out: Segment[] = []
  const shown = (face: number | null, piece: string) => (face === null && uncovered === 'placeholder' ? PLACEHOLDER : piece)
  const push = (face: number | null, piece: string) => {
    const last = out[out.length - 1]
    if (last && last.face === face) last.text += shown(face, piece)
    else out.push({ face, text: shown(face, piece) })
  }
  for (const { segment } of graphemes(composed)) {
    const points = [...segment].map((char) => char.codePointAt(0)!)
    const visible = points.filter((point) => !IGNORABLE.test(String.fromCodePoint(point)))
    let chosen: number | null = null
    for (let face = 0; face < faces && chosen === null; face++) if (visible.every((point) => covers(face, point))) chosen = face
    if (chosen === null) {
      push(null, segment)
      continue
    }
    const face = chosen
    // An invisible code point the face lacks would print as its "missing glyph" box: leave it out.
    push(face, points.filter((point) => covers(face, point) || !IGNORABLE.test(String.fromCodePoint(point))).map((point) => String.fromCodePoint(point)).join(''))
  }
  return out.filter((segment) => segment.text.length > 0)
}
