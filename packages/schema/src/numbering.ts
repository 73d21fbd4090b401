import type { Node as PMNode } from '@tiptap/pm/model'
import { blockIdOf, sourceIdOf } from './blockId.ts'
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
  /** First and last line, counted from 1 across the whole document (under a frozen numbering, the number each label starts with). */
  firstLine: number
  lastLine: number
  /** The § as cited: "4"; under a frozen numbering "4a" for a paragraph added after §4 since (a block belonging to it cites it too). */
  label: string
  /** Each of its lines' number as cited: "12"; under a frozen numbering "14a" for a line past the lines it had when frozen, or of a block added since. */
  lineLabels: string[]
  text: string
}

/**
 * Where each block stood when amendments opened, by block id: its § and its
 * first line. The contract freezes § and line numbers then and keeps them
 * through consolidation, so that "A2 · §4, line 12" on a card, the screen's
 * margin, the print view and every export point at the same words while
 * decisions add, remove and lengthen paragraphs.
 */
export type FrozenNumbering = Readonly<Record<string, { readonly paragraph: number; readonly line: number }>>

/** 1 → "a", 26 → "z", 27 → "aa": the suffix of the n-th § or line added after a frozen one. */
export function addedSuffix(n: number): string {
  let suffix = ''
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) suffix = String.fromCharCode(97 + ((rest - 1) % 26)) + suffix
  return suffix
}

/**
 * § numbers count top-level paragraphs (not headings); lines run on through
 * every textblock. With `frozen`, each block found in it keeps its § and its
 * first line; what was added since takes the number before it and a letter
 * (§4a, §4b after §4; lines 14a, 14b after line 14, also for a frozen
 * paragraph grown past its lines), so no citation names two places and no
 * frozen one moves (an added block's letter is its place among those added
 * there: one added before it moves it from 4a to 4b). A copy of a frozen block (its id seen before), and a heading or a
 * list item made a paragraph since, count as added.
 *
 * `by: 'source'` numbers a language version: its blocks are found in the
 * freeze by the original's block each translates (`sourceId`), so every
 * language cites the same §; its lines are its own, counted as it stands.
 */
export function numberBlocks(doc: PMNode, width: number = LINE_WIDTH, frozen: FrozenNumbering | null = null, by: 'block' | 'source' = 'block'): NumberedBlock[] {
  return frozen === null ? liveNumbers(doc, width) : frozenNumbers(doc, width, readFreeze(frozen), by)
}

function liveNumbers(doc: PMNode, width: number): NumberedBlock[] {
  const blocks: NumberedBlock[] = []
  let paragraph = 0
  let line = 1
  eachDescendant(doc, (node, _pos, parent) => {
    if (!node.isTextblock) return true
    const numbered = parent === doc && node.type.name === 'paragraph'
    if (numbered) paragraph += 1
    const text = node.textContent.normalize('NFC')
    const count = breakLines(text, width).length
    const lineLabels: string[] = []
    for (let index = 0; index < count; index += 1) lineLabels.push(String(line + index))
    blocks.push({ blockId: blockIdOf(node), paragraph, numbered, firstLine: line, lastLine: line + count - 1, label: String(paragraph), lineLabels, text })
    line += count
    return false
  })
  return blocks
}

/** The key of the freeze's end: the line after its last. No block has it (`blockIdOf` reads an empty id as none). */
const FREEZE_END = ''

interface FrozenBlock {
  paragraph: number
  line: number
  /** Its last line then: the line before the next block's first (open-ended for the last block of a freeze without an end). */
  last: number
  /** Whether it was a numbered § then (the first block of its §), not a heading or a list item belonging to one. */
  numbered: boolean
}

/** Each freeze read once (the margin numbers the text at every keystroke): entries that are no numbers are left out. */
const readFreezes = new WeakMap<FrozenNumbering, Map<string, FrozenBlock>>()

function readFreeze(frozen: FrozenNumbering): Map<string, FrozenBlock> {
  const known = readFreezes.get(frozen)
  if (known) return known
  const entries = Object.entries(frozen).filter(
    ([, entry]) => typeof entry === 'object' && entry !== null && Number.isSafeInteger(entry.paragraph) && Number.isSafeInteger(entry.line),
  )
  entries.sort(([, a], [, b]) => a.line - b.line)
  const blocks = new Map<string, FrozenBlock>()
  const numberedSeen = new Set<number>()
  let next = Infinity
  const lasts: number[] = []
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const { line } = entries[index]![1]
    lasts[index] = Math.max(line, next - 1)
    if (line < next) next = line
  }
  entries.forEach(([id, { paragraph, line }], index) => {
    if (id === FREEZE_END) return
    const numbered = paragraph >= 1 && !numberedSeen.has(paragraph)
    numberedSeen.add(paragraph)
    blocks.set(id, { paragraph, line, last: lasts[index]!, numbered })
  })
  readFreezes.set(frozen, blocks)
  return blocks
}

function frozenNumbers(doc: PMNode, width: number, frozen: ReadonlyMap<string, FrozenBlock>, by: 'block' | 'source'): NumberedBlock[] {
  const blocks: NumberedBlock[] = []
  const seen = new Set<string>()
  // How many §s and lines have been added after each frozen number: a suffix is never given twice, even when a frozen block moved.
  const addedParagraphs = new Map<number, number>()
  const addedLines = new Map<number, number>()
  const added = (counts: Map<number, number>, base: number) => {
    const n = (counts.get(base) ?? 0) + 1
    counts.set(base, n)
    return `${base}${addedSuffix(n)}`
  }
  let paragraph = 0
  let label = '0'
  // The line numbers go on from: past the end of a freeze that has none recorded, lines are counted on plainly.
  let lineBase = 0
  let open = false
  let ownLine = 1
  eachDescendant(doc, (node, _pos, parent) => {
    if (!node.isTextblock) return true
    const numbered = parent === doc && node.type.name === 'paragraph'
    const key = by === 'block' ? blockIdOf(node) : sourceIdOf(node)
    const at = key !== null && !seen.has(key) ? frozen.get(key) : undefined
    if (key !== null) seen.add(key)
    const text = node.textContent.normalize('NFC')
    const count = breakLines(text, width).length
    if (numbered && at?.numbered) {
      paragraph = at.paragraph
      label = String(at.paragraph)
    } else if (numbered) label = added(addedParagraphs, paragraph)
    const lineLabels: string[] = []
    if (by === 'source') for (let index = 0; index < count; index += 1) lineLabels.push(String(ownLine++))
    else if (at) {
      open = at.last === Infinity
      lineBase = open ? at.line + count - 1 : at.last
      for (let index = 0; index < count; index += 1) lineLabels.push(at.line + index <= at.last ? String(at.line + index) : added(addedLines, at.last))
    } else for (let index = 0; index < count; index += 1) lineLabels.push(open ? String((lineBase += 1)) : added(addedLines, lineBase))
    blocks.push({ blockId: blockIdOf(node), paragraph, numbered, firstLine: parseInt(lineLabels[0]!, 10), lastLine: parseInt(lineLabels.at(-1)!, 10), label, lineLabels, text })
    return false
  })
  return blocks
}

/**
 * The numbering to freeze when amendments open: each block's § and first
 * line, as `numberBlocks` counts them now, and under the empty key the line
 * after the last, so that the last paragraph's lines are known too.
 */
export function freezeNumbering(doc: PMNode, width: number = LINE_WIDTH): Record<string, { paragraph: number; line: number }> {
  // Without a prototype: an id "__proto__" is an entry like any other.
  const frozen: Record<string, { paragraph: number; line: number }> = Object.create(null) as Record<string, { paragraph: number; line: number }>
  let end = 1
  for (const block of liveNumbers(doc, width)) {
    if (block.blockId !== null && !Object.hasOwn(frozen, block.blockId)) frozen[block.blockId] = { paragraph: block.paragraph, line: block.firstLine }
    end = block.lastLine + 1
  }
  frozen[FREEZE_END] = { paragraph: 0, line: end }
  return frozen
}
