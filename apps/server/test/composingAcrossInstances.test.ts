import { afterAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { InProcessFanout } from '../src/collab/fanout.ts'
import type { Database } from '../src/db/database.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { type Client, connectClient, eventually, memoryDatabase, paragraphs, startTestServer, type TestServer } from './harness.ts'
import { LateBus } from './lateBus.ts'

/**
 * Two instances in one process on one bus and one database, stock clients on
 * each typing as a hand-written client may: a letter and its combining accent
 * apart. One instance composes a text at a time (`collab/composer.ts`).
 */
const servers: TestServer[] = []
const clients: Client[] = []
let db: Database | null = null
const otherDatabases: Database[] = []
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.close()
  await db?.close()
  for (const other of otherDatabases) await other.close()
})

const env = { LOG_LEVEL: 'silent', COMPOSER_CLAIM_MS: '600' }

async function join(server: TestServer, resolutionId: string, username: string, clientId?: number): Promise<Client> {
  const doc = new Y.Doc()
  if (clientId !== undefined) doc.clientID = clientId
  const client = connectClient(server.wsUrl, resolutionId, await server.login(username), {}, doc)
  clients.push(client)
  await client.synced
  return client
}

async function newResolution(server: TestServer, title: string): Promise<string> {
  const created = await server.api('/api/resolutions', {
    method: 'POST',
    token: await server.login('secretariat'),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, language: 'fr' }),
  })
  expect(created.status).toBe(201)
  return ((await created.json()) as { id: string }).id
}

const firstText = (client: Client) => ((client.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText)

const storedFirst = async (resolutionId: string) => {
  const out: string[] = []
  ;(await storedBody(db!, resolutionId)).forEach((node) => out.push(node.textContent))
  return out[0]
}

it("composes once a letter typed on one instance and its accent typed at once on the other, whichever composes (helper-170's H1)", async () => {
  db = await memoryDatabase()
  const fanout = new InProcessFanout()
  const one = await startTestServer(env, { db, fanout })
  const two = await startTestServer(env, { db, fanout })
  servers.push(one, two)
  for (const composer of ['one', 'two'] as const) {
    const id = await newResolution(one, `Composed by ${composer}`)
    // The lower id puts the letter before the accent typed at the same place at the same time.
    const base = 1_000_000 + Math.floor(Math.random() * 1_000_000_000)
    // The instance that opens the text first composes it.
    const [claire, mateo] = composer === 'one' ? [await join(one, id, 'claire', base), await join(two, id, 'mateo', base + 1)] : [await join(two, id, 'mateo', base + 1), await join(one, id, 'claire', base)].reverse()
    firstText(claire!).insert(0, 'Caf k.')
    await eventually(() => expect(paragraphs(mateo!.doc)[0]).toBe('Caf k.'))
    // Offline both: neither has the other's piece, and neither instance has both until both are back.
    claire!.provider.disconnect()
    mateo!.provider.disconnect()
    firstText(claire!).insert(3, 'e')
    firstText(mateo!).insert(3, '\u0301')
    claire!.provider.connect()
    mateo!.provider.connect()
    for (const client of [claire!, mateo!]) await eventually(() => expect([composer, paragraphs(client.doc)[0]]).toEqual([composer, 'Café k.']))
    await eventually(async () => expect(await storedFirst(id)).toBe('Café k.'))
  }
})

it('is taken over by the other instance when the composing one closes, which composes what was typed meanwhile', async () => {
  db ??= await memoryDatabase()
  const fanout = new InProcessFanout()
  const one = await startTestServer(env, { db, fanout })
  const two = await startTestServer(env, { db, fanout })
  servers.push(two)
  const id = await newResolution(one, 'Composer closing')
  await join(one, id, 'claire')
  const mateo = await join(two, id, 'mateo')
  firstText(mateo).insert(0, 'Cafe\u0301 ')
  // Composed by the first instance, and relayed.
  await eventually(() => expect(paragraphs(mateo.doc)[0]).toBe('Café '))
  await one.close()
  firstText(mateo).insert(0, 'The\u0301 ')
  await eventually(() => expect(paragraphs(mateo.doc)[0]).toBe('Thé Café '))
  await eventually(async () => expect(await storedFirst(id)).toBe('Thé Café '))
})

it('locks composed what a chair typed on the other instance a moment before the lock, which reached the composing instance once it froze (helper-173 L1)', async () => {
  const shared = await memoryDatabase()
  otherDatabases.push(shared)
  const bus = new InProcessFanout()
  const one = await startTestServer(env, { db: shared, fanout: bus })
  // Whatever the second instance says reaches the first a second late: its chair's typing, then its answer to the lock.
  // It stores what its people type a second after they type it: sooner, the lock would read it from the log first.
  const two = await startTestServer({ ...env, PERSIST_INTERVAL_MS: '1000' }, { db: shared, fanout: new LateBus(bus, 1000) })
  servers.push(one, two)
  const id = await newResolution(one, 'Locked while typing')
  const secretariat = await one.login('secretariat')
  const move = (body: unknown, token: string) =>
    one.api(`/api/resolutions/${id}/stage`, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect((await move({ to: 'amendments', deadline: '2100-01-01T00:00:00Z' }, secretariat)).status).toBe(200)
  expect((await move({ to: 'consolidation' }, secretariat)).status).toBe(200)
  // Opened on the first instance first: it composes the text.
  await join(one, id, 'claire')
  const ingrid = await join(two, id, 'ingrid')
  firstText(ingrid).insert(0, 'Vu. ')
  await ingrid.saved()
  // Just after a store: the next is a second away.
  firstText(ingrid).insert(0, 'Cafe\u0301 ')
  // Taken by the second instance, and on its way to the first.
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect((await move({ to: 'final', confirm: true }, await one.login('mateo'))).status).toBe(200)
  const stored: string[] = []
  ;(await storedBody(shared, id)).forEach((node) => stored.push(node.textContent))
  expect(stored[0]).toBe('Café Vu. ')
})
