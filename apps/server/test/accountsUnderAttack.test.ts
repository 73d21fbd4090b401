import type { Account, Delegation } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeAccount, changeDelegation, createAccount, createDelegation, removeDelegation, setPassword } from '../src/accounts/administration.ts'
import { LoginThrottle } from '../src/http/loginThrottle.ts'
import { ENGINES, freshPostgresUrl, ok, postFrom, sleep, startTestServer, type TestServer } from './harness.ts'

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

const post = (path: string, body: unknown, as: string, method = 'POST') =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
describe('login throttle under a hand-written client', () => {
  it('refuses concurrent guesses from one address as it refuses sequential ones (check-then-record race)', async () => {
    // Sequentially, the 7th guess from one address at one username is 429 (5 free failures).
    // Fired at once, every guess passes `check` before any failure is recorded.
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => postFrom(`${server.url}/api/login`, '127.0.0.77', { username: 'kwame', password: `guess-${i}` })))
    const guessed = answers.filter((answer) => answer.status === 401).length
    expect(guessed, `${guessed} of 60 concurrent guesses had their password checked`).toBeLessThanOrEqual(6)
  })
})

describe('login throttle keys', () => {
  it('counts one IPv6 client (one /64, any spelling, IPv4-mapped or not) as one address', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const throttle = new LoginThrottle({ now: () => now })
    // One host on a home or venue /64 picks a new interface id per request (privacy addresses do it for free).
    const verdicts = Array.from({ length: 40 }, (_, i) => {
      const attempt = { username: 'mateo', address: `2001:db8:1:2::${(i + 1).toString(16)}`, device: null }
      const verdict = throttle.check(attempt)
      if (!verdict.refused) throttle.failed(attempt)
      return verdict.refused
    })
    expect(verdicts.filter(Boolean).length, '40 guesses at one username from one /64, none refused').toBeGreaterThan(0)
    // The same IPv4 client seen through a dual-stack socket and through a proxy header.
    for (let i = 0; i < 6; i++) throttle.failed({ username: 'lucia', address: '::ffff:203.0.113.9', device: null })
    expect(throttle.check({ username: 'lucia', address: '203.0.113.9', device: null }).refused).toBe(true)
  })
  it('keeps knowing the owner’s browser however many browsers other accounts log in from', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const throttle = new LoginThrottle({ now: () => now })
    const owner = { username: 'mateo', address: '198.51.100.7', device: 'owner-browser-0000000000000' }
    throttle.succeeded(owner)
    // A delegate on the same venue network logs in as themselves 10,000 times, each time with a device id of their choosing
    // (any 22–64 url-safe characters are taken as they come)…
    for (let i = 0; i < 10_000; i++) throttle.succeeded({ username: 'kwame', address: '198.51.100.7', device: `attacker-${String(i).padStart(16, '0')}` })
    // …then guesses mateo’s password from that network until the address is refused.
    for (let i = 0; i < 30; i++) throttle.failed({ username: 'mateo', address: '198.51.100.7', device: null })
    expect(throttle.check(owner).refused, 'the owner’s own browser is locked out').toBe(false)
  })
})

/**
 * The races of logins and secretariat acts with resets and demotions, on
 * PGlite (the server above) and on PostgreSQL, whose row locks and
 * concurrent transactions are what they must hold against.
 */
describe.each(ENGINES)('accounts raced on %s', (engine) => {
  let site: TestServer
  const logins: Record<string, string> = {}
  beforeAll(async () => {
    site = engine === 'pglite' ? server : await startTestServer({ DATA_DIR: 'memory://', DATABASE_URL: await freshPostgresUrl(), LOG_LEVEL: 'error' })
    logins['secretariat'] = await site.login('secretariat')
  })
  afterAll(() => (site === server ? undefined : site?.close()))
  const request = (path: string, body: unknown, as: string, method = 'POST') =>
    site.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: logins[as]! })

  describe('a password reset', () => {
    it('leaves no session opened with the old password working (login racing the reset)', async () => {
      const survivors: number[] = []
      for (let round = 0; round < 12; round++) {
        const username = `race.${round}`
        const created = await ok<{ id: string }>(await request('/api/people', { username, name: `Race ${round}`, role: 'delegate', delegationId: 'fr-pp', password: 'old password 1' }, 'secretariat'), 201)
        const reset = request(`/api/people/${created.id}/password`, { password: 'new password 2' }, 'secretariat')
        await new Promise((resolve) => setTimeout(resolve, round * 4))
        const login = await site.api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'old password 1' }) })
        expect((await reset).status).toBe(204)
        if (login.status !== 200) continue
        const { token } = (await login.json()) as { token: string }
        if ((await site.api('/api/me', { token })).status === 200) survivors.push(round)
      }
      expect(survivors, 'rounds where a session opened with the old password outlived the reset').toEqual([])
    })
  })

  describe('a secretariat member demoted', () => {
    it('sets nobody’s password once the demotion is committed (the role is checked where the password is written)', async () => {
      const target = await ok<{ id: string }>(await request('/api/people', { username: 'takeover.target', name: 'Target', role: 'delegate', delegationId: 'fr-pp', password: 'target password 0' }, 'secretariat'), 201)
      const late: number[] = []
      for (let round = 0; round < 10; round++) {
        const b = await ok<{ id: string }>(await request('/api/people', { username: `sec.b${round}`, name: `Sec B ${round}`, role: 'secretariat', delegationId: null, password: 'secretariat pw 1' }, 'secretariat'), 201)
        logins[`b${round}`] = await site.login(`sec.b${round}`, 'secretariat pw 1')
        const setting = request(`/api/people/${target.id}/password`, { password: `taken over ${round}!` }, `b${round}`)
        await sleep(round * 3)
        await ok(await request(`/api/people/${b.id}`, { role: 'observer' }, 'secretariat', 'PATCH'))
        if ((await setting).status !== 204) continue
        const log = await ok<Array<{ id: number; action: string; person: string; detail: Record<string, unknown> }>>(await site.api('/api/audit', { token: logins['secretariat']! }))
        const demoted = log.find((entry) => entry.action === 'person' && entry.detail['changed'] === b.id)!
        const set = log.find((entry) => entry.action === 'password' && entry.person === b.id)!
        if (set.id > demoted.id) late.push(round)
      }
      expect(late, 'rounds where an observer (demoted before the write) set a password').toEqual([])
    })

    it('does none of the secretariat’s acts for a member demoted or deactivated after the request read their role (403)', async () => {
      const { services } = site.hemicycle
      const removable = await ok<Delegation>(await request('/api/delegations', { party: `Removable ${engine}`, country: 'Ghana' }, 'secretariat'), 201)
      for (const [username, change] of [['sec.demoted', { role: 'observer' }], ['sec.deactivated', { active: false }]] as const) {
        // The person as the request read them when it began, before the change below.
        const asRead = await ok<Account>(await request('/api/people', { username, name: username, role: 'secretariat', delegationId: null, password: 'secretariat pw 1' }, 'secretariat'), 201)
        await ok(await request(`/api/people/${asRead.id}`, change, 'secretariat', 'PATCH'))
        const acts = {
          createAccount: () => createAccount(services, asRead, { username: `${username}.made`, name: 'Made', role: 'observer', delegationId: null, password: 'long enough pw' }),
          changeAccount: () => changeAccount(services, asRead, 'person-claire', { name: 'Claire Taken' }),
          setPassword: () => setPassword(services, asRead, 'person-claire', 'taken over 123', 'none'),
          createDelegation: () => createDelegation(services, asRead, { party: 'Made', country: 'Nowhere' }),
          changeDelegation: () => changeDelegation(services, asRead, 'fr-pp', { party: 'Taken' }),
          removeDelegation: () => removeDelegation(services, asRead, removable.id),
        }
        for (const [name, act] of Object.entries(acts)) await expect(act(), name).rejects.toMatchObject({ status: 403 })
      }
      const people = await ok<Account[]>(await site.api('/api/people', { token: logins['secretariat']! }))
      expect(people.filter((person) => person.username.endsWith('.made'))).toEqual([])
      expect(people.find((person) => person.id === 'person-claire')?.name).not.toBe('Claire Taken')
      expect(await site.login('claire')).toBeTruthy()
      const delegations = await ok<Delegation[]>(await site.api('/api/delegations', { token: logins['secretariat']! }))
      expect(delegations.map((delegation) => delegation.party)).not.toContain('Made')
      expect(delegations.find((delegation) => delegation.id === 'fr-pp')?.party).not.toBe('Taken')
      expect(delegations.map((delegation) => delegation.id)).toContain(removable.id)
    })
  })
})

describe('names that read the same', () => {
  it('refuses a second "Parti progressiste (France)" spelled with an invisible Hangul filler or grapheme joiner, and a blank name', async () => {
    // U+3164 HANGUL FILLER and U+034F COMBINING GRAPHEME JOINER are default-ignorable (drawn as nothing) but not category Cf.
    const statuses = []
    for (const party of ['Parti progressiste\u3164', 'Parti\u034F progressiste']) {
      statuses.push((await post('/api/delegations', { party, country: 'France' }, 'secretariat')).status)
    }
    statuses.push((await post('/api/people', { username: 'blank.name', name: '\u3164\u115F', role: 'observer', delegationId: null, password: 'long enough pw' }, 'secretariat')).status)
    expect(statuses).toEqual([409, 409, 400])
  })
})
