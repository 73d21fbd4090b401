import { Language } from '@hemicycle/protocol'
import { rewriteParagraphs, rewriteRuns, type WordRun } from './wordRuns.ts'
import { runProperty, type WordStyles } from './wordStyles.ts'
import { decodeXml, escapeXml, onOff } from './wordXml.ts'

/**
 * Formatting that changes the characters Word prints, not only their look,
 * which mammoth drops: words set in all caps (w:caps, on the run or by a
 * style) are printed in capitals, "Le Conseil CONDAMNE ces actes", and come
 * in as printed.
 */

/** A run's text (w:t, and w:delText should a deletion be rejected) rewritten by `change`. */
const withText = (run: WordRun, change: (text: string) => string) =>
  run.element.xml.replace(/(<w:(t|delText)(?:\s[^>]*)?>)([^<]*)(<\/w:\2>)/g, (_, open: string, _name: string, text: string, close: string) => `${open}${escapeXml(change(decodeXml(text)))}${close}`)

/** Capitals as the alliance's languages write them (French, English and Spanish agree: only a few languages, such as Turkish, differ). */
const capitals = (text: string) => text.toLocaleUpperCase([...Language.options])

export function withCapitals(documentXml: string, styles: WordStyles): string {
  const inCapitals = (run: WordRun) => runProperty(styles, run.source, (properties) => onOff(properties, 'w:caps')) === true
  return rewriteParagraphs(documentXml, (paragraph) => rewriteRuns(paragraph, (run) => (run.text.length > 0 && inCapitals(run) ? withText(run, capitals) : undefined)))
}
