/**
 * How much of the event loop one person's messages may take, over all their
 * sockets on this instance. Every frame is decoded, checked on a copy and
 * applied (some 50 µs for a keystroke), so a hand-written client sending
 * keystrokes as fast as the server reads them (four sockets, 180,000 frames
 * a second) took a whole core and held everyone's typing for half a second
 * (p99 2 ms → 570 ms). Typing, pasting or coming back after a cut costs a
 * person a few milliseconds a second; past `HANDLING_SHARE` of the time, a
 * person's sockets stop reading until the budget has refilled, and the
 * frames wait in the network, in order, costing nothing.
 *
 * A message is handled whenever the budget is not overdrawn and charged after,
 * so one large message (a paste of a long text, a tab's changes after a cut)
 * is never refused: it only makes the person's next ones wait.
 */
export const HANDLING_SHARE = 0.25
/** What a person may spend at once after a pause: a long paste, or every tab of theirs back after a cut. */
export const HANDLING_BURST_MS = 100

interface Bucket {
  /** Milliseconds of handling left (negative: owed), as of `at`. */
  left: number
  at: number
}

export class HandlingBudget {
  private readonly buckets = new Map<string, Bucket>()
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** How long the person's messages must wait before the next is handled, in ms: 0 unless the budget is overdrawn. */
  waitMs(personId: string): number {
    return Math.max(0, -this.left(personId, this.now())) / HANDLING_SHARE
  }

  /** Records `ms` of handling spent on the person's messages. */
  charge(personId: string, ms: number): void {
    const now = this.now()
    const left = this.left(personId, now) - ms
    // At most one sweep a second: with thousands of people typing, each newcomer does not scan them all.
    if (this.buckets.size >= 4096 && !this.buckets.has(personId) && now - this.lastSweep >= 1000) this.forgetFull(now)
    this.buckets.set(personId, { left, at: now })
  }

  private left(personId: string, now: number): number {
    const bucket = this.buckets.get(personId)
    return bucket ? Math.min(HANDLING_BURST_MS, bucket.left + (now - bucket.at) * HANDLING_SHARE) : HANDLING_BURST_MS
  }

  /** People whose budget has refilled are as if never seen: only the ones still spending are kept. */
  private forgetFull(now: number): void {
    this.lastSweep = now
    for (const [personId] of this.buckets) if (this.left(personId, now) >= HANDLING_BURST_MS) this.buckets.delete(personId)
  }
}
