import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { type Client, connectClient, eventually, freshPostgresUrl, openRaw, paragraphs, sleep, syncMessage } from './harness.ts'
import { freePort } from './postgresCluster.ts'
import { apiOf, killHard, OwnRedis, type ProcessApi, type ServerProcess, Sessions, spawnServer, wsUrl } from './processes.ts'

/**
 * A hostile review: one hand-written client id, different words at the same
 * clocks, sent to two instances at the same moment. Each instance took its
 * own and dropped the other's as known: readers on each saw another text
 * for good, and the lock hashed the stored one while the other instance
 * showed and exported its own. Two server processes, a redis-server of this
 * file's own (stopped to make the two changes cross) and a real PostgreSQL,
 * on loopback.
 */
let a: ServerProcess
let b: ServerProcess
let apiA: ProcessApi
let apiB: ProcessApi
let redis: OwnRedis
let db: Database
let id: string
const clients: Client[] = []

/** A stock client, and the codes its sockets were closed with. */
async function reader(server: ServerProcess): Promise<Client & { closes: number[] }> {
  const client = Object.assign(connectClient(wsUrl(server), id, await apiA.token('tomas')), { closes: [] as number[] })
  client.provider.on('connection-close', (event: { code: number } | null) => client.closes.push(event?.code ?? 0))
  clients.push(client)
  await client.synced
  return client
}

/** Words typed at the start of the first paragraph of `from`'s copy of the text, under the attacker's client id `client`. */
function typedUnder(from: Y.Doc, client: number, words: string): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  doc.clientID = client
  const since = Y.encodeStateVector(doc)
  ;((doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, words)
  return Y.encodeStateAsUpdate(doc, since)
}

/** How a socket was closed, or null when it is still open after `ms`: a refusal never sent fails the test, not its timeout. */
const closedWithin = (socket: { closed: Promise<{ code: number; reason: string }> }, ms = 10_000) =>
  Promise.race([socket.closed, sleep(ms).then(() => null)])

const storedParagraphs = async () => {
  const out: string[] = []
  ;(await storedBody(db, id)).forEach((node) => out.push(node.textContent))
  return out
}

beforeAll(async () => {
  redis = new OwnRedis(await freePort())
  await redis.start()
  const env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: redis.url, PERSIST_INTERVAL_MS: '50' }
  a = await spawnServer(env)
  b = await spawnServer(env)
  const sessions = new Sessions()
  ;[apiA, apiB] = [apiOf(a, sessions), apiOf(b, sessions)]
  db = await openDatabase({ url: env['DATABASE_URL']!, dataDir: '' })
  const [draft] = (await (await apiA.call('/api/resolutions', 'secretariat')).json()) as Array<{ id: string }>
  id = draft!.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
  redis?.signal('SIGCONT')
  await redis?.kill()
  await db?.close()
})

it('refuses, as a copy to open afresh, other words under ids an instance holds from another: the sender alone is closed, one text everywhere', { timeout: 60_000 }, async () => {
  const [onA, onB] = [await reader(a), await reader(b)]
  const CLIENT = 123_456_790
  const [first, other] = [typedUnder(onA.doc, CLIENT, 'CCCC '), typedUnder(onA.doc, CLIENT, 'DDDD ')]
  const [rawA, rawB] = [await openRaw(wsUrl(a), `/collab/${id}?token=${await apiA.token('claire')}`), await openRaw(wsUrl(b), `/collab/${id}?token=${await apiA.token('julien')}`)]
  await sleep(200)
  rawA.socket.send(syncMessage(first))
  // B holds the first words, relayed, before the others reach it under the same ids.
  await eventually(() => expect(paragraphs(onB.doc)[0]).toMatch(/^CCCC /), { timeout: 10_000 })
  rawB.socket.send(syncMessage(other))

  const closed = await closedWithin(rawB)
  expect(closed?.code).toBe(CloseCode.Diverged)
  expect(closed?.reason).toContain(`other words than the resolution holds under client id ${CLIENT}`)
  await sleep(300)
  expect([onA.closes, onB.closes]).toEqual([[], []])
  expect(paragraphs(onB.doc)).toEqual(paragraphs(onA.doc))
  await eventually(async () => expect(await storedParagraphs()).toEqual(paragraphs(onA.doc)), { timeout: 10_000 })
  for (const client of [onA, onB]) client.destroy()
  rawA.socket.close()
})

it('puts the copies away when two instances took other words under one id, and every instance then shows, exports and hashes the stored text', { timeout: 60_000 }, async () => {
  const [onA, onB] = [await reader(a), await reader(b)]
  const CLIENT = 123_456_789
  const [rawA, rawB] = [await openRaw(wsUrl(a), `/collab/${id}?token=${await apiA.token('claire')}`), await openRaw(wsUrl(b), `/collab/${id}?token=${await apiA.token('julien')}`)]
  await sleep(200)
  // The bus stopped while each instance takes its own: the two changes cross, as they may whenever both land at once.
  redis.signal('SIGSTOP')
  rawA.socket.send(syncMessage(typedUnder(onA.doc, CLIENT, 'AAAA ')))
  rawB.socket.send(syncMessage(typedUnder(onA.doc, CLIENT, 'BBBB ')))
  await eventually(() => {
    expect(paragraphs(onA.doc)[0]).toMatch(/^AAAA /)
    expect(paragraphs(onB.doc)[0]).toMatch(/^BBBB /)
  }, { timeout: 10_000 })
  redis.signal('SIGCONT')

  // Each instance hears the other's words under ids it holds: both copies are put away, their sockets closed with 4410.
  const closedWith = await Promise.all([closedWithin(rawA), closedWithin(rawB)])
  expect(closedWith.map((closed) => closed?.code)).toEqual([CloseCode.Diverged, CloseCode.Diverged])
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
    expect((await apiB.call(`/api/resolutions/${id}/stage`, as, body)).status).toBe(200)
  }
  const exported = async (api: ProcessApi) => (await (await api.call(`/api/resolutions/${id}/export.md`, 'tomas')).text()).split('\n---\n')[1]
  expect(await exported(apiA)).toBe(await exported(apiB))
  expect(await exported(apiA)).toContain(stored[0]!.slice(0, 20))
  const verify = (await (await fetch(`${b.url}/api/resolutions/${id}/verify`)).json()) as { matches: boolean }
  expect(verify.matches).toBe(true)
  expect(paragraphs(freshA.doc)).toEqual(paragraphs(freshB.doc))
})
