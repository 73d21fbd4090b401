import { findBlock, readRuns } from '@hemicycle/amendments'
import type { Amendment } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type * as Y from 'yjs'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { type Client, connectClient, eventually, freshPostgresUrl, ok, sleep } from './harness.ts'
import { apiOf, killHard, type ProcessApi, type ServerProcess, spawnServer } from './processes.ts'

/**
 * Two server processes over a real PostgreSQL and a real Redis. The chair
 * accepts on instance A ("vite" → "rapidement"); the secretariat's stock
 * client is on instance B, whose editor has not received the acceptance
 * when it types or deletes in those words: the text then differs from the
 * decision, and the chair and the typist must be told exactly as when the
 * typist is on A, once, whichever instances see it.
 */
const PARAGRAPH = 'Nous devons agir vite pour la cohésion sociale.'
let a: ServerProcess
let b: ServerProcess
let api: ProcessApi
let db: Database
const clients: Client[] = []

const ws = (server: ServerProcess) => server.url.replace(/^http/, 'ws')
async function join(server: ServerProcess, id: string, username: string): Promise<Client> {
  const client = connectClient(ws(server), id, await api.token(username))
  clients.push(client)
  await client.synced
  return client
}

const textOf = (doc: Y.Doc, blockId: string) => findBlock(doc, blockId)!.element.get(0) as Y.XmlText
const read = (doc: Y.Doc, blockId: string) => readRuns(findBlock(doc, blockId)!.element).map((run) => run.text).join('')

/** A fresh resolution at consolidation, imported on A, with one amendment replacing "vite" by "rapidement"; a reader on B follows it. */
async function amended(): Promise<{ id: string; blockId: string; amendment: Amendment; watcher: Client }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Course ${Math.random()}"\nlanguage: fr\n---\n\n${PARAGRAPH}\n`], 'course.md'))
  const imported = await fetch(`${a.url}/api/resolutions/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await api.token('secretariat')}` } })
  const { id } = await ok<{ id: string }>(imported, 201)
  const watcher = await join(b, id, 'tomas')
  const blockId = readBody(watcher.doc).firstChild!.attrs['id'] as string
  await ok(await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' }))
  const amendment = await ok<Amendment>(
    await api.call(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId, text: PARAGRAPH.replace('vite', 'rapidement'), justification: 'Plus clair.' }),
    201,
  )
  await ok(await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' }))
  return { id, blockId, amendment, watcher }
}

/** Ingrid accepts on A; resolves once B holds the acceptance (its reader has it). */
async function acceptOnA(amendment: Amendment, watcher: Client, blockId: string): Promise<void> {
  await ok(await api.call(`/api/amendments/${amendment.id}/decision`, 'ingrid', { decision: 'accept' }))
  await eventually(() => expect(read(watcher.doc, blockId)).toContain('rapidement'))
}

/** The client stops reading its socket (what the server sends waits in the kernel's buffers) but still sends: blind, yet live. */
function unread(client: Client): () => void {
  const tcp = (client.provider.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket
  tcp.pause()
  return () => tcp.resume()
}

/**
 * The secretariat's client on B edits with `edit` without having received the decision A makes `meanwhile` (which
 * resolves once B holds it): live, over a socket it has stopped reading, or cut off and back (its change then arrives
 * in its answer to the server's sync request).
 */
async function blindOnB(how: 'live' | 'cut off', id: string, blockId: string, meanwhile: () => Promise<void>, edit: (text: Y.XmlText) => void, before?: string): Promise<Client> {
  const client = await join(b, id, 'secretariat')
  if (before) await eventually(() => expect(read(client.doc, blockId)).toContain(before))
  if (how === 'live') {
    const resume = unread(client)
    await meanwhile()
    edit(textOf(client.doc, blockId))
    // The edit left before anything the server sent is read.
    await sleep(200)
    resume()
  } else {
    client.provider.disconnect()
    edit(textOf(client.doc, blockId))
    await meanwhile()
    client.provider.connect()
  }
  await client.saved()
  return client
}

/** The secretariat's client on B, holding the acceptance, edits with `edit`: live, or cut off and back. */
async function seeingOnB(how: 'live' | 'cut off', id: string, blockId: string, edit: (text: Y.XmlText, now: string) => void): Promise<Client> {
  const client = await join(b, id, 'secretariat')
  await eventually(() => expect(read(client.doc, blockId)).toContain('rapidement'))
  if (how === 'cut off') client.provider.disconnect()
  edit(textOf(client.doc, blockId), read(client.doc, blockId))
  if (how === 'cut off') client.provider.connect()
  await client.saved()
  return client
}

/** What the record says of late typing in the resolution: the audit log's entries, the notifications and the amendment's notes. */
async function reported(id: string, amendment: Amendment) {
  const audit = await ok<Array<{ action: string; detail: Record<string, unknown> }>>(await api.call(`/api/resolutions/${id}/audit`, 'secretariat'))
  const notified = await db.query<{ audience_person: string }>(`select audience_person from notifications where resolution_id = $1 and subject->>'kind' = 'lateTyping' order by audience_person`, [id])
  const record = await ok<Amendment>(await api.call(`/api/amendments/${amendment.id}`, 'ingrid'))
  return {
    audit: audit
      .filter((entry) => entry.action === 'lateTyping')
      .map(({ detail: { typist, amendment, decidedBy, resetBy } }) => ({ typist, amendment, ...(decidedBy ? { decidedBy } : {}), ...(resetBy ? { resetBy } : {}) })),
    notified: notified.map((row) => row.audience_person),
    notes: (record.decision?.lateTyping ?? []).map((note) => note.by.name),
  }
}

/** Reported once, the secretariat's typing, to the chair and the typist, whichever instances saw it: in the acceptance's record, or (`reset`) the reset's way. */
async function reportedOnce(id: string, amendment: Amendment, { reset = false } = {}) {
  const once = {
    audit: [{ typist: 'Amina Diallo', amendment: amendment.number, ...(reset ? { resetBy: 'person-ingrid' } : { decidedBy: 'person-ingrid' }) }],
    notified: ['person-ingrid', 'person-secretariat'],
    notes: reset ? [] : ['Amina Diallo'],
  }
  await eventually(async () => expect(await reported(id, amendment)).toEqual(once), { timeout: 10_000 })
  // Both instances have had their say by now: still once.
  await sleep(1000)
  expect(await reported(id, amendment)).toEqual(once)
}

async function nothingReported(id: string, amendment: Amendment) {
  await sleep(1000)
  expect(await reported(id, amendment)).toEqual({ audit: [], notified: [], notes: [] })
}

beforeAll(async () => {
  const env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: inject('redisUrl'), PERSIST_INTERVAL_MS: '50', UNLOAD_AFTER_MS: '2000', TAKE_OVER_AFTER_MS: '1000' }
  // One after the other: the first creates the schema and the demo.
  a = await spawnServer(env)
  b = await spawnServer(env)
  api = apiOf(a)
  db = await openDatabase({ url: env.DATABASE_URL, dataDir: '' })
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
  await db?.close()
})

describe.each(['live', 'cut off'] as const)('an editor on instance B without the acceptance made on A (%s)', (how) => {
  it('deleting "agir vite " leaves "rapidementpour", and is reported once, as on A', async () => {
    const { id, blockId, amendment, watcher } = await amended()
    await blindOnB(how, id, blockId, () => acceptOnA(amendment, watcher, blockId), (text) => text.delete(PARAGRAPH.indexOf('agir'), 'agir vite '.length))
    await eventually(() => expect(read(watcher.doc, blockId)).toBe('Nous devons rapidementpour la cohésion sociale.'))
    await reportedOnce(id, amendment)
  })

  it('typing "s" after "vite" gives "rapidements", and is reported once, though both instances see it', async () => {
    const { id, blockId, amendment, watcher } = await amended()
    await blindOnB(how, id, blockId, () => acceptOnA(amendment, watcher, blockId), (text) => text.insert(PARAGRAPH.indexOf('vite') + 'vite'.length, 's'))
    await eventually(() => expect(['Nous devons agir rapidements pour la cohésion sociale.', 'Nous devons agir srapidement pour la cohésion sociale.']).toContain(read(watcher.doc, blockId)))
    await reportedOnce(id, amendment)
  })
})

describe.each(['live', 'cut off'] as const)('an editor on instance B that had received the acceptance (%s)', (how) => {
  it('deleting "agir rapidement " and typing after "rapidement" raises no alarm', async () => {
    const { id, blockId, amendment, watcher } = await amended()
    await acceptOnA(amendment, watcher, blockId)
    await seeingOnB(how, id, blockId, (text, now) => {
      text.insert(now.indexOf('rapidement') + 'rapidement'.length, 's')
      text.delete(now.indexOf('agir'), 'agir '.length)
    })
    // A second client, and the words the acceptance wrote deleted whole.
    await seeingOnB(how, id, blockId, (text, now) => text.delete(now.indexOf('rapidements'), 'rapidements '.length))
    await eventually(() => expect(read(watcher.doc, blockId)).toBe('Nous devons pour la cohésion sociale.'))
    await nothingReported(id, amendment)
  })
})

describe.each(['live', 'cut off'] as const)('an editor on instance B that has the acceptance, without its reset made on A (%s)', (how) => {
  const resetOnA = (amendment: Amendment, watcher: Client, blockId: string) => async () => {
    await ok(await api.call(`/api/amendments/${amendment.id}/reset`, 'ingrid', { reason: 'Décidé trop tôt.' }))
    await eventually(() => expect(read(watcher.doc, blockId)).toBe(PARAGRAPH))
  }
  const now = PARAGRAPH.replace('vite', 'rapidement')

  it('typing "s" after "rapidement" gives "vites", and is reported once, the reset\'s way, though both instances see it', async () => {
    const { id, blockId, amendment, watcher } = await amended()
    await acceptOnA(amendment, watcher, blockId)
    await blindOnB(how, id, blockId, resetOnA(amendment, watcher, blockId), (text) => text.insert(now.indexOf('rapidement') + 'rapidement'.length, 's'), 'rapidement')
    await eventually(() => expect(['Nous devons agir vites pour la cohésion sociale.', 'Nous devons agir svite pour la cohésion sociale.']).toContain(read(watcher.doc, blockId)))
    await reportedOnce(id, amendment, { reset: true })
  })

  it('deleting "agir rapidement " leaves "vitepour", and is reported once, the reset\'s way', async () => {
    const { id, blockId, amendment, watcher } = await amended()
    await acceptOnA(amendment, watcher, blockId)
    await blindOnB(how, id, blockId, resetOnA(amendment, watcher, blockId), (text) => text.delete(now.indexOf('agir'), 'agir rapidement '.length), 'rapidement')
    await eventually(() => expect(read(watcher.doc, blockId)).toBe('Nous devons vitepour la cohésion sociale.'))
    await reportedOnce(id, amendment, { reset: true })
  })
})
