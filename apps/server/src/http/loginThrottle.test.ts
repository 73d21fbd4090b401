import { describe, expect, it } from 'vitest'
import { type Attempt, LOGIN_THROTTLE_DEFAULTS, LoginThrottle } from './loginThrottle.ts'

const at = (address: string, username = 'ama', device: string | null = null): Attempt => ({ username, address, device })

function throttled() {
  let clock = new Date('2026-11-23T09:00:00Z')
  const throttle = new LoginThrottle({ now: () => clock })
  return { throttle, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) }
}

describe('the login throttle', () => {
  it('refuses one address guessing one username after five failures, the wait doubling up to five minutes', () => {
    const { throttle, advance } = throttled()
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.pairFree; i++) throttle.failed(at('10.0.0.1'))
    expect(throttle.check(at('10.0.0.1')).refused).toBe(false)
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      throttle.failed(at('10.0.0.1'))
      const verdict = throttle.check(at('10.0.0.1'))
      waits.push(verdict.refused ? verdict.retryAfterSeconds : 0)
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
    advance(300_000)
    expect(throttle.check(at('10.0.0.1')).refused).toBe(false)
  })

  it('only delays the same username from another address, by at most two seconds, and never refuses it', () => {
    const { throttle } = throttled()
    for (let i = 0; i < 200; i++) throttle.failed(at(`10.0.${i % 50}.1`))
    const verdict = throttle.check(at('192.0.2.7'))
    expect(verdict).toEqual({ refused: false, delayMs: LOGIN_THROTTLE_DEFAULTS.usernameDelayCapMs })
  })

  it('refuses an address spraying one guess over many usernames', () => {
    const { throttle } = throttled()
    for (let i = 0; i < 25; i++) throttle.failed(at('10.0.0.9', `user${i}`))
    expect(throttle.check(at('10.0.0.9', 'somebody')).refused).toBe(true)
    expect(throttle.check(at('10.0.0.10', 'somebody'))).toEqual({ refused: false, delayMs: 0 })
  })

  it('slows everyone by a second past the global budget, without refusing', () => {
    const { throttle } = throttled()
    for (let i = 0; i <= LOGIN_THROTTLE_DEFAULTS.globalBudget; i++) throttle.failed(at(`10.1.${i % 250}.${Math.floor(i / 250)}`, `user${i}`))
    expect(throttle.check(at('192.0.2.8', 'fresh'))).toEqual({ refused: false, delayMs: LOGIN_THROTTLE_DEFAULTS.globalDelayMs })
  })

  it('does not refuse a browser that logged in as this username before, whatever its address did', () => {
    const { throttle } = throttled()
    throttle.succeeded({ ...at('10.0.0.1'), device: 'owner-device-0000000000000' })
    for (let i = 0; i < 50; i++) throttle.failed(at('10.0.0.1'))
    expect(throttle.check(at('10.0.0.1')).refused).toBe(true)
    expect(throttle.check(at('10.0.0.1', 'ama', 'owner-device-0000000000000')).refused).toBe(false)
    expect(throttle.check(at('10.0.0.1', 'claire', 'owner-device-0000000000000')).refused).toBe(true)
  })

  it('counts a failure taken back (the password was right after all) no more, for the address, the username or the budget', () => {
    const { throttle } = throttled()
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.pairFree; i++) throttle.failed(at('10.0.0.1'))
    const takeBack = throttle.failed(at('10.0.0.1'))
    expect(throttle.check(at('10.0.0.1')).refused).toBe(true)
    takeBack()
    expect(throttle.check(at('10.0.0.1')).refused).toBe(false)
    for (let i = 0; i < 25; i++) throttle.failed(at('10.0.0.9', `user${i}`))()
    expect(throttle.check(at('10.0.0.9', 'somebody'))).toEqual({ refused: false, delayMs: 0 })
  })

  it('knows the last twenty browsers of each username, whatever other usernames log in from', () => {
    const { throttle } = throttled()
    const browser = (i: number) => `browser-${String(i).padStart(16, '0')}`
    for (let i = 0; i < 21; i++) throttle.succeeded({ ...at('10.0.0.1'), device: browser(i) })
    for (let i = 0; i < 100; i++) throttle.succeeded({ ...at('10.0.0.1', `user${i}`), device: browser(i) })
    for (let i = 0; i < 50; i++) throttle.failed(at('10.0.0.1'))
    expect(throttle.check(at('10.0.0.1', 'ama', browser(0))).refused).toBe(true)
    expect(throttle.check(at('10.0.0.1', 'ama', browser(1))).refused).toBe(false)
    expect(throttle.check(at('10.0.0.1', 'ama', browser(20))).refused).toBe(false)
  })

  it('forgets failures after fifteen minutes', () => {
    const { throttle, advance } = throttled()
    for (let i = 0; i < 30; i++) throttle.failed(at('10.0.0.1'))
    advance(LOGIN_THROTTLE_DEFAULTS.windowMs + 1)
    expect(throttle.check(at('10.0.0.1'))).toEqual({ refused: false, delayMs: 0 })
  })
})
