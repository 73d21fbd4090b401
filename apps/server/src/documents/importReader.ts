import { Worker } from 'node:worker_threads'
import type { ImportPreview } from '@hemicycle/protocol'
import { schema } from '@hemicycle/schema'
import { ApiError, unprocessable } from '../http/errors.ts'
import type { TrackedChanges } from './docxInspection.ts'
import type { ParsedDocx } from './docxReading.ts'

/**
 * Word files are read on a thread of their own. Reading one is slow and all
 * computation (about 0.1 ms a paragraph, more with formatting: half a second
 * for a long resolution), and on the event loop it held up every editor's
 * typing, every presence and every decision meanwhile. On its own thread
 * it also has a heap and a time of its own: a file that would take the whole
 * server's memory or minutes of its time ends that thread, not the server,
 * and is refused.
 *
 * One thread, one file at a time: the server keeps its other core for the
 * event loop. A few files wait their turn; past that, a file is refused
 * with a Retry-After rather than held in memory with no end in sight. The
 * thread ends once idle, so a server nobody imports into holds none of it.
 */

export interface WordReaderLimits {
  /** How long a file may take to read before its thread is ended and the file refused; the longest legitimate one takes a few seconds. */
  timeLimitMs: number
  /** The reading thread's heap: several times what the largest legitimate file needs, a fraction of the server's. */
  heapMb: number
  /** Files waiting for the thread past the one being read; one more is refused (503 `import_busy`). */
  maxWaiting: number
}

export const WORD_READER_LIMITS: WordReaderLimits = { timeLimitMs: 60_000, heapMb: 512, maxWaiting: 4 }
/** How long the thread lives on after its last file, for the next one (an import is usually a preview, then the import). */
const IDLE_MS = 15_000

export interface WordJob {
  bytes: Uint8Array
  fileName: string
  trackedChanges?: TrackedChanges
  /** The preview of an import (its Markdown, § and line counts: as long to make as the reading itself for a long file), not the body. */
  preview?: boolean
}

/** The thread's answer, as structured clone carries it: the body as ProseMirror JSON, a refusal as its parts. */
export type WordAnswer =
  | { parsed: Omit<ParsedDocx, 'doc'> & { doc: unknown } }
  | { preview: ImportPreview }
  | { refusal: { status: number; code: string; message: string; details: Record<string, unknown> } }
  | { failure: string }

interface Waiting {
  job: WordJob
  resolve: (answer: ParsedDocx | ImportPreview) => void
  reject: (error: unknown) => void
}

const tooComplex = (fileName: string, why: string) =>
  unprocessable('too_complex', `"${fileName}" could not be read: ${why}. Save it again from Word (or as Markdown), or split it, and import it again.`)

/**
 * The thread's module: compiled next to the server's chunks in production
 * (`build.ts`), TypeScript next to this file in development and tests,
 * where the thread loads it through tsx as the process itself is.
 */
function startThread(heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./wordReaderThread.js', import.meta.url), options)
  const entry = new URL('./wordReaderThread.ts', import.meta.url).href
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
  return new Worker(bootstrap, { ...options, eval: true })
}

export class WordReader {
  private thread: Worker | null = null
  private current: Waiting | null = null
  private readonly waiting: Waiting[] = []
  private deadline: NodeJS.Timeout | null = null
  private idle: NodeJS.Timeout | null = null

  constructor(private readonly limits: WordReaderLimits = WORD_READER_LIMITS) {}

  read(job: Omit<WordJob, 'preview'>): Promise<ParsedDocx> {
    return this.ask(job) as Promise<ParsedDocx>
  }

  preview(job: Omit<WordJob, 'preview'>): Promise<ImportPreview> {
    return this.ask({ ...job, preview: true }) as Promise<ImportPreview>
  }

  private ask(job: WordJob): Promise<ParsedDocx | ImportPreview> {
    if (this.current && this.waiting.length >= this.limits.maxWaiting) {
      return Promise.reject(new ApiError(503, 'import_busy', 'Several Word files are being read already; try again in a few seconds.', { 'Retry-After': '5' }))
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject })
      this.next()
    })
  }

  private next(): void {
    if (this.current) return
    const waiting = this.waiting.shift()
    if (!waiting) {
      this.idle = setTimeout(() => this.end(), IDLE_MS)
      this.idle.unref()
      return
    }
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
    this.current = waiting
    const thread = (this.thread ??= this.open())
    // The bytes are the request's own copy: moved to the thread, not copied again.
    const bytes = waiting.job.bytes.slice()
    thread.postMessage({ ...waiting.job, bytes }, [bytes.buffer])
    thread.ref()
    const { timeLimitMs } = this.limits
    this.deadline = setTimeout(() => this.fail(tooComplex(waiting.job.fileName, `it took longer than ${timeLimitMs / 1000} s to read`)), timeLimitMs)
  }

  private open(): Worker {
    const thread = startThread(this.limits.heapMb)
    thread.on('message', (answer: WordAnswer) => this.answered(answer))
    thread.on('error', (error: Error & { code?: string }) => {
      const current = this.current
      this.fail(
        current && error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? tooComplex(current.job.fileName, `reading it needed more than ${this.limits.heapMb} MiB`)
          : new Error(`the Word reading thread failed: ${error.message}`),
      )
    })
    thread.on('exit', () => {
      if (this.thread === thread) this.fail(new Error('the Word reading thread ended'))
    })
    return thread
  }

  private answered(answer: WordAnswer): void {
    const current = this.settle()
    if (!current) return
    if ('parsed' in answer) current.resolve({ ...answer.parsed, doc: schema.nodeFromJSON(answer.parsed.doc) })
    else if ('preview' in answer) current.resolve(answer.preview)
    else if ('refusal' in answer) {
      const { status, code, message, details } = answer.refusal
      current.reject(new ApiError(status as ConstructorParameters<typeof ApiError>[0], code, message, {}, details))
    } else current.reject(new Error(answer.failure))
    this.next()
  }

  /** Ends the file being read (and the thread, which may be stuck in it or broken); the files waiting go on with a new thread. */
  private fail(error: unknown): void {
    const current = this.settle()
    this.end()
    current?.reject(error)
    this.next()
  }

  private settle(): Waiting | null {
    const current = this.current
    this.current = null
    if (this.deadline) clearTimeout(this.deadline)
    this.deadline = null
    this.thread?.unref()
    return current
  }

  private end(): void {
    const thread = this.thread
    this.thread = null
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
    void thread?.terminate()
  }
}

const reader = new WordReader()

/** What `parseDocx` reads from a Word file, read on the Word reading thread. */
export function readWordFile(bytes: Uint8Array, fileName: string, options: { trackedChanges?: TrackedChanges } = {}): Promise<ParsedDocx> {
  return reader.read({ bytes, fileName, ...options })
}

/** What importing a Word file would create (`importPreview`), read and made on the Word reading thread. */
export function previewWordFile(bytes: Uint8Array, fileName: string, options: { trackedChanges?: TrackedChanges } = {}): Promise<ImportPreview> {
  return reader.preview({ bytes, fileName, ...options })
}
