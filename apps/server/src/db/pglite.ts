import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.ts'

/**
 * Creates a new data directory in a short-lived child process. Creating the
 * cluster (initdb) grows PGlite's WebAssembly memory to about 800 MiB, which
 * a process never gives back; opening an existing directory needs about 330.
 */
function createCluster(dataDir: string): void {
  const module = import.meta.resolve('@electric-sql/pglite')
  const script = `const { PGlite } = await import(${JSON.stringify(module)}); const pg = new PGlite(${JSON.stringify(dataDir)}); await pg.waitReady; await pg.close()`
  execFileSync(process.execPath, ['--input-type=module', '--eval', script], { stdio: 'inherit' })
}

/** Embedded PostgreSQL (WASM) in a data directory, or in memory for `memory://`: the default, needing no setup. */
export async function openPGlite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true })
    if (!existsSync(join(dataDir, 'PG_VERSION'))) createCluster(dataDir)
  }
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
