import type { ImportWarning } from '@hemicycle/protocol'
import { plural, quoted } from './importWarnings.ts'
import { STYLE_NAME } from './docxLayout.ts'
import { styleOf } from './wordStyles.ts'
import { decodeXml, elements, leadingElement, replaceElements } from './wordXml.ts'

/**
 * The last check of a Word import: no word of the file goes missing without
 * a word said. mammoth leaves out, silently, what it does not know (ruby's
 * words did, equations do, and so would whatever a later Word writes), and
 * the reading after it sets some paragraphs aside. Each step that leaves
 * something out on purpose says so in its own warning; this one counts the
 * words Word shows in the document as it was given to mammoth against the
 * words that came out, and says which are short: a warning that should
 * never be seen, and if it is, names the words.
 */

/**
 * What of document.xml is read: each w:t's text, and the elements that stand for a character or a gap between
 * words (a tab, a break, a non-breaking hyphen, a symbol; a paragraph's or a cell's start and end), not inside one.
 * Nothing else: deleted text (w:delText), field codes (w:instrText) and equations (m:t) are not shown as words.
 */
const SHOWN = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<v:textpath\b[^>]*?\sstring="([^"]*)"[^>]*>|<w:(?:tab|br|cr|ptab|noBreakHyphen|sym|p|tc|tr)\b[^>]*>|<\/w:(?:p|tc|tr)>/g

/**
 * The words as compared: compatibility forms folded (ligatures, superscript
 * digits), invisible format characters (a soft hyphen inside a word) taken
 * out, case folded (Word's all caps), then cut at everything that is not a
 * letter, digit or combining mark.
 */
export function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((word) => word.length > 0)
}

const JOIN = '\uE000'
const JOINED = /\uE000(?:\s*<w:p\b[^>]*>)?/g

/** Whether a paragraph's mark is deleted (in its w:pPr's w:rPr, self-closing): it joins the next paragraph. */
function markDeleted(paragraphInner: string): boolean {
  const properties = leadingElement(paragraphInner, 'w:pPr')
  const mark = properties ? elements(properties.inner, 'w:rPr')[0] : undefined
  return mark !== undefined && /<w:del\b[^>]*\/>/.test(mark.inner)
}

const NUMBER_MARK = /\uFDD0[^\uFDD0-\uFDD2]*\uFDD1-?\d*\uFDD2/g

/**
 * The ids of the styles whose text the reading leaves out by design (`DOCX_STYLE_MAP`): the §, line and marker
 * numbers Hemicycle prints (the numbering puts them back) and its notes.
 */
export function styleIdsLeftOut(stylesXml: string | undefined): Set<string> {
  const names = new Set<string>([STYLE_NAME.number, STYLE_NAME.note])
  const ids = new Set<string>()
  for (const style of elements(stylesXml ?? '', 'w:style')) {
    const name = /<w:name\s+w:val="([^"]*)"/.exec(style.inner)?.[1]
    const id = /w:styleId="([^"]*)"/.exec(style.tag)?.[1]
    if (name !== undefined && id !== undefined && names.has(decodeXml(name))) ids.add(decodeXml(id))
  }
  return ids
}

/** Runs or paragraphs (`name`) styled with one of `ids` taken out. */
const withoutStyled = (xml: string, name: 'w:r' | 'w:p', ids: ReadonlySet<string>) =>
  replaceElements(xml, name, (element) => {
    const properties = leadingElement(element.inner, name === 'w:r' ? 'w:rPr' : 'w:pPr')
    const style = properties ? styleOf(properties.inner, name === 'w:r' ? 'w:rStyle' : 'w:pStyle') : undefined
    return style !== undefined && ids.has(style) ? '' : element.xml
  })

/** The text Word shows in document.xml's body, paragraphs apart: its w:t runs, with what mammoth reads in a choice of alternatives (the fallback). */
export function shownText(documentXml: string, leftOut: ReadonlySet<string> = new Set()): string {
  // mammoth reads mc:Fallback (a text box's VML); mc:Choice holds the same words again, for newer readers. It reads
  // neither deleted text (w:del, w:moveFrom: changes accepted; rejecting them has unwrapped them by now) nor a check
  // box's glyph (it writes a box of its own).
  // Text written as CDATA, which mammoth drops, is text all the same.
  const plain = documentXml.includes('<![CDATA[') ? documentXml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')) : documentXml
  const pending = ['mc:Choice', 'w:del', 'w:moveFrom'].reduce((xml, name) => replaceElements(xml, name, (element) => (element.tag.endsWith('/>') ? element.xml : '')), plain)
  const boxes = replaceElements(pending, 'w:sdt', (element) => (/<w14:checkbox\b/.test(element.inner) ? '' : element.xml))
  // A paragraph whose mark is deleted runs on into the next, as Word shows it ("par" + "Entrée": "parEntrée").
  const joined = replaceElements(boxes, 'w:p', (element) => (markDeleted(element.inner) ? `${element.tag}${element.inner}${JOIN}` : element.xml)).replace(JOINED, '')
  const read = leftOut.size === 0 ? joined : withoutStyled(withoutStyled(joined, 'w:p', leftOut), 'w:r', leftOut)
  let text = ''
  // A Fontwork shape's (WordArt's) words are in its path's string, which mammoth does not read.
  for (const [, shown, path] of read.matchAll(SHOWN)) text += shown !== undefined ? decodeXml(shown) : path !== undefined ? ` ${decodeXml(path)} ` : ' '

  // The numbers Word prints before list paragraphs, marked for the reading (`printedNumbers.ts`): the list's numbering, or said apart.
  return text.replace(NUMBER_MARK, ' ')
}

/** The words of `expected` that `found` lacks, each as many times as it is short, in the order first met. */
export function missingWords(expected: readonly string[], found: readonly string[]): string[] {
  const available = new Map<string, number>()
  for (const word of found) available.set(word, (available.get(word) ?? 0) + 1)
  const missing: string[] = []
  for (const word of expected) {
    const left = available.get(word) ?? 0
    if (left > 0) available.set(word, left - 1)
    else missing.push(word)
  }
  return missing
}

const QUOTED = 12

/** The warning for the words of the file that did not come in, or null when none is missing. */
export function unreadWordsWarning(documentXml: string, stylesXml: string | undefined, read: readonly string[]): ImportWarning | null {
  const missing = missingWords(words(shownText(documentXml, styleIdsLeftOut(stylesXml))), read.flatMap(words))
  if (missing.length === 0) return null
  const distinct = [...new Set(missing)]
  const shown = distinct.slice(0, QUOTED)
  return {
    code: 'unread_text',
    count: missing.length,
    message: `${plural(missing.length, 'word of the file is', 'words of the file are')} not in the text (${quoted(shown)}${distinct.length > shown.length ? ', …' : ''}): Hemicycle could not read where ${missing.length === 1 ? 'it stands' : 'they stand'}. Compare with the file in Word before creating the resolution.`,
  }
}
