import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { startThread } from '../threadModule.ts'
import type { Database, Queryable } from './database.ts'
import type { ErrorParts, PGliteAnswer, PGliteOpened, PGliteRequest, PGliteThreadData } from './pgliteThread.ts'
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

/** An error the database thread reported, with PostgreSQL's fields (`code`, `detail`…) as PGlite gave them. */
const errorOf = ({ message, ...fields }: ErrorParts): Error => Object.assign(new Error(message), fields)

type Request = PGliteRequest extends infer R ? (R extends PGliteRequest ? Omit<R, 'id'> : never) : never

/**
 * Embedded PostgreSQL (WASM) in a data directory, or in memory for
 * `memory://`: the default, needing no setup. PGlite runs on a thread of its
 * own (`pgliteThread.ts`), so its statements do not hold the event loop.
 */
export async function openPGlite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true })
    if (!existsSync(join(dataDir, 'PG_VERSION'))) createCluster(dataDir)
  }
  // A small young generation: the thread's objects are rows on their way out, and V8's default keeps 10 MiB more resident for them.
  const thread = startThread(import.meta.url, 'pgliteThread', { workerData: { dataDir } satisfies PGliteThreadData, resourceLimits: { maxYoungGenerationSizeMb: 2 } })
  await opened(thread)

  const waiting = new Map<number, { resolve: (answer: PGliteAnswer) => void; reject: (error: Error) => void }>()
  let requests = 0
  // Once the thread is gone, nothing it was asked will be answered: every wait ends with the reason, and so does every later request.
  let gone: Error | null = null
  const end = (error: Error) => {
    gone ??= error
    for (const { reject } of waiting.values()) reject(gone)
    waiting.clear()
  }
  thread.on('message', (answer: PGliteAnswer) => {
    const asked = waiting.get(answer.id)
    if (!asked) return
    waiting.delete(answer.id)
    if ('error' in answer) asked.reject(errorOf(answer.error))
    else asked.resolve(answer)
  })
  thread.on('error', (error) => end(new Error(`the embedded database's thread failed: ${error.message}`)))
  thread.on('exit', (code) => end(new Error(`the embedded database's thread ended (exit code ${code})`)))

  const ask = (request: Request): Promise<PGliteAnswer> => {
    if (gone) return Promise.reject(gone)
    const id = ++requests
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject })
      thread.postMessage({ ...request, id })
    })
  }
  const queryable = (transaction?: number): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const answer = await ask({ kind: 'query', sql, params: [...params], transaction })
      return ('rows' in answer ? answer.rows : []) as Row[]
    },
  })
  const locks = new ProcessLocks()

  return {
    kind: 'pglite',
    ...queryable(),
    async exec(sql) {
      await ask({ kind: 'exec', sql })
    },
    async transaction(work) {
      const begun = await ask({ kind: 'begin' })
      if (!('transaction' in begun)) throw new Error('the embedded database began no transaction')
      let result
      try {
        result = await work(queryable(begun.transaction))
      } catch (error) {
        // The work's own error says more than a failed rollback's would.
        await ask({ kind: 'end', transaction: begun.transaction, commit: false }).catch(() => undefined)
        throw error
      }
      await ask({ kind: 'end', transaction: begun.transaction, commit: true })
      return result
    },
    // Only this process can open the data directory: its instances are all here.
    lock: (key, mode) => locks.acquire(key, mode === 'exclusive'),
    async close() {
      if (!gone) await ask({ kind: 'close' })
      end(new Error('the embedded database is closed'))
      await thread.terminate()
    },
  }
}

/** Waits for the thread to have opened the database, or says why it could not. */
function opened(thread: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const exited = (code: number) => reject(new Error(`the embedded database's thread ended before it opened (exit code ${code})`))
    thread.once('exit', exited)
    thread.once('error', reject)
    thread.once('message', (message: PGliteOpened) => {
      thread.off('exit', exited)
      thread.off('error', reject)
      if ('opened' in message) resolve()
      else {
        void thread.terminate()
        reject(errorOf(message.failed))
      }
    })
  })
}
