import { deleteBlock } from '@hemicycle/amendments'
import type { TranslationBlock } from '@hemicycle/protocol'
import { bodyOf, readBody, splitResolutionFile, textblockElements } from '@hemicycle/schema'
import { afterEach, expect } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, freshStorage, sleep, startTestServer, typeInto, type Storage, type TestServer } from './harness.ts'

/**
 * A fresh server per test with the people who work on language versions
 * (secretariat, translator, chair, Steering Committee member, delegate),
 * and the calls they make: the set-up the tests of translations at the
 * procedure's edges share.
 */
export function languageVersionSession() {
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

  /** Stored on disk (PGlite) and at once, for a test that restarts the server. */
  async function durable(): Promise<Record<string, string>> {
    storage = await freshStorage('pglite')
    return { ...storage.env, PERSIST_INTERVAL_MS: '1' }
  }

  const s = () => server!
  const id = () => s().resolutionId
  const send = (method: string, path: string, body: unknown, as: string) =>
    s().api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
  const post = (path: string, body: unknown, as: string) => send('POST', path, body, as)
  const get = (path: string, as = 'secretariat') => s().api(path, { token: tokens[as]! })
  /** The bearer token of one of the session's people, for a request the helpers do not make (a file upload). */
  const token = (as: string) => tokens[as]!
  const languages = () => `/api/resolutions/${id()}/languages`
  const blocksOf = async (language: string) => (await (await get(`${languages()}/${language}/blocks`, 'traductrice')).json()) as TranslationBlock[]
  const move = (body: Record<string, unknown>, as: string) => post(`/api/resolutions/${id()}/stage`, body, as)

  function connect(room: string, as: string): Client {
    const client = connectClient(s().wsUrl, room, tokens[as]!)
    clients.push(client)
    return client
  }

  /** Every block of the version with words in its source given `EN text of block n.` and confirmed. */
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

  /**
   * `as` deletes the original's fourth paragraph, the server stores it and
   * is restarted (a deploy) before the versions follow the deletion.
   */
  async function deleteFourthAndRestart(as: string, env: Record<string, string>): Promise<void> {
    const editor = connect(id(), as)
    await editor.synced
    const fourth = readBody(editor.doc).child(3).attrs['id'] as string
    editor.doc.transact(() => {
      deleteBlock(editor.doc, fourth)
      // A character typed and taken back, so that 'saved' waits for the server to store the change (a deletion alone moves no clock).
      typeInto(editor.doc, 0, 0, ' ')
      textOf(editor.doc.getXmlFragment('body').get(0) as Y.XmlElement).delete(0, 1)
    })
    await editor.saved()
    await s().close()
    clients.splice(0).forEach((client) => client.destroy())
    await start(env)
  }

  return { start, durable, s, id, send, post, get, token, languages, blocksOf, move, connect, translateAndConfirmAll, deleteFourthAndRestart }
}

export const textOf = (element: Y.XmlElement) => element.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText)!

/** An export's Markdown body, paragraph by paragraph. */
export const paragraphsOf = (markdown: string) =>
  splitResolutionFile(markdown)
    .body.split(/\n{2,}/)
    .map((text) => text.trim())
    .filter(Boolean)
