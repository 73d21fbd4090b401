import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connectClient, eventually, openRaw, paragraphs, postFrom, startTestServer, type TestServer, typeInto } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
let clock = new Date('2026-11-23T09:00:00Z')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
})
afterAll(() => server?.close())

/** A socket and an event stream opened with one session, and how long each took to close after `at`. */
async function openBoth(token: string) {
  const socket = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
  const stream = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, token)
  const closedWithin = async (since: number) => {
    const [{ code, reason }] = await Promise.all([socket.closed, stream.ended])
    return { code, reason, ms: performance.now() - since }
  }
  return { socket, stream, closedWithin }
}

const stillOpen = (socket: WebSocket) => socket.readyState === WebSocket.OPEN

describe('a session’s sockets and event streams', () => {
  it('close within a second of logout (4401), and the person’s other sessions stay open', async () => {
    const token = await server.login('claire')
    const other = await openBoth(await server.login('claire'))
    const both = await openBoth(token)
    const started = performance.now()
    expect((await server.api('/api/logout', { method: 'POST', token })).status).toBe(204)
    const closed = await both.closedWithin(started)
    expect(closed).toMatchObject({ code: CloseCode.Unauthorized, reason: expect.stringMatching(/session ended/) })
    expect(closed.ms).toBeLessThan(1000)
    expect(stillOpen(other.socket.socket)).toBe(true)
    expect((await server.api(`/api/resolutions/${server.resolutionId}/events`, { token })).status).toBe(401)
    other.socket.socket.close()
    other.stream.close()
  })

  it('close within a second of the session expiring, by the server’s clock', async () => {
    const token = await server.login('kwame')
    const both = await openBoth(token)
    const started = performance.now()
    clock = new Date(clock.getTime() + 12 * 60 * 60 * 1000 + 1000)
    const closed = await both.closedWithin(started)
    expect(closed).toMatchObject({ code: CloseCode.Unauthorized, reason: expect.stringMatching(/expired/) })
    expect(closed.ms).toBeLessThan(1000)
    expect((await server.api('/api/me', { token })).status).toBe(401)
  })

  it('close within a second when the session ends on another instance (its row is gone)', async () => {
    const token = await server.login('lucia')
    const both = await openBoth(token)
    const started = performance.now()
    await server.hemicycle.services.db.query('delete from sessions where person_id = $1', ['person-lucia'])
    const closed = await both.closedWithin(started)
    expect(closed.code).toBe(CloseCode.Unauthorized)
    expect(closed.ms).toBeLessThan(1000)
  })

  it('close (4205) within a second when the person’s role changes; a stock client comes back under the new role, and other people’s stay open', async () => {
    const secretariat = await server.login('secretariat')
    const token = await server.login('hafiz')
    const colleague = await openBoth(await server.login('aisyah'))
    const both = await openBoth(token)
    const client = connectClient(server.wsUrl, server.resolutionId, token)
    await client.synced
    await eventually(() => expect(both.stream.events[0]).toMatchObject({ type: 'rights', mayEdit: true }))
    const started = performance.now()
    const changed = await server.api('/api/people/person-hafiz', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'observer' }),
      token: secretariat,
    })
    expect(changed.status).toBe(200)
    const closed = await both.closedWithin(started)
    expect(closed).toMatchObject({ code: CloseCode.AccountChanged, reason: expect.stringMatching(/role, delegation or name changed/) })
    expect(closed.ms).toBeLessThan(1000)
    expect(stillOpen(colleague.socket.socket)).toBe(true)

    // The stock client reconnected by itself: what it types now is refused as an observer's.
    await eventually(() => expect(client.provider.wsconnected && client.provider.synced).toBe(true))
    const before = paragraphs(client.doc)[1]
    typeInto(client.doc, 1, 0, 'Observed. ')
    await eventually(() => expect(client.denials.some((reason) => reason.startsWith('observer'))).toBe(true))
    const reader = connectClient(server.wsUrl, server.resolutionId, await server.login('julien'))
    await reader.synced
    expect(paragraphs(reader.doc)[1]).toBe(before)
    const again = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, token)
    await eventually(() => expect(again.events[0]).toMatchObject({ type: 'rights', mayEdit: false }))
    for (const open of [client, reader]) open.destroy()
    again.close()
    colleague.socket.socket.close()
    colleague.stream.close()
  })

  it('close (4205) for the members of a delegation renamed on another instance, whose presence then carries the new name', async () => {
    const token = await server.login('lucia')
    const both = await openBoth(token)
    const outsider = await openBoth(await server.login('kwame'))
    const started = performance.now()
    // As another instance would: only the database knows.
    await server.hemicycle.services.db.query(`update delegations set party = 'Partido Socialista Popular (renombrado)' where id = 'cl-psp'`)
    const closed = await both.closedWithin(started)
    expect(closed.code).toBe(CloseCode.AccountChanged)
    expect(closed.ms).toBeLessThan(1000)
    expect(stillOpen(outsider.socket.socket)).toBe(true)

    const client = connectClient(server.wsUrl, server.resolutionId, token)
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', null)
    const watcher = connectClient(server.wsUrl, server.resolutionId, await server.login('julien'))
    await watcher.synced
    await eventually(() =>
      expect([...watcher.provider.awareness.getStates().values()].map((state) => (state as { user?: { party?: string } }).user?.party)).toContain(
        'Partido Socialista Popular (renombrado)',
      ),
    )
    for (const open of [client, watcher]) open.destroy()
    outsider.socket.socket.close()
    outsider.stream.close()
  })

  it('end the notification and meeting streams when the person moves to another delegation, not when only their gender is set', async () => {
    const secretariat = await server.login('secretariat')
    const created = await server.api('/api/meetings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'council', title: 'Council', startsAt: '2019-09-01', endsAt: '2019-09-01' }),
      token: secretariat,
    })
    expect(created.status).toBe(201)
    const meetingId = ((await created.json()) as { id: string }).id
    const token = await server.login('erik')
    const streams = await Promise.all([`/api/notifications/events`, `/api/meetings/${meetingId}/events`].map((path) => listen(`${server.url}${path}`, token, (data) => data)))
    let ended = 0
    for (const stream of streams) void stream.ended.then(() => ended++)
    const change = (body: object) =>
      server.api('/api/people/person-erik', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: secretariat })

    expect((await change({ gender: 'x' })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(ended).toBe(0)

    const started = performance.now()
    expect((await change({ delegationId: 'fr-pp' })).status).toBe(200)
    await Promise.all(streams.map((stream) => stream.ended))
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('stay open while in use, past twelve hours from the login', async () => {
    const token = await server.login('aisyah')
    const socket = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
    clock = new Date(clock.getTime() + 11 * 60 * 60 * 1000)
    // Any frame is use; an empty awareness update changes nothing.
    socket.socket.send(new Uint8Array([1, 1, 0]))
    await new Promise((resolve) => setTimeout(resolve, 300))
    clock = new Date(clock.getTime() + 2 * 60 * 60 * 1000)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(stillOpen(socket.socket)).toBe(true)
    expect((await server.api('/api/me', { token })).status).toBe(200)
    socket.socket.close()
  })
})

describe('password guessing', () => {
  const login = (address: string, password: string, headers: Record<string, string> = {}, username = 'ama') =>
    postFrom(`${server.url}/api/login`, address, { username, password }, headers)

  it('after 50 wrong passwords for one user from one address, lets the right one in from another address, within a short delay', async () => {
    const statuses = new Set<number>()
    for (let i = 0; i < 50; i++) statuses.add((await login('127.0.0.1', `guess-${i}`)).status)
    expect(statuses).toEqual(new Set([401, 429]))
    const refused = await login('127.0.0.1', 'demo')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)

    const started = performance.now()
    const owner = await login('127.0.0.2', 'demo')
    expect(owner.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('lets the owner’s own browser in from the guesser’s address (a shared venue network)', async () => {
    const first = await login('127.0.0.3', 'demo', {}, 'mateo')
    expect(first.status).toBe(200)
    const device = String(first.headers['set-cookie']).match(/hemicycle_device=([^;]+)/)![1]!
    for (let i = 0; i < 10; i++) await login('127.0.0.3', `guess-${i}`, {}, 'mateo')
    expect((await login('127.0.0.3', 'demo', {}, 'mateo')).status).toBe(429)
    expect((await login('127.0.0.3', 'demo', { cookie: `hemicycle_device=${device}` }, 'mateo')).status).toBe(200)
  })

  it('refuses an address spraying one guess over many usernames', async () => {
    const usernames = ['secretariat', 'claire', 'julien', 'lucia', 'mateo', 'aisyah', 'hafiz', 'kwame', 'ingrid', 'erik', 'tomas']
    const statuses: number[] = []
    for (const username of [...usernames, ...usernames]) statuses.push((await postFrom(`${server.url}/api/login`, '127.0.0.4', { username, password: 'Summer2026!' })).status)
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
  })
})
