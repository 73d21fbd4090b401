import { BODY } from '@hemicycle/schema'
import * as decoding from 'lib0/decoding'
import { afterAll, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { InProcessFanout } from '../src/collab/fanout.ts'
import type { Database } from '../src/db/database.ts'
import type { Logger } from '../src/logger.ts'
import { type Client, connectClient, eventually, memoryDatabase, startTestServer, type TestServer } from './harness.ts'

/** The in-process bus, counting the messages published on document channels. */
class CountingFanout extends InProcessFanout {
  published = 0
  override publish(channel: string, message: Uint8Array): void {
    if (channel.startsWith('hemicycle:doc:')) this.published += 1
    super.publish(channel, message)
  }
}

const servers: TestServer[] = []
const clients: Client[] = []
let db: Database | null = null
afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.close()
  await db?.close()
})

const firstText = (client: Client) => ((client.doc.getXmlFragment(BODY).get(1) as Y.XmlElement).get(0) as Y.XmlText).toString()
const type = (client: Client, words: string) => ((client.doc.getXmlFragment(BODY).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, words)

it('writes nothing on the bus while one instance alone holds a document, and shares every change once another holds it too', async () => {
  db = await memoryDatabase()
  const fanout = new CountingFanout()
  const one = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout })
  servers.push(one)
  const id = one.resolutionId
  const claire = connectClient(one.wsUrl, id, await one.login('claire'))
  clients.push(claire)
  await claire.synced
  await claire.saved()

  // Alone: typing and presence reach nobody else, so nothing is written for them.
  const before = fanout.published
  for (const words of ['Seule. ', 'Toujours seule. ']) type(claire, words)
  claire.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  await claire.saved()
  expect(fanout.published).toBe(before)

  // A second instance opens the document: it catches up, and from then on each instance hears the other.
  const two = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout })
  servers.push(two)
  const mateo = connectClient(two.wsUrl, id, await two.login('mateo'))
  clients.push(mateo)
  await mateo.synced
  await eventually(() => expect(firstText(mateo)).toBe(firstText(claire)))
  type(claire, 'Ensemble. ')
  await eventually(() => expect(firstText(mateo)).toMatch(/^Ensemble\. Toujours seule\. Seule\. /))
  type(mateo, 'Réponse. ')
  await eventually(() => expect(firstText(claire)).toMatch(/^Réponse\. Ensemble\. /))
  expect(fanout.published).toBeGreaterThan(before)
})

it('loses nothing typed while a second instance opens the document, and stores it all whichever instance closes first', async () => {
  const shared = await memoryDatabase()
  const fanout = new InProcessFanout()
  const one = await startTestServer({ LOG_LEVEL: 'silent' }, { db: shared, fanout })
  const id = one.resolutionId
  const claire = connectClient(one.wsUrl, id, await one.login('claire'))
  await claire.synced
  // Claire types without pause while the second instance starts, loads the document and takes a second person.
  let typing = true
  let typed = 0
  const typist = (async () => {
    while (typing) {
      type(claire, `${typed++ % 10}`)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  })()
  const two = await startTestServer({ LOG_LEVEL: 'silent' }, { db: shared, fanout })
  const mateo = connectClient(two.wsUrl, id, await two.login('mateo'))
  await mateo.synced
  type(mateo, 'Mateo. ')
  await new Promise((resolve) => setTimeout(resolve, 100))
  typing = false
  await typist
  const body = (client: Client) => client.doc.getXmlFragment(BODY).toString()
  await eventually(() => expect(body(mateo)).toBe(body(claire)))
  expect(firstText(claire)).toContain('Mateo. ')
  const expected = body(claire)
  await claire.saved()
  await mateo.saved()
  claire.destroy()
  await one.close()
  mateo.destroy()
  await two.close()

  const three = await startTestServer({ LOG_LEVEL: 'silent' }, { db: shared, fanout })
  const reader = connectClient(three.wsUrl, id, await three.login('tomas'))
  await reader.synced
  expect(body(reader)).toBe(expected)
  expect(typed).toBeGreaterThan(20)
  reader.destroy()
  await three.close()
  await shared.close()
})

/** The in-process bus, counting the "stored through" messages instances send each other (kind 3, after the sender's id). */
class StoredCounting extends InProcessFanout {
  stored = 0
  override publish(channel: string, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    decoding.readVarString(decoder)
    if (channel.startsWith('hemicycle:doc:') && decoding.readVarUint(decoder) === 3) this.stored += 1
    super.publish(channel, message)
  }
}

it('tells the other instance what it stored at most every 250 ms while someone types without pause, and all of it before it answers a stage move', async () => {
  const shared = await memoryDatabase()
  const fanout = new StoredCounting()
  const env = { LOG_LEVEL: 'silent', UNLOAD_AFTER_MS: '30000', PERSIST_INTERVAL_MS: '20' }
  const one = await startTestServer(env, { db: shared, fanout })
  const two = await startTestServer(env, { db: shared, fanout })
  const id = one.resolutionId
  const claire = connectClient(one.wsUrl, id, await one.login('claire'))
  const mateo = connectClient(two.wsUrl, id, await two.login('mateo'))
  try {
    await Promise.all([claire.synced, mateo.synced])
    const held = () => two.hemicycle.services.collab.peek(id)!.custody.size

    // 2 s of typing stored every 20 ms or so: about 100 writes, each one's "stored" once said to the other instance.
    const before = fanout.stored
    const started = performance.now()
    while (performance.now() - started < 2000) {
      type(claire, 'x')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await claire.saved()
    const sent = fanout.stored - before
    expect(sent).toBeGreaterThanOrEqual(4)
    expect(sent).toBeLessThanOrEqual(2000 / 250 + 2)
    // The last of it goes out all the same: instance two lets go of everything it held for instance one.
    await eventually(() => expect(held()).toBe(0), { timeout: 1000 })

    // Typed and stored just before a stage move asked from instance two: its answer comes after the "stored", never before,
    // so instance two holds nothing of it after the move (it would store it itself, after the lock, 3 s later).
    for (let round = 0; round < 5; round++) {
      type(claire, 'y')
      await claire.saved()
    }
    const secretariat = await two.login('secretariat')
    const moved = await two.api(`/api/resolutions/${id}/stage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }),
      token: secretariat,
    })
    expect(moved.status).toBe(200)
    expect(held()).toBe(0)
  } finally {
    claire.destroy()
    mateo.destroy()
    await one.close()
    await two.close()
    await shared.close()
  }
}, 60_000)

it('takes a whole copy from another instance that is its own byte for byte without reading it, as a text opened there while nobody types', async () => {
  const shared = await memoryDatabase()
  const fanout = new InProcessFanout()
  const sameCopies: string[] = []
  const logger = (name: string): Logger => ({
    debug: (message) => void (message === 'a whole copy the same as this one' && sameCopies.push(name)),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  })
  const one = await startTestServer({}, { db: shared, fanout, logger: logger('one') })
  const two = await startTestServer({}, { db: shared, fanout, logger: logger('two') })
  const id = one.resolutionId
  const claire = connectClient(one.wsUrl, id, await one.login('claire'))
  let mateo: Client | null = null
  try {
    await claire.synced
    // Each word typed before the last: one struct each, and a formatting and deletions among them.
    for (let word = 0; word < 300; word++) type(claire, `mot${word} `)
    const text = (claire.doc.getXmlFragment(BODY).get(1) as Y.XmlElement).get(0) as Y.XmlText
    text.format(10, 40, { bold: true })
    text.delete(100, 25)
    await claire.saved()

    // The second instance loads the text as stored, asks the first for what it misses, and each sends its whole copy.
    mateo = connectClient(two.wsUrl, id, await two.login('mateo'))
    await mateo.synced
    await eventually(() => expect([...new Set(sameCopies)].sort()).toEqual(['one', 'two']))
    expect(mateo.doc.getXmlFragment(BODY).toString()).toBe(claire.doc.getXmlFragment(BODY).toString())
  } finally {
    claire.destroy()
    mateo?.destroy()
    await one.close()
    await two.close()
    await shared.close()
  }
})
