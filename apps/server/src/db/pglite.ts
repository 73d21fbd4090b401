import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PGlite, types } from '@electric-sql/pglite'
import { setFlagsFromString } from 'node:v8'
import type { Database, Queryable, Statement } from './database.ts'
import { ProcessLocks } from './processLocks.ts'

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

/**
 * PostgreSQL's memory inside PGlite, sized for one process serving a few
 * hundred people rather than a shared server: the buffer cache is touched
 * (and so resident) in full at start, and the operating system's page cache
 * keeps the data files warm anyway. The default 128 MB buffer cache alone
 * was a third of the server's resident memory.
 */
const SETTINGS = {
  shared_buffers: '8MB',
  temp_buffers: '1MB',
  wal_buffers: '256kB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  max_connections: '3',
}

/**
 * PGlite's WebAssembly runs on V8's baseline compiler only. With tiering up,
 * V8 compiles PostgreSQL's hot functions again with its optimising compiler
 * on its worker threads, whose allocator keeps the 50-65 MiB this takes
 * resident for good: with the demo loaded the server stood at 175-233 MiB at
 * rest, and at 146-169 MiB without. The cost is CPU in the database's own
 * work (measured: 2.09-2.21 s against 1.86-1.92 s of server CPU for the
 * 200-client fan-out). The flag is read when the module is compiled, that
 * is when the first PGlite opens, so it is set just before; the server has
 * no other WebAssembly.
 */
const WASM_FLAGS = '--liftoff-only'

const startParams = [...PGlite.defaultStartParams, ...Object.entries(SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])]

/** A dump (`dumpDataDir`'s tarball) as PGlite loads one. */
const dump = (file: string) => ({ loadDataDir: new Blob([readFileSync(file)]) })

/** Whether a template is a data directory (a whole cluster, copied as files) rather than a dump. */
function isDirectoryTemplate(template: string): boolean {
  if (!statSync(template).isDirectory()) return false
  if (!existsSync(join(template, 'PG_VERSION'))) throw new Error(`PGLITE_TEMPLATE ${template} is a directory without PG_VERSION: not a database`)
  return true
}

/**
 * Lays a template out as the data directory: a dump loaded, or a directory's files copied (about 0.3 s where loading
 * the dump takes 1-1.5, PGlite starting twice), beside it, then moved into it with PG_VERSION last, so a process killed
 * half-way leaves a directory without PG_VERSION, which the next start fills again, never a half-copied cluster taken
 * for a whole one. Only its owner may read it, as initdb leaves a cluster (PGlite's loader writes 0755 and 0644).
 */
async function copyTemplate(template: string, dataDir: string): Promise<void> {
  const partial = `${resolve(dataDir)}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  try {
    if (isDirectoryTemplate(template)) {
      cpSync(template, partial, { recursive: true })
    } else {
      mkdirSync(partial, { mode: 0o700 })
      const pg = new PGlite(partial, { startParams, ...dump(template) })
      await pg.waitReady
      await pg.close()
    }
    chmodSync(dataDir, 0o700)
    const entries = readdirSync(partial).filter((entry) => entry !== 'PG_VERSION')
    for (const entry of [...entries, 'PG_VERSION']) {
      rmSync(join(dataDir, entry), { recursive: true, force: true })
      renameSync(join(partial, entry), join(dataDir, entry))
    }
  } finally {
    rmSync(partial, { recursive: true, force: true })
  }
}

/**
 * Bytes (every stored update, snapshot and version) to and from PostgreSQL's
 * hex text with Node's own codec. PGlite's JavaScript codec took 2.1 s to
 * send a 5 MiB snapshot and 0.5 s to read it back, on the event loop (the
 * first state of a 20,000-paragraph import held it 2.7 s); Node's takes
 * 0.3 s and 0.08 s. Same bytes either way (`pglite.test.ts`).
 */
export const BYTEA_CODEC = {
  serializers: {
    [types.BYTEA]: (value: unknown) =>
      value instanceof Uint8Array ? `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` : types.serializers[types.BYTEA]!(value),
  },
  // A copy in a buffer of its own: a Buffer from Node's pool shares its memory with others.
  parsers: { [types.BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
}

/**
 * Embedded PostgreSQL (WASM) in a data directory, or in memory for `memory://`: the default, needing no setup. A new
 * one is a copy of `template` when given (a dump from `dumpDataDir`; for a directory on disk, also a closed cluster's
 * data directory), otherwise an empty cluster.
 */
export async function openPGlite(dataDir: string, template?: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://')
  setFlagsFromString(WASM_FLAGS)
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true })
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      if (template) await copyTemplate(template, dataDir)
      else createCluster(dataDir)
    }
  }
  if (inMemory && template && isDirectoryTemplate(template)) throw new Error(`PGLITE_TEMPLATE ${template} is a directory: a database in memory starts from a dump (.tar or .tar.gz) only`)
  const pg = new PGlite(dataDir, { startParams, ...BYTEA_CODEC, ...(inMemory && template ? dump(template) : {}) })
  await pg.waitReady
  return pgliteDatabase(pg)
}

const queryable = (target: Pick<PGlite, 'query'>): Queryable => ({
  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const result = await target.query<Row>(sql, [...params])
    return result.rows
  },
})

/**
 * A parameter as a literal of `execute`, or null where it has none here
 * (the statement then runs with parameters). Text is an escape string,
 * every backslash and quote doubled, so that nothing in it reads as SQL
 * whatever `standard_conforming_strings` says; bytes are hex. PostgreSQL
 * holds no U+0000 in text, as a parameter either.
 */
export function literalOf(value: unknown): string | null {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Uint8Array) return `E'\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${value.toISOString()}'`
  if (typeof value === 'string') return value.includes('\0') ? null : `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
  if (typeof value === 'number') return Number.isFinite(value) ? `'${value}'` : null
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return null
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/
const TYPE = /^[a-z_][a-z0-9_ ]*(\[\])?$/

/**
 * Prepared statements on PGlite's one connection. Its `query` parses and
 * plans each statement again (five protocol messages through the
 * WebAssembly, on the event loop): storing a typed word took 0.64 ms,
 * and takes 0.3 through a prepared statement. PGlite has no
 * named statements of its own, so SQL's PREPARE and EXECUTE, the parameters
 * written as literals (`literalOf`).
 */
function preparedStatements(pg: PGlite): Database['run'] {
  const prepared = new Map<string, Promise<unknown>>()
  return async <Row>({ name, sql, types }: Statement, params: readonly unknown[]) => {
    if (!IDENTIFIER.test(name) || !types.every((type) => TYPE.test(type)) || params.length !== types.length) throw new Error(`statement ${name} cannot be prepared as given`)
    const literals = params.map(literalOf)
    if (literals.some((literal) => literal === null)) return (await pg.query<Row>(sql, [...params])).rows
    let ready = prepared.get(name)
    if (!ready) {
      ready = pg.query(`prepare ${name} (${types.join(', ')}) as ${sql}`)
      prepared.set(name, ready)
      // A statement that failed to prepare is tried again next time, and says why now.
      ready.catch(() => prepared.delete(name))
    }
    await ready
    // A simple query, one message where `query` sends five: nothing in it is a parameter.
    const [result] = await pg.exec(`execute ${name} (${literals.join(', ')})`)
    return (result?.rows ?? []) as Row[]
  }
}

/** The storage interface over an open PGlite. */
export function pgliteDatabase(pg: PGlite): Database {
  const locks = new ProcessLocks()
  return {
    kind: 'pglite',
    ...queryable(pg),
    run: preparedStatements(pg),
    async exec(sql) {
      await pg.exec(sql)
    },
    transaction: (work) => pg.transaction((tx) => work(queryable(tx))),
    // Only this process can open the data directory: its instances are all here.
    lock: (key, mode) => locks.acquire(key, mode === 'exclusive'),
    async close() {
      await pg.close()
    },
  }
}
