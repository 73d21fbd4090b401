import type { ImportWarning } from '@hemicycle/protocol'
import { plural, quoted } from './importWarnings.ts'
import { passages, rewriteParagraphs, rewriteRuns, type WordParagraph, type WordRun } from './wordRuns.ts'
import { runProperty, type RunSource, type WordStyles } from './wordStyles.ts'
import { elements, onOff } from './wordXml.ts'

/**
 * Hidden text (w:vanish, set on the run or by a style) is neither shown nor
 * printed by Word, yet mammoth reads it as any other: "Le Conseil ne
 * soutient pas" on the page whose hidden words were "ne" and "pas" would
 * come in as the opposite of what the author printed. It is taken out
 * before mammoth reads the document, and what was taken is said.
 */

/** Whether Word hides a run (or a paragraph mark). */
export const isHidden = (styles: WordStyles, source: RunSource) => runProperty(styles, source, (properties) => onOff(properties, 'w:vanish')) === true

/** A hidden run, gone; its field characters stay, so that a field it begins or ends still reads as one. */
const withoutText = (run: WordRun) => {
  const fieldCharacters = elements(run.element.inner, 'w:fldChar').map((element) => element.xml)
  return fieldCharacters.length > 0 ? `<w:r>${fieldCharacters.join('')}</w:r>` : ''
}

function withoutHiddenRuns(paragraph: WordParagraph, styles: WordStyles, found: string[]): string {
  const hidden = (run: WordRun) => isHidden(styles, run.source)
  found.push(...passages(paragraph.runs, (run) => (hidden(run) ? true : undefined)).map((passage) => passage.text).filter((text) => text.trim().length > 0))
  // A paragraph hidden mark and all (how Word hides a whole paragraph) goes altogether, leaving no empty list item behind.
  const shown = paragraph.runs.filter((run) => !hidden(run) && run.text.length > 0)
  if (shown.length === 0 && paragraph.runs.some(hidden) && isHidden(styles, paragraph.mark)) return ''
  return rewriteRuns(paragraph, (run) => (hidden(run) ? withoutText(run) : undefined))
}

/** The document without its hidden text, and the hidden passages taken out. */
export function withoutHiddenText(documentXml: string, styles: WordStyles): { xml: string; hidden: string[] } {
  const hidden: string[] = []
  const xml = rewriteParagraphs(documentXml, (paragraph) => (paragraph.runs.length > 0 ? withoutHiddenRuns(paragraph, styles, hidden) : paragraph.element.xml))
  return { xml, hidden }
}

export function hiddenTextWarning(hidden: readonly string[]): ImportWarning {
  return {
    code: 'hidden_text',
    count: hidden.length,
    message: `${plural(hidden.length, 'passage of hidden text was', 'passages of hidden text were')} left out (${quoted(hidden)}): Word neither shows nor prints hidden text, so check that the text reads as its author meant.`,
  }
}
