import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.ts'

/** Embedded PostgreSQL (WASM) in a data directory, or in memory for `memory://`: the default, needing no setup. */
export async function openPGlite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  const pg = new PGlite(dataDir)
  await pg.waitReady

  const queryable = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, [...params])
      return result.rows
    },
  })

  return {
    kind: 'pglite',
    ...queryable(pg),
    async exec(sql) {
      await pg.exec(sql)
    },
    transaction: (work) => pg.transaction((tx) => work(queryable(tx))),
    async close() {
      await pg.close()
    },
  }
}
