import type { ImportWarning } from '@hemicycle/protocol'
import { plural, quoted } from './importWarnings.ts'
import { numberingReplay, paragraphList, type PrintedNumber, type WordNumbering } from './wordNumbering.ts'
import { rewriteParagraphs, withLeadingRun } from './wordRuns.ts'
import type { WordStyles } from './wordStyles.ts'

/**
 * The number Word prints before a paragraph, carried through mammoth,
 * which drops it: written into the paragraph as its first run, between
 * noncharacters (U+FDD0 to U+FDD2, which Unicode sets aside for a
 * program's own use and no text holds), and taken out again by the reader
 * of mammoth's HTML, which gives a list the numbers Word printed or says
 * which it could not.
 */
const MARK = /\uFDD0([^\uFDD0-\uFDD2]*)\uFDD1(-?\d*)\uFDD2/g

/** The text that carries a printed number through mammoth. */
const numberMark = ({ label, value }: Pick<PrintedNumber, 'label' | 'value'>) => `\uFDD0${label.replace(/[\uFDD0-\uFDD2]/g, '')}\uFDD1${value ?? ''}\uFDD2`

/** A text without the number marks it carries, and the numbers they carried. */
export function takeNumberMarks(text: string): { text: string; numbers: Array<Pick<PrintedNumber, 'label' | 'value'>> } {
  const numbers: Array<Pick<PrintedNumber, 'label' | 'value'>> = []
  const rest = text.replace(MARK, (_, label: string, value: string) => {
    numbers.push({ label, value: value === '' ? undefined : Number(value) })
    return ''
  })
  return { text: rest, numbers }
}

/**
 * The document with the number Word prints before each numbered paragraph marked in it. Every numbered
 * paragraph counts, in order; a bullet carries nothing (a bullet is a bullet), nor does a paragraph without
 * words, which mammoth leaves out, nor one whose mark is deleted, which is joined to the next and not
 * numbered on its own.
 */
export function withNumberMarks(documentXml: string, numbering: WordNumbering, styles: WordStyles): string {
  const replay = numberingReplay(numbering, styles)
  return rewriteParagraphs(documentXml, (paragraph) => {
    if (/<w:del\b/.test(paragraph.mark.properties)) return paragraph.element.xml
    const list = paragraphList(numbering, styles, paragraph.properties, paragraph.style)
    const printed = list && replay(list)
    const worded = paragraph.runs.some((run) => run.text.length > 0)
    return printed && !printed.bullet && worded && !paragraph.element.tag.endsWith('/>') ? withLeadingRun(paragraph, numberMark(printed)) : paragraph.element.xml
  })
}

/** The numbers Word prints that the text does not print as they are: a heading's "Article 1 –", a list's "a)". */
export function listNumbersWarning(labels: readonly string[]): ImportWarning {
  return {
    code: 'list_numbers',
    count: labels.length,
    message: `${plural(labels.length, 'number Word prints before a paragraph is', 'numbers Word prints before paragraphs are')} not kept as printed (${quoted(labels.map((label) => label || '(none)'))}): a resolution numbers its lists 1., 2., 3. and its headings not at all, so check what refers to them.`,
  }
}
