import type { Database } from './database.ts'
import { migrate } from './migrations.ts'

export interface DatabaseOptions {
  /** A postgres:// URL: use that server. Otherwise the embedded database in `dataDir` (`memory://` keeps it in memory). */
  url?: string | undefined
  dataDir: string
  /** A new embedded database starts as a copy of this dump (see PGLITE_TEMPLATE). */
  template?: string | undefined
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase({ url, dataDir, template }: DatabaseOptions): Promise<Database> {
  // Each engine's modules are loaded only when it is the one used: PGlite's take 150 ms of a start, pg's 60.
  const db = url ? await (await import('./postgres.ts')).openPostgres(url) : await (await import('./pglite.ts')).openPGlite(dataDir, template)
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}
