import { LINE_WIDTH, wrapLines } from '@hemicycle/schema'

/**
 * Line numbers are only worth printing if they are the ones people cite: the
 * schema's `wrapLines` decides where every line breaks, and this module only
 * carries each character's formatting (bold, italic, a tracked change)
 * across those breaks.
 */
export interface TextPiece {
  text: string
}

const SPACE = /\s/u

/**
 * Cuts formatted pieces into the lines `wrapLines` makes of their text: each
 * line's pieces join to exactly that line. Runs of white space shrink to one
 * space, as `wrapLines` does, and keep the formatting of their first
 * character. Pieces are copied with their other fields (their formatting).
 */
export function wrapPieces<T extends TextPiece>(pieces: readonly T[], width: number = LINE_WIDTH): T[][] {
  const source: Array<{ char: string; piece: number }> = []
  pieces.forEach((piece, index) => {
    // UTF-16 units, as wrapLines cuts an over-long word by them.
    for (let unit = 0; unit < piece.text.length; unit++) source.push({ char: piece.text[unit]!, piece: index })
  })
  const text = source.map((entry) => entry.char).join('')
  let at = 0
  const skipSpace = () => {
    while (at < source.length && SPACE.test(source[at]!.char)) at++
  }
  return wrapLines(text, width).map((line) => {
    skipSpace()
    const out: T[] = []
    let lastOwner: T | null = null
    const push = (char: string, piece: number) => {
      const last = out[out.length - 1]
      const owner = pieces[piece]!
      if (last && lastOwner === owner) last.text += char
      else out.push({ ...owner, text: char })
      lastOwner = owner
    }
    for (let unit = 0; unit < line.length; unit++) {
      const char = line[unit]!
      if (char === ' ') {
        push(' ', source[at]!.piece)
        skipSpace()
      } else {
        push(char, source[at]!.piece)
        at++
      }
    }
    return out
  })
}

/** The plain text of pieces. */
export const textOf = (pieces: readonly TextPiece[]) => pieces.map((piece) => piece.text).join('')
