import type { Node as PMNode } from '@tiptap/pm/model'
import { blockIdOf } from './blockId.ts'
import { graphemes } from './graphemes.ts'
import { eachDescendant } from './walk.ts'

/** Printed resolutions wrap at 80 characters; screen, print and exports all cite lines this way. */
export const LINE_WIDTH = 80

/**
 * Where a line may break: ordinary white space. The no-break spaces (U+00A0,
 * U+2007, U+202F) are left out on purpose: French typography puts them in
 * "10 000 euros" and before ":" precisely so that a line never breaks there.
 */
const BREAKABLE = /[\t\n\v\f\r \u0085\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/u

/** Scripts where one UTF-16 unit is one character a reader counts (Latin up to the combining marks). */
const SIMPLE = /^[\u0020-\u02ff]*$/u

/** A reader counts grapheme clusters: "é" typed as e + ◌́, a flag, or 👩‍⚖️ is one character. */
function graphemeEnds(word: string): number[] {
  if (SIMPLE.test(word)) return Array.from({ length: word.length }, (_, i) => i + 1)
  const ends: number[] = []
  for (const { index, segment } of graphemes(word)) ends.push(index + segment.length)
  return ends
}

/** A stretch [start, end) of the text given to `breakLines`. */
export interface Span {
  start: number
  end: number
}

/**
 * Greedy word wrap over text already in NFC: words are separated by breakable
 * white space and joined on a line by one space; a line holds at most
 * `width` characters (grapheme clusters); a word longer than a line is cut
 * between two clusters, never inside one. Each line is the list of word
 * spans it shows, so formatted text can be cut at the same places. Always at
 * least one line, so an empty paragraph still occupies a line.
 */
export function breakLines(text: string, width: number = LINE_WIDTH): Span[][] {
  const lines: Span[][] = []
  let line: Span[] = []
  let used = 0
  const words = new RegExp(BREAKABLE.source, 'gu')
  // Where the next character past SIMPLE is: a word before it is one cluster per unit, with no list of ends to make
  // (numbering 20,000 paragraphs made one per word, 1.1 s). Found again only once a word starts past it.
  const complex = /[^\u0020-\u02ff]/gu
  let nextComplex = -1
  let at = 0
  const place = (start: number, end: number) => {
    if (nextComplex < start) {
      complex.lastIndex = start
      nextComplex = complex.exec(text)?.index ?? text.length
    }
    const ends = nextComplex >= end ? null : graphemeEnds(text.slice(start, end))
    const endAt = (index: number) => (ends === null ? index + 1 : ends[index]!)
    let length = ends === null ? end - start : ends.length
    if (line.length > 0 && used + 1 + length <= width) {
      line.push({ start, end })
      used += 1 + length
      return
    }
    if (line.length > 0) lines.push(line)
    line = []
    let from = 0
    while (length > width) {
      const cut = endAt(from + width - 1)
      const offset = from === 0 ? 0 : endAt(from - 1)
      lines.push([{ start: start + offset, end: start + cut }])
      from += width
      length -= width
    }
    line = [{ start: start + (from === 0 ? 0 : endAt(from - 1)), end }]
    used = length
  }
  for (let match = words.exec(text); match !== null; match = words.exec(text)) {
    if (match.index > at) place(at, match.index)
    at = match.index + match[0].length
  }
  if (text.length > at) place(at, text.length)
  if (line.length > 0 || lines.length === 0) lines.push(line)
  return lines
}

/** The lines of a text as printed: NFC, words joined by one space, no-break spaces kept. */
export function wrapLines(text: string, width: number = LINE_WIDTH): string[] {
  const normalized = text.normalize('NFC')
  return breakLines(normalized, width).map((spans) => spans.map(({ start, end }) => normalized.slice(start, end)).join(' '))
}

export interface NumberedBlock {
  blockId: string | null
  /** The § it belongs to: its own number for a top-level paragraph, otherwise the last one before it (0 before the first). */
  paragraph: number
  /** Whether this block is itself a numbered § (a top-level paragraph). */
  numbered: boolean
  /** First and last line, counted from 1 across the whole document. */
  firstLine: number
  lastLine: number
  text: string
}

/** § numbers count top-level paragraphs (not headings); lines run on through every textblock. */
export function numberBlocks(doc: PMNode, width: number = LINE_WIDTH): NumberedBlock[] {
  const blocks: NumberedBlock[] = []
  let paragraph = 0
  let line = 1
  eachDescendant(doc, (node, _pos, parent) => {
    if (!node.isTextblock) return true
    const numbered = parent === doc && node.type.name === 'paragraph'
    if (numbered) paragraph += 1
    const text = node.textContent.normalize('NFC')
    const count = breakLines(text, width).length
    blocks.push({ blockId: blockIdOf(node), paragraph, numbered, firstLine: line, lastLine: line + count - 1, text })
    line += count
    return false
  })
  return blocks
}
