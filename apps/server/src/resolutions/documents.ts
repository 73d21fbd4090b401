import type { DocumentNode, FrontMatter } from '@hemicycle/schema'
import { type Language, type NewResolution, type Person, STAMP_WORDS } from '@hemicycle/protocol'
import { createHash } from 'node:crypto'
import { BLOCK_ID, bodyTextLength, composed, encodeBody, type MarkdownRule, newBlockId, schema, type ParsedResolution, longBlock, MAX_DOCUMENT_TEXT, serializeMarkdownBody, shapeProblem } from '@hemicycle/schema'
import { audit } from '../audit.ts'
import type { CollabServer } from '../collab/collabServer.ts'
import { writeSnapshot } from '../collab/storage.ts'
import type { Database } from '../db/database.ts'
import { badRequest, documentTooLong, paragraphTooLong, unprocessable } from '../http/errors.ts'
import { holdsNul } from '../http/nulGuard.ts'
import { liveBody, storedDocumentBody } from './bodies.ts'
import { insertResolution, type StoredResolution } from './repository.ts'
import { recordVersion } from './versions.ts'

/** The text of a resolution as it stands: from memory if it is open here, otherwise from storage. */
export async function currentBody(db: Database, collab: CollabServer, resolutionId: string): Promise<DocumentNode> {
  const live = collab.peek(resolutionId)
  return live ? liveBody(live.doc) : storedBody(db, resolutionId)
}

/** The text as stored in the database, ignoring anything still in memory. */
export async function storedBody(db: Database, resolutionId: string): Promise<DocumentNode> {
  return storedDocumentBody(db, resolutionId)
}

/** SHA-256 (hex) of the body's canonical Markdown under `rule` (see `serializeMarkdownBody`): what the lock records and anyone can check. */
export function textHash(body: DocumentNode, rule?: MarkdownRule | null): string {
  return createHash('sha256').update(serializeMarkdownBody(body, rule)).digest('hex')
}


/** What the secretariat may say instead of the file's front matter when importing it. */
export interface Heading {
  title?: string
  language?: Language
}

/**
 * Creates an empty draft (one empty paragraph) for the secretariat to write in
 * the editor: the stamp word in the resolution's language, dated today.
 */
export async function createEmptyResolution(db: Database, draft: NewResolution, by: Person, now: Date): Promise<StoredResolution> {
  const frontMatter = {
    title: draft.title,
    status: STAMP_WORDS[draft.language].draft,
    draft_date: now.toISOString().slice(0, 10),
    ...(draft.event ? { event: draft.event } : {}),
    language: draft.language,
  }
  if (holdsNul(frontMatter)) throw badRequest('invalid_character', 'The title holds a NUL character.')
  const doc = schema.node('doc', null, [schema.node('paragraph', { [BLOCK_ID]: newBlockId() })])
  return db.transaction(async (tx) => {
    const resolution = await insertResolution(tx, frontMatter, now)
    const state = encodeBody(doc)
    await writeSnapshot(tx, resolution.id, state)
    await recordVersion(tx, { resolutionId: resolution.id, label: 'created', stage: 'draft', state, personId: by.id, at: now })
    await audit(tx, { person: by, action: 'create', resolutionId: resolution.id, detail: { title: resolution.title } })
    return resolution
  })
}

/**
 * A parsed file's body as a resolution would hold it, once it passes the
 * checks every import makes (refused otherwise): what the import stores and
 * what its preview shows, so the two cannot differ.
 */
export function importedBody(parsed: ParsedResolution, name: string): DocumentNode {
  // The shape first: it is checked without recursion, and what passes is shallow enough for everything after.
  const shape = shapeProblem(parsed.doc)
  if (shape) throw unprocessable('unsupported_shape', `${name} cannot be a resolution: ${shape}.`)
  // The lengths are those of the text as stored, composed: NFC makes some characters three times as long (U+FB2C), so a
  // file measured as written was stored at three times the limits, a paragraph of 30,000 characters and a text of twelve million.
  const doc = composed(parsed.doc)
  const long = longBlock(doc)
  if (long) throw paragraphTooLong(`${name} cannot be a resolution: ${long.numbered ? '' : `a heading or list item after `}§ ${long.paragraph} holds ${long.length} characters`, long.paragraph)
  const length = bodyTextLength(doc)
  if (length > MAX_DOCUMENT_TEXT) throw documentTooLong(`${name} cannot be a resolution: its text is too long`, length)
  if (holdsNul(parsed.frontMatter) || doc.textContent.includes('\u0000')) throw badRequest('invalid_character', `${name} holds a NUL character.`)
  if (doc.textContent.trim().length === 0) throw unprocessable('empty_document', `${name} has no text.`)
  return doc
}

/** `importedBody` as the first state of a resolution: pure, so a file can be read and encoded away from the event loop (`documents/importReader.ts`). */
export function importedState(parsed: ParsedResolution, name: string): Uint8Array {
  return encodeBody(importedBody(parsed, name))
}

export interface ImportOptions {
  by: Person | null
  now: Date
  format: 'md' | 'docx'
  name: string
  heading?: Heading
}

/**
 * Creates a draft resolution from a file's metadata and its body's first
 * state (`importedState`): metadata in the database, the body as its first
 * snapshot and as version 1, the import in the audit log; all or nothing.
 */
export async function storeImportedResolution(db: Database, { frontMatter: own, state }: { frontMatter: FrontMatter; state: Uint8Array }, { by, now, format, heading = {} }: ImportOptions): Promise<StoredResolution> {
  // What the secretariat typed over the file's own heading wins; the rest of the front matter is the file's.
  const frontMatter = { ...own, ...(heading.title ? { title: heading.title } : {}), ...(heading.language ? { language: heading.language } : {}) }
  return db.transaction(async (tx) => {
    const resolution = await insertResolution(tx, frontMatter, now)
    await writeSnapshot(tx, resolution.id, state)
    await recordVersion(tx, { resolutionId: resolution.id, label: 'imported', stage: 'draft', state, personId: by?.id ?? null, at: now })
    await audit(tx, { person: by, action: 'import', resolutionId: resolution.id, detail: { title: resolution.title, format } })
    return resolution
  })
}

/** Creates a draft resolution from a parsed file, on this thread (the demo's seed, the command line, tests). */
export async function createResolution(db: Database, parsed: ParsedResolution, options: ImportOptions): Promise<StoredResolution> {
  return storeImportedResolution(db, { frontMatter: parsed.frontMatter, state: importedState(parsed, options.name) }, options)
}
