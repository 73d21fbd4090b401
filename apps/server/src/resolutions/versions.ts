import type { Stage } from '@hemicycle/protocol'
import { numberingFrozen } from '@hemicycle/rules'
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

/** The freeze a version is cited by: recorded with it at a frozen stage; undefined for a version saved before it was recorded. */
export async function versionNumbering(db: Queryable, resolutionId: string, id: number): Promise<FrozenNumbering | null | undefined> {
  const [row] = await db.query<{ frozen_numbering: FrozenNumbering | null; stage: string }>('select frozen_numbering, stage from versions where resolution_id = $1 and id = $2', [resolutionId, id])
  if (!row) return undefined
  return row.frozen_numbering ?? (numberingFrozen(row.stage as Stage) ? undefined : null)
}

export async function versionState(db: Queryable, resolutionId: string, id: number): Promise<Uint8Array | null> {
  const [row] = await db.query<{ state: Uint8Array }>('select state from versions where resolution_id = $1 and id = $2', [resolutionId, id])
  return row?.state ?? null
}
