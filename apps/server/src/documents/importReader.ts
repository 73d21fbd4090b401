import type { ImportPreview, ImportWarning } from '@hemicycle/protocol'
import type { FrontMatter } from '@hemicycle/schema'
import { ApiError, unprocessable } from '../http/errors.ts'
import type { TrackedChanges } from './docxInspection.ts'
import { type JobKind, JobThread } from './jobThread.ts'

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
 * One thread, one file at a time (`jobThread.ts`): files wait their turn up
 * to a bound on the bytes they hold; past it, a file is refused with a
 * Retry-After. The thread ends once idle, so a server nobody imports into
 * holds none of it.
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

/** The refusal of a file whose client went away while it waited or was read: nobody receives it, the log shows it. */
export const clientGone = (fileName: string) => new ApiError(408, 'client_gone', `"${fileName}" was not read: its request was abandoned.`)

const tooComplex = (fileName: string, why: string) =>
  unprocessable('too_complex', `"${fileName}" could not be read: ${why}. Split it, or save it again, and import it again.`)

/** Files to import as jobs of the import reading thread (`jobThread.ts`): weighed by their bytes. */
const READING: JobKind<ImportJob> = {
  module: 'importReaderThread',
  name: 'the import reading thread',
  weight: (job) => job.bytes.byteLength,
  message: (job) => {
    // A copy moved to the thread: moving the caller's own buffer would empty it under the caller (and any view sharing it).
    const bytes = job.bytes.slice()
    return { message: { ...job, bytes }, transfer: [bytes.buffer] }
  },
  busy: () => new ApiError(503, 'import_busy', 'Several files are being read for import already; try again in a few seconds.', { 'Retry-After': '5' }),
  tooLong: (job, limitMs) => tooComplex(job.fileName, `it took longer than ${limitMs / 1000} s to read`),
  tooMuchMemory: (job, heapMb) => tooComplex(job.fileName, `reading it needed more than ${heapMb} MiB`),
  // A file read for nobody would also be an import created unseen, and made again by the client's retry.
  gone: (job) => clientGone(job.fileName),
}

export class ImportReader {
  private readonly thread: JobThread<ImportJob, ReadImport | ImportPreview>

  constructor(limits: ImportReaderLimits = IMPORT_READER_LIMITS) {
    // Read as each file starts, as the thread reads its own (a test shortens one file's time).
    const threadLimits = {
      get timeLimitMs() {
        return limits.timeLimitMs
      },
      get heapMb() {
        return limits.heapMb
      },
      get maxWaiting() {
        return limits.maxWaitingBytes
      },
    }
    this.thread = new JobThread(READING, threadLimits, IDLE_MS)
  }

  /** `signal`: the request's, aborted when its client goes. */
  read(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ReadImport> {
    return this.thread.run({ ...job, want: 'body' }, { signal }) as Promise<ReadImport>
  }

  preview(job: Omit<ImportJob, 'want'>, signal?: AbortSignal): Promise<ImportPreview> {
    return this.thread.run({ ...job, want: 'preview' }, { signal }) as Promise<ImportPreview>
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
