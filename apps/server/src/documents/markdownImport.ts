import type { ImportWarning, Person } from '@hemicycle/protocol'
import { unpairedMarks } from '@hemicycle/amendments'
import { type ParsedResolution, readImportedMarkdown } from '@hemicycle/schema'
import type { Database } from '../db/database.ts'
import { badRequest, unprocessable } from '../http/errors.ts'
import { createResolution, type Heading, storeImportedResolution } from '../resolutions/documents.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { clientGone, readImport } from './importReader.ts'
import { codeWarning, commentsWarning, htmlWarning, imagesWarning, linksWarning, marksInNumbersWarning, struckWarning, tablesWarning, thematicBreaksWarning, unpairedMarksWarning } from './importWarnings.ts'

export interface ParsedMarkdown extends ParsedResolution {
  /** What the file held that the text could not, and what became of it. */
  warnings: ImportWarning[]
}

/** A Markdown file's text: UTF-8, else refused (decoding another encoding would put U+FFFD where its accents were, unsaid). */
export function markdownText(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw unprocessable('not_text', `"${fileName}" is not UTF-8 text.`)
  }
}

/** A Markdown file as it would be imported (see `readImportedMarkdown`), with what the secretariat must read before creating it. */
export function parseMarkdownFile(text: string): ParsedMarkdown {
  // Markdown would quietly turn NUL into U+FFFD; a file holding one is refused instead, as any request is.
  if (text.includes('\u0000')) throw badRequest('invalid_character', 'The file holds a NUL character.')
  let read: ReturnType<typeof readImportedMarkdown>
  try {
    read = readImportedMarkdown(text)
  } catch (error) {
    throw unprocessable('invalid_markdown', (error as Error).message)
  }
  const { tables, rows, struck, images, comments, links, code, breaks, html } = read.found
  const warnings = [
    tables > 0 && tablesWarning(tables, rows),
    struck > 0 && struckWarning(struck),
    images > 0 && imagesWarning(images),
    comments > 0 && commentsWarning(comments),
    links > 0 && linksWarning(links),
    code > 0 && codeWarning(code),
    breaks > 0 && thematicBreaksWarning(breaks),
    html > 0 && htmlWarning(html),
    ...markWarnings(text, read.doc),
  ].filter((warning) => warning !== false)
  return { frontMatter: read.frontMatter, doc: read.doc, warnings }
}

/**
 * What Markdown made of stars and underscores that the writer may not have meant: marks that did not pair up, kept in
 * the words, and marks read between two digits. Both were silent: the preview's Markdown, written back from the text,
 * reads as the file did.
 */
function markWarnings(markdown: string, doc: ParsedResolution['doc']): ImportWarning[] {
  const kept = unpairedMarks(markdown, doc.textBetween(0, doc.content.size, '\n', '\n'))
  let inNumbers = 0
  doc.descendants((node) => {
    if (!node.isTextblock) return true
    let before: typeof doc | null = null
    node.forEach((child) => {
      if (before?.isText && child.isText && /\p{Nd}$/u.test(before.text!) && /^\p{Nd}/u.test(child.text!) && !before.sameMarkup(child)) inNumbers++
      before = child
    })
    return false
  })
  return [...(kept > 0 ? [unpairedMarksWarning(kept)] : []), ...(inNumbers > 0 ? [marksInNumbersWarning(inNumbers)] : [])]
}

/**
 * Creates a draft resolution from a Markdown file's text, and says what the file held that the text could not, on this
 * thread: the demo's seed and the command line. A file sent to the server is read on the import reading thread
 * (`importUploadedMarkdown`).
 */
export async function importMarkdown(
  db: Database,
  text: string,
  { by, now, heading = {} }: { by: Person | null; now: Date; heading?: Heading },
): Promise<{ resolution: StoredResolution; warnings: ImportWarning[] }> {
  const parsed = parseMarkdownFile(text)
  return { resolution: await createResolution(db, parsed, { by, now, format: 'md', name: 'The file', heading }), warnings: parsed.warnings }
}

/** Creates a draft resolution from an uploaded Markdown file, read on the import reading thread (see `importMarkdown`). */
export async function importUploadedMarkdown(
  db: Database,
  bytes: Uint8Array,
  fileName: string,
  { by, now, heading = {}, signal }: { by: Person | null; now: Date; heading?: Heading; signal?: AbortSignal },
): Promise<{ resolution: StoredResolution; warnings: ImportWarning[] }> {
  const read = await readImport({ format: 'markdown', bytes, fileName }, signal)
  // As for a Word file (`importDocx`): not created for a client gone while it was read.
  if (signal?.aborted) throw clientGone(fileName)
  return { resolution: await storeImportedResolution(db, read, { by, now, format: 'md', name: 'The file', heading }), warnings: read.warnings }
}
