import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postFrom, startTestServer, type TestServer } from './harness.ts'

/**
 * Hostile review of accounts, sessions, login throttle, notifications,
 * event streams and the audit log (branch reviewAccounts). Each test here
 * fails on the code as reviewed.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'lucia', 'mateo', 'aisyah', 'kwame', 'erik']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

describe('login throttle under a hand-written client', () => {
  it('refuses concurrent guesses from one address as it refuses sequential ones (check-then-record race)', async () => {
    // Sequentially, the 7th guess from one address at one username is 429 (5 free failures).
    // Fired at once, every guess passes `check` before any failure is recorded.
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => postFrom(`${server.url}/api/login`, '127.0.0.77', { username: 'kwame', password: `guess-${i}` })))
    const guessed = answers.filter((answer) => answer.status === 401).length
    expect(guessed, `${guessed} of 60 concurrent guesses had their password checked`).toBeLessThanOrEqual(6)
  })
})
