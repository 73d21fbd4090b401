import type { Language, OutstandingTranslation } from '@hemicycle/protocol'
import { checkTranslationsAtLock, type StageMove } from '@hemicycle/rules'
import { MARKDOWN_RULE } from '@hemicycle/schema'
import type { CollabServer } from '../collab/collabServer.ts'
import { documentName } from '../collab/documentKey.ts'
import { storedText } from '../collab/storage.ts'
import type { Database, Queryable } from '../db/database.ts'
import { ApiError } from '../http/errors.ts'
import { textHash } from '../resolutions/documents.ts'
import { outstandingTranslations } from './texts.ts'

/**
 * What the lock does for the language versions, called from the stage move
 * once the move has frozen every document of the resolution (nobody can
 * write any of them): it never hashes a version silently while blocks of it
 * are due or missing.
 */
type Reader = { db: Database; collab: CollabServer }

/**
 * Refuses the lock (409 `translations_due`, the blocks listed in
 * `error.outstanding`) unless the move acknowledges the outstanding
 * translations; returns those it acknowledged, for the audit.
 */
export async function guardTranslationsAtLock(reader: Reader, resolutionId: string, move: StageMove): Promise<OutstandingTranslation[]> {
  const outstanding = await outstandingTranslations(reader, resolutionId)
  const refusal = checkTranslationsAtLock(outstanding, move.acceptOutstandingTranslations === true)
  if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message, {}, { outstanding })
  return outstanding
}

/**
 * Each version's SHA-256 (the original's canonical Markdown rule), of the
 * text as stored, read in the lock's transaction under the row lock every
 * store takes: `verify` recomputes exactly what was hashed.
 */
export async function hashVersions(tx: Queryable, resolutionId: string, languages: readonly Language[]): Promise<Map<Language, string>> {
  const hashes = new Map<Language, string>()
  for (const language of languages) hashes.set(language, textHash((await storedText(tx, documentName({ resolutionId, language }))).body, MARKDOWN_RULE))
  return hashes
}
