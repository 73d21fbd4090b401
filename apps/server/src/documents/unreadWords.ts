import type { ImportWarning } from '@hemicycle/protocol'
import { plural, quoted } from './importWarnings.ts'
import { STYLE_NAME } from './docxLayout.ts'
import { joinsParagraphs } from './dropCaps.ts'
import { styleOf } from './wordStyles.ts'
import { decodeXml, elements } from './wordXml.ts'

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

/**
 * What of document.xml is read, in one pass: each w:t's text, a Fontwork shape's (WordArt's) words, which are in its
 * path's string, and the elements that stand for a character or a gap between words (a tab, a break, a non-breaking
 * hyphen, a symbol; a paragraph's or a cell's start and end), not inside one. And the elements whose words are not read,
 * or are read otherwise. Nothing else: deleted text (w:delText), field codes (w:instrText) and equations (m:t) are not
 * shown as words.
 */
const TOKEN =
  /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<v:textpath\b[^>]*?\sstring="([^"]*)"[^>]*>|<(\/?)(mc:Choice|w:del|w:moveFrom|w:sdt|w:p|w:r)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>|<w:(?:tab|br|cr|ptab|noBreakHyphen|sym|tc|tr)\b[^>]*>|<\/w:(?:tc|tr)>/g

const opening = (name: string) => new RegExp(`\\s*<${name}(?=[\\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>`, 'y')
const OPENING = { 'w:pPr': opening('w:pPr'), 'w:rPr': opening('w:rPr'), 'w:sdtPr': opening('w:sdtPr') }

/**
 * The properties that open an element at `from` (w:pPr of a paragraph, w:rPr of a run, w:sdtPr of a content control),
 * as far as their former ones (a revision's w:pPrChange, w:rPrChange), which are not what Word shows.
 */
function openingProperties(xml: string, from: number, name: keyof typeof OPENING): string {
  const opening = OPENING[name]
  opening.lastIndex = from
  const tag = opening.exec(xml)
  if (!tag || tag[1] === '/') return ''
  const end = xml.indexOf(`</${name}>`, from)
  const properties = xml.slice(from, end < 0 ? xml.length : end)
  const former = properties.search(/<w:(?:pPrChange|rPrChange)\b/)
  return former < 0 ? properties : properties.slice(0, former)
}

/** The text Word shows in document.xml's body, paragraphs apart: its w:t runs, with what mammoth reads in a choice of alternatives (the fallback). */
export function shownText(documentXml: string, leftOut: ReadonlySet<string> = new Set()): string {
  // Text written as CDATA, which mammoth drops, is text all the same.
  const xml = documentXml.includes('<![CDATA[') ? documentXml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')) : documentXml
  /** An element whose words are not read, while inside it: its name, and how deep the same name is nested in it. */
  let skipped: { name: string; depth: number } | null = null
  /** For each paragraph open, whether its mark is deleted: it runs on into the next, as Word shows it ("par" + "Entrée": "parEntrée"). */
  const marksDeleted: boolean[] = []
  let joining = false
  let joinedAt = 0
  let text = ''
  for (const match of xml.matchAll(TOKEN)) {
    const [whole, shown, path, closing, name, selfClosing] = match
    const after = match.index + whole.length
    if (skipped) {
      if (name === skipped.name && !selfClosing) skipped.depth += closing ? -1 : 1
      if (skipped.depth === 0) skipped = null
      continue
    }
    const joined = joining && name === 'w:p' && !closing && joinsParagraphs(xml.slice(joinedAt, match.index))
    // A content control's opening may stand between the paragraphs a deleted mark joins, bookmarks too (`joinsParagraphs`).
    joining = joining && name === 'w:sdt' && !closing && !selfClosing
    if (name !== undefined && !closing && !selfClosing && skips(name, xml, after, leftOut)) {
      skipped = { name, depth: 1 }
      continue
    }
    if (name === 'w:p') {
      if (closing) {
        joining = marksDeleted.pop() === true
        joinedAt = after
        if (joining) continue
      } else {
        if (!selfClosing) marksDeleted.push(/<w:rPr\b[\s\S]*<w:del\b[^>]*\/>/.test(openingProperties(xml, after, 'w:pPr')))
        if (joined) continue
      }
    }
    if (name !== undefined && name !== 'w:p') continue
    text += shown !== undefined ? decodeXml(shown) : path !== undefined ? ` ${decodeXml(path)} ` : ' '
  }
  // The numbers Word prints before list paragraphs, marked for the reading (`printedNumbers.ts`): the list's numbering, or said apart.
  return text.replace(NUMBER_MARK, ' ')
}

/**
 * Whether the element opening at `from` is one whose words mammoth does not read or reads otherwise: an alternative for
 * newer readers (mc:Choice; it reads mc:Fallback, a text box's VML, which holds the same words again; a choice with no
 * fallback has been made one by now, `alternateContent.ts`), deleted text (w:del, w:moveFrom: changes accepted;
 * rejecting them has unwrapped them by now), a check box (it writes a box of its own for the glyph), a paragraph or a run
 * in a style the reading leaves out.
 */
function skips(name: string, xml: string, from: number, leftOut: ReadonlySet<string>): boolean {
  switch (name) {
    case 'w:sdt':
      return openingProperties(xml, from, 'w:sdtPr').includes('<w14:checkbox')
    case 'w:p':
    case 'w:r': {
      if (leftOut.size === 0) return false
      const style = styleOf(openingProperties(xml, from, name === 'w:p' ? 'w:pPr' : 'w:rPr'), name === 'w:p' ? 'w:pStyle' : 'w:rStyle')
      return style !== undefined && leftOut.has(style)
    }
    default:
      return true
  }
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
