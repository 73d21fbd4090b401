import fc from 'fast-check'
import { wrapLines } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { textOf, wrapPieces } from './lines.ts'

interface Piece {
  text: string
  bold?: true
}

const piece = fc.record({
  text: fc.stringMatching(/^[a-zéà ,.\n\u00a0]{0,30}$/),
  bold: fc.option(fc.constant(true as const), { nil: undefined }),
})

describe('wrapPieces', () => {
  it('breaks formatted text exactly where the numbering breaks its plain text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 5, max: 90 }), (pieces, width) => {
        const lines = wrapPieces(pieces, width)
        expect(lines.map(textOf)).toEqual(wrapLines(textOf(pieces), width))
      }),
    )
  })

  it('keeps each word’s formatting', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 5, max: 90 }), (pieces: Piece[], width) => {
        const boldChars = (list: Piece[]) => list.flatMap((p) => [...p.text].filter((char) => !/\s/.test(char)).map((char) => `${char}${p.bold ? '*' : ''}`))
        expect(wrapPieces(pieces, width).flatMap(boldChars)).toEqual(boldChars(pieces))
      }),
    )
  })

  it('cuts a bold word longer than a line, and gives an empty text one empty line', () => {
    expect(wrapPieces([{ text: 'ab ' }, { text: 'cdefgh', bold: true }], 4)).toEqual([[{ text: 'ab' }], [{ text: 'cdef', bold: true }], [{ text: 'gh', bold: true }]])
    expect(wrapPieces([], 80)).toEqual([[]])
  })
})
