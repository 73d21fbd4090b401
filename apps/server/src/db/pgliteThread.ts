import { setFlagsFromString } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite, types, type Transaction } from '@electric-sql/pglite'

/**
 * The embedded database's own thread: PGlite runs PostgreSQL compiled to
 * WebAssembly, synchronously, on whichever thread calls it. On the event
 * loop, every statement held everyone's typing, presence and decisions for
 * its whole length (a log insert 2-4 ms with 200 people connected, a
 * compaction's slices up to 16 ms, a page of amendments longer); here the
 * event loop only sends the statement and reads the rows back.
 *
 * Spoken to with `PGliteRequest`s and answered with `PGliteAnswer`s by
 * `pglite.ts`; what crosses is copied by structured clone, except the bytes
 * read, which are moved.
 */

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
 * is when the first PGlite opens, so it is set just before; V8's flags are
 * the process's, and the server has no other WebAssembly.
 */
const WASM_FLAGS = '--liftoff-only'

const startParams = [...PGlite.defaultStartParams, ...Object.entries(SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])]

/**
 * Bytes (every stored update, snapshot and version) to and from PostgreSQL's
 * hex text with Node's own codec. PGlite's JavaScript codec took 2.1 s to
 * send a 5 MiB snapshot and 0.5 s to read it back; Node's takes 0.3 s and
 * 0.08 s. Same bytes either way (`pglite.test.ts`).
 */
export const BYTEA_CODEC = {
  serializers: {
    [types.BYTEA]: (value: unknown) =>
      value instanceof Uint8Array ? `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` : types.serializers[types.BYTEA]!(value),
  },
  // A copy in a buffer of its own: a Buffer from Node's pool shares its memory with others (and its own buffer can be moved to the event loop).
  parsers: { [types.BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
}

export type PGliteRequest =
  | { id: number; kind: 'query'; sql: string; params: unknown[]; transaction?: number | undefined }
  | { id: number; kind: 'exec'; sql: string }
  | { id: number; kind: 'begin' }
  | { id: number; kind: 'end'; transaction: number; commit: boolean }
  | { id: number; kind: 'close' }

/** An error as its parts (PostgreSQL's `code`, `detail`, `constraint`…): structured clone keeps only an Error's message. */
export type ErrorParts = { message: string } & Record<string, unknown>

export type PGliteAnswer =
  | { id: number; rows: unknown[] }
  | { id: number; transaction: number }
  | { id: number; done: true }
  | { id: number; error: ErrorParts }

/** Opening's answer, before any request. */
export type PGliteOpened = { opened: true } | { failed: ErrorParts }

export interface PGliteThreadData {
  dataDir: string
}

const errorParts = (error: unknown): ErrorParts => {
  if (!(error instanceof Error)) return { message: String(error) }
  const parts: ErrorParts = { message: error.message, name: error.name }
  for (const [key, value] of Object.entries(error)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) parts[key] = value
  return parts
}

/** The bytes of the rows, each a Uint8Array with an ArrayBuffer of its own (`BYTEA_CODEC`): moved, not copied, to the event loop. */
function ownBuffers(rows: unknown[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue
    for (const value of Object.values(row)) {
      if (value instanceof Uint8Array && value.buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.byteLength > 0) buffers.add(value.buffer)
    }
  }
  return [...buffers]
}

/** A transaction open on the thread: its statements run on `tx` until the event loop ends it (`end`, with the request to answer). */
interface Open {
  tx: Transaction | null
  end: (ending: Ending) => void
}

interface Ending {
  commit: boolean
  id: number
}

/** Thrown inside PGlite's transaction to roll it back when the event loop asks. */
const ROLLBACK = Symbol('rollback')

async function serve(port: NonNullable<typeof parentPort>, { dataDir }: PGliteThreadData): Promise<void> {
  setFlagsFromString(WASM_FLAGS)
  let pg: PGlite
  try {
    pg = new PGlite(dataDir, { startParams, ...BYTEA_CODEC })
    await pg.waitReady
  } catch (error) {
    port.postMessage({ failed: errorParts(error) } satisfies PGliteOpened)
    return
  }
  port.postMessage({ opened: true } satisfies PGliteOpened)

  const open = new Map<number, Open>()
  let transactions = 0
  const answer = (message: PGliteAnswer, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)
  const failed = (id: number) => (error: unknown) => answer({ id, error: errorParts(error) })
  const ended = (id: number) => answer({ id, error: { message: 'that transaction has ended' } })

  /**
   * PGlite's own transaction, held open until the event loop ends it: PGlite
   * runs one at a time, and statements outside it wait, as they did when
   * PGlite ran on the event loop.
   */
  const begin = (id: number): void => {
    const transaction = ++transactions
    let end!: (ending: Ending) => void
    const ending = new Promise<Ending>((resolve) => (end = resolve))
    const entry: Open = { tx: null, end }
    open.set(transaction, entry)
    let asked: Ending | undefined
    pg.transaction(async (tx) => {
      entry.tx = tx
      answer({ id, transaction })
      asked = await ending
      open.delete(transaction)
      if (!asked.commit) throw ROLLBACK
    }).then(
      () => answer({ id: asked!.id, done: true }),
      (error: unknown) => {
        open.delete(transaction)
        if (error === ROLLBACK) answer({ id: asked!.id, done: true })
        // BEGIN failed (nothing was answered yet), or COMMIT did.
        else answer({ id: asked?.id ?? id, error: errorParts(error) })
      },
    )
  }

  port.on('message', (request: PGliteRequest) => {
    switch (request.kind) {
      case 'query': {
        const target = request.transaction === undefined ? pg : open.get(request.transaction)?.tx
        if (!target) return ended(request.id)
        target.query(request.sql, request.params).then(({ rows }) => answer({ id: request.id, rows }, ownBuffers(rows)), failed(request.id))
        return
      }
      case 'exec':
        pg.exec(request.sql).then(() => answer({ id: request.id, done: true }), failed(request.id))
        return
      case 'begin':
        return begin(request.id)
      case 'end': {
        const entry = open.get(request.transaction)
        if (!entry?.tx) return ended(request.id)
        open.delete(request.transaction)
        entry.end({ commit: request.commit, id: request.id })
        return
      }
      case 'close':
        pg.close().then(() => answer({ id: request.id, done: true }), failed(request.id))
        return
    }
  })
}

if (parentPort) void serve(parentPort, workerData as PGliteThreadData)
