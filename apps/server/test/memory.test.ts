import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectGarbage } from '../src/garbageCollection.ts'
import type { LiveDocument } from '../src/collab/liveDocument.ts'
import { type Client, connectClient, ENGINES, eventually, freshStorage, sleep, startTestServer, type Storage, type TestServer, typeInto } from './harness.ts'
import { killHard, type ServerProcess, spawnServer } from './processes.ts'

async function importDraft(server: TestServer, token: string, title: string): Promise<string> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: fr\n---\n\nFirst paragraph.\n\nSecond paragraph.\n`], 'draft.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token })
  if (response.status !== 201) throw new Error(`${response.status}: ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

/** Weak references only: the test itself must not keep a document alive. */
const weakly = (server: TestServer, ids: readonly string[]) => ids.map((id) => new WeakRef(server.hemicycle.services.collab.peek(id) as LiveDocument))

describe.each(ENGINES)('documents unloaded on %s', (engine) => {
  let storage: Storage
  let server: TestServer
  beforeAll(async () => {
    storage = await freshStorage(engine)
    // Collections are the test's own here (test servers make none of their own).
    server = await startTestServer(storage.env)
  })
  afterAll(async () => {
    await server?.close()
    storage?.remove()
  })

  it('leave nothing behind: once collected, no document, connection or subscription of theirs is still held', async () => {
    const secretariat = await server.login('secretariat')
    const claire = await server.login('claire')
    const ids = await Promise.all(Array.from({ length: 12 }, (_, index) => importDraft(server, secretariat, `Unloaded ${index}`)))
    const clients = ids.flatMap((id) => [connectClient(server.wsUrl, id, claire), connectClient(server.wsUrl, id, claire)])
    await Promise.all(clients.map((client) => client.synced))
    clients.forEach((client, index) => index % 2 === 0 && typeInto(client.doc, 0, 0, 'Typed. '))
    await Promise.all(clients.map((client) => client.saved()))
    const documents = weakly(server, ids)
    expect(documents.every((document) => document.deref() !== undefined)).toBe(true)
    for (const client of clients) client.destroy()
    await eventually(() => expect(ids.filter((id) => server.hemicycle.services.collab.peek(id))).toEqual([]), { timeout: 10_000 })
    await eventually(
      async () => {
        await collectGarbage()
        expect(documents.filter((document) => document.deref() !== undefined)).toHaveLength(0)
      },
      { timeout: 10_000, interval: 200 },
    )
  })
})

describe('memory of unloaded documents', () => {
  const QUIET_MS = 300
  let storage: Storage
  let server: TestServer
  let collections = 0
  const clients: Client[] = []
  beforeAll(async () => {
    storage = await freshStorage('pglite')
    server = await startTestServer(
      { ...storage.env, RELEASE_MEMORY_AFTER_MS: String(QUIET_MS) },
      {
        collectGarbage: async () => {
          collections += 1
        },
      },
    )
  })
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server?.close()
    storage?.remove()
  })

  it('is given back once, when nothing has happened on any document for a while after one unloaded: not before any unloaded, never while someone types', async () => {
    const secretariat = await server.login('secretariat')
    const claire = await server.login('claire')
    const [busy, leaving] = await Promise.all([importDraft(server, secretariat, 'Busy'), importDraft(server, secretariat, 'Left')])
    const typist = connectClient(server.wsUrl, busy!, claire)
    const leaver = connectClient(server.wsUrl, leaving!, claire)
    clients.push(typist, leaver)
    await Promise.all([typist.synced, leaver.synced])
    collections = 0
    // Quiet, but nothing unloaded: nothing to give back.
    await sleep(3 * QUIET_MS)
    expect(collections).toBe(0)
    leaver.destroy()
    // The left document unloads (after 200 ms) while the other is typed into, every 50 ms, for four times the quiet period.
    const until = performance.now() + 4 * QUIET_MS + 200
    while (performance.now() < until) {
      typeInto(typist.doc, 0, 0, 'a')
      await sleep(50)
    }
    expect(server.hemicycle.services.collab.peek(leaving!)).toBeUndefined()
    expect(collections).toBe(0)
    await eventually(() => expect(collections).toBe(1), { timeout: 5000 })
    await sleep(3 * QUIET_MS)
    expect(collections).toBe(1)
  })
})

describe('the document libraries', () => {
  let storage: Storage
  let server: ServerProcess
  beforeAll(async () => {
    storage = await freshStorage('pglite')
    // The hook tells on stderr each of docx, pdfkit, fontkit and mammoth the server imports.
    server = await spawnServer(storage.env, ['--import', './test/libraryImports.mjs'])
  })
  afterAll(async () => {
    if (server) await killHard(server)
    storage?.remove()
  })

  const imported = () => [...new Set([...server.output().matchAll(/^imported (\w+)$/gm)].map((match) => match[1]))].sort()
  const as = async (username: string) => {
    const response = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })
    return ((await response.json()) as { token: string }).token
  }

  it('are loaded by the first export of a PDF, not at start nor by editing, Markdown or HTML', async () => {
    const token = await as('claire')
    const headers = { authorization: `Bearer ${token}` }
    const [resolution] = (await (await fetch(`${server.url}/api/resolutions`, { headers })).json()) as Array<{ id: string }>
    const client = connectClient(server.url.replace('http', 'ws'), resolution!.id, token)
    await client.synced
    typeInto(client.doc, 0, 0, 'Typed. ')
    await client.saved()
    client.destroy()
    for (const format of ['md', 'html']) expect((await fetch(`${server.url}/api/resolutions/${resolution!.id}/export.${format}`, { headers })).status).toBe(200)
    await sleep(200)
    expect(imported()).toEqual([])

    const pdf = await fetch(`${server.url}/api/resolutions/${resolution!.id}/export.pdf`, { headers })
    expect(pdf.status).toBe(200)
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-')
    await eventually(() => expect(imported()).toEqual(['docx', 'fontkit', 'pdfkit']))
  })
})
