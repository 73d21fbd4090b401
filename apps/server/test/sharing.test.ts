import { BODY } from '@hemicycle/schema'
import { afterAll, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { InProcessFanout } from '../src/collab/fanout.ts'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { type Client, connectClient, eventually, startTestServer, type TestServer } from './harness.ts'

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
  db = await openDatabase({ dataDir: 'memory://' })
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
  const shared = await openDatabase({ dataDir: 'memory://' })
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
