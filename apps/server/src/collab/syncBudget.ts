/**
 * How often one person may ask for what their copy lacks (sync step 1 with
 * a state vector), over all their sockets on this instance. Each answer is
 * encoded anew from the whole document (about 50 ms on a 1.8 MB text); one
 * connection asks once (`SYNC_REQUEST_INTERVAL_MS` closes one asking again),
 * but a person holds up to `MAX_SOCKETS_PER_SESSION` sockets and may open
 * new ones without end. The burst covers every tab of a person coming back
 * at once after a network cut, each with the original and a language
 * version; past it, one answer a second. Asking for everything (an empty
 * state vector) is answered from one cached encoding and costs nothing here.
 * The same budget, under the key `presence:<person>`, bounds the answers to
 * a person's queries for everyone's presence, which a stock client never
 * sends (unanswered past it).
 */
export const SYNC_BURST = 16
export const SYNC_REFILL_MS = 1000

interface Bucket {
  tokens: number
  at: number
}

export class SyncBudget {
  private readonly buckets = new Map<string, Bucket>()
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one answer from the person's budget; false when it is spent (the socket is closed, and its client asks again later). */
  take(personId: string): boolean {
    const now = this.now()
    const bucket = this.buckets.get(personId)
    const tokens = bucket ? Math.min(SYNC_BURST, bucket.tokens + (now - bucket.at) / SYNC_REFILL_MS) : SYNC_BURST
    if (tokens < 1) return false
    // At most one sweep a refill: with thousands of people all asking at once, each newcomer does not scan them all.
    if (this.buckets.size >= 4096 && !bucket && now - this.lastSweep >= SYNC_REFILL_MS) this.forgetFull(now)
    this.buckets.set(personId, { tokens: tokens - 1, at: now })
    return true
  }

  /** People whose budget has refilled are as if never seen: only the ones still spending are kept. */
  private forgetFull(now: number): void {
    this.lastSweep = now
    for (const [personId, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) / SYNC_REFILL_MS >= SYNC_BURST) this.buckets.delete(personId)
    }
  }
}
