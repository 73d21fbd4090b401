import { plainText, type Run } from './inline.ts'

/**
 * Where a star or an underscore may open or close emphasis: beside a
 * non-space on at least one side ("a * b" is a star, never a mark), and,
 * for an underscore, not inside a word ("snake_case": CommonMark never
 * reads that one as a mark either).
 */
const STAR = /(?<=\S)\*|\*(?=\S)/gu
const UNDERSCORE = /(?<![\p{L}\p{N}])_(?=\S)|(?<=\S)_(?![\p{L}\p{N}])/gu

/** The ways to write a literal star or underscore on purpose: an escape, or a character reference. */
const ESCAPED_STAR = /\\\*|&(?:ast|midast|#0*42|#[xX]0*2[aA]);/g
const ESCAPED_UNDERSCORE = /\\_|&(?:lowbar|UnderBar|#0*95|#[xX]0*5[fF]);/g

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0

/**
 * Whether Markdown read as words some of the stars or underscores meant as
 * bold or italic ("*L'*Alliance", "_Conseil_s", "***x**": their marks do
 * not pair up): more of them stand where a mark could, in the words read
 * from `markdown`, than its writer escaped. Those marks would go as written
 * into the text, and the adopted text.
 */
export function keepsUnpairedMarks(markdown: string, wording: readonly (readonly Run[])[]): boolean {
  return unpairedMarks(markdown, wording.map(plainText).join('\n')) > 0
}

/** How many stars and underscores standing where a mark could are in `words` (read from `markdown`) beyond those escaped. */
export function unpairedMarks(markdown: string, words: string): number {
  return Math.max(0, count(words, STAR) - count(markdown, ESCAPED_STAR)) + Math.max(0, count(words, UNDERSCORE) - count(markdown, ESCAPED_UNDERSCORE))
}
