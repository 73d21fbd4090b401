import { breakLines, LINE_WIDTH } from '@hemicycle/schema'

/**
 * Line numbers are only worth printing if they are the ones people cite: the
 * schema's `breakLines` decides where every line breaks, and this module only
 * carries each character's formatting (bold, italic, a tracked change)
 * across those breaks.
 */
export interface TextPiece {
  text: string
}

/**
 * Cuts formatted pieces into the lines the numbering makes of their text:
 * each line's pieces join to exactly that line of `wrapLines`. Words on a line
 * are joined by one space, carrying the formatting of the white space's first
 * character. Pieces are copied with their other fields (their formatting).
 */
export function wrapPieces<T extends TextPiece>(pieces: readonly T[], width: number = LINE_WIDTH): T[][] {
  const normalized = pieces.map((piece) => ({ ...piece, text: piece.text.normalize('NFC') }))
  // Which piece each UTF-16 unit of the joined text comes from.
  const owner: number[] = []
  normalized.forEach((piece, index) => {
    for (let unit = 0; unit < piece.text.length; unit++) owner.push(index)
  })
  const text = normalized.map((piece) => piece.text).join('')
  return breakLines(text, width).map((spans) => {
    const out: T[] = []
    let lastOwner = -1
    const push = (chars: string, piece: number) => {
      const last = out[out.length - 1]
      if (last && lastOwner === piece) last.text += chars
      else out.push({ ...normalized[piece]!, text: chars })
      lastOwner = piece
    }
    spans.forEach(({ start, end }, index) => {
      if (index > 0) push(' ', owner[spans[index - 1]!.end]!)
      for (let unit = start; unit < end; ) {
        let next = unit + 1
        while (next < end && owner[next] === owner[unit]) next++
        push(text.slice(unit, next), owner[unit]!)
        unit = next
      }
    })
    return out
  })
}

/** The plain text of pieces. */
export const textOf = (pieces: readonly TextPiece[]) => pieces.map((piece) => piece.text).join('')
