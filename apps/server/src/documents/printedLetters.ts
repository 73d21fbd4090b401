import { type ImportWarning, Language } from '@hemicycle/protocol'
import { plural, quoted } from './importWarnings.ts'
import { passages, rewriteParagraphs, rewriteRuns, type WordParagraph, type WordRun } from './wordRuns.ts'
import { runProperty, type WordStyles } from './wordStyles.ts'
import { decodeXml, escapeXml, onOff, propertyValue } from './wordXml.ts'

/**
 * Formatting that changes the characters Word prints, not only their look,
 * which mammoth drops. Words set in all caps (w:caps, on the run or by a
 * style) are printed in capitals, "Le Conseil CONDAMNE ces actes", and come
 * in as printed. A superscript or subscript set on the line reads as
 * another text ("10" and a superscript "6" read "106"): digits and signs
 * come in as the superscript and subscript characters ("10⁶", "CO₂"), an
 * ordinal's ending ("1er", "XXIe", "2nd") as it reads on the line, and
 * anything else is kept on the line and said.
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

type Script = 'superscript' | 'subscript'

const SCRIPT_CHARACTERS: Record<Script, Record<string, string>> = {
  superscript: { 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾' },
  subscript: { 0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎' },
}

/** Raised endings that read the same on the line: ordinals ("1er", "2e", "XXIe", "1st", "nº") and French titles ("Mme", "Mlle"). */
const ON_THE_LINE = new Set(['er', 're', 'e', 'ème', 'eme', 'ers', 'res', 'es', 'èmes', 'o', 'a', 'os', 'as', 'º', 'ª', 'st', 'nd', 'rd', 'th', 'me', 'mes', 'lle', 'lles'])

const scriptOf = (styles: WordStyles, run: WordRun): Script | undefined => {
  const alignment = runProperty(styles, run.source, (properties) => propertyValue(properties, 'w:vertAlign'))
  return alignment === 'superscript' || alignment === 'subscript' ? alignment : undefined
}

/** A paragraph with its raised and lowered digits in their own characters; what is neither those nor an ordinal's ending goes to `unkept`, after the word it follows. */
function withScriptsIn(paragraph: WordParagraph, styles: WordStyles, unkept: string[]): string {
  const converted = new Map<WordRun, Record<string, string>>()
  for (const passage of passages(paragraph.runs, (run) => (run.text.length > 0 ? scriptOf(styles, run) : undefined))) {
    const characters = SCRIPT_CHARACTERS[passage.key]
    if ([...passage.text].every((character) => character in characters || /\s/.test(character))) for (const run of passage.runs) converted.set(run, characters)
    else if (passage.key === 'subscript' || !ON_THE_LINE.has(passage.text.trim().toLowerCase())) {
      const before = paragraph.runs.slice(0, paragraph.runs.indexOf(passage.runs[0]!)).map((run) => run.text).join('')
      unkept.push(`${/\S*$/.exec(before)![0]}${passage.key === 'superscript' ? '^' : '_'}${passage.text}`)
    }
  }
  return rewriteRuns(paragraph, (run) => {
    const characters = converted.get(run)
    return characters ? withText(run, (text) => [...text].map((character) => characters[character] ?? character).join('')) : undefined
  })
}

export function withScripts(documentXml: string, styles: WordStyles): { xml: string; unkept: string[] } {
  const unkept: string[] = []
  return { xml: rewriteParagraphs(documentXml, (paragraph) => withScriptsIn(paragraph, styles, unkept)), unkept }
}

export function scriptsWarning(unkept: readonly string[]): ImportWarning {
  return {
    code: 'superscripts',
    count: unkept.length,
    message: `${plural(unkept.length, 'superscript or subscript was', 'superscripts or subscripts were')} set on the line (${quoted(unkept)}, ^ marking a superscript, _ a subscript): check that each still reads as meant.`,
  }
}
