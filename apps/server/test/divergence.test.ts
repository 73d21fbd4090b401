import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { type Client, connectClient, eventually, freshPostgresUrl, openRaw, paragraphs, sleep, syncMessage } from './harness.ts'
import { killHard, type ServerProcess, spawnServer } from './processes.ts'

/**
 * A hostile review: one hand-written client id, different words at the same
 * clocks, sent to two instances at the same moment. Each instance took its
 * own and dropped the other's as known: readers on each saw another text
 * for good, and the lock hashed the stored one while the other instance
 * showed and exported its own. Two server processes, a real Redis and a
 * real PostgreSQL on loopback.
 */
let a: ServerProcess
let b: ServerProcess
let db: Database
let id: string
const clients: Client[] = []
const tokens = new Map<string, string>()
const CLIENT = 123_456_789

async function token(username: string): Promise<string> {
  if (!tokens.has(username)) {
    const response = await fetch(`${a.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })
    tokens.set(username, ((await response.json()) as { token: string }).token)
  }
  return tokens.get(username)!
}

const ws = (server: ServerProcess) => server.url.replace(/^http/, 'ws')

/** A stock client, and the codes its sockets were closed with. */
async function reader(server: ServerProcess): Promise<Client & { closes: number[] }> {
  const client = Object.assign(connectClient(ws(server), id, await token('tomas')), { closes: [] as number[] })
  client.provider.on('connection-close', (event: { code: number } | null) => client.closes.push(event?.code ?? 0))
  clients.push(client)
  await client.synced
  return client
}

async function call(server: ServerProcess, path: string, as: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${await token(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

const storedParagraphs = async () => {
  const out: string[] = []
  ;(await storedBody(db, id)).forEach((node) => out.push(node.textContent))
  return out
}

beforeAll(async () => {
  const env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: inject('redisUrl'), PERSIST_INTERVAL_MS: '50' }
  a = await spawnServer(env)
  b = await spawnServer(env)
  db = await openDatabase({ url: env['DATABASE_URL']!, dataDir: '' })
  const [draft] = (await (await call(a, '/api/resolutions', 'secretariat')).json()) as Array<{ id: string }>
  id = draft!.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
  await db?.close()
})

it('puts the copies away when two instances took other words under one id, and every instance then shows, exports and hashes the stored text', { timeout: 60_000 }, async () => {
  const [onA, onB] = [await reader(a), await reader(b)]
  /** Words typed at the start of the first paragraph by a copy of the text under the attacker's one client id. */
  const under = (words: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(onA.doc))
    doc.clientID = CLIENT
    const since = Y.encodeStateVector(doc)
    ;((doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, words)
    return Y.encodeStateAsUpdate(doc, since)
  }
  const [rawA, rawB] = [await openRaw(ws(a), `/collab/${id}?token=${await token('claire')}`), await openRaw(ws(b), `/collab/${id}?token=${await token('julien')}`)]
  await sleep(200)
  rawA.socket.send(syncMessage(under('AAAA ')))
  rawB.socket.send(syncMessage(under('BBBB ')))

  // Each instance hears the other's words under ids it holds: both copies are put away, their sockets closed with 4410.
  const closedWith = await Promise.all([rawA.closed, rawB.closed])
  expect(closedWith.map(({ code }) => code)).toEqual([CloseCode.Diverged, CloseCode.Diverged])
  await eventually(() => expect([onA.closes, onB.closes]).toEqual([[CloseCode.Diverged], [CloseCode.Diverged]]), { timeout: 10_000 })

  // Read again from storage, where both stand under the same ids and a replay keeps the one stored first: one text everywhere.
  const [freshA, freshB] = [await reader(a), await reader(b)]
  const stored = await storedParagraphs()
  expect(paragraphs(freshA.doc)).toEqual(stored)
  expect(paragraphs(freshB.doc)).toEqual(stored)
  expect([stored[0]!.startsWith('AAAA '), stored[0]!.startsWith('BBBB ')].filter(Boolean)).toHaveLength(1)

  // Locked on B: the text hashed is the text both instances export.
  for (const [body, as] of [
    [{ to: 'amendments', deadline: '2100-01-01T00:00:00Z' }, 'secretariat'],
    [{ to: 'consolidation' }, 'secretariat'],
    [{ to: 'final', confirm: true }, 'mateo'],
  ] as const) {
    expect((await call(b, `/api/resolutions/${id}/stage`, as, body)).status).toBe(200)
  }
  const exported = async (server: ServerProcess) => (await (await call(server, `/api/resolutions/${id}/export.md`, 'tomas')).text()).split('\n---\n')[1]
  expect(await exported(a)).toBe(await exported(b))
  expect(await exported(a)).toContain(stored[0]!.slice(0, 20))
  const verify = (await (await fetch(`${b.url}/api/resolutions/${id}/verify`)).json()) as { matches: boolean }
  expect(verify.matches).toBe(true)
  expect(paragraphs(freshA.doc)).toEqual(paragraphs(freshB.doc))
})
