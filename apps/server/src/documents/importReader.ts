import { Worker } from 'node:worker_threads'
import type { ImportPreview, ImportWarning } from '@hemicycle/protocol'
import type { FrontMatter } from '@hemicycle/schema'
import { ApiError, unprocessable } from '../http/errors.ts'
import type { TrackedChanges } from './docxInspection.ts'

/**
 * Files to import are read on a thread of their own: a Word file's reading
 * (about 0.1 ms a paragraph, more with formatting), a Markdown file's, the
 * preview and the body's first state are all computation, and on the event
 * loop they held up every editor's typing, every presence and every
 * decision meanwhile (seconds for a long file). On its own thread the
 * reading also has a heap and a time of its own: a file that would take the
 * whole server's memory or minutes of its time ends that thread, not the
 * server, and is refused.
 *
 * One thread, one file at a time: the server keeps its other core for the
 * event loop. Files wait their turn up to a bound on the bytes they hold;
 * past it, a file is refused with a Retry-After rather than held in memory
 * with no end in sight. The
 * thread ends once idle, so a server nobody imports into holds none of it.
 */

export interface ImportReaderLimits {
  /** How long a file may take to read before its thread is ended and the file refused; the longest legitimate one takes a few seconds. */
  timeLimitMs: number
  /** The reading thread's heap: several times what the largest legitimate file needs, a fraction of the server's. */
  heapMb: number
  /** The bytes of the files waiting for the thread (past the one being read) it holds: one more is refused (503 `import_busy`). */
  maxWaitingBytes: number
}

/** Six of the largest files may wait; many small ones (a batch of drafts sent at once) all may. */
export const IMPORT_READER_LIMITS: ImportReaderLimits = { timeLimitMs: 60_000, heapMb: 512, maxWaitingBytes: 32 * 1024 * 1024 }
/** How long the thread lives on after its last file, for the next one (an import is usually a preview, then the import). */
const IDLE_MS = 15_000

/** A file to read: for its preview, or for what creating the resolution stores. */
export type ImportJob = ({ format: 'docx'; trackedChanges?: TrackedChanges } | { format: 'markdown' }) & {
  bytes: Uint8Array
  fileName: string
  want: 'preview' | 'body'
}

/** A file read for its import: its metadata, what it held that the text could not, and its body's first state (checked). */
export interface ReadImport {
  frontMatter: FrontMatter
  warnings: ImportWarning[]
  /** Pending tracked changes nobody said what to do with (then `state` is empty: the import is refused with the question). */
  undecided: number
  state: Uint8Array
}

/** The thread's answer, as structured clone carries it; a refusal as its parts. */
export type ImportAnswer =
  | { read: ReadImport }
  | { preview: ImportPreview }
  | { refusal: { status: number; code: string; message: string; details: Record<string, unknown> } }
  | { failure: string }

interface Waiting {
  job: ImportJob
  resolve: (answer: ReadImport | ImportPreview) => void
  reject: (error: unknown) => void
}

/** The refusal of a file whose client went away while it waited: nobody receives it, the log shows it. */
export const clientGone = (fileName: string) => new ApiError(408, 'client_gone', `"${fileName}" was not read: its request was abandoned while it waited.`)

const tooComplex = (fileName: string, why: string) =>
  unprocessable('too_complex', `"${fileName}" could not be read: ${why}. Split it, or save it again, and import it again.`)

/**
 * The thread's module: compiled next to the server's chunks in production
 * (`build.ts`), TypeScript next to this file in development and tests,
 * where the thread loads it through tsx as the process itself is.
 */
function startThread(heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./importReaderThread.js', import.meta.url), options)
  const entry = new URL('./importReaderThread.ts', import.meta.url).href
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
  return new Worker(bootstrap, { ...options, eval: true })
}

export class ImportReader {
  private thread: Worker | null = null
  private current: Waiting | null = null
  private readonly waiting: Waiting[] = []
  private deadline: NodeJS.Timeout | null = null
  private idle: NodeJS.Timeout | null = null

  constructor(private readonly limits: ImportReaderLimits = IMPORT_READER_LIMITS) {}

  /** `signal`: the request's, aborted when its client goes. */
  read(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ReadImport> {
    return this.ask({ ...job, want: 'body' }, signal) as Promise<ReadImport>
  }

  preview(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ImportPreview> {
    return this.ask({ ...job, want: 'preview' }, signal) as Promise<ImportPreview>
  }

  private ask(job: ImportJob, signal?: AbortSignal): Promise<ReadImport | ImportPreview> {
    if (signal?.aborted) return Promise.reject(clientGone(job.fileName))
    const waitingBytes = this.waiting.reduce((sum, waiting) => sum + waiting.job.bytes.byteLength, 0)
    if (this.current && waitingBytes + job.bytes.byteLength > this.limits.maxWaitingBytes) {
      return Promise.reject(new ApiError(503, 'import_busy', 'Several files are being read for import already; try again in a few seconds.', { 'Retry-After': '5' }))
    }
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { job, resolve, reject }
      // A file whose client went away while it waited leaves the line: read, it would hold the thread and the bytes
      // waiting for nobody, and an import would be created unseen (its client's retry then creating it twice).
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.waiting.indexOf(waiting)
          if (index < 0) return
          this.waiting.splice(index, 1)
          reject(clientGone(job.fileName))
        },
        { once: true },
      )
      this.waiting.push(waiting)
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
    // A copy moved to the thread: moving the caller's own buffer would empty it under the caller (and any view sharing it).
    const bytes = waiting.job.bytes.slice()
    thread.postMessage({ ...waiting.job, bytes }, [bytes.buffer])
    thread.ref()
    const { timeLimitMs } = this.limits
    this.deadline = setTimeout(() => this.fail(tooComplex(waiting.job.fileName, `it took longer than ${timeLimitMs / 1000} s to read`)), timeLimitMs)
  }

  private open(): Worker {
    const thread = startThread(this.limits.heapMb)
    // A thread ended for its time may still deliver the answer it posted meanwhile; by then another file is
    // being read, and that answer would be taken for the other file's: only the current thread is heard.
    thread.on('message', (answer: ImportAnswer) => {
      if (this.thread === thread) this.answered(answer)
    })
    thread.on('error', (error: Error & { code?: string }) => {
      if (this.thread !== thread) return
      const current = this.current
      this.fail(
        current && error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? tooComplex(current.job.fileName, `reading it needed more than ${this.limits.heapMb} MiB`)
          : new Error(`the import reading thread failed: ${error.message}`),
      )
    })
    thread.on('exit', () => {
      if (this.thread === thread) this.fail(new Error('the import reading thread ended'))
    })
    return thread
  }

  private answered(answer: ImportAnswer): void {
    const current = this.settle()
    if (!current) return
    if ('read' in answer) current.resolve(answer.read)
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

const reader = new ImportReader()

/** What importing a file would create (`importPreview`), read and made on the import reading thread. */
export function previewImport(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ImportPreview> {
  return reader.preview(job, signal)
}

/** A file read for its import on the import reading thread, its body checked and encoded (`importedState`). */
export function readImport(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ReadImport> {
  return reader.read(job, signal)
}
