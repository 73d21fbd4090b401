import { insertAfter } from '@hemicycle/amendments'
import { readBody, SOURCE_ID } from '@hemicycle/schema'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { type Client, connectClient, eventually, startTestServer, type TestServer } from './harness.ts'

let server: TestServer
const clients: Client[] = []
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'traductrice']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

function connect(room: string, as: string): Client {
  const client = connectClient(server.wsUrl, room, tokens[as]!)
  clients.push(client)
  return client
}

/** The ids of the original's textblocks, or the sources a version's textblocks translate. */
function blockIds(doc: Y.Doc, attribute: 'id' | typeof SOURCE_ID): string[] {
  const out: string[] = []
  readBody(doc).descendants((node) => {
    if (node.isTextblock) out.push(node.attrs[attribute] as string)
    return !node.isTextblock
  })
  return out
}

it('follows a version added behind this instance’s back (another instance) even when the typing stopped while it still trusted its list of versions', async () => {
  const id = server.resolutionId
  const created = await server.api(`/api/resolutions/${id}/languages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'en' }),
    token: tokens['secretariat']!,
  })
  expect(created.status).toBe(201)
  const claire = connect(id, 'claire')
  await claire.synced
  // A change: the English version follows, and this instance now holds its list of versions (English only).
  insertAfter(claire.doc, blockIds(claire.doc, 'id')[0]!, [[{ text: 'Premier ajout.' }]])
  await claire.saved()
  const english = connect(`${id}/en`, 'traductrice')
  await eventually(() => expect(blockIds(english.doc, SOURCE_ID)).toEqual(blockIds(claire.doc, 'id')))

  // Another instance adds the Spanish version: its row, as that instance's create writes it.
  await server.hemicycle.services.db.query('insert into language_versions (resolution_id, language, created_by, created_at) select $1, $2, id, now() from people where username = $3', [
    id,
    'es',
    'secretariat',
  ])
  // One more change right away, then nobody types again.
  insertAfter(claire.doc, blockIds(claire.doc, 'id')[1]!, [[{ text: 'Second ajout.' }]])
  await claire.saved()

  const spanish = connect(`${id}/es`, 'traductrice')
  await spanish.synced
  await eventually(() => expect(blockIds(spanish.doc, SOURCE_ID)).toEqual(blockIds(claire.doc, 'id')), { timeout: 4000 })
  expect(blockIds(english.doc, SOURCE_ID)).toEqual(blockIds(claire.doc, 'id'))
})
