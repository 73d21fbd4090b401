import type { Node as PMNode } from '@tiptap/pm/model'
import { blockIdOf } from './blockId.ts'
import { eachDescendant } from './walk.ts'

/** Printed resolutions wrap at 80 characters; screen, print and exports all cite lines this way. */
export const LINE_WIDTH = 80

/**
 * Greedy word wrap: words are separated by single spaces, a line holds at
 * most `width` characters, and a word longer than a line is cut. Always at
 * least one line, so an empty paragraph still occupies a line.
 */
export function wrapLines(text: string, width: number = LINE_WIDTH): string[] {
  const words = text.split(/\s+/).filter((word) => word.length > 0)
  const lines: string[] = []
  let current = ''
  for (let word of words) {
    if (current.length > 0 && current.length + 1 + word.length <= width) {
      current += ` ${word}`
      continue
    }
    if (current.length > 0) lines.push(current)
    while (word.length > width) {
      lines.push(word.slice(0, width))
      word = word.slice(width)
    }
    current = word
  }
  if (current.length > 0 || lines.length === 0) lines.push(current)
  return lines
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
    const text = node.textContent
    const count = wrapLines(text, width).length
    blocks.push({ blockId: blockIdOf(node), paragraph, numbered, firstLine: line, lastLine: line + count - 1, text })
    line += count
    return false
  })
  return blocks
}
