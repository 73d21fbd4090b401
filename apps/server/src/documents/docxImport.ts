import { ALLIANCE_NAMES, letterhead, parseDate } from '@hemicycle/documents'
import { type Language, type Person, STAMP_WORDS } from '@hemicycle/protocol'
import { type DocumentNode, type FrontMatter, schema, withBlockIds } from '@hemicycle/schema'
import { strFromU8 } from 'fflate'
import mammoth from 'mammoth'
import type { Database } from '../db/database.ts'
import { unprocessable } from '../http/errors.ts'
import { createResolution } from '../resolutions/documents.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { FRONT_MATTER_PROPERTY, STYLE_NAME } from './docxLayout.ts'
import { htmlToBody, type ImportedHtml } from './importHtml.ts'
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

const STYLE_MAP = [
  "p[style-name='Title'] => h1.title:fresh",
  `p[style-name='${STYLE_NAME.letterhead}'] => p.letterhead:fresh`,
  `p[style-name='${STYLE_NAME.stamp}'] => p.stamp:fresh`,
  `p[style-name='${STYLE_NAME.event}'] => p.event:fresh`,
  `p[style-name='${STYLE_NAME.note}'] => !`,
  // The §, line and marker numbers Hemicycle prints are not text: the numbering puts them back.
  `r[style-name='${STYLE_NAME.number}'] => !`,
  `p[style-name='${STYLE_NAME.quote}'] => blockquote > p:fresh`,
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
]

const notDocx = (name: string, why: string) => unprocessable('invalid_docx', `"${name}" is not a Word document Hemicycle can read (.docx): ${why}.`)

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const decodeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES[name] ?? whole
    const code = name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
    // A reference to no character at all is left as written rather than thrown on.
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })

interface Package {
  customProperties: Map<string, string>
  coreTitle: string | null
}

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
      const kept = inflateEntry(bytes, entry, budget, entry.name === 'docProps/custom.xml' || entry.name === 'docProps/core.xml')
      if (kept) files[entry.name] = kept
    }
  } catch (error) {
    if (error instanceof ZipTooLarge) throw notDocx(name, `it unpacks to more than ${DOCX_UNPACKED_LIMIT / 1024 / 1024} MiB`)
    throw notDocx(name, 'its contents cannot be unpacked')
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
  return { customProperties, coreTitle: title ? decodeXml(title).trim() || null : null }
}

/** The front matter Hemicycle wrote into its own export, if this file is one. */
function storedFrontMatter(pkg: Package): FrontMatter | null {
  const raw = pkg.customProperties.get(FRONT_MATTER_PROPERTY)
  if (!raw) return null
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null
    // An import is always a new draft: whatever adoption the file records does not carry over.
    const { adopted_by: _by, adopted_at: _at, ...rest } = parsed as FrontMatter
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

/** A stamp typed as an ordinary first paragraph ("PROJET 03 juillet 2019") is metadata too, not a § of the text. */
function liftStamp(html: ImportedHtml): ImportedHtml {
  if (html.special.stamp) return html
  const candidate = html.leading.find((block) => block.kind === 'paragraph')
  if (!candidate || !readStamp(candidate.text) || candidate.text.length > 60) return html
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
}

export async function parseDocx(bytes: Uint8Array, fileName: string): Promise<ParsedDocx> {
  const pkg = openPackage(bytes, fileName)
  let html: string
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: STYLE_MAP })).value
  } catch (error) {
    throw notDocx(fileName, (error as Error).message.split('\n')[0] ?? 'it could not be read')
  }
  let imported: ImportedHtml
  try {
    imported = htmlToBody(html)
  } catch (error) {
    throw notDocx(fileName, `its structure could not be read (${(error as Error).message.slice(0, 80)})`)
  }
  const stored = storedFrontMatter(pkg)
  if (!stored) imported = liftStamp(imported)
  const { frontMatter, dropLeadingHeading } = stored ? { frontMatter: stored, dropLeadingHeading: false } : visibleFrontMatter(imported, pkg, fileName)
  const body = dropLeadingHeading ? withoutFirst(imported.doc, (node) => node.type.name === 'heading') : imported.doc
  return { frontMatter, doc: withBlockIds(body) }
}

/** Creates a draft resolution from a .docx, as from Markdown. */
export async function importDocx(db: Database, bytes: Uint8Array, fileName: string, by: Person | null, now: Date): Promise<StoredResolution> {
  return createResolution(db, await parseDocx(bytes, fileName), { by, now, format: 'docx', name: `"${fileName}"` })
}
