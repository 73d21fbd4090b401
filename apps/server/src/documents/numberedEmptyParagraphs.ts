import { STYLE } from './docxLayout.ts'
import { leadingElement } from './wordXml.ts'
import { rewriteParagraphs, type WordParagraph } from './wordRuns.ts'

/**
 * An empty paragraph Hemicycle numbered, carried through mammoth, which
 * drops every paragraph without words: Hemicycle's own DOCX prints an empty
 * § as its number alone, and reading it back without it numbered every
 * later § one lower, with no warning. A noncharacter (U+FDD3, which Unicode
 * sets aside for a program's own use; U+FDD0 to U+FDD2 carry printed
 * numbers, `printedNumbers.ts`) stands in for the missing words, and the
 * reader of mammoth's HTML makes a paragraph holding it alone an empty one.
 * Empty paragraphs nothing numbered (a file's spacing) are still left out:
 * they number nothing.
 */
export const EMPTY_PARAGRAPH_MARK = '\uFDD3'

/** A § number as Hemicycle prints it in its number style, followed by the tabs that set the text apart. */
const PARAGRAPH_NUMBER = /^§\d+\t*$/

/** Whether a paragraph is one Hemicycle numbered (§) and wrote no words in. */
function numberedAndEmpty({ runs }: WordParagraph): boolean {
  const numbered = runs.filter((run) => run.source.runStyle === STYLE.number && PARAGRAPH_NUMBER.test(run.text))
  return numbered.length === 1 && runs.every((run) => numbered.includes(run) || run.text === '')
}

/** The document with each empty paragraph Hemicycle numbered holding the mark, after its number. */
export const withNumberedEmptyParagraphsMarked = (documentXml: string): string =>
  rewriteParagraphs(documentXml, (paragraph) => {
    const { tag, inner, xml } = paragraph.element
    if (tag.endsWith('/>') || !numberedAndEmpty(paragraph)) return xml
    const at = leadingElement(inner, 'w:pPr')?.end ?? 0
    return `${tag}${inner.slice(0, at)}<w:r><w:t>${EMPTY_PARAGRAPH_MARK}</w:t></w:r>${inner.slice(at)}</w:p>`
  })
