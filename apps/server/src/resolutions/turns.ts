import type { Database } from '../db/database.ts'

/**
 * One procedural step of a resolution at a time: tabling, decisions,
 * compromises and stage moves of one resolution queue behind each other, so
 * two of them never rebase on, or hash, the same moment of the text, and a
 * decision never lands between the checks and the record of a stage move.
 * Steps of different resolutions run side by side.
 *
 * Across instances, each turn also holds the database's lock for the
 * resolution (a PostgreSQL advisory lock; on the embedded database, whose
 * instances all live in one process, a lock in that process). Loading a
 * document takes the same lock shared, so it never overlaps another
 * instance's turn: a stage change cannot pass a document being loaded
 * without that document hearing of it.
 */
export class ResolutionTurns {
  private readonly queues = new Map<string, Promise<unknown>>()
  /** Resolutions with a turn of this instance's started (waiting for the lock or running): their loads go straight in. */
  private readonly started = new Map<string, number>()
  /** Per resolution, this instance's loads that asked for the shared lock and do not have it yet. */
  private readonly asking = new Map<string, Set<Promise<unknown>>>()

  constructor(private readonly locks: Pick<Database, 'lock'> | null = null) {}

  run<T>(resolutionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(resolutionId) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(() => this.take(resolutionId, work))
    this.queues.set(resolutionId, next)
    void next
      .finally(() => {
        if (this.queues.get(resolutionId) === next) this.queues.delete(resolutionId)
      })
      .catch(() => {})
    return next
  }

  private async take<T>(resolutionId: string, work: () => Promise<T>): Promise<T> {
    // Marked before waiting for the lock: a load this turn will wait for must not wait for the turn in turn.
    this.started.set(resolutionId, (this.started.get(resolutionId) ?? 0) + 1)
    try {
      // A load that asked for the shared lock before this turn started and does not have it yet would queue, in
      // PostgreSQL, behind this turn's exclusive lock, while the turn waits for that very load (it opens the document):
      // neither ever ran again, and every later step of the resolution queued behind them (helper-174, a vote's close and
      // a decision by hand fired at once). The turn asks once those loads hold theirs: they end without it.
      const asking = this.asking.get(resolutionId)
      if (asking) await Promise.allSettled([...asking])
      const release = this.locks ? await this.locks.lock(lockKey(resolutionId), 'exclusive') : null
      try {
        return await work()
      } finally {
        // A release that fails has ended its session, which let the lock go.
        await release?.().catch(() => {})
      }
    } finally {
      const count = this.started.get(resolutionId)! - 1
      if (count === 0) this.started.delete(resolutionId)
      else this.started.set(resolutionId, count)
    }
  }

  /** Whether a turn of the resolution has started on this instance (waiting for the lock or running). */
  inTurn(resolutionId: string): boolean {
    return this.started.has(resolutionId)
  }

  /** Runs `load` while no other instance takes a turn of the resolution; inside this instance's own turn, at once. */
  async betweenTurns<T>(resolutionId: string, load: () => Promise<T>): Promise<T> {
    if (!this.locks || this.started.has(resolutionId)) return load()
    const asked = this.locks.lock(lockKey(resolutionId), 'shared')
    let asking = this.asking.get(resolutionId)
    if (!asking) this.asking.set(resolutionId, (asking = new Set()))
    asking.add(asked)
    let release: () => Promise<void>
    try {
      release = await asked
    } finally {
      asking.delete(asked)
      if (asking.size === 0 && this.asking.get(resolutionId) === asking) this.asking.delete(resolutionId)
    }
    try {
      return await load()
    } finally {
      await release().catch(() => {})
    }
  }
}

const lockKey = (resolutionId: string) => `hemicycle:turn:${resolutionId}`
