import type { Run } from '@hemicycle/amendments'
import type { Language } from '@hemicycle/protocol'
import type { Queryable } from '../db/database.ts'

/** A resolution's language versions and the confirmations of their blocks, as stored. */
export interface VersionRow {
  language: Language
  created_at: Date
  title: string | null
  locked_hash: string | null
}

export async function listLanguageVersions(db: Queryable, resolutionId: string): Promise<VersionRow[]> {
  return db.query<VersionRow>('select language, created_at, title, locked_hash from language_versions where resolution_id = $1 order by created_at, language', [resolutionId])
}

export async function findLanguageVersion(db: Queryable, resolutionId: string, language: Language): Promise<VersionRow | null> {
  const [row] = await db.query<VersionRow>('select language, created_at, title, locked_hash from language_versions where resolution_id = $1 and language = $2', [resolutionId, language])
  return row ?? null
}

export async function writeVersionTitle(db: Queryable, resolutionId: string, language: Language, title: string | null): Promise<void> {
  await db.query('update language_versions set title = $3 where resolution_id = $1 and language = $2', [resolutionId, language, title])
}

export async function versionExists(db: Queryable, resolutionId: string, language: Language): Promise<boolean> {
  return (await findLanguageVersion(db, resolutionId, language)) !== null
}

/** Adds a version; false if the resolution has one in this language already. */
export async function insertLanguageVersion(db: Queryable, resolutionId: string, language: Language, personId: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    'insert into language_versions (resolution_id, language, created_by, created_at) values ($1, $2, $3, $4) on conflict do nothing returning language',
    [resolutionId, language, personId, at],
  )
  return rows.length > 0
}

export interface Confirmation {
  /** The source block's wording the translation was confirmed against. */
  source: Run[]
  /** The translation as confirmed; null for confirmations made before it was kept. */
  translation: Run[] | null
  by: string
  at: Date
}

export async function confirmationsOf(db: Queryable, resolutionId: string, language: Language): Promise<Map<string, Confirmation>> {
  const rows = await db.query<{ source_id: string; source_wording: Run[]; translation_wording: Run[] | null; name: string; confirmed_at: Date }>(
    `select c.source_id, c.source_wording, c.translation_wording, p.name, c.confirmed_at
     from translation_confirmations c join people p on p.id = c.confirmed_by
     where c.resolution_id = $1 and c.language = $2`,
    [resolutionId, language],
  )
  return new Map(rows.map((row) => [row.source_id, { source: row.source_wording, translation: row.translation_wording, by: row.name, at: row.confirmed_at }]))
}

export async function writeConfirmation(
  db: Queryable,
  entry: { resolutionId: string; language: Language; sourceId: string; source: readonly Run[]; translation: readonly Run[]; personId: string; at: Date },
): Promise<void> {
  await db.query(
    `insert into translation_confirmations (resolution_id, language, source_id, source_wording, translation_wording, confirmed_by, confirmed_at)
     values ($1, $2, $3, $4::text::json, $5::text::json, $6, $7)
     on conflict (resolution_id, language, source_id) do update
       set source_wording = excluded.source_wording, translation_wording = excluded.translation_wording,
           confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
    [entry.resolutionId, entry.language, entry.sourceId, JSON.stringify(entry.source), JSON.stringify(entry.translation), entry.personId, entry.at],
  )
}

/** Records each version's hash at the lock; null clears them all (the text went back from final). */
export async function writeLockedHashes(db: Queryable, resolutionId: string, hashes: ReadonlyMap<Language, string> | null): Promise<void> {
  if (hashes === null) {
    await db.query('update language_versions set locked_hash = null where resolution_id = $1', [resolutionId])
    return
  }
  for (const [language, hash] of hashes) {
    await db.query('update language_versions set locked_hash = $3 where resolution_id = $1 and language = $2', [resolutionId, language, hash])
  }
}
