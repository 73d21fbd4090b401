import type { FrozenNumbering } from '@hemicycle/schema'
import type { Queryable } from '../db/database.ts'

export interface VersionRow {
  id: number
  label: string
  stage: string
  created_by: string | null
  created_at: Date
}

/** Records the text as it stands: a full Yjs state, so any two versions can be compared later. */
export async function recordVersion(
  db: Queryable,
  entry: { resolutionId: string; label: string; stage: string; state: Uint8Array; personId: string | null; at: Date },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    // With the freeze in force at its stage (written before it in a move to amendments), to be cited by it later.
    `insert into versions (resolution_id, id, label, stage, state, created_by, created_at, frozen_numbering)
     select $1, coalesce(max(id), 0) + 1, $2, $3, $4, $5, $6,
       (select frozen_numbering from resolutions where id = $1 and $3 in ('amendments', 'consolidation'))
     from versions where resolution_id = $1
     returning id`,
    [entry.resolutionId, entry.label, entry.stage, entry.state, entry.personId, entry.at],
  )
  return row!.id
}

export async function listVersions(db: Queryable, resolutionId: string): Promise<VersionRow[]> {
  return db.query<VersionRow>(
    'select id, label, stage, created_by, created_at from versions where resolution_id = $1 order by id',
    [resolutionId],
  )
}

/** A version's Yjs state, and the freeze recorded with it at a frozen stage (null at another, or saved before it was recorded). */
export async function versionState(db: Queryable, resolutionId: string, id: number): Promise<{ state: Uint8Array; frozen: FrozenNumbering | null } | null> {
  const [row] = await db.query<{ state: Uint8Array; frozen_numbering: FrozenNumbering | null }>('select state, frozen_numbering from versions where resolution_id = $1 and id = $2', [resolutionId, id])
  return row ? { state: row.state, frozen: row.frozen_numbering } : null
}
