/**
 * Slows password guessing: after `limit` failed logins for one username
 * within `windowMs`, further attempts are refused until the window passes.
 * In memory: a restart forgives, which is acceptable for a throttle.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly now: () => Date,
    private readonly limit = 10,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private recent(key: string): number[] {
    const since = this.now().getTime() - this.windowMs
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since)
    if (kept.length > 0) this.failures.set(key, kept)
    else this.failures.delete(key)
    return kept
  }

  /** Seconds to wait before trying again, or 0. */
  retryAfter(key: string): number {
    const recent = this.recent(key)
    if (recent.length < this.limit) return 0
    return Math.ceil((recent[0]! + this.windowMs - this.now().getTime()) / 1000)
  }

  failed(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now().getTime()])
  }

  succeeded(key: string): void {
    this.failures.delete(key)
  }
}
