import { afterAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { InProcessFanout } from '../src/collab/fanout.ts'
import type { Database } from '../src/db/database.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { type Client, connectClient, eventually, memoryDatabase, paragraphs, startTestServer, type TestServer } from './harness.ts'

/**
 * Two instances in one process on one bus and one database, stock clients on
 * each typing as a hand-written client may: a letter and its combining accent
 * apart. One instance composes a text at a time (`collab/composer.ts`).
 */
const servers: TestServer[] = []
const clients: Client[] = []
let db: Database | null = null
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.close()
  await db?.close()
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
