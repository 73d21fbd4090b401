import { addressGroup } from './addressGroup.ts'

/**
 * Slows password guessing without letting anyone lock the owner out.
 *
 * - One client address (an IPv6 /64: see addressGroup) guessing one
 *   username, and one address guessing across usernames (spraying), are refused for a while after a few
 *   failures, the wait doubling with each further failure (pairs up to 5
 *   minutes, addresses up to 15).
 * - Failures for one username from anywhere only delay each attempt at it,
 *   doubling up to 2 seconds: never a refusal, so an attacker elsewhere
 *   cannot keep the owner out.
 * - Past a global budget of failures, every attempt waits one more second.
 * - A browser that has logged in as a username before (its device cookie,
 *   one of the last 20 for that username) is not refused for its address's
 *   failures at that username, so a delegate guessing from the same venue
 *   network cannot lock out a Steering member's own browser, nor make the
 *   throttle forget it by logging in to their own account from invented
 *   browsers.
 *
 * In memory and bounded: a restart forgives, which is acceptable for a throttle.
 */
export interface LoginThrottleOptions {
  now: () => Date
  /** Failures are forgotten after this long. */
  windowMs: number
  pairFree: number
  pairCapMs: number
  addressFree: number
  addressCapMs: number
  /** The first refusal's length; each further failure doubles it. */
  refusalBaseMs: number
  usernameFree: number
  usernameDelayBaseMs: number
  usernameDelayCapMs: number
  /** Failures everywhere within the window past which every attempt is slowed by `globalDelayMs`. */
  globalBudget: number
  globalDelayMs: number
  /** How many usernames and addresses are remembered at most. */
  maxKeys: number
  /** How many browsers are known for one username: the ones it logged in from last. */
  devicesPerUsername: number
}

export const LOGIN_THROTTLE_DEFAULTS = {
  windowMs: 15 * 60 * 1000,
  pairFree: 5,
  pairCapMs: 5 * 60 * 1000,
  addressFree: 20,
  addressCapMs: 15 * 60 * 1000,
  refusalBaseMs: 1000,
  usernameFree: 3,
  usernameDelayBaseMs: 250,
  usernameDelayCapMs: 2000,
  globalBudget: 500,
  globalDelayMs: 1000,
  maxKeys: 10_000,
  devicesPerUsername: 20,
} satisfies Omit<LoginThrottleOptions, 'now'>

export type ThrottleVerdict = { refused: true; retryAfterSeconds: number } | { refused: false; delayMs: number }

export interface Attempt {
  username: string
  address: string
  /** The device cookie the browser sent, if any. */
  device: string | null
}

/** What failures are counted under: an address stands for its group (an IPv6 /64, an IPv4 address however spelt). */
function keysOf(attempt: Attempt) {
  const address = addressGroup(attempt.address)
  return { pair: `pair:${attempt.username}\n${address}`, address: `address:${address}`, username: `username:${attempt.username}` }
}

/** A map that forgets its oldest keys beyond a size. */
class Bounded<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super()
  }

  override set(key: string, value: V): this {
    this.delete(key)
    super.set(key, value)
    while (this.size > this.limit) this.delete(this.keys().next().value!)
    return this
  }
}

export class LoginThrottle {
  private readonly options: LoginThrottleOptions
  private readonly failures: Bounded<number[]>
  /** Per username, the browsers that logged in as it: only that account's own logins can push one out. */
  private readonly devices: Bounded<Bounded<true>>
  private global: number[] = []

  constructor(options: Partial<LoginThrottleOptions> & Pick<LoginThrottleOptions, 'now'>) {
    this.options = { ...LOGIN_THROTTLE_DEFAULTS, ...options }
    this.failures = new Bounded(this.options.maxKeys)
    this.devices = new Bounded(this.options.maxKeys)
  }

  private recent(list: readonly number[]): number[] {
    const since = this.options.now().getTime() - this.options.windowMs
    return list.filter((at) => at > since)
  }

  private failuresOf(key: string): number[] {
    const kept = this.recent(this.failures.get(key) ?? [])
    if (kept.length === 0) this.failures.delete(key)
    return kept
  }

  /** How long past its last failure a key is refused, or 0. */
  private refusalMs(key: string, free: number, capMs: number): number {
    const list = this.failuresOf(key)
    if (list.length <= free) return 0
    const wait = Math.min(capMs, this.options.refusalBaseMs * 2 ** (list.length - free - 1))
    return Math.max(0, list[list.length - 1]! + wait - this.options.now().getTime())
  }

  private knows(attempt: Attempt): boolean {
    return attempt.device !== null && (this.devices.get(attempt.username)?.has(attempt.device) ?? false)
  }

  /** Whether to refuse this attempt now, or how long to wait before checking its password. */
  check(attempt: Attempt): ThrottleVerdict {
    const { pairFree, pairCapMs, addressFree, addressCapMs } = this.options
    if (!this.knows(attempt)) {
      const { pair, address } = keysOf(attempt)
      const refusal = Math.max(this.refusalMs(pair, pairFree, pairCapMs), this.refusalMs(address, addressFree, addressCapMs))
      if (refusal > 0) return { refused: true, retryAfterSeconds: Math.ceil(refusal / 1000) }
    }
    const { usernameFree, usernameDelayBaseMs, usernameDelayCapMs, globalBudget, globalDelayMs } = this.options
    const forUsername = this.failuresOf(keysOf(attempt).username).length
    const usernameDelay = forUsername <= usernameFree ? 0 : Math.min(usernameDelayCapMs, usernameDelayBaseMs * 2 ** (forUsername - usernameFree - 1))
    this.global = this.recent(this.global)
    return { refused: false, delayMs: usernameDelay + (this.global.length > globalBudget ? globalDelayMs : 0) }
  }

  /**
   * Counts a failure; the function returned takes it back. A login counts its
   * attempt as failed before checking the password, in the same turn as
   * `check`, and takes it back if the password was right: guesses sent at
   * once then see each other, instead of all passing `check` before the
   * first is counted.
   */
  failed(attempt: Attempt): () => void {
    const at = this.options.now().getTime()
    const keys = Object.values(keysOf(attempt))
    for (const key of keys) {
      // The newest failures are the ones that count; a few dozen say all there is to say.
      this.failures.set(key, [...this.failuresOf(key), at].slice(-64))
    }
    this.global.push(at)
    if (this.global.length > 4 * this.options.globalBudget) this.global = this.recent(this.global)
    return () => {
      for (const key of keys) {
        const list = this.failures.get(key)
        const index = list?.lastIndexOf(at) ?? -1
        if (index >= 0) list!.splice(index, 1)
      }
      const index = this.global.lastIndexOf(at)
      if (index >= 0) this.global.splice(index, 1)
    }
  }

  /** The right password: this pair starts afresh, and this browser is known for this username. */
  succeeded(attempt: Attempt & { device: string }): void {
    this.failures.delete(keysOf(attempt).pair)
    const known = this.devices.get(attempt.username) ?? new Bounded<true>(this.options.devicesPerUsername)
    known.set(attempt.device, true)
    this.devices.set(attempt.username, known)
  }
}
