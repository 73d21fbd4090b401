import { findBlock, readRuns } from '@hemicycle/amendments'
import { type Amendment, type Notification, NotificationEvent } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { type Client, connectClient, eventually, ok, sleep, startTestServer, type TestServer, typedOffline } from './harness.ts'
import { listen } from './sse.ts'
import { TELL_AGAIN_AFTER_MS } from '../src/collab/extensions/lateTyping.ts'
import { MAX_LATE_TYPING_NOTES } from '../src/amendments/service.ts'

/**
 * A chair accepts an amendment replacing "vite" by "rapidement" while
 * someone who has not yet received the decision types in those words: Yjs
 * merges both ("rapidements"), and the text differs from what was decided.
 * The server cannot refuse the typing (a stock client would diverge); it
 * tells the chair and the typist, and notes it in the amendment's record.
 * Typing by someone who had the decision, or in other words, is no news.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const PARAGRAPH = 'Nous devons agir vite pour la cohésion sociale.'

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

/** A fresh resolution at consolidation with one paragraph and one amendment replacing "vite" by "rapidement". */
async function amended(): Promise<{ id: string; blockId: string; amendment: Amendment }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Course ${Math.random()}"\nlanguage: fr\n---\n\n${PARAGRAPH}\n`], 'course.md'))
  const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! }), 201)
  const reader = connectClient(server.wsUrl, id, tokens['tomas']!)
  await reader.synced
  const blockId = readBody(reader.doc).firstChild!.attrs['id'] as string
  reader.destroy()
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
  const amendment = await ok<Amendment>(
    await post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId, text: PARAGRAPH.replace('vite', 'rapidement'), justification: 'Plus clair.' }, 'kwame'),
    201,
  )
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
  return { id, blockId, amendment }
}

const accept = (amendmentId: string) => post(`/api/amendments/${amendmentId}/decision`, { decision: 'accept' }, 'ingrid')
const textIn = (doc: Y.Doc, blockId: string) => readRuns(findBlock(doc, blockId)!.element).map((run) => run.text).join('')
const insertAt = (doc: Y.Doc, blockId: string, offset: number, text: string) => (findBlock(doc, blockId)!.element.get(0) as Y.XmlText).insert(offset, text)
const liveText = async (id: string, blockId: string) => textIn((await server.hemicycle.services.collab.open(id)).doc, blockId)
const notices = (stream: { events: Notification[] }, resolutionId: string) => stream.events.filter((event) => event.resolutionId === resolutionId && event.subject.kind === 'lateTyping')

/** The secretariat's stock client types while cut off from the server, so its typing is made without the decision taken meanwhile. */
const typedUnseen = (id: string, type: (doc: Y.Doc) => void, meanwhile: () => Promise<void>) => typedOffline(server.wsUrl, id, tokens['secretariat']!, type, meanwhile)

/** The secretariat's stock client types once the decision has reached it. */
async function typedAfter(id: string, blockId: string, type: (doc: Y.Doc) => void): Promise<Client> {
  const client = connectClient(server.wsUrl, id, tokens['secretariat']!)
  await client.synced
  await eventually(() => expect(textIn(client.doc, blockId)).toContain('rapidement'))
  type(client.doc)
  await client.saved()
  return client
}

let streams: Array<{ close(): void }> = []
const listenAs = async (name: string) => {
  const stream = await listen<Notification>(`${server.url}/api/notifications/events`, tokens[name]!, (data) => NotificationEvent.parse(data).notification)
  streams.push(stream)
  return stream
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'kwame', 'ingrid', 'tomas', 'claire', 'mateo']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  for (const stream of streams) stream.close()
  streams = []
  await server?.close()
})

describe('typing that lands in the words of a decision its typist had not seen', () => {
  it('gives "rapidements", and the chair and the typist are told, once, with the paragraph as it reads; the record notes it', async () => {
    const { id, blockId, amendment } = await amended()
    const [chair, typist, other] = [await listenAs('ingrid'), await listenAs('secretariat'), await listenAs('claire')]
    const desk = await listen(`${server.url}/api/resolutions/${id}/events`, tokens['ingrid']!)
    streams.push(desk)
    const client = await typedUnseen(
      id,
      (doc) => insertAt(doc, blockId, PARAGRAPH.indexOf('vite') + 'vite'.length, 's'),
      async () => void (await ok(await accept(amendment.id))),
    )
    // The defect itself: a word neither the chair nor the typist wrote.
    const merged = await eventually(async () => {
      const text = await liveText(id, blockId)
      expect(['Nous devons agir rapidements pour la cohésion sociale.', 'Nous devons agir srapidement pour la cohésion sociale.']).toContain(text)
      return text
    })
    const expected = { kind: 'lateTyping', amendmentId: amendment.id, amendment: amendment.number, paragraph: amendment.paragraph, typist: 'Amina Diallo', text: merged }
    await eventually(() => expect(notices(chair, id).map((event) => event.subject)).toEqual([expected]))
    await eventually(() => expect(notices(typist, id).map((event) => event.subject)).toEqual([expected]))
    const record = await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))
    expect(record.decision?.lateTyping).toEqual([expect.objectContaining({ by: expect.objectContaining({ name: 'Amina Diallo' }), text: merged })])
    // The desk hears of it live, as of any change to an amendment.
    await eventually(() =>
      expect(desk.events).toContainEqual(expect.objectContaining({ type: 'amendment', amendment: expect.objectContaining({ id: amendment.id, decision: expect.objectContaining({ lateTyping: record.decision!.lateTyping }) }) })),
    )
    const audit = await ok<Array<{ action: string; detail: Record<string, unknown> }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
    expect(audit.find((entry) => entry.action === 'lateTyping')?.detail).toMatchObject({ amendment: amendment.number, typist: 'Amina Diallo', text: merged })

    // More typing in the same words by the same person: no second warning.
    insertAt(client.doc, blockId, merged.indexOf('rapidement') + 2, 'x')
    await client.saved()
    await sleep(200)
    expect(notices(chair, id)).toHaveLength(1)
    expect(notices(typist, id)).toHaveLength(1)
    expect(notices(other, id)).toEqual([])
    client.destroy()
  })

  it.each([
    ['at the end of "rapidement"', 'rapidement'.length],
    ['right before "rapidement"', 0],
    ['inside "rapidement"', 4],
  ])('is not what typing %s is, once the decision has reached the typist', async (_where, offset) => {
    const { id, blockId, amendment } = await amended()
    const chair = await listenAs('ingrid')
    await ok(await accept(amendment.id))
    const client = await typedAfter(id, blockId, (doc) => insertAt(doc, blockId, PARAGRAPH.indexOf('vite') + offset, 's'))
    await sleep(200)
    expect(notices(chair, id)).toEqual([])
    const record = await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))
    expect(record.decision?.lateTyping).toBeUndefined()
    client.destroy()
  })

  it('is not what typing other words of the paragraph at the same moment is', async () => {
    const { id, blockId, amendment } = await amended()
    const chair = await listenAs('ingrid')
    const client = await typedUnseen(
      id,
      (doc) => {
        insertAt(doc, blockId, PARAGRAPH.indexOf('agir') + 'agir'.length, ' ensemble')
        insertAt(doc, blockId, 0, 'Oui, ')
      },
      async () => void (await ok(await accept(amendment.id))),
    )
    await eventually(async () => expect(await liveText(id, blockId)).toBe('Oui, Nous devons agir ensemble rapidement pour la cohésion sociale.'))
    await sleep(200)
    expect(notices(chair, id)).toEqual([])
    const record = await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))
    expect(record.decision?.lateTyping).toBeUndefined()
    client.destroy()
  })

  it('holds up the lock until a chair says the paragraph reads as meant, and again when it is typed over again after that', async () => {
    const { id, blockId, amendment } = await amended()
    const lock = () => post(`/api/resolutions/${id}/stage`, { to: 'final', confirm: true }, 'mateo')
    const check = (as: string) => post(`/api/amendments/${amendment.id}/late-typing-checked`, {}, as)
    // A second tab of the same person, cut off before the decision: it types later.
    const later = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await later.synced
    later.provider.disconnect()
    const client = await typedUnseen(
      id,
      (doc) => insertAt(doc, blockId, PARAGRAPH.indexOf('vite') + 'vite'.length, 's'),
      async () => void (await ok(await accept(amendment.id))),
    )
    await eventually(async () => expect((await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))).decision?.lateTyping).toHaveLength(1))
    const refused = await lock()
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ error: { code: 'amendments_outstanding', outstanding: [{ id: amendment.id, number: amendment.number, reason: 'lateTyping' }] } })
    expect((await check('kwame')).status).toBe(403)
    expect((await check('mateo')).status).toBe(403)

    // The chair corrects the paragraph, then says it reads as meant.
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    const typed = textIn(chair.doc, blockId)
    const stray = typed.indexOf('rapidements') >= 0 ? typed.indexOf('rapidements') + 'rapidement'.length : typed.indexOf('srapidement')
    ;(findBlock(chair.doc, blockId)!.element.get(0) as Y.XmlText).delete(stray, 1)
    await chair.saved()
    await eventually(async () => expect(await liveText(id, blockId)).toBe(PARAGRAPH.replace('vite', 'rapidement')))
    const checked = await ok<Amendment>(await check('ingrid'))
    expect(checked.decision?.lateTypingChecked).toMatchObject({ by: expect.objectContaining({ name: 'Ingrid Johansson' }) })
    expect((await check('ingrid')).status).toBe(409)
    const audit = await ok<Array<{ action: string; detail: Record<string, unknown> }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
    expect(audit.find((entry) => entry.action === 'lateTypingChecked')?.detail).toMatchObject({ amendment: amendment.number, text: PARAGRAPH.replace('vite', 'rapidement') })

    // The same person's other tab comes back with typing made without the decision: news again, and the lock waits again.
    await sleep(TELL_AGAIN_AFTER_MS)
    insertAt(later.doc, blockId, PARAGRAPH.indexOf('vite') + 2, 'x')
    later.provider.connect()
    await later.saved()
    await eventually(async () => expect((await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))).decision?.lateTyping).toHaveLength(2))
    expect((await lock()).status).toBe(409)
    await ok(await check('ingrid'))
    await ok(await lock())
    expect((await check('ingrid')).status).toBe(409)
    for (const each of [client, later, chair]) each.destroy()
  })
})

describe('typing over an acceptance noted as often as the record keeps', () => {
  it('still holds up the lock when more comes after a check: the oldest note goes, not the new one', async () => {
    const { id, blockId, amendment } = await amended()
    const later = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await later.synced
    later.provider.disconnect()
    await ok(await accept(amendment.id))
    // The record as 50 rounds of typing over and checking leave it: full, all checked.
    const { db } = server.hemicycle.services
    const notes = Array.from({ length: MAX_LATE_TYPING_NOTES }, (_, n) => ({ by: 'person-secretariat', at: new Date(Date.UTC(2026, 10, 20, 8, n)).toISOString(), text: PARAGRAPH }))
    await db.query(
      `update amendments set decision = (decision::jsonb || jsonb_build_object('lateTyping', $2::text::jsonb, 'lateTypingChecked', jsonb_build_object('by', 'person-ingrid', 'at', $3::text)))::json where id = $1`,
      [amendment.id, JSON.stringify(notes), new Date(Date.UTC(2026, 10, 21)).toISOString()],
    )
    const lock = () => post(`/api/resolutions/${id}/stage`, { to: 'final', confirm: true }, 'mateo')
    expect((await post(`/api/amendments/${amendment.id}/late-typing-checked`, {}, 'ingrid')).status).toBe(409)
    // A 51st: a tab that never had the decision types in its words.
    insertAt(later.doc, blockId, PARAGRAPH.indexOf('vite') + 2, 'x')
    later.provider.connect()
    await later.saved()
    const record = async () => (await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))).decision!
    await eventually(async () => expect(Date.parse((await record()).lateTyping!.at(-1)!.at)).toBeGreaterThan(Date.UTC(2026, 10, 21)))
    expect((await record()).lateTyping).toHaveLength(MAX_LATE_TYPING_NOTES)
    expect((await lock()).status).toBe(409)
    await ok(await post(`/api/amendments/${amendment.id}/late-typing-checked`, {}, 'ingrid'))
    await ok(await lock())
    later.destroy()
  })
})

/**
 * A tab cut off for long (a laptop closed overnight) sends its typing when
 * it comes back, long after the text was unloaded (30 s after its last
 * connection left) or the server restarted: the watch on the decision's
 * words must not have been only in memory.
 */
describe('typing made without a decision that comes back after the text was unloaded', () => {
  let kept: TestServer
  beforeAll(async () => {
    kept = server
    server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', UNLOAD_AFTER_MS: '100' }, { now: () => clock })
    for (const name of ['secretariat', 'kwame', 'ingrid', 'tomas', 'claire', 'mateo']) tokens[name] = await server.login(name)
  })
  afterAll(async () => {
    await server.close()
    server = kept
  })

  const unloaded = (id: string) => eventually(() => expect(server.hemicycle.services.collab.peek(id)).toBeUndefined())

  it('is said as it would be had the text stayed loaded, for an acceptance', async () => {
    const { id, blockId, amendment } = await amended()
    const chair = await listenAs('ingrid')
    const client = await typedUnseen(
      id,
      (doc) => insertAt(doc, blockId, PARAGRAPH.indexOf('vite') + 'vite'.length, 's'),
      async () => {
        await ok(await accept(amendment.id))
        await unloaded(id)
      },
    )
    await eventually(async () => expect(['Nous devons agir rapidements pour la cohésion sociale.', 'Nous devons agir srapidement pour la cohésion sociale.']).toContain(await liveText(id, blockId)))
    await eventually(() => expect(notices(chair, id)).toHaveLength(1))
    const record = await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))
    expect(record.decision?.lateTyping).toEqual([expect.objectContaining({ by: expect.objectContaining({ name: 'Amina Diallo' }) })])
    client.destroy()
  })

  it('is said as it would be had the text stayed loaded, for a reset', async () => {
    const { id, blockId, amendment } = await amended()
    await ok(await accept(amendment.id))
    const client = await typedUnseen(
      id,
      (doc) => {
        expect(textIn(doc, blockId)).toContain('rapidement')
        insertAt(doc, blockId, textIn(doc, blockId).indexOf('rapidement') + 'rapidement'.length, 's')
      },
      async () => {
        await ok(await post(`/api/amendments/${amendment.id}/reset`, { reason: 'Décidé trop tôt.' }, 'ingrid'))
        await unloaded(id)
      },
    )
    await eventually(async () => {
      const audit = await ok<Array<{ action: string; detail: { resetBy?: string; typist?: string } }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
      expect(audit.filter((entry) => entry.action === 'lateTyping').map((entry) => entry.detail)).toEqual([expect.objectContaining({ typist: 'Amina Diallo', resetBy: 'person-ingrid' })])
    })
    client.destroy()
  })

  it('is not what typing by someone who had the decision is, after the text was loaded again', async () => {
    const { id, blockId, amendment } = await amended()
    const chair = await listenAs('ingrid')
    await ok(await accept(amendment.id))
    await unloaded(id)
    const client = await typedAfter(id, blockId, (doc) => insertAt(doc, blockId, PARAGRAPH.indexOf('vite') + 'rapidement'.length, 's'))
    await sleep(200)
    expect(notices(chair, id)).toEqual([])
    client.destroy()
  })
})
