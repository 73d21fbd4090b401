import { adoptionRecord, buildDocumentModel, type DocumentMeta, type DocumentModel, type PendingTranslations, stampOf } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import { versionsFollowOriginal } from '@hemicycle/rules'
import { bodyOf, type DocumentNode, type FrontMatter, type FrozenNumbering, readBody } from '@hemicycle/schema'
import { alignVersion, type ConfirmedWording, pendingTranslations } from '@hemicycle/translations'
import * as Y from 'yjs'
import type { Queryable } from '../db/database.ts'
import type { Services } from '../http/env.ts'
import { documentName } from '../collab/documentKey.ts'
import { readDocumentUpdates } from '../collab/storage.ts'
import { replayedAtOnce } from '../collab/slicedApply.ts'
import { notFound, unprocessable } from '../http/errors.ts'
import { currentFrontMatter, numberingAt, type StoredResolution } from '../resolutions/repository.ts'
import { listVersions, type VersionRow, versionState } from '../resolutions/versions.ts'
import { confirmationsOf, findLanguageVersion } from '../translations/repository.ts'

/**
 * What an export prints: the text as it stands, or as a saved version holds
 * it, with the metadata of that moment. Metadata lives in the database, not
 * in the versions; what changes between versions is the stamp (PROJET until
 * adoption, then ADOPTÉE) and the event it carries.
 */
export interface TextAt {
  body: DocumentNode
  stage: string
  /** The saved version, or null for the text as it stands. */
  version: VersionRow | null
  /** The language version printed, or null for the original. */
  translation: Translation | null
  /** For a language version, what tells which of its blocks are current; null for the original. */
  statuses: StatusSource | null
  /** The § and line numbers it is cited by: frozen when its round of amendments opened, while in force; null as it stands. */
  numbering: FrozenNumbering | null
}

/** A language version as printed: its language and its title in that language. */
export interface Translation {
  language: Language
  title: string
}

/**
 * The language version asked for (null: the original, also when the
 * original's own language is asked for); 404 if the resolution has none in
 * that language.
 */
export async function translationOf(db: Queryable, resolution: StoredResolution, language: Language | undefined): Promise<Translation | null> {
  if (language === undefined || language === resolution.language) return null
  const row = await findLanguageVersion(db, resolution.id, language)
  if (!row) throw notFound(`${language} version of this resolution`, resolution.id)
  return { language, title: row.title ?? resolution.title }
}

/**
 * What a language version's statuses are read against, as plain data for
 * the export thread: the original as it stands (its Yjs updates) and the
 * version's confirmations. The thread reads them beside the very text it
 * prints (`pendingOf`), so its marks of `due` and `missing` blocks stand at
 * the paragraphs printed.
 */
export interface StatusSource {
  original: Uint8Array[]
  confirmations: ReadonlyMap<string, ConfirmedWording>
}

export async function statusSource(services: Pick<Services, 'db' | 'collab'>, resolutionId: string, language: Language): Promise<StatusSource> {
  const [original, confirmations] = await Promise.all([currentUpdates(services, resolutionId), confirmationsOf(services.db, resolutionId, language)])
  return { original, confirmations }
}

/** The blocks of a language version's printed `body` that are not current, by the original's block each translates. */
export function pendingOf(body: DocumentNode, statuses: StatusSource | null): PendingTranslations | null {
  return statuses ? pendingTranslations(bodyFromUpdates(statuses.original), body, statuses.confirmations) : null
}

/** A saved version's row and Yjs state, and the freeze recorded with it. 404 if there is none with this id. */
export async function versionRow(db: Queryable, resolutionId: string, id: number): Promise<{ row: VersionRow; state: Uint8Array; frozen: FrozenNumbering | null }> {
  const row = (await listVersions(db, resolutionId)).find((version) => version.id === id)
  const stored = row ? await versionState(db, resolutionId, id) : null
  if (!row || !stored) throw notFound('version of this resolution', String(id))
  return { row, ...stored }
}

/**
 * A saved version as it is cited: by the freeze of its round, recorded with it; one saved before versions kept
 * theirs, by the freeze in force where both are frozen stages (`numberingAt`). 404 if there is none with this id.
 */
export async function versionText(db: Queryable, resolution: StoredResolution, id: number): Promise<{ row: VersionRow; state: Uint8Array; numbering: FrozenNumbering | null }> {
  const { row, state, frozen } = await versionRow(db, resolution.id, id)
  return { row, state, numbering: frozen ?? numberingAt(resolution, row.stage) }
}

/** A saved version's Yjs document; the caller destroys it. 404 if there is none with this id. */
export async function versionDoc(db: Queryable, resolutionId: string, id: number): Promise<{ row: VersionRow; doc: Y.Doc }> {
  const { row, state } = await versionRow(db, resolutionId, id)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return { row, doc }
}

/** A document (`documentName`: the original or a language version) as it stands, as Yjs updates: the live document's state if it is open here, otherwise the stored updates. */
export async function currentUpdates(services: Pick<Services, 'db' | 'collab'>, name: string): Promise<Uint8Array[]> {
  const live = services.collab.peek(name)
  return live ? [Y.encodeStateAsUpdate(live.doc)] : readDocumentUpdates(services.db, name)
}

/**
 * What `textAt` reads, with the text as Yjs updates (applied in order) rather
 * than as a document: plain data, for the export thread, which reads the text
 * from them there (`docFromUpdates`).
 */
export interface TextSource extends Omit<TextAt, 'body'> {
  updates: Uint8Array[]
  /**
   * For a language version that still follows its original, the original's
   * updates: the version is read aligned with them (`bodyFromUpdates`).
   * Null for the original, a saved version, and a version from the lock on,
   * printed exactly as stored and hashed.
   */
  original: Uint8Array[] | null
}

export async function textSourceAt(services: Pick<Services, 'db' | 'collab'>, resolution: StoredResolution, version?: number, language?: Language): Promise<TextSource> {
  const translation = await translationOf(services.db, resolution, language)
  if (translation) {
    if (version !== undefined) throw unprocessable('version_not_translated', 'Saved versions hold the original; a language version is exported as it stands (leave out version).')
    const updates = await currentUpdates(services, documentName({ resolutionId: resolution.id, language: translation.language }))
    const statuses = await statusSource(services, resolution.id, translation.language)
    const original = versionsFollowOriginal(resolution.stage) ? statuses.original : null
    return { updates, original, stage: resolution.stage, version: null, translation, statuses, numbering: numberingAt(resolution, resolution.stage) }
  }
  if (version === undefined) {
    return { updates: await currentUpdates(services, resolution.id), original: null, stage: resolution.stage, version: null, translation: null, statuses: null, numbering: numberingAt(resolution, resolution.stage) }
  }
  const { row, state, numbering } = await versionText(services.db, resolution, version)
  return { updates: [state], original: null, stage: row.stage, version: row, translation: null, statuses: null, numbering }
}

/** A Yjs document of `updates`, applied in order; the caller destroys it. */
export function docFromUpdates(updates: readonly Uint8Array[]): Y.Doc {
  // Stored rows two instances each took may walk far in the order stored (`replayed`).
  return replayedAtOnce(updates)
}

/**
 * The text of `updates` (the live document's state, the stored updates or a
 * version's state). With `original`, a language version's updates are read
 * aligned with that original, on a copy: a version follows its original a
 * moment after each change, and a server stopped in that moment (a deploy,
 * a crash) left it stored with the translation of a paragraph the original
 * no longer has, printed under the next paragraph's § number, until someone
 * next edited it.
 */
export function bodyFromUpdates(updates: readonly Uint8Array[], original: readonly Uint8Array[] | null = null): DocumentNode {
  const doc = docFromUpdates(updates)
  try {
    if (original) {
      const source = bodyFromUpdates(original)
      doc.transact(() => alignVersion(source, bodyOf(doc)))
    }
    return readBody(doc)
  } finally {
    doc.destroy()
  }
}

export async function textAt(services: Pick<Services, 'db' | 'collab'>, resolution: StoredResolution, version?: number, language?: Language): Promise<TextAt> {
  const { updates, original, ...source } = await textSourceAt(services, resolution, version, language)
  return { ...source, body: bodyFromUpdates(updates, original) }
}

const draftDate = (resolution: StoredResolution): string | null => {
  const value = resolution.frontMatter['draft_date']
  if (typeof value === 'string' && value.length > 0) return value
  return resolution.adoption ? null : resolution.stamp.date
}

/** The title, stamp and event as they stood at `stage`, in the original's language or a version's (its stamp, its title, its adoption sentence). */
export function metaAt(resolution: StoredResolution, stage: string, translation: Translation | null = null, numbering: FrozenNumbering | null = numberingAt(resolution, stage)): DocumentMeta {
  const adopted = stage === 'adopted' && resolution.adoption !== null
  // Once adopted, the resolution's event is the adoption's; the draft's own is the one it was imported with.
  const imported = resolution.frontMatter['event']
  const draftEvent = resolution.adoption && typeof imported === 'string' ? imported : resolution.event
  const language = translation?.language ?? resolution.language
  return {
    title: translation?.title ?? resolution.title,
    language,
    organisation: resolution.organisation,
    event: adopted ? resolution.adoption!.event : draftEvent,
    stamp: stampOf({ language, stage: adopted ? 'adopted' : 'draft', draftDate: draftDate(resolution), adoptedAt: resolution.adoption?.at ?? null }),
    adoption: adopted ? resolution.adoption : null,
    numbering,
    numberedBy: translation === null ? 'block' : 'source',
    timeZone: resolution.timeZone,
  }
}

/** The front matter to write out with a text at `stage`: an older version says PROJET even once the resolution is adopted; a language version says so in its language. */
export function frontMatterAt(resolution: StoredResolution, stage: string, translation: Translation | null = null): FrontMatter {
  const current = currentFrontMatter(resolution)
  const meta = metaAt(resolution, stage, translation)
  const translated = translation ? { ...current, title: meta.title, language: meta.language, status: meta.stamp.label, ...(current['adoption_record'] && meta.adoption ? { adoption_record: adoptionRecord(meta.adoption, meta.language) } : {}) } : current
  if (stage === 'adopted' || !resolution.adoption) return translated
  const { adopted_by: _by, adopted_at: _at, adoption_record: _record, ...rest } = translated
  return { ...rest, status: meta.stamp.label, draft_date: meta.stamp.date ?? undefined, event: meta.event }
}

export function exportModel(resolution: StoredResolution, text: TextAt): DocumentModel {
  return buildDocumentModel(text.body, metaAt(resolution, text.stage, text.translation), pendingOf(text.body, text.statuses))
}

/** The file name an export is offered under: the title, made safe, and what it is. */
export function fileName(resolution: StoredResolution, what: string, extension: string): string {
  const base = resolution.title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .toLowerCase()
  return `${base || resolution.id}${what ? `-${what}` : ''}.${extension}`
}
