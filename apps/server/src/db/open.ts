import type { Database } from './database.ts'
import { migrate } from './migrations.ts'
import { openPGlite } from './pglite.ts'
import { openPostgres } from './postgres.ts'

export interface DatabaseOptions {
  /** A postgres:// URL: use that server. Otherwise the embedded database in `dataDir` (`memory://` keeps it in memory). */
  url?: string | undefined
  dataDir: string
  /** A new embedded database starts as a copy of this dump (see PGLITE_TEMPLATE). */
  template?: string | undefined
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase({ url, dataDir, template }: DatabaseOptions): Promise<Database> {
  const db = url ? await openPostgres(url) : await openPGlite(dataDir, template)
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}
