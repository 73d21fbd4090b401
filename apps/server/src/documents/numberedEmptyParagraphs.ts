import { STYLE } from './docxLayout.ts'
import { rewriteParagraphs, withLeadingRun, type WordParagraph, type WordRun } from './wordRuns.ts'

/**
 * An empty paragraph Hemicycle numbered, carried through mammoth, which
 * drops every paragraph without words: Hemicycle's own DOCX prints an empty
 * § as its number alone, and reading it back without it numbered every
 * later § one lower, with no warning. A noncharacter (U+FDD3, which Unicode
 * sets aside for a program's own use; U+FDD0 to U+FDD2 carry printed
 * numbers, `printedNumbers.ts`) stands in for the missing words, and the
 * reader of mammoth's HTML makes a paragraph holding it alone an empty one.
 * So is an empty item of a Word list (Hemicycle's own, or any file's),
 * whose number Word prints. Empty paragraphs nothing numbered (a file's
 * spacing) are still left out: they number nothing.
 */
export const EMPTY_PARAGRAPH_MARK = '\uFDD3'

/** A § number as Hemicycle prints it in its number style ("§4", or "§4a" added after §4 while numbers are frozen), followed by the tabs that set the text apart. */
const PARAGRAPH_NUMBER = /^§\d+[a-z]*\t*$/

/** What a run shows once its tracked deletions are accepted (rejected ones were turned back into text before): its w:t, or nothing. */
const shown = (run: WordRun) => (/<w:t(?:\s[^>]*)?>/.test(run.element.inner) ? run.text : '')

/** Whether a run shows something other than text mammoth reads as words (a symbol, a hyphen Word prints). */
const printsOtherwise = (run: WordRun) => /<w:(?:sym|noBreakHyphen|softHyphen)\b/.test(run.element.inner)

/**
 * Whether a paragraph is one Hemicycle numbered (§) and wrote no words in: its § run, and nothing else shown. Not one
 * whose mark is deleted: mammoth joins it to the next paragraph, as Word does once the deletion is accepted.
 */
function numberedAndEmpty({ runs, mark, properties }: WordParagraph): boolean {
  if (/<w:del\b/.test(mark.properties)) return false
  const numbered = runs.filter((run) => run.source.runStyle === STYLE.number && PARAGRAPH_NUMBER.test(shown(run)))
  const empty = runs.every((run) => numbered.includes(run) || (shown(run) === '' && !printsOtherwise(run)))
  // An empty item of a Word list: Word prints its number, and the items after it count it.
  return empty && (numbered.length === 1 || (numbered.length === 0 && inWordList(properties)))
}

/** Whether a paragraph's own properties put it in a Word list (a w:numId other than 0, which says none). */
const inWordList = (properties: string) => /<w:numPr\b[\s\S]*?<w:numId\s+w:val="(?!0")[^"]+"/.test(properties)

/** The document with each empty paragraph Hemicycle numbered holding the mark, after its number. */
export const withNumberedEmptyParagraphsMarked = (documentXml: string): string =>
  rewriteParagraphs(documentXml, (paragraph) => (paragraph.element.tag.endsWith('/>') || !numberedAndEmpty(paragraph) ? paragraph.element.xml : withLeadingRun(paragraph, EMPTY_PARAGRAPH_MARK)))
