import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import { randomUUID } from 'node:crypto'
import { readBody } from '@hemicycle/schema'
import {
  awarenessMessage,
  connectClient,
  openRaw,
  syncMessage,
  syncReplyMessage,
  syncRequestMessage,
  ENGINES,
  eventually,
  freshStorage,
  paragraphs,
  sleep,
  startTestServer,
  type Storage,
  type TestServer,
  typeInto,
} from './harness.ts'
import { killHard, spawnServer } from './processes.ts'
import { listen } from './sse.ts'
import { openDatabase } from '../src/db/open.ts'
import { CLAIMS_RECORDED_PER_PERSON } from '../src/collab/extensions/clientOwners.ts'
import { OWN_CHANGES_WAIT_MS } from '../src/collab/liveDocument.ts'
import * as encoding from 'lib0/encoding'

/** The README's persistence bound: an update reaches the database within this many milliseconds of arriving. */
const PERSISTENCE_BOUND_MS = 300

async function loginAt(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  })
  return ((await response.json()) as { token: string }).token
}

async function draftIdAt(url: string, token: string): Promise<string> {
  const list = (await (await fetch(`${url}/api/resolutions`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ id: string }>
  return list[0]!.id
}

/**
 * Claire and Kwame on one document of a server that saves only after a
 * second; Claire types `words` (3rd paragraph), they reach Kwame's tab, and
 * the server is killed before they are saved. The tabs keep their
 * documents, to reconnect to the next server.
 */
async function wordsLostInACrash(env: Record<string, string | undefined>, words: string) {
  const first = await spawnServer({ ...env, PERSIST_INTERVAL_MS: '1000' })
  const [claireToken, kwameToken] = await Promise.all([loginAt(first.url, 'claire'), loginAt(first.url, 'kwame')])
  const id = await draftIdAt(first.url, claireToken)
  const claire = connectClient(first.url.replace('http', 'ws'), id, claireToken)
  const kwame = connectClient(first.url.replace('http', 'ws'), id, kwameToken)
  await Promise.all([claire.synced, kwame.synced])
  // Claire's presence introduced her id at connect, well before she types.
  await sleep(200)
  const before = Y.encodeStateAsUpdate(claire.doc)
  typeInto(claire.doc, 3, 0, words)
  await eventually(() => expect(paragraphs(kwame.doc)[3]).toContain(words), { interval: 1 })
  await killHard(first)
  claire.provider.destroy()
  kwame.provider.destroy()
  return { id, claireDoc: claire.doc, kwameDoc: kwame.doc, before }
}

/** `as` types "FORGED " under `client` into a copy of `doc` and sends it: the server closes the socket, the id being another person's. */
async function expectForgeryRefused(server: TestServer, doc: Y.Doc, client: number, as: string) {
  const forger = new Y.Doc()
  Y.applyUpdate(forger, Y.encodeStateAsUpdate(doc))
  const since = Y.encodeStateVector(forger)
  forger.clientID = client
  typeInto(forger, 4, 0, 'FORGED ')
  const raw = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login(as)}`)
  raw.socket.send(syncMessage(Y.encodeStateAsUpdate(forger, since)))
  expect(await raw.closed).toEqual({ code: CloseCode.BadMessage, reason: expect.stringMatching(/belongs to another person/) })
}

describe.each(ENGINES)('documents stored on %s', (engine) => {
  let storage: Storage
  beforeAll(async () => {
    storage = await freshStorage(engine)
  })
  afterAll(() => storage?.remove())

  it('read back after a clean restart exactly as they were', async () => {
    const first = await startTestServer(storage.env)
    const token = await first.login('claire')
    const client = connectClient(first.wsUrl, first.resolutionId, token)
    await client.synced
    typeInto(client.doc, 0, 0, 'Restart-proof. ')
    typeInto(client.doc, 6, 3, ' [inserted] ')
    const before = paragraphs(client.doc)
    await client.saved()
    client.destroy()
    await first.close()

    const second = await startTestServer(storage.env)
    expect(second.resolutionId).toBe(first.resolutionId)
    const again = connectClient(second.wsUrl, second.resolutionId, await second.login('kwame'))
    await again.synced
    expect(paragraphs(again.doc)).toEqual(before)
    again.destroy()
    await second.close()
  })

  it('tell a tab what is saved of its own changes as they are stored, and a tab that typed nothing only once, when it connects', async () => {
    const server = await startTestServer(storage.env)
    const writer = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
    const readers = await Promise.all(['kwame', 'lucia', 'tomas'].map(async (name) => connectClient(server.wsUrl, server.resolutionId, await server.login(name))))
    await Promise.all([writer, ...readers].map((client) => client.synced))
    await eventually(() => expect([writer, ...readers].map((client) => client.acknowledgements())).toEqual([1, 1, 1, 1]))
    for (let edit = 0; edit < 5; edit++) {
      typeInto(writer.doc, 0, 0, `${edit} `)
      await writer.saved()
      await sleep(PERSISTENCE_BOUND_MS)
    }
    // Five writes stored one after another: the writer heard of each, the others of none.
    expect(writer.acknowledgements()).toBe(6)
    expect(readers.map((reader) => reader.acknowledgements())).toEqual([1, 1, 1])
    for (const client of [writer, ...readers]) client.destroy()
    await server.close()
  })

  it('let a tab that reconnects with its document keep writing under its client id, across a restart, and nobody else', async () => {
    const first = await startTestServer(storage.env)
    const tab = connectClient(first.wsUrl, first.resolutionId, await first.login('claire'))
    await tab.synced
    typeInto(tab.doc, 4, 0, 'before the blip ')
    await tab.saved()
    tab.provider.disconnect()
    typeInto(tab.doc, 4, 0, 'while offline ')
    tab.provider.connect()
    await tab.saved()
    tab.provider.destroy()
    await first.close()

    const second = await startTestServer(storage.env)
    const again = connectClient(second.wsUrl, second.resolutionId, await second.login('claire'), {}, tab.doc)
    await again.synced
    typeInto(again.doc, 4, 0, 'after the restart ')
    await again.saved()
    expect(again.doc.clientID).toBe(tab.doc.clientID)

    await expectForgeryRefused(second, again.doc, again.doc.clientID, 'kwame')

    const markdown = await (await second.api(`/api/resolutions/${second.resolutionId}/export.md`, { token: await second.login('kwame') })).text()
    expect(markdown).toContain('after the restart while offline before the blip ')
    expect(markdown).not.toContain('FORGED')
    again.destroy()
    await second.close()
  }, 90_000)

  it('keep a client id claim only while it says something the log does not: pruned once logged, or after a month unused', async () => {
    const first = await startTestServer(storage.env)
    const tab = connectClient(first.wsUrl, first.resolutionId, await first.login('claire'))
    await tab.synced
    typeInto(tab.doc, 4, 0, 'logged ')
    await tab.saved()
    tab.destroy()
    const { db } = first.hemicycle.services
    const [kwame] = await db.query<{ id: string }>("select id from people where username = 'kwame'")
    const claim = (client: number, daysAgo: number) =>
      db.query(`insert into client_claims (resolution_id, document, client, person_id, claimed_at) values ($1, $2, $3, $4, now() - make_interval(days => $5))`, [
        first.resolutionId,
        'original',
        client,
        kwame!.id,
        daysAgo,
      ])
    await claim(111, 40)
    await claim(222, 29)
    const claimed = async () =>
      (await db.query<{ client: number }>('select client from client_claims where resolution_id = $1 order by client', [first.resolutionId])).map((row) => Number(row.client))
    expect(await claimed()).toEqual(expect.arrayContaining([111, 222, tab.doc.clientID]))
    await first.close()

    const second = await startTestServer(storage.env)
    const reader = connectClient(second.wsUrl, second.resolutionId, await second.login('ama'))
    await reader.synced
    const kept = async () => (await second.hemicycle.services.db.query<{ client: number }>('select client from client_claims where resolution_id = $1', [second.resolutionId])).map((row) => Number(row.client))
    // Other tests' readers left recent unused claims, kept too.
    await eventually(async () => {
      const left = await kept()
      expect(left).toEqual(expect.arrayContaining([222, reader.doc.clientID]))
      expect(left).not.toContain(111)
      expect(left).not.toContain(tab.doc.clientID)
    })

    // What was pruned is still owned, by the log; what is kept still guards its id.
    await expectForgeryRefused(second, reader.doc, tab.doc.clientID, 'kwame')
    await expectForgeryRefused(second, reader.doc, 222, 'claire')
    reader.destroy()
    await second.close()
  }, 90_000)

  it('record the client ids of those who may write in the text, not of those who only read it', async () => {
    const server = await startTestServer(storage.env)
    const claims = async () => (await server.hemicycle.services.db.query<{ client: number }>('select client from client_claims where resolution_id = $1', [server.resolutionId])).map((row) => Number(row.client))
    const reader = connectClient(server.wsUrl, server.resolutionId, await server.login('tomas'))
    const writer = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
    await Promise.all([reader.synced, writer.synced])
    await eventually(async () => expect(await claims()).toContain(writer.doc.clientID))
    // Nothing is typed under an observer's id: each reconnection recorded eight more, rows without end a load reads.
    expect(await claims()).not.toContain(reader.doc.clientID)
    // Still the observer's while connected: nobody else may take it.
    await expectForgeryRefused(server, writer.doc, reader.doc.clientID, 'kwame')
    reader.destroy()
    writer.destroy()
    await server.close()
  })

  it(`record at most ${CLAIMS_RECORDED_PER_PERSON} of one person's ids per load, however many sockets introduce new ones`, async () => {
    // Found by a hostile review: 2,000 sockets each introducing eight ids left 16,000 rows, and each load took 600 ms.
    const server = await startTestServer(storage.env)
    const claims = async () => (await server.hemicycle.services.db.query<{ count: number }>('select count(*)::int as count from client_claims where resolution_id = $1 and client between 800000 and 800600', [server.resolutionId]))[0]!.count
    const token = await server.login('julien')
    // Eight ids a socket, as many as one may hold.
    for (let socket = 0; socket < 40; socket++) {
      const raw = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 8)
      for (let index = 0; index < 8; index++) {
        encoding.writeVarUint(encoder, 800_000 + socket * 10 + index)
        encoding.writeVarUint(encoder, 1)
        encoding.writeVarString(encoder, JSON.stringify({ user: { name: 'Julien' } }))
      }
      raw.socket.send(awarenessMessage(encoding.toUint8Array(encoder)))
      await sleep(50)
      raw.socket.close()
      await raw.closed
    }
    // 320 introduced; the first 256 recorded, the rest his in memory only.
    await eventually(async () => expect(await claims()).toBe(CLAIMS_RECORDED_PER_PERSON))
    await sleep(300)
    expect(await claims()).toBe(CLAIMS_RECORDED_PER_PERSON)
    await server.close()
  })

  it('are all stored when the server is stopped, which then exits 0', async () => {
    const first = await spawnServer(storage.env)
    const token = await loginAt(first.url, 'erik')
    const id = await draftIdAt(first.url, token)
    const client = connectClient(first.url.replace('http', 'ws'), id, token)
    await client.synced
    typeInto(client.doc, 2, 0, 'typed just before the stop ')
    const before = paragraphs(client.doc)
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)))
    first.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    client.destroy()

    const second = await spawnServer(storage.env)
    try {
      const reader = connectClient(second.url.replace('http', 'ws'), id, await loginAt(second.url, 'ama'))
      await reader.synced
      expect(paragraphs(reader.doc)).toEqual(before)
      reader.destroy()
    } finally {
      await killHard(second)
    }
  }, 90_000)

  it(`keep every edit through a SIGKILL that comes ${PERSISTENCE_BOUND_MS} ms after the last one`, async () => {
    const first = await spawnServer(storage.env)
    const token = await loginAt(first.url, 'julien')
    const id = await draftIdAt(first.url, token)
    const client = connectClient(first.url.replace('http', 'ws'), id, token)
    await client.synced
    for (let i = 0; i < 30; i++) {
      typeInto(client.doc, 1, 0, `k${i} `)
      await sleep(i % 7)
    }
    const before = paragraphs(client.doc)
    await sleep(PERSISTENCE_BOUND_MS)
    await killHard(first)
    client.destroy()

    const second = await spawnServer(storage.env)
    try {
      const reader = connectClient(second.url.replace('http', 'ws'), id, await loginAt(second.url, 'ama'))
      await reader.synced
      expect(paragraphs(reader.doc)).toEqual(before)
      for (let i = 0; i < 30; i++) expect(paragraphs(reader.doc)[1]).toContain(`k${i} `)
      reader.destroy()
    } finally {
      await killHard(second)
    }
  })

  it('keep a change the server made itself (a version’s block following its original) that a tab received, through a SIGKILL right after', async () => {
    // Typing waits a second to be stored: only what the server made itself is stored sooner.
    const first = await spawnServer({ ...storage.env, PERSIST_INTERVAL_MS: '1000' })
    // The same port again after the restart, for the tabs to come back by themselves.
    const env = { ...storage.env, PERSIST_INTERVAL_MS: '1000', PORT: String(first.port) }
    const [secretariat, translatorToken] = await Promise.all([loginAt(first.url, 'secretariat'), loginAt(first.url, 'traductrice')])
    const id = await draftIdAt(first.url, secretariat)
    const created = await fetch(`${first.url}/api/resolutions/${id}/languages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretariat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en' }),
    })
    expect(created.status).toBe(201)
    const translator = connectClient(first.url.replace('http', 'ws'), `${id}/en`, translatorToken)
    const editor = connectClient(first.url.replace('http', 'ws'), id, secretariat)
    await Promise.all([translator.synced, editor.synced])
    const versionIds = (doc: Y.Doc) => readBody(doc).content.content.map((block) => block.attrs['id'] as string)
    const before = versionIds(translator.doc).length
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('id', randomUUID())
    const words = new Y.XmlText()
    words.insert(0, 'Un paragraphe nouveau.')
    paragraph.insert(0, [words])
    editor.doc.getXmlFragment('body').insert(2, [paragraph])
    await eventually(() => expect(versionIds(translator.doc)).toHaveLength(before + 1), { interval: 1 })
    const onScreen = versionIds(translator.doc)
    // The editor's tab does not come back to bring its paragraph again: the block follows what of the original is stored.
    editor.destroy()
    await killHard(first)

    const second = await spawnServer(env)
    try {
      // The translator's tab comes back by itself and types in the block the follow gave it.
      await eventually(() => expect(translator.provider.wsconnected && translator.provider.synced).toBe(true), { timeout: 15_000 })
      const reader = connectClient(second.url.replace('http', 'ws'), `${id}/en`, await loginAt(second.url, 'secretariat'))
      await reader.synced
      expect(versionIds(reader.doc)).toEqual(expect.arrayContaining(onScreen))
      const original = connectClient(second.url.replace('http', 'ws'), id, await loginAt(second.url, 'secretariat'))
      await original.synced
      expect(paragraphs(original.doc)).toContain('Un paragraphe nouveau.')
      original.destroy()
      const block = translator.doc.getXmlFragment('body').get(2) as Y.XmlElement
      if (block.length === 0) block.insert(0, [new Y.XmlText()])
      ;(block.get(0) as Y.XmlText).insert(0, 'A new paragraph.')
      await translator.saved()
      reader.destroy()
    } finally {
      translator.destroy()
      editor.destroy()
      await killHard(second)
    }
  })

  it('let a tab whose typing built on another person’s unstored paragraph come back after a SIGKILL, and store it once that person is back', async () => {
    const first = await spawnServer({ ...storage.env, PERSIST_INTERVAL_MS: '1000' })
    const env = { ...storage.env, PERSIST_INTERVAL_MS: '1000', PORT: String(first.port) }
    const [secretariat, claireToken] = await Promise.all([loginAt(first.url, 'secretariat'), loginAt(first.url, 'claire')])
    const id = await draftIdAt(first.url, secretariat)
    const ws = first.url.replace('http', 'ws')
    const [editor, writer] = [connectClient(ws, id, secretariat), connectClient(ws, id, claireToken)]
    await Promise.all([editor.synced, writer.synced])
    typeInto(editor.doc, 1, 0, 'E ')
    typeInto(writer.doc, 1, 0, 'W ')
    await Promise.all([editor.saved(), writer.saved()])
    const closes: number[] = []
    writer.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
    // The editor adds a paragraph; Claire types in it at once; the server dies before either is stored.
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('id', randomUUID())
    paragraph.insert(0, [new Y.XmlText('Nouveau paragraphe.')])
    editor.doc.getXmlFragment('body').insert(2, [paragraph])
    await eventually(() => expect(paragraphs(writer.doc)[2]).toBe('Nouveau paragraphe.'), { interval: 1 })
    typeInto(writer.doc, 2, 7, ' grand')
    await sleep(20)
    await killHard(first)
    // The editor's laptop is closed for a while: Claire's tab is back first.
    editor.provider.disconnect()
    const second = await spawnServer(env)
    try {
      await sleep(2000)
      editor.provider.connect()
      await writer.saved()
      await editor.saved()
      // Before, Claire's tab was closed for good (4400) and her words lost; it now comes back until they can be taken.
      expect(closes.filter((code) => code >= 4400 && code < 4500)).toEqual([])
      const reader = connectClient(second.url.replace('http', 'ws'), id, await loginAt(second.url, 'tomas'))
      await reader.synced
      expect(paragraphs(reader.doc)[2]).toBe('Nouveau grand paragraphe.')
      reader.destroy()
    } finally {
      editor.destroy()
      writer.destroy()
      await killHard(second)
    }
  })

  it('keep both of one person’s tabs open after a SIGKILL, when the tab back first brings the other’s unstored words', async () => {
    const first = await spawnServer({ ...storage.env, PERSIST_INTERVAL_MS: '1000' })
    const token = await loginAt(first.url, 'claire')
    const id = await draftIdAt(first.url, token)
    const [one, other] = [connectClient(first.url.replace('http', 'ws'), id, token), connectClient(first.url.replace('http', 'ws'), id, token)]
    await Promise.all([one.synced, other.synced])
    await sleep(200)
    typeInto(other.doc, 3, 0, 'FROM-THE-OTHER-TAB ')
    await eventually(() => expect(paragraphs(one.doc)[3]).toContain('FROM-THE-OTHER-TAB'), { interval: 1 })
    await killHard(first)
    one.provider.destroy()
    other.provider.destroy()

    const second = await spawnServer(storage.env)
    const ws = second.url.replace('http', 'ws')
    const tokenAgain = await loginAt(second.url, 'claire')
    const closes: number[] = []
    try {
      // The first tab comes back first, and brings the other's words, which the server lacks.
      const oneAgain = connectClient(ws, id, tokenAgain, {}, one.doc)
      oneAgain.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
      await oneAgain.synced
      const otherAgain = connectClient(ws, id, tokenAgain, {}, other.doc)
      await otherAgain.synced
      typeInto(other.doc, 4, 0, 'OTHER-AFTER ')
      await otherAgain.saved()
      typeInto(one.doc, 5, 0, 'ONE-AFTER ')
      await oneAgain.saved()
      // Before, the other tab typing took its id over from the first, which was closed (4409) and, a stock client, stayed so.
      expect(closes).toEqual([])
      const reader = connectClient(ws, id, await loginAt(second.url, 'tomas'))
      await reader.synced
      const text = paragraphs(reader.doc).join('\n')
      for (const typed of ['FROM-THE-OTHER-TAB', 'OTHER-AFTER', 'ONE-AFTER']) expect(text).toContain(typed)
      reader.destroy()
      oneAgain.destroy()
      otherAgain.destroy()
    } finally {
      await killHard(second)
    }
  })

  it('credit what someone typed just before a SIGKILL to them, not to the first tab that brings it back, and let them write on', async () => {
    const { id, claireDoc, kwameDoc } = await wordsLostInACrash(storage.env, 'UNSTORED-CLAIRE ')
    // Kwame's tab reconnects first.
    const second = await spawnServer(storage.env)
    const ws = second.url.replace('http', 'ws')
    const read = async () => {
      const reader = connectClient(ws, id, await loginAt(second.url, 'tomas'))
      await reader.synced
      const text = paragraphs(reader.doc)
      reader.destroy()
      return text
    }
    try {
      const kwameAgain = connectClient(ws, id, await loginAt(second.url, 'kwame'), {}, kwameDoc)
      await kwameAgain.synced
      typeInto(kwameDoc, 5, 0, 'KWAME-AFTER ')
      await kwameAgain.saved()
      expect((await read()).join('\n')).not.toContain('UNSTORED-CLAIRE')

      const claireAgain = connectClient(ws, id, await loginAt(second.url, 'claire'), {}, claireDoc)
      await claireAgain.synced
      typeInto(claireDoc, 3, 0, 'CLAIRE-AFTER ')
      await claireAgain.saved()
      expect(claireAgain.denials).toEqual([])
      const text = (await read()).join('\n')
      for (const typed of ['UNSTORED-CLAIRE', 'CLAIRE-AFTER', 'KWAME-AFTER']) expect(text).toContain(typed)
      claireAgain.destroy()
      kwameAgain.destroy()
    } finally {
      await killHard(second)
    }
    const db = await openDatabase({ url: storage.env.DATABASE_URL, dataDir: storage.env.DATA_DIR })
    try {
      const writers = await db.query<{ person_id: string }>(
        `select distinct u.person_id from doc_updates u cross join lateral jsonb_array_elements(u.inserts) as inserted
         where u.resolution_id = $1 and (inserted->>0)::float8 = $2`,
        [id, claireDoc.clientID],
      )
      expect(writers.map((row) => row.person_id)).toEqual(['person-claire'])
    } finally {
      await db.close()
    }
  }, 90_000)

  it('keep the words someone typed just before a SIGKILL theirs, though a hand-written client sends other words under their ids first', async () => {
    const { id, claireDoc, before } = await wordsLostInACrash(storage.env, 'WE-OPPOSE ')

    const second = await spawnServer(storage.env)
    const ws = second.url.replace('http', 'ws')
    try {
      // Julien's hand-written client sends no presence and answers the sync request with other words under Claire's id and clocks.
      const forged = new Y.Doc()
      Y.applyUpdate(forged, before)
      const since = Y.encodeStateVector(forged)
      forged.clientID = claireDoc.clientID
      typeInto(forged, 3, 0, 'WE-SUPPORT ')
      const julien = await openRaw(ws, `/collab/${id}?token=${await loginAt(second.url, 'julien')}`)
      julien.socket.send(syncReplyMessage(forged, since))
      // A sync request after it: its answer (the second message the server sends) comes once the reply before it was read.
      julien.socket.send(syncRequestMessage())
      await eventually(() => expect(julien.received.length).toBeGreaterThanOrEqual(2))

      const claireAgain = connectClient(ws, id, await loginAt(second.url, 'claire'), {}, claireDoc)
      await claireAgain.synced
      typeInto(claireDoc, 3, 0, 'THEN ')
      await claireAgain.saved()
      const reader = connectClient(ws, id, await loginAt(second.url, 'tomas'))
      await reader.synced
      expect(paragraphs(reader.doc)[3]).toContain('THEN WE-OPPOSE ')
      expect(paragraphs(reader.doc).join('\n')).not.toContain('WE-SUPPORT')
      expect(paragraphs(reader.doc)).toEqual(paragraphs(claireDoc))
      reader.destroy()
      claireAgain.destroy()
      julien.socket.close()
    } finally {
      await killHard(second)
    }
  }, 90_000)

  it('fold the update log into a snapshot, keeping who changed what', async () => {
    const server = await startTestServer({ ...storage.env, COMPACT_AFTER_ROWS: '3', PERSIST_INTERVAL_MS: '5' })
    const { db } = server.hemicycle.services
    const client = connectClient(server.wsUrl, server.resolutionId, await server.login('aisyah'))
    await client.synced
    for (let i = 0; i < 12; i++) {
      typeInto(client.doc, 2, 0, `c${i} `)
      await sleep(15)
    }
    const before = paragraphs(client.doc)
    // Updates that reach one flush together share a row (more often on a busy machine); what counts is that every typed id is hers.
    await eventually(async () => {
      const rows = await db.query<{ folded: boolean; person_id: string | null; delegation_id: string | null; inserts: Array<[number, number, number]> }>(
        'select payload is null as folded, person_id, delegation_id, inserts from doc_updates where resolution_id = $1',
        [server.resolutionId],
      )
      const hers = rows.filter((row) => row.person_id === 'person-aisyah' && row.delegation_id === 'my-pbs')
      const typed = hers.flatMap((row) => row.inserts).filter(([id]) => id === client.doc.clientID)
      expect(typed.reduce((sum, [, from, to]) => sum + to - from, 0)).toBe(Y.getState(client.doc.store, client.doc.clientID))
      expect(hers.length).toBeGreaterThanOrEqual(3)
      expect(rows.filter((row) => row.folded).length).toBeGreaterThanOrEqual(3)
    })
    client.destroy()
    await server.close()

    const reopened = await startTestServer(storage.env)
    const reader = connectClient(reopened.wsUrl, reopened.resolutionId, await reopened.login('hafiz'))
    await reader.synced
    expect(paragraphs(reader.doc)).toEqual(before)
    reader.destroy()
    await reopened.close()
  })
})

describe('compaction', () => {
  it('also happens after a while, however few rows were written', async () => {
    let clock = new Date('2026-11-23T09:00:00Z')
    const server = await startTestServer({ DATA_DIR: 'memory://', COMPACT_AFTER_ROWS: '100000', COMPACT_EVERY_MS: '60000' }, { now: () => clock })
    const { db } = server.hemicycle.services
    const folded = async () =>
      (await db.query<{ n: number }>('select count(*)::int as n from doc_updates where payload is null and resolution_id = $1', [server.resolutionId]))[0]!.n
    const client = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
    await client.synced
    typeInto(client.doc, 0, 0, 'early ')
    await client.saved()
    expect(await folded()).toBe(0)
    clock = new Date(clock.getTime() + 61_000)
    await server.login('claire')
    typeInto(client.doc, 0, 0, 'later ')
    await client.saved()
    await eventually(async () => expect(await folded()).toBeGreaterThanOrEqual(2))
    client.destroy()
    await server.close()
  })
})

describe('a PostgreSQL outage while people type', () => {
  it('delays saving but loses nothing, saves once the database is back, and tells a stream opened after that it recovered', async () => {
    const storage = await freshStorage('postgres')
    const server = await startTestServer(storage.env)
    const databaseName = storage.env.DATABASE_URL!.split('/').pop()!
    const admin = new pg.Client({ connectionString: storage.env.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') })
    await admin.connect()
    const token = await server.login('lucia')
    const client = connectClient(server.wsUrl, server.resolutionId, token)
    await client.synced
    const eventsUrl = `${server.url}/api/resolutions/${server.resolutionId}/events`
    const before = await listen(eventsUrl, token)
    await eventually(() => expect(before.events).toContainEqual({ type: 'saving', state: 'recovered' }))

    await admin.query(`alter database ${databaseName} allow_connections false`)
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName])
    typeInto(client.doc, 3, 0, 'typed during the outage ')
    await eventually(() => expect(before.events).toContainEqual({ type: 'saving', state: 'delayed' }))
    // The stream drops while saving is delayed, and so misses the event saying it recovered.
    before.close()
    await sleep(400)
    await admin.query(`alter database ${databaseName} allow_connections true`)

    const check = new pg.Client({ connectionString: storage.env.DATABASE_URL })
    await check.connect()
    await eventually(
      async () => {
        const { rows } = await check.query('select count(*)::int as n from doc_updates where person_id = $1', ['person-lucia'])
        expect(rows[0].n).toBeGreaterThan(0)
      },
      { timeout: 15_000 },
    )
    await check.end()
    await admin.end()
    const after = await listen(eventsUrl, token)
    await eventually(() => expect(after.events).toContainEqual({ type: 'saving', state: 'recovered' }))
    expect(after.events).not.toContainEqual({ type: 'saving', state: 'delayed' })
    after.close()
    client.destroy()
    await server.close()

    const reopened = await startTestServer(storage.env)
    const reader = connectClient(reopened.wsUrl, reopened.resolutionId, await reopened.login('mateo'))
    await reader.synced
    expect(paragraphs(reader.doc)[3]).toMatch(/^typed during the outage /)
    reader.destroy()
    await reopened.close()
    storage.remove()
  })

  it('sends no tab a change the server made itself (ids given to a block) before it is written, a tab joining meanwhile included', async () => {
    const storage = await freshStorage('postgres')
    const server = await startTestServer(storage.env)
    const locker = new pg.Client({ connectionString: storage.env.DATABASE_URL })
    await locker.connect()
    const [writer, reader] = [connectClient(server.wsUrl, server.resolutionId, await server.login('claire')), connectClient(server.wsUrl, server.resolutionId, await server.login('kwame'))]
    await Promise.all([writer.synced, reader.synced])
    const idOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment('body').get(index) as Y.XmlElement | undefined)?.getAttribute('id')
    try {
      // Writes to the log wait behind this lock (reads do not).
      await locker.query('begin')
      await locker.query('lock table doc_updates in exclusive mode')
      // A stock client's paragraph without an id: the server gives it one, a change of its own.
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('Sans identifiant.')])
      writer.doc.getXmlFragment('body').insert(2, [paragraph])
      await eventually(() => expect(paragraphs(reader.doc)[2]).toBe('Sans identifiant.'))
      // A tab joining meanwhile, or back from a dropped socket, is answered once the change is written, not from the live text before.
      const joiner = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
      reader.provider.disconnect()
      reader.provider.connect()
      await sleep(500)
      expect(idOf(reader.doc, 2)).toBeUndefined()
      expect(idOf(writer.doc, 2)).toBeUndefined()
      expect(joiner.provider.synced).toBe(false)
      expect(idOf(joiner.doc, 2)).toBeUndefined()
      // A database that hangs keeps nobody from the text for long: answered after OWN_CHANGES_WAIT_MS all the same.
      await sleep(OWN_CHANGES_WAIT_MS)
      expect(joiner.provider.synced).toBe(true)
      await locker.query('commit')
      await eventually(() => expect(idOf(reader.doc, 2)).toEqual(expect.any(String)))
      await eventually(() => expect(idOf(writer.doc, 2)).toBe(idOf(reader.doc, 2)))
      await joiner.synced
      expect(idOf(joiner.doc, 2)).toBe(idOf(reader.doc, 2))
      joiner.destroy()
    } finally {
      await locker.query('rollback').catch(() => {})
      await locker.end()
      writer.destroy()
      reader.destroy()
      await server.close()
      storage.remove()
    }
  })

  it('lets a language version follow a paragraph inserted during the outage soon after the database is back, nobody typing since', async () => {
    const storage = await freshStorage('postgres')
    const server = await startTestServer(storage.env)
    const databaseName = storage.env.DATABASE_URL!.split('/').pop()!
    const admin = new pg.Client({ connectionString: storage.env.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') })
    await admin.connect()
    const secretariat = await server.login('secretariat')
    const created = await server.api(`/api/resolutions/${server.resolutionId}/languages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: 'en' }), token: secretariat })
    expect(created.status).toBe(201)
    const translator = connectClient(server.wsUrl, `${server.resolutionId}/en`, await server.login('traductrice'))
    const editor = connectClient(server.wsUrl, server.resolutionId, secretariat)
    await Promise.all([translator.synced, editor.synced])
    const blocks = (doc: Y.Doc) => doc.getXmlFragment('body').length
    const before = blocks(translator.doc)
    try {
      await admin.query(`alter database ${databaseName} allow_connections false`)
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName])
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', randomUUID())
      paragraph.insert(0, [new Y.XmlText('Inséré pendant la panne.')])
      editor.doc.getXmlFragment('body').insert(2, [paragraph])
      // Long enough for the list of versions read before to be stale: the next run reads it again, and fails.
      await sleep(2500)
      await admin.query(`alter database ${databaseName} allow_connections true`)
      const back = performance.now()
      await eventually(() => expect(blocks(translator.doc)).toBe(before + 1), { timeout: 15_000 })
      expect(performance.now() - back).toBeLessThan(8000)
    } finally {
      await admin.query(`alter database ${databaseName} allow_connections true`).catch(() => {})
      await admin.end()
      translator.destroy()
      editor.destroy()
      await server.close()
      storage.remove()
    }
  }, 60_000)

  it('stores, once the database is back, everything two people typed in turn during a long outage (more rows than one statement takes)', async () => {
    const storage = await freshStorage('postgres')
    const server = await startTestServer(storage.env)
    const databaseName = storage.env.DATABASE_URL!.split('/').pop()!
    const admin = new pg.Client({ connectionString: storage.env.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') })
    await admin.connect()
    const [claire, kwame] = [connectClient(server.wsUrl, server.resolutionId, await server.login('claire')), connectClient(server.wsUrl, server.resolutionId, await server.login('kwame'))]
    await Promise.all([claire.synced, kwame.synced])
    // Each keystroke a log row of its own, the two taking turns: past 6,553 rows one statement has too many parameters.
    const TURNS = 3_500
    try {
      await admin.query(`alter database ${databaseName} allow_connections false`)
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName])
      // Each keystroke read apart from the next (a socket read otherwise brings several of one person's, one row).
      for (let turn = 0; turn < TURNS; turn++) {
        typeInto(claire.doc, 3, 0, 'c')
        await sleep(0)
        typeInto(kwame.doc, 4, 0, 'k')
        await sleep(0)
      }
      await eventually(() => expect(paragraphs(claire.doc)[4]!.startsWith('k'.repeat(TURNS))).toBe(true), { timeout: 30_000 })
      await admin.query(`alter database ${databaseName} allow_connections true`)
      await Promise.all([claire.saved(), kwame.saved()].map((saved) => saved))
    } finally {
      await admin.query(`alter database ${databaseName} allow_connections true`).catch(() => {})
      await admin.end()
      claire.destroy()
      kwame.destroy()
      await server.close()
    }
    const reopened = await startTestServer(storage.env)
    const reader = connectClient(reopened.wsUrl, reopened.resolutionId, await reopened.login('mateo'))
    await reader.synced
    expect(paragraphs(reader.doc)[3]!.startsWith('c'.repeat(TURNS))).toBe(true)
    expect(paragraphs(reader.doc)[4]!.startsWith('k'.repeat(TURNS))).toBe(true)
    reader.destroy()
    await reopened.close()
    storage.remove()
  }, 120_000)

  it('makes a stopped server wait for the database up to SHUTDOWN_TIMEOUT_MS, then exit 1 saying what it could not store', async () => {
    const storage = await freshStorage('postgres')
    const server = await spawnServer({ ...storage.env, SHUTDOWN_TIMEOUT_MS: '1000' })
    const databaseName = storage.env.DATABASE_URL!.split('/').pop()!
    const admin = new pg.Client({ connectionString: storage.env.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') })
    await admin.connect()
    const token = await loginAt(server.url, 'lucia')
    const client = connectClient(server.url.replace('http', 'ws'), await draftIdAt(server.url, token), token)
    await client.synced

    await admin.query(`alter database ${databaseName} allow_connections false`)
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName])
    typeInto(client.doc, 3, 0, 'typed as the database went away ')
    await sleep(50)
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
    const stopped = performance.now()
    server.child.kill('SIGTERM')
    expect(await exited).toBe(1)
    expect(performance.now() - stopped).toBeLessThan(6000)
    expect(server.output()).toMatch(/stopped with unsaved changes/)
    client.destroy()
    await admin.query(`alter database ${databaseName} allow_connections true`)
    await admin.end()
    storage.remove()
  }, 90_000)
})
