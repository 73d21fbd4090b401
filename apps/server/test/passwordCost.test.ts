import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Passwords } from '../src/accounts/passwords.ts'
import { startTestServer, type TestServer } from './harness.ts'

/** The suite's servers hash at PASSWORD_COST 1024 (`serverScripts.ts`); these accounts' hashes are made at another. */
describe('a password hashed at another cost than PASSWORD_COST', () => {
  let server: TestServer
  const stored = async (username: string) =>
    (await server.hemicycle.services.db.query<{ password_hash: string }>('select password_hash from people where username = $1', [username]))[0]!.password_hash
  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
    const older = await new Passwords(2048).hash('demo')
    await server.hemicycle.services.db.query(`update people set password_hash = $1 where username in ('claire', 'julien')`, [older])
  })
  afterAll(async () => {
    await server?.close()
  })

  it('still lets its owner in, and is hashed again at the configured cost once the password is known', async () => {
    const before = await stored('claire')
    expect(before).toMatch(/^scrypt\$2048\$/)
    // A wrong password changes nothing.
    expect((await server.api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'claire', password: 'Demo' }) })).status).toBe(401)
    expect(await stored('claire')).toBe(before)
    await server.login('claire')
    const after = await stored('claire')
    expect(after).toMatch(/^scrypt\$1024\$/)
    expect(await server.hemicycle.services.passwords.verify('demo', after)).toBe(true)
    // Julien shared the old hash (as the demo's accounts do): his is his own, untouched until he logs in.
    expect(await stored('julien')).toBe(before)
    await server.login('claire')
    expect(await stored('claire')).toBe(after)
  })
})
