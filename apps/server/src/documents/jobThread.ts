import { setPriority } from 'node:os'
import { parentPort, Worker } from 'node:worker_threads'
import { ApiError } from '../http/errors.ts'

/**
 * Computation sent to a thread of its own, so that it does not hold the
 * event loop every editor's typing, presence and decision goes through
 * (reading a file to import, producing an export: seconds for a long text).
 * On its own thread the job also has a heap and a time of its own: one that
 * would take the whole server's memory or minutes of its time ends that
 * thread, not the server, and is refused.
 *
 * One thread, one job at a time: the server keeps its other core for the
 * event loop. Jobs wait their turn up to a bound on their weight (the bytes
 * of a file, one per export); past it, a job is refused with a Retry-After
 * rather than held in memory with no end in sight. The thread ends once
 * idle, so a server nobody asks such work of holds none of it.
 *
 * The thread's module answers with `answerJobs`; a refusal it makes
 * (`ApiError`) reaches the caller as it was made.
 */

export interface JobThreadLimits {
  /** How long a job may take before its thread is ended and the job refused. */
  timeLimitMs: number
  /** The thread's heap: several times what the largest legitimate job needs, a fraction of the server's. */
  heapMb: number
  /** The weight of the jobs waiting for the thread (past the one running) it holds: one more is refused (`busy`). */
  maxWaiting: number
  /** The jobs one person may have running or waiting (`ownShare`): one person alone cannot fill the line. */
  maxPerPerson?: number
}

/** What a kind of job is: its thread's module, how much each job weighs, and how its refusals read. */
export interface JobKind<Job> {
  /** The thread's module, a file of `documents/` (`importReaderThread`), and an entry point of `build.ts` of the same name. */
  module: string
  /** The thread as an error names it: "the import reading thread". */
  name: string
  weight(job: Job): number
  /** The job as the thread is sent it, and what of it is moved rather than copied. */
  message?(job: Job): { message: unknown; transfer: ArrayBuffer[] }
  /** The refusal when the jobs waiting weigh too much already (503 with a Retry-After). */
  busy(): ApiError
  tooLong(job: Job, limitMs: number): Error
  tooMuchMemory(job: Job, heapMb: number): Error
  /** The refusal of a job whose client went away while it waited: nobody receives it, the log shows it. */
  gone(job: Job): Error
  /** The refusal of a job past the person's share of the line (`maxPerPerson`). */
  ownShare?(limit: number): Error
}

/** The thread's answer, as structured clone carries it; a refusal as its parts. */
export type JobAnswer<Result> =
  | { result: Result }
  | { refusal: { status: number; code: string; message: string; details: Record<string, unknown> } }
  | { failure: string }

/** Whose job it is, and the request's signal, aborted when its client goes. */
export interface JobRequest {
  signal?: AbortSignal | undefined
  person?: string | undefined
}

/** A place in a thread's line, taken before its job is read (`JobThread.reserve`): the job read is run in it, or the place is released. */
export interface Place<Job, Result> {
  run(job: Job): Promise<Result>
  release(): void
}

/** What a thread's line holds at a moment: jobs produced, waiting and being read, and threads not yet exited (one ended may take a moment to stop). */
export interface LineNow {
  running: number
  waiting: number
  reading: number
  threads: number
}

interface Waiting<Job, Result> {
  job: Job
  person: string | undefined
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

/**
 * The thread's module: compiled next to the server's chunks in production
 * (`build.ts`), TypeScript next to this file in development and tests,
 * where the thread loads it through tsx as the process itself is.
 */
function startThread(module: string, heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${module}.js`, import.meta.url), options)
  const entry = new URL(`./${module}.ts`, import.meta.url).href
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
  return new Worker(bootstrap, { ...options, eval: true })
}

export class JobThread<Job, Result> {
  private thread: Worker | null = null
  /** Threads started and not yet exited, the one ended last included. */
  private readonly alive = new Set<Worker>()
  private current: Waiting<Job, Result> | null = null
  private readonly waiting: Array<Waiting<Job, Result>> = []
  /** Places taken for jobs still being read (`reserve`). */
  private readonly reserved: Array<{ weight: number; person: string | undefined }> = []
  private deadline: NodeJS.Timeout | null = null
  private idle: NodeJS.Timeout | null = null

  constructor(
    private readonly kind: JobKind<Job>,
    private readonly limits: JobThreadLimits,
    /** How long the thread lives on after its last job, for the next one. */
    private readonly idleMs = 15_000,
  ) {}

  line(): LineNow {
    return { running: this.current ? 1 : 0, waiting: this.waiting.length, reading: this.reserved.length, threads: this.alive.size }
  }

  /**
   * `signal`: the request's, aborted when its client goes. A job whose client
   * went away leaves the line (`gone`), and one being produced is stopped:
   * done, it would hold the thread and the line for nobody, and a client
   * that asks and leaves in a loop would keep the thread busy for everyone.
   */
  run(job: Job, request: JobRequest = {}): Promise<Result> {
    try {
      return this.reserve(this.kind.weight(job), request).run(job)
    } catch (refusal) {
      return Promise.reject(refusal)
    }
  }

  /**
   * A place in the line for a job still to be read, taken (or refused, by
   * throwing `busy` or `ownShare`) before it is: a request refused
   * costs no read of what its job would carry (for an export, megabytes of
   * a long text). The place counts as the job would, waiting, until it is
   * run or released.
   */
  reserve(weight: number, { signal, person }: JobRequest = {}): Place<Job, Result> {
    const { maxPerPerson } = this.limits
    if (person !== undefined && maxPerPerson !== undefined && this.kind.ownShare) {
      const own = [this.current, ...this.waiting, ...this.reserved].filter((taken) => taken?.person === person).length
      if (own >= maxPerPerson) throw this.kind.ownShare(maxPerPerson)
    }
    // Places taken while nothing runs: the first of them to be read will run, not wait.
    const ahead = [...this.waiting.map((waiting) => this.kind.weight(waiting.job)), ...this.reserved.map((place) => place.weight)]
    const waitingWeight = ahead.reduce((sum, each) => sum + each, 0) - (this.current ? 0 : (this.reserved[0]?.weight ?? 0))
    if ((this.current || this.reserved.length > 0) && waitingWeight + weight > this.limits.maxWaiting) throw this.kind.busy()
    const reservation = { weight, person }
    this.reserved.push(reservation)
    let settled = false
    const leave = () => {
      if (settled) return false
      settled = true
      this.reserved.splice(this.reserved.indexOf(reservation), 1)
      return true
    }
    return {
      run: (job) => {
        if (!leave()) return Promise.reject(new Error(`${this.kind.name}: a place in its line was used twice`))
        if (signal?.aborted) return Promise.reject(this.kind.gone(job))
        return this.enqueue(job, person, signal)
      },
      release: () => {
        leave()
      },
    }
  }

  private enqueue(job: Job, person: string | undefined, signal: AbortSignal | undefined): Promise<Result> {
    return new Promise((resolve, reject) => {
      const waiting: Waiting<Job, Result> = { job, person, resolve, reject }
      signal?.addEventListener(
        'abort',
        () => {
          // Being produced: the thread is ended (a job is not interruptible otherwise), and the line goes on with a new one.
          if (this.current === waiting) {
            this.fail(this.kind.gone(job))
            return
          }
          const index = this.waiting.indexOf(waiting)
          if (index < 0) return
          this.waiting.splice(index, 1)
          reject(this.kind.gone(job))
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
      this.idle = setTimeout(() => this.end(), this.idleMs)
      this.idle.unref()
      return
    }
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
    this.current = waiting
    try {
      const thread = (this.thread ??= this.open())
      const { message, transfer } = this.kind.message?.(waiting.job) ?? { message: waiting.job, transfer: [] }
      thread.postMessage(message, transfer)
      thread.ref()
    } catch (error) {
      // A job that cannot be sent (one that cannot be copied to the thread), or a thread that cannot start: that job fails,
      // the next goes on. Left as `current`, with no deadline set yet, it held the line for good.
      this.fail(error)
      return
    }
    const { timeLimitMs } = this.limits
    this.deadline = setTimeout(() => this.fail(this.kind.tooLong(waiting.job, timeLimitMs)), timeLimitMs)
  }

  private open(): Worker {
    const thread = startThread(this.kind.module, this.limits.heapMb)
    this.alive.add(thread)
    // A thread ended for its time may still deliver the answer it posted meanwhile; by then another job is
    // running, and that answer would be taken for the other job's: only the current thread is heard.
    thread.on('message', (answer: JobAnswer<Result>) => {
      if (this.thread === thread) this.answered(answer)
    })
    thread.on('error', (error: Error & { code?: string }) => {
      if (this.thread !== thread) return
      const current = this.current
      this.fail(current && error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.kind.tooMuchMemory(current.job, this.limits.heapMb) : new Error(`${this.kind.name} failed: ${error.message}`))
    })
    thread.on('exit', () => {
      this.alive.delete(thread)
      if (this.thread === thread) this.fail(new Error(`${this.kind.name} ended`))
    })
    return thread
  }

  private answered(answer: JobAnswer<Result>): void {
    const current = this.settle()
    if (!current) return
    if ('result' in answer) current.resolve(answer.result)
    else if ('refusal' in answer) {
      const { status, code, message, details } = answer.refusal
      current.reject(new ApiError(status as ConstructorParameters<typeof ApiError>[0], code, message, {}, details))
    } else current.reject(new Error(answer.failure))
    this.next()
  }

  /** Ends the job running (and the thread, which may be stuck in it or broken); the jobs waiting go on with a new thread. */
  private fail(error: unknown): void {
    const current = this.settle()
    this.end()
    current?.reject(error)
    this.next()
  }

  private settle(): Waiting<Job, Result> | null {
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

/** The job thread's nice value: below the event loop (0), so the computation takes what CPU the editors' traffic leaves. */
const JOB_NICENESS = 10

/**
 * The thread's side: answers each job it is sent with `work`'s result, its
 * refusal (`ApiError`) or its failure, one at a time, in order. `transfer`
 * names what of a result is moved back rather than copied.
 */
export function answerJobs<Job, Result>(work: (job: Job) => Result | Promise<Result>, transfer: (result: Result) => ArrayBuffer[] = () => []): void {
  // On Linux a nice value is the calling thread's own (setpriority(2), "per-thread attribute"): on a busy machine the
  // event loop's thread is scheduled before this one. Elsewhere it would be the whole server's, so it is left alone.
  if (process.platform === 'linux') setPriority(JOB_NICENESS)
  const port = parentPort!
  port.on('message', (job: Job) => {
    void answer(work, job).then((reply) => port.postMessage(reply, 'result' in reply ? transfer(reply.result) : []))
  })
}

async function answer<Job, Result>(work: (job: Job) => Result | Promise<Result>, job: Job): Promise<JobAnswer<Result>> {
  try {
    return { result: await work(job) }
  } catch (error) {
    if (error instanceof ApiError) return { refusal: { status: error.status, code: error.code, message: error.message, details: error.details } }
    return { failure: error instanceof Error ? error.message : String(error) }
  }
}
