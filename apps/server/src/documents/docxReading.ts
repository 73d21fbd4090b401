import { ALLIANCE_NAMES, letterhead, parseDate, VOCABULARY } from '@hemicycle/documents'
import { type ImportWarning, type Language, STAMP_WORDS } from '@hemicycle/protocol'
import { type DocumentNode, type FrontMatter, MAX_NODES, schema, withBlockIds } from '@hemicycle/schema'
import { strFromU8, strToU8, zipSync } from 'fflate'
import mammoth from 'mammoth'
import { unprocessable } from '../http/errors.ts'
import { continuationStyle, DOCUMENT_KIND, FRONT_MATTER_PROPERTY, LINED_KIND, listHeadingStyle, quotedHeadingStyle, STYLE, STYLE_NAME, WORD_LIST_LEVELS } from './docxLayout.ts'
import { inspectDocx, type TrackedChanges } from './docxInspection.ts'
import { type MainPart, prepareDocument } from './docxPreparation.ts'
import { unreadWordsWarning } from './unreadWords.ts'
import { withUsualPrefixes } from './wordNamespaces.ts'
import { readStyles } from './wordStyles.ts'
import { htmlToBody, type ImportedHtml } from './importHtml.ts'
import { listNumbersWarning } from './printedNumbers.ts'
import { paragraphs } from './wordRuns.ts'
import { decodeXml } from './wordXml.ts'
import { inflateEntry, zipEntries, ZipTooLarge } from './zipEntries.ts'

/**
 * Drafts arrive from Word. A .docx is read by mammoth into semantic HTML
 * (headings, paragraphs, lists, bold, italic) and from there into the shared
 * schema. The metadata comes from the front matter Hemicycle stores in its
 * own DOCX exports when there is one, otherwise from what the page shows:
 * the Title-styled paragraph (or a leading heading), a stamp line such as
 * "PROJET 03 juillet 2019" (which also tells the language), the event and
 * the letterhead.
 */

/** A .docx is a zip; one that unpacks to more than this (counted as it unpacks, not as it claims) is refused before mammoth reads it. */
export const DOCX_UNPACKED_LIMIT = 64 * 1024 * 1024

/** How mammoth reads Hemicycle's own styles (the header as metadata, notes and printed numbers not at all) and Word's breaks. */
export const DOCX_STYLE_MAP = [
  "p[style-name='Title'] => h1.title:fresh",
  `p[style-name='${STYLE_NAME.letterhead}'] => p.letterhead:fresh`,
  `p[style-name='${STYLE_NAME.stamp}'] => p.stamp:fresh`,
  `p[style-name='${STYLE_NAME.event}'] => p.event:fresh`,
  `p[style-name='${STYLE_NAME.note}'] => !`,
  // The §, line and marker numbers Hemicycle prints are not text: the numbering puts them back.
  `r[style-name='${STYLE_NAME.number}'] => !`,
  // A list in a quote: Word lists in the quote's style, before the quote's own paragraphs (the first rule that matches is taken).
  ...Array.from({ length: WORD_LIST_LEVELS }, (_, index) =>
    (['ordered', 'unordered'] as const).map((kind) => `p[style-name='${STYLE_NAME.quote}']:${kind}-list(${index + 1}) => blockquote > ${'ul|ol > li > '.repeat(index)}${kind === 'ordered' ? 'ol' : 'ul'} > li:fresh`),
  ).flat(),
  `p[style-name='${STYLE_NAME.quote}'] => blockquote > p:fresh`,
  ...[1, 2, 3].map((level) => `p[style-name='${quotedHeadingStyle(level).name}'] => blockquote > h${level}:fresh`),
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  // A page or column break inside a paragraph parts two words as a line break does, where mammoth wrote nothing.
  "br[type='page'] => br",
  "br[type='column'] => br",
  // A list item's later paragraphs, into the item open before them at their level (not :fresh, so mammoth keeps it open).
  ...Array.from({ length: WORD_LIST_LEVELS }, (_, index) => `p[style-name='${continuationStyle(index + 1).name}'] => ${'ul|ol > li > '.repeat(index + 1)}p:fresh`),
  ...Array.from({ length: WORD_LIST_LEVELS }, (_, index) => [1, 2, 3].map((level) => `p[style-name='${listHeadingStyle(index + 1, level).name}'] => ${'ul|ol > li > '.repeat(index + 1)}h${level}:fresh`)).flat(),
]

/**
 * An empty revision element written open-close (LibreOffice writes a paragraph mark's tracked insertion as
 * `<w:ins …></w:ins>`) as the self-closing one it is: every step reads a mark's revision self-closing, and took the
 * open one for a revision around runs (rejecting a tracked paragraph split kept the split).
 */
const withEmptyRevisionsClosed = (xml: string) => xml.replace(/<w:(ins|del|moveFrom|moveTo)(\s(?:[^>"']|"[^"]*"|'[^']*')*)?><\/w:\1>/g, '<w:$1$2/>')

const notDocx = (name: string, why: string) => unprocessable('invalid_docx', `"${name}" is not a Word document Hemicycle can read (.docx): ${why}.`)

interface Package {
  customProperties: Map<string, string>
  coreTitle: string | null
  /** Every part, as unpacked and counted here: what `inspectDocx` and `prepareDocument` read, and all mammoth reads. */
  parts: Record<string, Uint8Array>
  /** document.xml and styles.xml, decoded and read once for all that looks at them. */
  main: MainPart
}

/**
 * A part's name as unzip tools read it: mammoth's JSZip reads "word/./document.xml" or "word/x/../document.xml" as
 * word/document.xml. Word never writes such a name (nor "__proto__", which would be the parts' prototype, not a part).
 */
const plainName = (name: string) =>
  name !== '__proto__' && name.split('/').every((segment, index, all) => segment !== '.' && segment !== '..' && (segment !== '' || index === all.length - 1)) && !name.includes('\\')

/** The package's relationships as mammoth is given them: its main document is the word/document.xml inspected here. */
const MAIN_DOCUMENT_RELATIONSHIP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'

/** Unpacks the zip once, counting what actually comes out, to refuse what is not a .docx or unpacks too large, and reads its document properties. */
function openPackage(bytes: Uint8Array, name: string): Package {
  let entries: ReturnType<typeof zipEntries>
  try {
    entries = zipEntries(bytes)
  } catch {
    throw notDocx(name, 'the file is not a zip package')
  }
  if (!entries.some((entry) => entry.name === 'word/document.xml')) throw notDocx(name, 'the package holds no word/document.xml')
  const files: Record<string, Uint8Array> = {}
  const budget = { left: DOCX_UNPACKED_LIMIT }
  try {
    for (const entry of entries) {
      const kept = inflateEntry(bytes, entry, budget, plainName(entry.name) && !entry.name.endsWith('/'))
      if (kept) files[entry.name] = kept
    }
  } catch (error) {
    if (error instanceof ZipTooLarge) throw notDocx(name, `it unpacks to more than ${DOCX_UNPACKED_LIMIT / 1024 / 1024} MiB`)
    throw notDocx(name, 'its contents cannot be unpacked')
  }
  for (const [part, content] of Object.entries(files)) {
    if (!part.endsWith('.xml')) continue
    const xml = strFromU8(content)
    const usual = withUsualPrefixes(xml)
    if (usual !== xml) files[part] = strToU8(usual)
  }
  const customProperties = new Map<string, string>()
  const custom = files['docProps/custom.xml']
  if (custom) {
    for (const match of strFromU8(custom).matchAll(/<property\b[^>]*\bname="([^"]*)"[^>]*>\s*<vt:lpwstr>([\s\S]*?)<\/vt:lpwstr>/g)) {
      customProperties.set(decodeXml(match[1]!), decodeXml(match[2]!))
    }
  }
  const core = files['docProps/core.xml']
  const title = core ? /<dc:title>([\s\S]*?)<\/dc:title>/.exec(strFromU8(core))?.[1] : undefined
  const main = { xml: withEmptyRevisionsClosed(strFromU8(files['word/document.xml']!)), styles: readStyles(files['word/styles.xml'] ? strFromU8(files['word/styles.xml']) : undefined) }
  return { customProperties, coreTitle: title ? decodeXml(title).trim() || null : null, parts: files, main }
}

/** The front matter Hemicycle wrote into its own export, if this file is one. */
function storedFrontMatter(pkg: Package): FrontMatter | null {
  const raw = pkg.customProperties.get(FRONT_MATTER_PROPERTY)
  if (!raw) return null
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null
    // An import is always a new draft: whatever adoption the file records does not carry over.
    const { adopted_by: _by, adopted_at: _at, adoption_record: _record, ...rest } = parsed as FrontMatter
    return rest
  } catch {
    return null
  }
}

const STAMP = new RegExp(`^(${Object.values(STAMP_WORDS).flatMap((words) => [words.draft, words.adopted]).join('|')})\\b\\s*(.*)$`, 'iu')

/** Reads "PROJET 03 juillet 2019" as a language and a draft date. */
function readStamp(text: string): { language: Language; draftDate: string | null } | null {
  const match = STAMP.exec(text.trim())
  if (!match) return null
  const word = match[1]!.toLocaleUpperCase('fr')
  const entry = (Object.entries(STAMP_WORDS) as Array<[Language, { draft: string; adopted: string }]>).find(
    ([, words]) => words.draft === word || words.adopted === word,
  )
  if (!entry) return null
  const isDraft = entry[1].draft === word
  return { language: entry[0], draftDate: isDraft ? parseDate(match[2] ?? '') : null }
}

const DEFAULT_LETTERHEAD = letterhead('')

/** Metadata from what the page shows, for a Word file Hemicycle did not write. */
function visibleFrontMatter(html: ImportedHtml, pkg: Package, fileName: string): { frontMatter: FrontMatter; dropLeadingHeading: boolean } {
  let title = html.special.title ?? null
  let dropLeadingHeading = false
  if (!title) {
    const first = html.leading[0]
    if (first && first.kind === 'heading' && first.level === 1) {
      title = first.text
      dropLeadingHeading = true
    }
  }
  title ??= pkg.coreTitle ?? fileName.replace(/\.docx$/i, '').replace(/[_-]+/g, ' ').trim()
  const stampLine = html.special.stamp ?? null
  const stamp = stampLine ? readStamp(stampLine) : null
  const organisation = html.special.letterhead && html.special.letterhead.trim() === DEFAULT_LETTERHEAD ? ALLIANCE_NAMES.join(' / ') : undefined
  const language = stamp?.language ?? 'fr'
  const frontMatter: FrontMatter = {
    title,
    status: STAMP_WORDS[language].draft,
    ...(stamp?.draftDate ? { draft_date: stamp.draftDate } : {}),
    ...(html.special.event ? { event: html.special.event } : {}),
    ...(organisation ? { organisation } : {}),
    language,
  }
  return { frontMatter, dropLeadingHeading }
}

/**
 * A line that is a stamp and nothing more: the stamp word alone or followed by a date. A paragraph that merely
 * starts with the word ("Projet de résolution sur la politique agricole commune") is text.
 */
function isStampLine(text: string): boolean {
  const match = STAMP.exec(text.trim())
  return match !== null && (match[2]!.trim() === '' || parseDate(match[2]!) !== null)
}

/** A stamp typed as an ordinary first paragraph ("PROJET 03 juillet 2019") is metadata too, not a § of the text. */
function liftStamp(html: ImportedHtml): ImportedHtml {
  if (html.special.stamp) return html
  const candidate = html.leading.find((block) => block.kind === 'paragraph')
  if (!candidate || !isStampLine(candidate.text)) return html
  return { ...html, special: { ...html.special, stamp: candidate.text }, doc: withoutFirst(html.doc, (node) => node.type.name === 'paragraph' && node.textContent === candidate.text) }
}

function withoutFirst(doc: DocumentNode, matches: (node: DocumentNode) => boolean): DocumentNode {
  const children: DocumentNode[] = []
  let removed = false
  doc.forEach((node) => {
    if (!removed && matches(node)) removed = true
    else children.push(node)
  })
  return removed ? schema.node('doc', null, children.length > 0 ? children : [schema.node('paragraph')]) : doc
}

export interface ParsedDocx {
  frontMatter: FrontMatter
  doc: DocumentNode
  /** What the file held that the text could not, and what became of it. */
  warnings: ImportWarning[]
  /** Pending tracked changes the caller did not say what to do with. */
  undecided: number
}

/** The stamps of Hemicycle's redline and booklet: files that print a text's changes, not a text. */
const NOT_DRAFTS = new Set(Object.values(VOCABULARY).flatMap((words) => [words.redline, words.booklet]))

/** A redline or an amendments booklet Hemicycle wrote is not a draft: importing one would make its struck words and notes into text. */
function refuseNonDrafts(pkg: Package, html: ImportedHtml, fileName: string): void {
  const kind = pkg.customProperties.get(DOCUMENT_KIND)
  const printed = [html.special.stamp, html.special.title].find((text) => text !== undefined && NOT_DRAFTS.has(text))
  if ((kind && kind !== 'resolution') || printed) {
    const what =
      kind === 'parallel'
        ? 'a parallel edition of several languages'
        : kind === 'booklet' || (printed && !kind && [...Object.values(VOCABULARY)].some((words) => words.booklet === printed))
          ? 'an amendments booklet'
          : 'a redline'
    throw unprocessable('not_a_draft', `"${fileName}" is ${what} Hemicycle printed, not a draft: import the resolution itself (export.docx or export.md).`)
  }
}

/**
 * Whether the file is the line-numbered print of a resolution (`export.docx?lines=1`): each line set on its own
 * after its number, lists as their markers and headings as bold lines. Read as a draft, its list items came back as
 * paragraphs, each numbered, so every § after the first list moved, with no warning. Files printed before the print
 * said so in its properties are known by their lines: a paragraph opening with two runs in Hemicycle's number style,
 * the first its line number, digits alone or with the letter of a line added while numbers are frozen, "14a" (a § reads
 * "§4", a list's marker "4." or "•"; a "§12" an edit split in two opens with "§").
 */
const linePrint = (pkg: Package) =>
  pkg.customProperties.get(DOCUMENT_KIND) === LINED_KIND ||
  // Only a file holding the style is read for it: other files are read once, after this.
  (pkg.main.xml.includes(STYLE.number) &&
    paragraphs(pkg.main.xml).some(({ runs: [first, second] }) => first?.source.runStyle === STYLE.number && second?.source.runStyle === STYLE.number && /^\d+[a-z]*\t*$/.test(first.text)))

export async function parseDocx(bytes: Uint8Array, fileName: string, { trackedChanges }: { trackedChanges?: TrackedChanges } = {}): Promise<ParsedDocx> {
  const pkg = openPackage(bytes, fileName)
  // Reading is slow (about 0.1 ms a paragraph, more with formatting), on the import thread as on the command line: a file with
  // more paragraphs than a resolution may hold blocks is refused from a count before it is read, not by the shape check after.
  const paragraphs = pkg.main.xml.match(/<w:p[ >/]/g)?.length ?? 0
  if (paragraphs > MAX_NODES) throw unprocessable('unsupported_shape', `"${fileName}" cannot be a resolution: it has ${paragraphs} paragraphs, more than the ${MAX_NODES} blocks a resolution may hold.`)
  if (linePrint(pkg)) {
    throw unprocessable('not_a_draft', `"${fileName}" is the line-numbered print of a resolution Hemicycle printed, not a draft: import the resolution itself (export.docx without line numbers, or export.md).`)
  }
  const inspection = inspectDocx(pkg.main, pkg.parts, trackedChanges, pkg.customProperties.has(DOCUMENT_KIND) || pkg.customProperties.has(FRONT_MATTER_PROPERTY))
  // mammoth reads inserted text and skips deleted text, which is accepting every change; rejecting them rewrites the text first.
  const prepared = prepareDocument(pkg.main, pkg.parts, { reject: trackedChanges === 'reject' && inspection.pending.count > 0 })
  // mammoth reads the parts read and inspected here, never the file as sent: its zip reader would find another
  // document.xml in a package that names one twice (under a name JSZip resolves to it, a Unicode path field, a second
  // central directory), and the text imported would not be the one inspected, counted and shown in Word.
  // Nor the main document its relationships name: mammoth reads that one, the inspection word/document.xml.
  const source = zipSync({ ...pkg.parts, '_rels/.rels': strToU8(MAIN_DOCUMENT_RELATIONSHIP), 'word/document.xml': strToU8(prepared.documentXml) }, { level: 0 })
  let html: string
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(source) }, { styleMap: DOCX_STYLE_MAP })).value
  } catch (error) {
    throw notDocx(fileName, (error as Error).message.split('\n')[0] ?? 'it could not be read')
  }
  let imported: ImportedHtml
  try {
    imported = htmlToBody(html)
  } catch (error) {
    throw notDocx(fileName, `its structure could not be read (${(error as Error).message.slice(0, 80)})`)
  }
  refuseNonDrafts(pkg, imported, fileName)
  // Before the title and stamp are lifted from the body: every word mammoth gave back, wherever it goes next.
  const unread = unreadWordsWarning(prepared.documentXml, pkg.parts['word/styles.xml'] ? strFromU8(pkg.parts['word/styles.xml']) : undefined, [imported.doc.textBetween(0, imported.doc.content.size, ' ', ' '), ...Object.values(imported.special)])
  const stored = storedFrontMatter(pkg)
  if (!stored) imported = liftStamp(imported)
  const { frontMatter, dropLeadingHeading } = stored ? { frontMatter: stored, dropLeadingHeading: false } : visibleFrontMatter(imported, pkg, fileName)
  const body = dropLeadingHeading ? withoutFirst(imported.doc, (node) => node.type.name === 'heading') : imported.doc
  const numbers = imported.numbersNotKept.length > 0 ? [listNumbersWarning(imported.numbersNotKept)] : []
  return { frontMatter, doc: withBlockIds(body), warnings: [...inspection.warnings, ...prepared.warnings, ...numbers, ...(unread ? [unread] : [])], undecided: trackedChanges ? 0 : inspection.pending.count }
}
