import { spawnSync } from 'node:child_process'
import type { Amendment } from '@hemicycle/protocol'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { type Client, connectClient, eventually, freshPostgresUrl, paragraphs, readBlocks } from './harness.ts'
import { freePort } from './postgresCluster.ts'
import { apiOf, killHard, OwnRedis, type ServerProcess, Sessions, spawnServer, wsUrl } from './processes.ts'

/**
 * An instance stores a decision with its change, applies it, then passes it
 * on over Redis. Killed in between, it left the change stored and the
 * amendment "accepted" while the other instance's people went on in a text
 * without it, and the lock hashed, from the log, a text none of them had on
 * screen. Redis is paused for writes (CLIENT PAUSE … WRITE) as the decision
 * is taken, so what the deciding instance publishes waits until it is dead.
 */
let redis: OwnRedis
let db: Database
let a: ServerProcess
let b: ServerProcess
let env: Record<string, string>
const clients: Client[] = []
const sessions = new Sessions()
const call = (server: ServerProcess, path: string, as: string, body?: unknown) => apiOf(server, sessions).call(path, as, body)

beforeAll(async () => {
  redis = new OwnRedis(await freePort())
  await redis.start()
  env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: redis.url, PERSIST_INTERVAL_MS: '50', TAKE_OVER_AFTER_MS: '1000', FENCE_HEARD_MS: '2000', FENCE_TIMEOUT_MS: '1000' }
  a = await spawnServer(env)
  b = await spawnServer(env)
  db = await openDatabase({ url: env['DATABASE_URL']!, dataDir: '' })
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
  await redis?.kill()
  await db?.close()
})

/** A resolution in consolidation with one amendment (notes → welcomes), made on `a`; the chair on `b`; the amendment accepted on `a`, which dies before passing it on. */
async function acceptedThenDied(
  title: string,
  proposal: 'replace' | 'delete' | 'insertAfter' = 'replace',
  typedOnA = false,
  translated = false,
): Promise<{ id: string; amendment: Amendment; chair: Client; translator: Client | null }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: en\n---\n\nThe council notes the report.\n\nA second paragraph.\n`], 'r.md'))
  const imported = await fetch(`${a.url}/api/resolutions/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await sessions.token('secretariat', a)}` } })
  expect(imported.status).toBe(201)
  const { id } = (await imported.json()) as { id: string }
  if (translated) expect((await call(a, `/api/resolutions/${id}/languages`, 'secretariat', { language: 'fr' })).status).toBe(201)
  expect((await call(a, `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
  const blocks = (await readBlocks(wsUrl(a), id, await sessions.token('secretariat', a))).blocks
  const tabled = await call(
    a,
    `/api/resolutions/${id}/amendments`,
    'claire',
    proposal === 'replace'
      ? { kind: 'replace', blockId: blocks[0], text: 'The council welcomes the report.', justification: 'Warmer.' }
      : proposal === 'delete'
        ? { kind: 'delete', blockId: blocks[1], justification: 'Useless.' }
        : { kind: 'insertAfter', blockId: blocks[0], text: 'An inserted paragraph.', justification: 'Needed.' },
  )
  expect(tabled.status).toBe(201)
  const amendment = (await tabled.json()) as Amendment
  expect((await call(a, `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)

  // The chair works on B, and the translator on its French version there.
  const chair = connectClient(wsUrl(b), id, await sessions.token('ingrid', b))
  clients.push(chair)
  await chair.synced
  const translator = translated ? connectClient(wsUrl(b), `${id}/fr`, await sessions.token('traductrice', b)) : null
  if (translator) {
    clients.push(translator)
    await translator.synced
  }
  expect(paragraphs(chair.doc)[0]).toBe('The council notes the report.')

  const paused = spawnSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'PAUSE', '3000', 'WRITE'], { encoding: 'utf8' })
  expect(paused.stdout.trim()).toBe('OK')
  if (typedOnA) {
    // The secretariat, on A, adds a paragraph after the first: stored on A, never passed on; the decision builds on it.
    const typist = connectClient(wsUrl(a), id, await sessions.token('secretariat', a))
    clients.push(typist)
    await typist.synced
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    text.insert(0, 'Typed on A.')
    paragraph.insert(0, [text])
    typist.doc.getXmlFragment('body').insert(1, [paragraph])
    await typist.saved()
  }
  const accepted = await call(a, `/api/amendments/${amendment.id}/decision`, 'secretariat', { decision: 'accept' })
  expect(accepted.status).toBe(200)
  // A follows the decision in the French version too, and stores that, before it dies.
  if (translated) await eventually(async () => expect((await storedBody(db, `${id}/fr`)).childCount).toBe(3), { timeout: 10_000 })
  await killHard(a)
  return { id, amendment, chair, translator }
}

const storedText = async (id: string) => {
  const stored: string[] = []
  ;(await storedBody(db, id)).forEach((node) => stored.push(node.textContent))
  return stored
}

describe('a decision its instance stored and died before passing on', () => {
  beforeEach(async () => {
    if (a.child.exitCode !== null || a.child.signalCode !== null) a = await spawnServer(env)
  })

  it('reaches the other instance’s people within seconds, typing blind to it is noted, and the lock hashes what they see', { timeout: 90_000 }, async () => {
    const { id, amendment, chair } = await acceptedThenDied('Never passed on')
    // The chair, who never received it, rewrites the words it changed.
    const text = (chair.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    chair.doc.transact(() => {
      const at = text.toString().indexOf('notes')
      text.delete(at, 'notes'.length)
      text.insert(at, 'acknowledges')
    })
    await chair.saved()

    // Within seconds the decision is in the chair's text, beside her blind rewrite, and the record says she typed without it.
    await eventually(() => expect(paragraphs(chair.doc)[0]).toContain('welcom'), { timeout: 20_000 })
    await eventually(async () => {
      const decided = (await (await call(b, `/api/amendments/${amendment.id}`, 'ingrid')).json()) as Amendment
      expect(decided.decision?.lateTyping?.map((note) => note.by.username)).toEqual(['ingrid'])
    }, { timeout: 10_000 })

    // The lock waits until the chair says the paragraph reads as meant; then, through B, the stored, hashed and
    // verified text is the one on the chair's screen.
    const refused = await call(b, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ error: { code: 'amendments_outstanding', outstanding: [{ id: amendment.id, reason: 'lateTyping' }] } })
    expect((await call(b, `/api/amendments/${amendment.id}/late-typing-checked`, 'ingrid', {})).status).toBe(200)
    const locked = await call(b, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
    expect(locked.status, await locked.clone().text()).toBe(200)
    expect(await storedText(id)).toEqual(paragraphs(chair.doc))
    const verify = (await (await call(b, `/api/resolutions/${id}/verify`, 'tomas')).json()) as { matches: boolean }
    expect(verify.matches).toBe(true)
  })

  it('that only deleted words reaches the other instance’s people too', { timeout: 90_000 }, async () => {
    const { chair } = await acceptedThenDied('Deleted and never passed on', 'delete')
    await eventually(() => expect(paragraphs(chair.doc)).toEqual(['The council notes the report.']), { timeout: 20_000 })
  })

  it('that builds on typing stored there and never passed on reaches the other instance’s people with that typing', { timeout: 90_000 }, async () => {
    const { id, chair } = await acceptedThenDied('Built on typing never passed on', 'insertAfter', true)
    await eventually(() => expect(paragraphs(chair.doc)).toEqual(expect.arrayContaining(['Typed on A.', 'An inserted paragraph.'])), { timeout: 20_000 })
    const locked = await call(b, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
    expect(locked.status, await locked.clone().text()).toBe(200)
    expect(await storedText(id)).toEqual(paragraphs(chair.doc))
  })

  it('reaches a language version too: its block for the new paragraph, once, before and after the lock', { timeout: 90_000 }, async () => {
    const { id, chair, translator } = await acceptedThenDied('Translated and never passed on', 'insertAfter', false, true)
    const sources = (doc: Y.Doc) => doc.getXmlFragment('body').toArray().map((block) => (block as Y.XmlElement).getAttribute('sourceId'))
    const originalIds = () => chair.doc.getXmlFragment('body').toArray().map((block) => (block as Y.XmlElement).getAttribute('id'))
    await eventually(() => expect(paragraphs(chair.doc)).toContain('An inserted paragraph.'), { timeout: 20_000 })
    await eventually(() => expect(sources(translator!.doc)).toEqual(originalIds()), { timeout: 20_000 })
    const locked = await call(b, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true, acceptOutstandingTranslations: true })
    expect(locked.status, await locked.clone().text()).toBe(200)
    const french = (await storedBody(db, `${id}/fr`)) as unknown as { forEach(visit: (node: { attrs: Record<string, unknown> }) => void): void }
    const stored: unknown[] = []
    french.forEach((node) => stored.push(node.attrs['sourceId']))
    expect(stored).toEqual(originalIds())
  })

  it('is in the text a lock freezes, however soon after the instance died', { timeout: 90_000 }, async () => {
    const { id, chair } = await acceptedThenDied('Locked at once')
    // As soon as the dead instance is no longer waited for (FENCE_HEARD_MS), before the search of the log takes it.
    let locked: Response
    for (;;) {
      locked = await call(b, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
      if (locked.status !== 503) break
    }
    expect(locked.status, await locked.clone().text()).toBe(200)
    expect(await storedText(id)).toEqual(['The council welcomes the report.', 'A second paragraph.'])
    await eventually(() => expect(paragraphs(chair.doc)).toEqual(['The council welcomes the report.', 'A second paragraph.']), { timeout: 1000 })
  })
})
