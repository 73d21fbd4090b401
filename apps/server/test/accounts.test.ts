import { CloseCode, type Account } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectError, openRaw, startTestServer, type TestServer } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
let secretariat: string

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  secretariat = await server.login('secretariat')
})
afterAll(() => server?.close())

const send = (method: string, body: unknown, token = secretariat): RequestInit & { token: string } => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
  token,
})

async function accounts(): Promise<Account[]> {
  return (await (await server.api('/api/people', { token: secretariat })).json()) as Account[]
}

async function auditOf(action: string) {
  const entries = (await (await server.api('/api/audit?format=json', { token: secretariat })).json()) as Array<{ action: string; person: string; detail: Record<string, unknown> }>
  return entries.filter((entry) => entry.action === action)
}

async function create(body: Record<string, unknown>): Promise<Account> {
  const response = await server.api('/api/people', send('POST', body))
  expect(response.status).toBe(201)
  return (await response.json()) as Account
}

const loginStatus = async (username: string, password: string) =>
  (await server.api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status

describe('the secretariat manages people', () => {
  it('lists everyone with whether their account is active', async () => {
    const list = await accounts()
    expect(list.find((person) => person.username === 'claire')).toMatchObject({ role: 'delegate', active: true, delegation: { id: 'fr-pp' } })
  })

  it('creates a person with a role, a delegation and a password they log in with, audited without the password', async () => {
    const created = await create({ username: '  Sofia.Ruiz ', name: 'Sofía Ruiz', role: 'delegate', delegationId: 'cl-psp', gender: 'f', password: 'une phrase longue' })
    expect(created).toMatchObject({ username: 'sofia.ruiz', name: 'Sofía Ruiz', role: 'delegate', active: true, delegation: { id: 'cl-psp', country: 'Chile' } })
    expect((await accounts()).some((person) => person.id === created.id)).toBe(true)
    const token = await server.login('sofia.ruiz', 'une phrase longue')
    const me = (await (await server.api('/api/me', { token })).json()) as { id: string }
    expect(me.id).toBe(created.id)
    const [entry] = (await auditOf('person')).filter((audit) => audit.detail['created'] === created.id)
    expect(entry?.person).toBe('person-secretariat')
    const everything = JSON.stringify(await (await server.api('/api/audit?format=json', { token: secretariat })).json())
    expect(everything).not.toContain('une phrase longue')
    await expectError(await server.api('/api/people', send('POST', { username: 'SOFIA.RUIZ', name: 'x', role: 'observer', delegationId: null, password: 'une autre phrase' })), 409, 'username_taken')
  })

  it('creates a delegation, and people in it', async () => {
    const response = await server.api('/api/delegations', send('POST', { party: 'Partido del Pueblo', country: 'Uruguay' }))
    expect(response.status).toBe(201)
    const delegation = (await response.json()) as { id: string }
    await expectError(await server.api('/api/delegations', send('POST', { party: 'partido del pueblo', country: 'URUGUAY' })), 409, 'delegation_exists')
    const listed = (await (await server.api('/api/delegations', { token: secretariat })).json()) as Array<{ id: string }>
    expect(listed.map((entry) => entry.id)).toContain(delegation.id)
    const person = await create({ username: 'martina', name: 'Martina Pérez', role: 'chair', delegationId: delegation.id, password: 'correct horse battery' })
    expect(person.delegation).toEqual({ id: delegation.id, party: 'Partido del Pueblo', country: 'Uruguay' })
    expect((await auditOf('delegation')).some((entry) => entry.detail['created'] === delegation.id)).toBe(true)
  })

  it('refuses names the record would show as another: a blank-looking one, a look-alike party, a second person of one name in one party', async () => {
    // Found by a hostile review: each of these was created (201).
    for (const party of ['\u2800', '\ue000', '\u0301']) await expectError(await server.api('/api/delegations', send('POST', { party, country: 'Uruguay' })), 400, 'invalid_request')
    await expectError(await server.api('/api/delegations', send('POST', { party: 'Parti progressiste\u2800', country: 'France' })), 409, 'delegation_exists')
    await expectError(await server.api('/api/delegations', send('POST', { party: 'Ｐａｒｔｉ progressiste', country: 'France' })), 409, 'delegation_exists')
    await expectError(await server.api('/api/delegations', send('POST', { party: 'Parti progressiste', country: 'Frаnce' })), 400, 'invalid_character')
    const twin = { username: 'claire.twin', name: 'claire  MARTIN', role: 'delegate', delegationId: 'fr-pp', password: 'correct horse battery' }
    await expectError(await server.api('/api/people', send('POST', twin)), 409, 'person_exists')
    await expectError(await server.api('/api/people', send('POST', { ...twin, name: 'Сlaire Martin' })), 400, 'invalid_character')
    // In another party, or told apart by an initial, the name is another person's.
    const other = await create({ ...twin, delegationId: 'cl-psp' })
    await create({ ...twin, username: 'claire.b', name: 'Claire B. Martin' })
    await expectError(await server.api(`/api/people/${other.id}`, send('PATCH', { delegationId: 'fr-pp' })), 409, 'person_exists')
  })

  it('changes a role, which holds from the next request of the person’s open session', async () => {
    const person = await create({ username: 'olof', name: 'Olof Berg', role: 'observer', delegationId: 'se-sap', password: 'correct horse battery' })
    const token = await server.login('olof', 'correct horse battery')
    await expectError(await server.api('/api/people', { token }), 403, 'forbidden')
    const changed = await server.api(`/api/people/${person.id}`, send('PATCH', { role: 'secretariat', delegationId: null }))
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ role: 'secretariat', delegation: null })
    expect((await server.api('/api/people', { token })).status).toBe(200)
    const entry = (await auditOf('person')).find((audit) => audit.detail['changed'] === person.id)
    expect(entry?.detail).toMatchObject({ before: { role: 'observer', delegation: 'se-sap' }, change: { role: 'secretariat', delegationId: null } })
  })

  it('deactivates an account: its socket and event stream close at once, its session and its password open nothing', async () => {
    const person = await create({ username: 'ines', name: 'Inès Garnier', role: 'delegate', delegationId: 'fr-pp', password: 'correct horse battery' })
    const token = await server.login('ines', 'correct horse battery')
    const socket = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
    const stream = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, token)
    const started = performance.now()
    const response = await server.api(`/api/people/${person.id}`, send('PATCH', { active: false }))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ active: false })
    const [closed] = await Promise.all([socket.closed, stream.ended])
    expect(closed.code).toBe(CloseCode.Unauthorized)
    expect(performance.now() - started).toBeLessThan(1000)
    await expectError(await server.api('/api/me', { token }), 401, 'unauthorized')
    expect(await loginStatus('ines', 'correct horse battery')).toBe(401)
    expect((await accounts()).find((entry) => entry.id === person.id)?.active).toBe(false)
    // Reactivated, the account logs in again; the old session stays ended.
    expect((await server.api(`/api/people/${person.id}`, send('PATCH', { active: true }))).status).toBe(200)
    expect(await loginStatus('ines', 'correct horse battery')).toBe(200)
    await expectError(await server.api('/api/me', { token }), 401, 'unauthorized')
  })

  it('sets a password: the old one no longer works and the person’s sessions end', async () => {
    const person = await create({ username: 'nadia', name: 'Nadia Haddad', role: 'observer', delegationId: null, password: 'first password here' })
    const token = await server.login('nadia', 'first password here')
    const response = await server.api(`/api/people/${person.id}/password`, send('POST', { password: 'second password here' }))
    expect(response.status).toBe(204)
    expect(await loginStatus('nadia', 'first password here')).toBe(401)
    expect(await loginStatus('nadia', 'second password here')).toBe(200)
    await expectError(await server.api('/api/me', { token }), 401, 'unauthorized')
    expect((await auditOf('password')).some((entry) => entry.detail['person'] === person.id && !JSON.stringify(entry).includes('second password'))).toBe(true)
    // The secretariat setting its own password keeps the session it did it from.
    const own = await server.api('/api/people/person-secretariat/password', send('POST', { password: 'demo-but-longer' }))
    expect(own.status).toBe(204)
    expect((await server.api('/api/me', { token: secretariat })).status).toBe(200)
    expect((await server.api('/api/people/person-secretariat/password', send('POST', { password: 'demo' }))).status).toBe(422)
  })

  it('keeps an active secretariat account, and nobody deactivates themselves', async () => {
    await expectError(await server.api('/api/people/person-secretariat', send('PATCH', { active: false })), 409, 'own_account')
    await expectError(await server.api('/api/people/person-secretariat', send('PATCH', { role: 'chair' })), 409, 'own_account')
    expect((await accounts()).find((person) => person.username === 'secretariat')?.active).toBe(true)
  })

  it('refuses anyone but the secretariat with 403, and nobody logged in with 401, changing nothing', async () => {
    const claire = await server.login('claire')
    const chair = await server.login('ingrid')
    for (const token of [claire, chair]) {
      await expectError(await server.api('/api/people', send('POST', { username: 'intruder', name: 'I', role: 'secretariat', delegationId: null, password: 'correct horse battery' }, token)), 403, 'forbidden')
      await expectError(await server.api('/api/people/person-erik', send('PATCH', { active: false }, token)), 403, 'forbidden')
      await expectError(await server.api('/api/people/person-erik/password', send('POST', { password: 'correct horse battery' }, token)), 403, 'forbidden')
      await expectError(await server.api('/api/delegations', send('POST', { party: 'Intruders', country: 'Nowhere' }, token)), 403, 'forbidden')
    }
    await expectError(await server.api('/api/people/person-erik', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"active":false}' }), 401, 'unauthorized')
    const list = await accounts()
    expect(list.some((person) => person.username === 'intruder')).toBe(false)
    expect(list.find((person) => person.username === 'erik')?.active).toBe(true)
    expect(await loginStatus('erik', 'demo')).toBe(200)
  })

  it('answers hostile and malformed input with the contract’s error shape, changing nothing', async () => {
    const before = JSON.stringify(await accounts())
    const bad: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/people', { username: 'x', name: 'X', role: 'observer', delegationId: null, password: 'correct horse battery' }, 400, 'invalid_request'],
      ['POST', '/api/people', { username: "robert'); drop table people;--", name: 'X', role: 'observer', delegationId: null, password: 'correct horse battery' }, 400, 'invalid_request'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'king', delegationId: null, password: 'correct horse battery' }, 400, 'invalid_request'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'observer', delegationId: null, password: 'correct horse battery', active: false }, 400, 'invalid_request'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'observer', delegationId: null, password: 'short' }, 422, 'password_too_short'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'observer', delegationId: null, password: 'x'.repeat(201) }, 422, 'password_too_long'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'delegate', delegationId: null, password: 'correct horse battery' }, 422, 'delegation_required'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'translator', delegationId: 'fr-pp', password: 'correct horse battery' }, 422, 'delegation_not_allowed'],
      ['POST', '/api/people', { username: 'root', name: 'X', role: 'delegate', delegationId: 'nowhere', password: 'correct horse battery' }, 404, 'not_found'],
      ['POST', '/api/people', { username: 'root', name: '   ', role: 'observer', delegationId: null, password: 'correct horse battery' }, 400, 'invalid_request'],
      ['POST', '/api/people', '{"username":', 400, 'malformed_json'],
      ['PATCH', '/api/people/person-erik', {}, 400, 'invalid_request'],
      ['PATCH', '/api/people/person-erik', { password_hash: 'scrypt$1$1$1$AA==$AA==' }, 400, 'invalid_request'],
      ['PATCH', '/api/people/person-erik', { delegationId: null }, 422, 'delegation_required'],
      ['PATCH', '/api/people/person-erik', { role: 'secretariat' }, 422, 'delegation_not_allowed'],
      ['PATCH', '/api/people/nobody', { active: false }, 404, 'not_found'],
      ['POST', '/api/people/nobody/password', { password: 'correct horse battery' }, 404, 'not_found'],
      ['POST', '/api/people/person-erik/password', { password: 'correct horse battery', extra: 1 }, 400, 'invalid_request'],
      ['POST', '/api/delegations', { party: '', country: 'X' }, 400, 'invalid_request'],
    ]
    for (const [method, path, body, status, code] of bad) await expectError(await server.api(path, send(method, body)), status, code)
    expect(JSON.stringify(await accounts())).toBe(before)
    expect(await loginStatus('erik', 'demo')).toBe(200)
  })
})

describe('the secretariat renames and removes delegations', () => {
  const delegation = async (body: Record<string, unknown>) => {
    const response = await server.api('/api/delegations', send('POST', body))
    expect(response.status).toBe(201)
    return (await response.json()) as { id: string }
  }

  it('renames a party or a country, audited, refusing a name another delegation has', async () => {
    const made = await delegation({ party: 'Partido Obrero', country: 'Paraguay' })
    const response = await server.api(`/api/delegations/${made.id}`, send('PATCH', { party: 'Partido de los Trabajadores' }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: made.id, party: 'Partido de los Trabajadores', country: 'Paraguay' })
    const listed = (await (await server.api('/api/delegations', { token: secretariat })).json()) as Array<{ id: string; party: string }>
    expect(listed.find((entry) => entry.id === made.id)?.party).toBe('Partido de los Trabajadores')
    expect((await auditOf('delegation')).find((entry) => entry.detail['changed'] === made.id)?.detail).toMatchObject({ before: { party: 'Partido Obrero' }, after: { party: 'Partido de los Trabajadores' } })
    await expectError(await server.api(`/api/delegations/${made.id}`, send('PATCH', { party: 'Parti progressiste', country: 'france' })), 409, 'delegation_exists')
    await expectError(await server.api(`/api/delegations/${made.id}`, send('PATCH', {})), 400, 'invalid_request')
    await expectError(await server.api('/api/delegations/nowhere', send('PATCH', { party: 'X' })), 404, 'not_found')
    const delegate = await server.login('claire')
    await expectError(await server.api(`/api/delegations/${made.id}`, send('PATCH', { party: 'Mine' }, delegate)), 403, 'forbidden')
  })

  it('removes a delegation nobody uses, and refuses one with people or amendments, keeping it', async () => {
    const empty = await delegation({ party: 'Parti fantôme', country: 'Belgium' })
    const delegate = await server.login('claire')
    await expectError(await server.api(`/api/delegations/${empty.id}`, send('DELETE', undefined, delegate)), 403, 'forbidden')
    expect((await server.api(`/api/delegations/${empty.id}`, { method: 'DELETE', token: secretariat })).status).toBe(204)
    const listed = (await (await server.api('/api/delegations', { token: secretariat })).json()) as Array<{ id: string }>
    expect(listed.map((entry) => entry.id)).not.toContain(empty.id)
    expect((await auditOf('delegation')).some((entry) => entry.detail['removed'] === empty.id)).toBe(true)
    await expectError(await server.api(`/api/delegations/${empty.id}`, { method: 'DELETE', token: secretariat }), 404, 'not_found')

    const peopled = await delegation({ party: 'Parti habité', country: 'Belgium' })
    await create({ username: 'habitant', name: 'Un Habitant', role: 'delegate', delegationId: peopled.id, password: 'correct horse battery' })
    const refused = await server.api(`/api/delegations/${peopled.id}`, { method: 'DELETE', token: secretariat })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string; uses: unknown } }).error).toMatchObject({ code: 'delegation_in_use', uses: { people: 1 } })

    // The seeded Parti progressiste has people.
    const used = await server.api('/api/delegations/fr-pp', { method: 'DELETE', token: secretariat })
    expect(used.status).toBe(409)
    expect(((await used.json()) as { error: { code: string } }).error.code).toBe('delegation_in_use')
    const after = (await (await server.api('/api/delegations', { token: secretariat })).json()) as Array<{ id: string }>
    expect(after.map((entry) => entry.id)).toEqual(expect.arrayContaining([peopled.id, 'fr-pp']))
  })
})
