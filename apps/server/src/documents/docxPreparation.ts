import type { ImportWarning } from '@hemicycle/protocol'
import { strFromU8 } from 'fflate'
import { withLoneChoicesRead } from './alternateContent.ts'
import { rejectTrackedChanges } from './docxInspection.ts'
import { withDropCapsJoined } from './dropCaps.ts'
import { hiddenTextWarning, withoutHiddenText } from './hiddenText.ts'
import { plural } from './importWarnings.ts'
import { scriptsWarning, withCapitals, withScripts } from './printedLetters.ts'
import { withNumberedEmptyParagraphsMarked } from './numberedEmptyParagraphs.ts'
import { withNumberMarks } from './printedNumbers.ts'
import { dropDownEntry, withFieldsAsShown } from './wordFields.ts'
import { readNumbering } from './wordNumbering.ts'
import type { WordStyles } from './wordStyles.ts'
import { attribute, decodeXml, elements, escapeXml, leadingElement, replaceElements } from './wordXml.ts'

/**
 * document.xml as mammoth should read it. mammoth reads a Word file's
 * words, but not always as Word shows them; each step here rewrites one
 * such difference in the XML before mammoth reads it, and says what it
 * changed, so the secretariat reads it before the resolution is created.
 */

/** A Word file's text as it is stored (document.xml) and the styles it refers to. */
export interface MainPart {
  xml: string
  styles: WordStyles
}

export interface Preparation {
  documentXml: string
  warnings: ImportWarning[]
}

/**
 * A carriage return (w:cr) ends a line as a line break does, and an absolute-position tab (w:ptab) is a tab;
 * mammoth reads neither, so the words on either side came out glued ("décideet").
 */
const withBreaksMammothReads = (documentXml: string) => documentXml.replace(/<w:cr\s*\/>/g, '<w:br/>').replace(/<w:ptab\b[^>]*\/>/g, '<w:tab/>')

/** A container's or a form field's data's opening, closing or self-closing tag, or a text's opening. */
const CONTAINER_TOKEN = /<(\/?)(w:fldSimple|w:dir|w:bdo|w:ffData)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>|<w:t(?=[\s>])/g

/** A simple field open: whether its result shows text so far, and the entry its drop-down's data (w:ffData) names. */
interface OpenField {
  shown: boolean
  entry?: string | undefined
}

/**
 * Elements whose runs Word shows but mammoth does not know, and so drops with their words: a simple field
 * (w:fldSimple) shows its last result ("page 7"), or its drop-down's entry where the result shows no text (as the
 * spec's example writes one), a bidirectional embedding or override (w:dir, w:bdo) its text. Each is replaced by what
 * it holds, a simple field's form field data (w:ffData) left out. One pass over the tags: unwrapping each one's content
 * again cost a call per level of nesting, and a few thousand overflowed the stack.
 */
function withContainersUnwrapped(documentXml: string): string {
  if (!/<w:(?:fldSimple|dir|bdo)[\s/>]/.test(documentXml)) return documentXml
  const open: string[] = []
  const fields: OpenField[] = []
  /** Where the form field data being left out starts, while inside it. */
  let dataFrom: number | null = null
  let out = ''
  let at = 0
  for (const match of documentXml.matchAll(CONTAINER_TOKEN)) {
    const [tag, closing, name, selfClosing] = match
    if (dataFrom === null) out += documentXml.slice(at, match.index)
    at = match.index + tag.length
    const field = fields.at(-1)
    if (dataFrom !== null) {
      if (name === 'w:ffData' && closing) {
        field!.entry ??= dropDownEntry(documentXml.slice(dataFrom, at))
        dataFrom = null
      }
    } else if (name === undefined || (name === 'w:ffData' && !field)) {
      // Text, or a complex field's data, read later (`wordFields.ts`).
      if (name === undefined && field) field.shown = true
      out += tag
    } else if (name === 'w:ffData') {
      if (!closing && !selfClosing) dataFrom = match.index
    } else if (closing) {
      // A stray closing tag closes nothing, and is left as written.
      if (open.at(-1) !== name) out += tag
      else if (open.pop() === 'w:fldSimple') {
        fields.pop()
        const entry = field!.entry !== undefined && !field!.shown ? `<w:r><w:t xml:space="preserve">${escapeXml(field!.entry)}</w:t></w:r>` : ''
        out += entry
        const outer = fields.at(-1)
        if (outer && (field!.shown || entry !== '')) outer.shown = true
      }
    } else if (!selfClosing) {
      open.push(name)
      if (name === 'w:fldSimple') fields.push({ shown: false })
    }
  }
  // Form field data that never ends (a damaged file) would take every word after it: the file is left as it is.
  return dataFrom === null ? out + documentXml.slice(at) : documentXml
}

/**
 * Ruby (w:ruby) prints its base (w:rubyBase) on the line and a reading (w:rt) small above it; mammoth reads
 * neither, so the base's words were dropped. The base's runs take the ruby's place, the run that held it split
 * around them; the readings are left out, and said (`docxInspection.ts`).
 */
function withRubyBases(documentXml: string): string {
  if (!documentXml.includes('<w:ruby')) return documentXml
  return replaceElements(documentXml, 'w:r', (run) => {
    const rubies = elements(run.inner, 'w:ruby')
    if (rubies.length === 0) return run.xml
    const leading = leadingElement(run.inner, 'w:rPr')
    const properties = leading?.xml ?? ''
    const rest = (from: number, to: number) => {
      const content = run.inner.slice(from, to)
      return content.trim() === '' ? '' : `<w:r>${properties}${content}</w:r>`
    }
    let out = ''
    let at = leading?.end ?? 0
    for (const ruby of rubies) {
      out += rest(at, ruby.start) + (elements(ruby.inner, 'w:rubyBase')[0]?.inner ?? '')
      at = ruby.end
    }
    return out + rest(at, run.inner.length)
  })
}

const text = (part: Uint8Array | undefined) => (part ? strFromU8(part) : undefined)

/** A link's opening, closing or self-closing tag. */
const LINK_TAG = /<(\/?)w:hyperlink(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g

/**
 * A link (w:hyperlink) whose relationship the file does not hold: mammoth threw on it, and the whole file was refused
 * as not a Word document. Word shows its words, and so does the import: the link's tags are taken out, its words kept,
 * and said. One pass over the tags, a link's kept or not as it opens: unwrapping each link's content again, nested links
 * cost time with their depth, and a few thousand overflowed the stack.
 */
function withUnknownLinksUnwrapped(documentXml: string, relationships: string | undefined): { xml: string; unwrapped: number } {
  if (!documentXml.includes('<w:hyperlink')) return { xml: documentXml, unwrapped: 0 }
  const known = new Set([...(relationships ?? '').matchAll(/\sId\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((match) => decodeXml(match[1] ?? match[2]!)))
  let unwrapped = 0
  /** For each link open, whether its tags are kept. */
  const open: boolean[] = []
  const xml = documentXml.replace(LINK_TAG, (tag, closing: string, selfClosing: string) => {
    // A stray closing tag closes nothing, and is left as written.
    if (closing) return open.pop() === false ? '' : tag
    const id = attribute(tag, 'r:id')
    const kept = id === undefined || known.has(id)
    if (!kept) unwrapped++
    if (!selfClosing) open.push(kept)
    return kept ? tag : ''
  })
  return { xml, unwrapped }
}

const unknownLinksWarning = (links: number): ImportWarning => ({
  code: 'links',
  count: links,
  message: `${plural(links, 'link whose target is not in the file was', 'links whose targets are not in the file were')} kept as the words ${links === 1 ? 'it shows' : 'they show'}.`,
})

/** `reject`: the pending tracked changes are to be undone first. */
export function prepareDocument({ xml: source, styles }: MainPart, parts: Record<string, Uint8Array>, { reject }: { reject: boolean }): Preparation {
  // A ruby's base runs first take its place, so hidden text among them is found as anywhere else.
  const links = withUnknownLinksUnwrapped(withLoneChoicesRead(source), text(parts['word/_rels/document.xml.rels']))
  const { xml, hidden } = withoutHiddenText(withRubyBases(reject ? rejectTrackedChanges(links.xml) : links.xml), styles)
  const shown = withDropCapsJoined(withFieldsAsShown(withBreaksMammothReads(withContainersUnwrapped(xml))))
  const scripts = withScripts(withCapitals(shown, styles), styles)
  const numbered = withNumberMarks(withNumberedEmptyParagraphsMarked(scripts.xml), readNumbering(text(parts['word/numbering.xml'])), styles)
  const warnings = [
    ...(hidden.length > 0 ? [hiddenTextWarning(hidden)] : []),
    ...(scripts.unkept.length > 0 ? [scriptsWarning(scripts.unkept)] : []),
    ...(links.unwrapped > 0 ? [unknownLinksWarning(links.unwrapped)] : []),
  ]
  return { documentXml: numbered, warnings }
}
