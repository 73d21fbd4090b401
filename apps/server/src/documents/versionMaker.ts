import { ApiError, unprocessable } from '../http/errors.ts'
import { JobThread, type JobThreadLimits } from './jobThread.ts'

/**
 * A language version's first state is made on a thread of its own
 * (`jobThread.ts`): reading the original's stored state and building one
 * empty block per block of it is computation (8,000 paragraphs: about half
 * a second), and on the event loop it held up everyone's typing meanwhile.
 * The caller reads the original's updates (from storage, or the live
 * document's state) and stores what the thread answers.
 *
 * One version at a time; eight wait their turn, one more is refused with
 * 503 `version_busy` and a Retry-After.
 */
export const VERSION_LIMITS: JobThreadLimits = { timeLimitMs: 60_000, heapMb: 512, maxWaiting: 8 }

/** The original's text as Yjs updates, applied in order. */
export interface VersionJob {
  updates: Uint8Array[]
}

/** A version's first state, and the blocks of the original it translates (each empty, so `missing`), in order. */
export interface MadeVersion {
  state: Uint8Array
  sourceIds: string[]
}

const tooComplex = (why: string) => unprocessable('too_complex', `The language version could not be made: ${why}.`)

export class VersionMaker {
  private readonly thread: JobThread<VersionJob, MadeVersion>

  constructor(limits: JobThreadLimits = VERSION_LIMITS) {
    this.thread = new JobThread(
      {
        module: 'versionMakerThread',
        name: 'the language version thread',
        weight: () => 1,
        busy: () => new ApiError(503, 'version_busy', 'Several language versions are being made already; try again in a few seconds.', { 'Retry-After': '5' }),
        tooLong: (_job, limitMs) => tooComplex(`it took longer than ${limitMs / 1000} s`),
        tooMuchMemory: (_job, heapMb) => tooComplex(`it needed more than ${heapMb} MiB`),
        gone: () => new ApiError(408, 'client_gone', 'The language version was not made: its request was abandoned while it waited.'),
      },
      limits,
    )
  }

  make(job: VersionJob): Promise<MadeVersion> {
    return this.thread.run(job)
  }
}

const maker = new VersionMaker()

/** A version's first state made on the language version thread (`versionMakerThread.ts`). */
export function makeVersion(job: VersionJob): Promise<MadeVersion> {
  return maker.make(job)
}
