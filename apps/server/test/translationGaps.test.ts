import { deleteBlock, insertAfter } from '@hemicycle/amendments'
import type { AuditEntry, TranslationBlock } from '@hemicycle/protocol'
import { bodyOf, readBody, splitResolutionFile, textblockElements } from '@hemicycle/schema'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, freshStorage, sleep, startTestServer, typeInto, type Storage, type TestServer } from './harness.ts'

/**
 * Language versions where the procedure meets its edges: a version printed
 * before it followed the original, a paragraph of the original with nothing
 * to translate, and a version's title changed by whoever may change it.
 */

let server: TestServer | null = null
let storage: Storage | null = null
const clients: Client[] = []
const tokens: Record<string, string> = {}
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close().catch(() => {})
  server = null
  storage?.remove()
  storage = null
})

async function start(env: Record<string, string> = { DATA_DIR: 'memory://' }) {
  server = await startTestServer({ LOG_LEVEL: 'error', ...env })
  for (const name of ['secretariat', 'traductrice', 'ingrid', 'mateo', 'claire']) tokens[name] = await server.login(name)
  return server
}

const s = () => server!
const id = () => s().resolutionId
const send = (method: string, path: string, body: unknown, as: string) =>
  s().api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const post = (path: string, body: unknown, as: string) => send('POST', path, body, as)
const get = (path: string, as = 'secretariat') => s().api(path, { token: tokens[as]! })
const languages = () => `/api/resolutions/${id()}/languages`
const blocksOf = async (language: string) => (await (await get(`${languages()}/${language}/blocks`, 'traductrice')).json()) as TranslationBlock[]
const move = (body: Record<string, unknown>, as: string) => post(`/api/resolutions/${id()}/stage`, body, as)

function connect(room: string, as: string): Client {
  const client = connectClient(s().wsUrl, room, tokens[as]!)
  clients.push(client)
  return client
}

const textOf = (element: Y.XmlElement) => element.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText)!

/** Every block of the version given `EN text of block n.` and confirmed. */
async function translateAndConfirmAll(language: string): Promise<Client> {
  expect((await post(languages(), { language }, 'secretariat')).status).toBe(201)
  const version = connect(`${id()}/${language}`, 'traductrice')
  await version.synced
  // A paragraph of the original with no words gets none.
  const wordless = new Set((await blocksOf(language)).filter((block) => block.sourceText.trim() === '').map((block) => block.sourceId))
  textblockElements(bodyOf(version.doc)).forEach(({ element }, index) => {
    if (!wordless.has(element.getAttribute('sourceId') as string)) textOf(element).insert(0, `${language.toUpperCase()} text of block ${index + 1}.`)
  })
  await version.saved()
  await sleep(100)
  for (const block of await blocksOf(language)) {
    if (block.text.trim() === '') continue
    expect((await post(`${languages()}/${language}/blocks/${block.sourceId}/confirm`, {}, 'traductrice')).status).toBe(200)
  }
  return version
}

const paragraphsOf = (markdown: string) =>
  splitResolutionFile(markdown)
    .body.split(/\n{2,}/)
    .map((text) => text.trim())
    .filter(Boolean)

describe('a language version exported before it followed the original', () => {
  it('prints the original’s paragraphs and § numbers, not the translation of a paragraph the original deleted (restart between the deletion and the versions following)', async () => {
    storage = await freshStorage('pglite')
    // Stored at once, so that the delegate's 'saved' comes before the versions follow: the restart falls in that window.
    const env = { ...storage.env, PERSIST_INTERVAL_MS: '1' }
    await start(env)
    const version = await translateAndConfirmAll('en')
    version.destroy()

    const claire = connect(id(), 'claire')
    await claire.synced
    const fourth = readBody(claire.doc).child(3).attrs['id'] as string
    claire.doc.transact(() => {
      deleteBlock(claire.doc, fourth)
      // A character typed and taken back, so that 'saved' waits for the server to store the change.
      typeInto(claire.doc, 0, 0, ' ')
      ;((claire.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 1)
    })
    await claire.saved()
    await s().close()
    clients.splice(0).forEach((client) => client.destroy())
    await start(env)

    // Nobody opens the version: it is printed as read.
    const fr = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md`)).text())
    const en = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    expect(en.some((paragraph) => paragraph.includes('EN text of block 4.'))).toBe(false)
    expect(en.length).toBe(fr.length)
    // The original's fourth paragraph is now its fifth one's: the translation of that one is the English fourth.
    expect(en[3]).toContain('EN text of block 5.')
    // The HTML cites the same § as the original's for each translated paragraph.
    const html = await (await get(`/api/resolutions/${id()}/export.html?language=en`)).text()
    const cited = [...html.matchAll(/EN text of block (\d+)\./g)].map((match) => Number(match[1]))
    expect(cited).not.toContain(4)
  }, 240_000)
})

describe('a paragraph of the original with no words', () => {
  it('has nothing to translate: it is not outstanding, and the lock needs no acknowledgement for it', async () => {
    await start()
    const claire = connect(id(), 'claire')
    await claire.synced
    const second = readBody(claire.doc).child(1).attrs['id'] as string
    // An empty paragraph, numbered and printed as every empty paragraph is.
    claire.doc.transact(() => insertAfter(claire.doc, second, [[]]))
    await claire.saved()
    const version = await translateAndConfirmAll('en')
    await eventually(async () => expect((await blocksOf('en')).length).toBe(16))
    const blocks = await blocksOf('en')
    const empty = blocks.find((block) => block.sourceText === '')!
    expect(empty).toBeDefined()
    expect(empty.status).toBe('current')
    expect(blocks.every((block) => block.status === 'current')).toBe(true)
    // Still nothing to confirm in it.
    const refused = await post(`${languages()}/en/blocks/${empty.sourceId}/confirm`, {}, 'traductrice')
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('empty_translation')
    version.destroy()

    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const locked = await move({ to: 'final', confirm: true }, 'mateo')
    expect(locked.status, await locked.clone().text()).toBe(200)
  }, 240_000)

  it('is still due when the version holds words under it (a translation left there when the original’s words moved on)', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const claire = connect(id(), 'claire')
    await claire.synced
    const second = readBody(claire.doc).child(1).attrs['id'] as string
    // The delegate empties §2: its English translation now translates nothing it says.
    claire.doc.transact(() => {
      const text = textOf(claire.doc.getXmlFragment('body').get(1) as Y.XmlElement)
      text.delete(0, text.length)
    })
    await claire.saved()
    await eventually(async () => expect((await blocksOf('en')).find((block) => block.sourceId === second)!.status).toBe('due'))
    version.destroy()
  }, 240_000)
})

describe('a version’s title', () => {
  it('changed by a translator is in the audit log, with who changed it and the title before and after', async () => {
    await start()
    expect((await post(languages(), { language: 'es' }, 'secretariat')).status).toBe(201)
    const retitled = await send('PATCH', `${languages()}/es`, { title: 'Resolución: cohesión social y progreso' }, 'traductrice')
    expect(retitled.status).toBe(200)
    const entries = (await (await get(`/api/resolutions/${id()}/audit`)).json()) as AuditEntry[]
    const entry = entries.find((candidate) => candidate.action === 'versionTitle')
    expect(entry).toBeDefined()
    expect(entry!.person).toBe('person-traductrice')
    expect(entry!.detail).toMatchObject({ language: 'es', from: null, to: 'Resolución: cohesión social y progreso' })
  }, 240_000)
})
