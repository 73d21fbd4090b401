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
 * Cuts `text` into runs each set in one face of a chain of `faces`, where
 * `covers(face, codePoint)` says whether a face has a glyph. The text is
 * first composed (NFC), so "e" followed by a combining accent is looked up
 * as "é", which the faces carry. Placeholders merge into one segment each.
 */
export function segmentByCoverage(text: string, faces: number, covers: (face: number, codePoint: number) => boolean): Segment[] {
  const out: Segment[] = []
  const push = (face: number | null, piece: string) => {
    const last = out[out.length - 1]
    if (last && last.face === face) last.text += face === null ? PLACEHOLDER : piece
    else out.push({ face, text: face === null ? PLACEHOLDER : piece })
  }
  for (const { segment } of graphemes(text.normalize('NFC'))) {
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
