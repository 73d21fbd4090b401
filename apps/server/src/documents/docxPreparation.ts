import type { ImportWarning } from '@hemicycle/protocol'
import { strFromU8 } from 'fflate'
import { rejectTrackedChanges } from './docxInspection.ts'
import { withoutHiddenText } from './hiddenText.ts'
import { plural } from './importWarnings.ts'
import { readStyles } from './wordStyles.ts'
import { replaceElements } from './wordXml.ts'

/**
 * document.xml as mammoth should read it. mammoth reads a Word file's
 * words, but not always as Word shows them; each step here rewrites one
 * such difference in the XML before mammoth reads it, and says what it
 * changed, so the secretariat reads it before the resolution is created.
 */

/** The package parts the preparation reads, beside document.xml. */
export const PREPARED = (name: string) => name === 'word/styles.xml'

export interface Preparation {
  documentXml: string
  warnings: ImportWarning[]
}

const quoted = (texts: readonly string[]) => {
  const shown = texts.slice(0, 5).map((text) => `"${text.trim().slice(0, 60)}"`)
  return texts.length > shown.length ? `${shown.join(', ')}…` : shown.join(', ')
}

function hiddenTextWarning(hidden: readonly string[]): ImportWarning {
  return {
    code: 'hidden_text',
    count: hidden.length,
    message: `${plural(hidden.length, 'passage of hidden text was', 'passages of hidden text were')} left out (${quoted(hidden)}): Word neither shows nor prints hidden text, so check that the text reads as its author meant.`,
  }
}

/**
 * A carriage return (w:cr) ends a line as a line break does, and an absolute-position tab (w:ptab) is a tab;
 * mammoth reads neither, so the words on either side came out glued ("décideet").
 */
const withBreaksMammothReads = (documentXml: string) => documentXml.replace(/<w:cr\s*\/>/g, '<w:br/>').replace(/<w:ptab\b[^>]*\/>/g, '<w:tab/>')

/**
 * Elements whose runs Word shows but mammoth does not know, and so drops with their words: a simple field
 * (w:fldSimple) shows its last result ("page 7"), a bidirectional embedding or override (w:dir, w:bdo) its
 * text. Each is replaced by what it holds.
 */
const UNREAD_CONTAINERS = ['w:fldSimple', 'w:dir', 'w:bdo']
const withContainersUnwrapped = (documentXml: string): string =>
  UNREAD_CONTAINERS.reduce((xml, name) => replaceElements(xml, name, (element) => withContainersUnwrapped(element.inner)), documentXml)

/** `reject`: the pending tracked changes are to be undone first. */
export function prepareDocument(parts: Record<string, Uint8Array>, { reject }: { reject: boolean }): Preparation {
  const styles = readStyles(parts['word/styles.xml'] ? strFromU8(parts['word/styles.xml']) : undefined)
  const source = strFromU8(parts['word/document.xml']!)
  const { xml, hidden } = withoutHiddenText(reject ? rejectTrackedChanges(source) : source, styles)
  return { documentXml: withBreaksMammothReads(withContainersUnwrapped(xml)), warnings: hidden.length > 0 ? [hiddenTextWarning(hidden)] : [] }
}
