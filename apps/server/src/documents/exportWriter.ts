import { ApiError, unprocessable } from '../http/errors.ts'
import type { ExportJob, ExportOutput } from './exportJobs.ts'
import { type JobRequest, JobThread, type JobThreadLimits, type LineNow } from './jobThread.ts'

/**
 * Exports are produced on a thread of their own (`jobThread.ts`): a long
 * resolution's PDF, DOCX, Markdown, archival record or redline is seconds of
 * computation (8,000 paragraphs: the PDF 2.4 s, the record 2.6 s, the
 * redline's PDF 6.3 s), and on the event loop it held up every editor's
 * typing, presence and decision meanwhile; anyone logged in may export,
 * so a client asking for them in a loop froze the meeting. The routes take
 * the export's place in the line, then read what it needs from the database
 * on the event loop, send it to the thread as plain data (`exportJobs.ts`),
 * and send back what it answers. The place comes first: an export refused
 * reads nothing (the longest texts are megabytes).
 *
 * One export at a time; eight wait their turn, one more is refused with
 * 503 `export_busy` and a Retry-After. An export that would take more than
 * its time or heap ends the thread, not the server, and is refused (422
 * `too_complex`). One whose client goes leaves the line, and is stopped if
 * it is being produced (its thread ended, the next export on a new one).
 *
 * The largest measured (`test/redline20k.test.ts`): the redline of 20,000
 * paragraphs, each changed, as PDF, 23-35 s and a 775-786 MB heap at its peak
 * on a shared 2-core machine; with a change every 1,000 paragraphs, 16-22 s
 * and 450 MB. Past either limit an export is refused 422, never cut short.
 */
export const EXPORT_LIMITS: JobThreadLimits = { timeLimitMs: 60_000, heapMb: 1024, maxWaiting: 8, maxPerPerson: 2 }

/** Whose export it is, and the request's signal, aborted when its client goes. */
export type ExportRequest = JobRequest

/** An export as plain data, or how to read it once its place in the line is taken. */
export type ExportAsked = ExportJob | (() => Promise<ExportJob>)

// A client that asks and goes, in a loop, would otherwise keep the line full, and the thread busy, for nobody.
const gone = () => new ApiError(408, 'client_gone', 'This export was not produced: its request was abandoned.')

const tooComplex = (why: string) => unprocessable('too_complex', `This export could not be produced: ${why}. Export a part of it (a saved version, a filtered booklet), or ask the secretariat.`)

export class ExportWriter {
  private readonly thread: JobThread<ExportJob, ExportOutput>

  constructor(limits: JobThreadLimits = EXPORT_LIMITS) {
    this.thread = new JobThread(
      {
        module: 'exportThread',
        name: 'the export thread',
        // Each export waiting holds its text (a few MiB for the longest): they are counted, not weighed.
        weight: () => 1,
        busy: () => new ApiError(503, 'export_busy', 'Several exports are being produced already; try again in a few seconds.', { 'Retry-After': '5' }),
        tooLong: (_job, limitMs) => tooComplex(`it took longer than ${limitMs / 1000} s`),
        tooMuchMemory: (_job, heapMb) => tooComplex(`it needed more than ${heapMb} MiB`),
        gone,
        // One person asking in a loop would otherwise hold every place in the line, and everyone else's exports.
        ownShare: (limit) => new ApiError(429, 'too_many_exports', `You have ${limit} exports being produced already; try again when one is done.`, { 'Retry-After': '5' }),
      },
      limits,
    )
  }

  line(): LineNow {
    return this.thread.line()
  }

  /** `asked` as a function is called once the export has its place: refused (503, 429), it is not. */
  async write(asked: ExportAsked, request: ExportRequest = {}): Promise<ExportOutput> {
    if (typeof asked !== 'function') return this.thread.run(asked, request)
    // Gone already: the place would only be taken, and the text read, for nobody.
    if (request.signal?.aborted) throw gone()
    const place = this.thread.reserve(1, request)
    // A client gone while its export is read gives its place back at once, not when (if ever) the read settles.
    const { signal } = request
    let onGone = () => {}
    const abandoned = new Promise<never>((_resolve, reject) => {
      onGone = () => reject(gone())
      signal?.addEventListener('abort', onGone, { once: true })
    })
    let job: ExportJob
    try {
      job = await Promise.race([asked(), abandoned])
    } catch (error) {
      place.release()
      throw error
    } finally {
      signal?.removeEventListener('abort', onGone)
    }
    return place.run(job)
  }
}

const writer = new ExportWriter()

/** An export produced on the export thread (`produceExport`); `asked` as a function is read once it has its place in the line. */
export function writeExport(asked: ExportAsked, request: ExportRequest): Promise<ExportOutput> {
  return writer.write(asked, request)
}

/** What the export line holds now: exports produced, waiting and being read, and the export threads alive. */
export function exportLine(): LineNow {
  return writer.line()
}
