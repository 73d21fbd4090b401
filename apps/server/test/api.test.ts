import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_PATH } from '../src/config.ts'
import { DEMO_PEOPLE } from '../src/seed/demoAlliance.ts'
import { expectError, startTestServer, type TestServer } from './harness.ts'

let server: TestServer
let secretariat: string
let delegate: string
let clock = new Date('2026-11-23T09:00:00Z')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://' }, { now: () => clock })
  secretariat = await server.login('secretariat')
  delegate = await server.login('claire')
})
afterAll(() => server?.close())

const json = (body: unknown, token?: string): RequestInit & { token?: string } => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  ...(token ? { token } : {}),
})

function upload(name: string, content: string | Uint8Array<ArrayBuffer>, token = secretariat) {
  const form = new FormData()
  form.append('file', new File([content], name))
  return server.api('/api/resolutions/import', { method: 'POST', body: form, token })
}

describe('sessions', () => {
  it('log in with the demo password, set an HttpOnly session cookie and return the person', async () => {
    const response = await server.api('/api/login', json({ username: 'ingrid', password: 'demo' }))
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^hemicycle_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const body = (await response.json()) as { token: string; person: { username: string; role: string; delegation: { party: string } } }
    expect(body.person).toMatchObject({ username: 'ingrid', role: 'chair', delegation: { party: 'Arbetarpartiet' } })
    const me = await server.api('/api/me', { headers: { cookie: cookie.split(';')[0]! } })
    expect(((await me.json()) as { username: string }).username).toBe('ingrid')
  })

  it('let every demo person log in', async () => {
    for (const person of DEMO_PEOPLE) expect(typeof (await server.login(person.username))).toBe('string')
  })

  it('refuse a wrong password or an unknown username alike', async () => {
    await expectError(await server.api('/api/login', json({ username: 'claire', password: 'wrong' })), 401, 'invalid_credentials')
    await expectError(await server.api('/api/login', json({ username: 'nobody', password: 'demo' })), 401, 'invalid_credentials')
  })

  it('refuse an address that keeps guessing one username, for a while', async () => {
    const start = clock
    for (let i = 0; i < 10; i++) await server.api('/api/login', json({ username: 'erik', password: `guess${i}` }))
    const refused = await server.api('/api/login', json({ username: 'erik', password: 'demo' }))
    await expectError(refused, 429, 'too_many_attempts')
    clock = new Date(clock.getTime() + 16 * 60 * 1000)
    expect((await server.api('/api/login', json({ username: 'erik', password: 'demo' }))).status).toBe(200)
    clock = start
  })

  it('end at logout', async () => {
    const token = await server.login('hafiz')
    expect((await server.api('/api/logout', { method: 'POST', token })).status).toBe(204)
    await expectError(await server.api('/api/me', { token }), 401, 'unauthorized')
  })

  it('expire after 12 hours without use, and not before', async () => {
    const start = clock
    const token = await server.login('kwame')
    clock = new Date(clock.getTime() + 11 * 60 * 60 * 1000)
    expect((await server.api('/api/me', { token })).status).toBe(200)
    clock = new Date(clock.getTime() + 11 * 60 * 60 * 1000)
    expect((await server.api('/api/me', { token })).status).toBe(200)
    clock = new Date(clock.getTime() + 12 * 60 * 60 * 1000 + 1000)
    await expectError(await server.api('/api/me', { token }), 401, 'unauthorized')
    clock = start
  })
})

describe('bad requests', () => {
  it('answer malformed JSON with 400 malformed_json', async () => {
    await expectError(
      await server.api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' }),
      400,
      'malformed_json',
    )
  })

  it('answer a body of the wrong shape with 400 invalid_request naming the field', async () => {
    const response = await server.api('/api/login', json({ username: 'claire' }))
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/password/)
  })

  it('answer an oversized body with 413', async () => {
    await expectError(await server.api('/api/login', json({ username: 'x'.repeat(300 * 1024), password: 'demo' })), 413, 'payload_too_large')
  })

  it('answer an unknown route with a JSON 404', async () => {
    await expectError(await server.api('/api/nothing-here', { token: delegate }), 404, 'not_found')
  })
})

describe('people and delegations', () => {
  it('are listed for the secretariat with username, name, role and delegation', async () => {
    const people = (await (await server.api('/api/people', { token: secretariat })).json()) as Array<Record<string, unknown>>
    expect(people).toHaveLength(DEMO_PEOPLE.length)
    expect(people.find((person) => person['username'] === 'tomas')).toMatchObject({ name: 'Tomás Silva', role: 'observer', delegation: null })
    expect(people.find((person) => person['username'] === 'lucia')).toMatchObject({ role: 'delegate', delegation: { country: 'Chile' } })
  })

  it('are refused to anyone else with 403, and to nobody logged in with 401', async () => {
    await expectError(await server.api('/api/people', { token: delegate }), 403, 'forbidden')
    await expectError(await server.api('/api/people'), 401, 'unauthorized')
  })

  it('form a demo alliance of gender-balanced delegations with a chair, two steering members and two observers', () => {
    const roles = DEMO_PEOPLE.map((person) => person.role)
    expect(roles.filter((role) => role === 'chair')).toHaveLength(1)
    expect(roles.filter((role) => role === 'steering')).toHaveLength(2)
    expect(roles.filter((role) => role === 'observer')).toHaveLength(2)
    const byDelegation = new Map<string, (typeof DEMO_PEOPLE)[number][]>()
    for (const person of DEMO_PEOPLE) if (person.delegation) byDelegation.set(person.delegation, [...(byDelegation.get(person.delegation) ?? []), person])
    expect(byDelegation.size).toBeGreaterThanOrEqual(4)
    for (const members of byDelegation.values()) expect(new Set(members.map((person) => person.gender))).toEqual(new Set(['f', 'm']))
  })
})

describe('resolutions', () => {
  it('list the imported draft with its stamp', async () => {
    const list = (await (await server.api('/api/resolutions', { token: delegate })).json()) as Array<Record<string, unknown>>
    expect(list[0]).toMatchObject({
      id: server.resolutionId,
      title: 'Résolution : cohésion sociale et progrès',
      stage: 'draft',
      stamp: { label: 'PROJET', date: '2019-07-03' },
      event: '30-31 août 2019, Kuala Lumpur, Malaisie',
      language: 'fr',
    })
  })

  it('answer an unknown id with 404', async () => {
    await expectError(await server.api('/api/resolutions/nope', { token: delegate }), 404, 'not_found')
    await expectError(await server.api('/api/resolutions/nope/export.md', { token: delegate }), 404, 'not_found')
  })

  it('export the untouched draft as the fixture, byte for byte', async () => {
    const response = await server.api(`/api/resolutions/${server.resolutionId}/export.md`, { token: delegate })
    expect(response.headers.get('content-type')).toMatch(/text\/markdown/)
    expect(await response.text()).toBe(readFileSync(FIXTURE_PATH, 'utf8'))
  })

  it('are imported from Markdown by the secretariat, and export back the same', async () => {
    const text = '---\ntitle: "Resolution on campaigns"\nstatus: DRAFT\ndraft_date: 2026-10-01\nevent: "Council, Berlin"\nlanguage: en\ncommittee: campaigns\n---\n\n# Preamble\n\nWe *note* the **campaigns**.\n\n- first\n- second\n'
    const response = await upload('campaigns.md', text)
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; stage: string; stamp: { label: string } }
    expect(created).toMatchObject({ stage: 'draft', stamp: { label: 'DRAFT' } })
    const exported = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: delegate })).text()
    expect(exported).toBe(text)
  })

  it('refuse imports by anyone but the secretariat', async () => {
    await expectError(await upload('x.md', '---\ntitle: X\n---\nText', delegate), 403, 'forbidden')
  })

  it('refuse an empty, oversized, untitled, non-Markdown or non-UTF-8 file, creating nothing', async () => {
    const before = ((await (await server.api('/api/resolutions', { token: delegate })).json()) as unknown[]).length
    await expectError(await upload('empty.md', ''), 422, 'empty_file')
    await expectError(await upload('big.md', 'a'.repeat(6 * 1024 * 1024)), 413, 'payload_too_large')
    await expectError(await upload('untitled.md', 'Just text.\n'), 422, 'missing_title')
    await expectError(await upload('bad.md', '---\ntitle: [unclosed\n---\nText'), 422, 'invalid_markdown')
    await expectError(await upload('draft.pdf', '%PDF-1.4'), 422, 'unsupported_format')
    await expectError(await upload('latin1.md', new Uint8Array([0x74, 0x69, 0x74, 0xe9, 0xff])), 422, 'not_text')
    await expectError(await upload('blank.md', '---\ntitle: Blank\n---\n\n   \n'), 422, 'empty_document')
    const form = new FormData()
    form.append('other', 'x')
    await expectError(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: secretariat }), 400, 'missing_file')
    const after = ((await (await server.api('/api/resolutions', { token: delegate })).json()) as unknown[]).length
    expect(after).toBe(before)
  })
})

describe('the OpenAPI document', () => {
  it('describes every route of the API', async () => {
    const doc = (await (await server.api('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/login', '/api/logout', '/api/me', '/api/people', '/api/resolutions', '/api/resolutions/{id}', '/api/resolutions/{id}/export.md', '/api/resolutions/import']),
    )
  })
})
