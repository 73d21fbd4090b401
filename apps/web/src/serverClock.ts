/**
 * The server's clock, as this page can know it. Deadlines are the server's: a laptop three minutes slow would otherwise
 * show ✎ and a countdown for three minutes after tabling closed. Every API answer's `Date` header says what the
 * server's clock read, to the second, at some instant between our sending the request and receiving the answer; each
 * answer so bounds the offset between the two clocks, and the bounds narrow as answers arrive at different moments.
 */

/** The server's clock minus this page's, known to lie in [low, high] milliseconds. */
export interface OffsetBounds {
  readonly low: number
  readonly high: number
}

/**
 * A correction smaller than this is not made: the `Date` header is whole seconds, and the server writes it from a
 * string it refreshes each second on its event loop, which a busy turn can leave a few hundred milliseconds stale.
 * Screens with well-set clocks keep their own, so they agree with each other to the millisecond.
 */
export const TOLERATED_SKEW_MS = 1000

/** What one answer tells: the server read `serverSecond` (ms, a whole second) between `sentAt` and `receivedAt` (ours). */
export function boundsOfAnswer(serverSecond: number, sentAt: number, receivedAt: number): OffsetBounds {
  return { low: serverSecond - receivedAt, high: serverSecond + 1000 - sentAt }
}

/**
 * What is known after one more answer: both bounds at once. If they cannot both hold, a clock was set since (ours by
 * the system, or the server's): the newest answer is the one to believe.
 */
export function narrowed(known: OffsetBounds | null, answer: OffsetBounds): OffsetBounds {
  if (known === null) return answer
  const low = Math.max(known.low, answer.low)
  const high = Math.min(known.high, answer.high)
  return low <= high ? { low, high } : answer
}

/** The correction to make: none while our clock could be right to within the tolerance, else the nearest the answers allow. */
export function offsetWithin({ low, high }: OffsetBounds): number {
  if (low > TOLERATED_SKEW_MS) return low
  if (high < -TOLERATED_SKEW_MS) return high
  return 0
}

let bounds: OffsetBounds | null = null
let offset = 0
const listeners = new Set<() => void>()

/** `fetch`, learning from the answer's `Date` header what the server's clock reads. */
export async function fetchTimed(input: string, init: RequestInit): Promise<Response> {
  const sentAt = Date.now()
  const response = await fetch(input, init)
  learnFromAnswer(response.headers.get('date'), sentAt, Date.now())
  return response
}

/** Learns from one answer's `Date` header (absent or unreadable: nothing learnt). */
function learnFromAnswer(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  if (dateHeader === null) return
  const serverSecond = Date.parse(dateHeader)
  if (Number.isNaN(serverSecond)) return
  bounds = narrowed(bounds, boundsOfAnswer(serverSecond, sentAt, receivedAt))
  const next = offsetWithin(bounds)
  if (next === offset) return
  offset = next
  for (const listener of listeners) listener()
}

/** Milliseconds to add to this page's clock to read the server's. */
export const serverOffset = (): number => offset

/** The server's time now, as far as this page knows it. */
export const serverNow = (): number => Date.now() + offset

/** How often the page looks for a jump of its own clock; and the least jump that sends it back to the server. */
const STEP_CHECK_MS = 2000
const STEP_MS = 1000

/**
 * Asks the server's clock again whenever this page's clock jumps against its steady one (`performance.now`): the
 * system set it (a laptop's clock put right mid-session would otherwise keep the old correction, now wrong by as
 * much), or the machine slept (the steady clock may stop meanwhile, so the jump alone cannot say which: only the
 * server can). Also when the page is shown again. Started once, by the app.
 */
export function watchForClockSteps(): void {
  let wall = Date.now()
  let steady = performance.now()
  setInterval(() => {
    const step = Date.now() - wall - (performance.now() - steady)
    wall = Date.now()
    steady = performance.now()
    if (Math.abs(step) >= STEP_MS) void askTheServer()
  }, STEP_CHECK_MS)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void askTheServer()
  })
}

/** One answer of the server's, for its Date header only: its health, which reads nothing. */
async function askTheServer(): Promise<void> {
  try {
    await fetchTimed('/api/health', { cache: 'no-store' })
  } catch {
    // Unreachable now: the next answer will tell.
  }
}

/** Calls `listener` when the correction changes; returns how to stop. */
export function onOffsetChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
