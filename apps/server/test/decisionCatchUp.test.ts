import type { Amendment } from '@hemicycle/protocol'
import { BODY, readBody } from '@hemicycle/schema'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { connectClient, eventually, ok, paragraphs, startTestServer, type TestServer } from './harness.ts'
import { InProcessFanout } from '../src/collab/fanout.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody } from '../src/resolutions/documents.ts'

/**
 * A decision first brings its instance's text up to every decision already
 * stored (`AmendmentService.caughtUp`). One stored on another instance that
 * builds on typing this instance has not received yet cannot be applied:
 * the decision is refused (503 `text_behind`, nothing changed) rather than
 * made from a text that lacks it, and taken once the text has caught up.
 */

const clock = new Date('2026-11-23T09:00:00Z')
const FIRST = 'Nous devons agir vite pour la cohésion sociale.'

/** The bus between the two instances, delivering each message `delayMs` late. */
class SlowFanout extends InProcessFanout {
  delayMs = 0
  override publishCounted(channel: string, message: Uint8Array): Promise<number> {
    if (this.delayMs === 0) return super.publishCounted(channel, message)
    return new Promise((resolve) => setTimeout(() => resolve(super.publishCounted(channel, message)), this.delayMs))
  }
}

const opened: Array<{ close(): Promise<void> }> = []
afterAll(async () => {
  for (const one of opened.reverse()) await one.close()
})

describe('a decision on an instance whose text lacks typing another decision, stored elsewhere, builds on', () => {
  it('is refused with 503 text_behind, nothing decided, and taken once the typing has arrived', async () => {
    const db = await openDatabase({ dataDir: 'memory://' })
    opened.push(db)
    const fanout = new SlowFanout()
    const one = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout, now: () => clock })
    const two = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout, now: () => clock })
    opened.push(two, one)
    const [secretariat, kwame, claire, ingrid] = [await one.login('secretariat'), await one.login('kwame'), await one.login('claire'), await one.login('ingrid')]
    const call = (server: TestServer, path: string, token: string, body: unknown) =>
      server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })
    const form = new FormData()
    form.append('file', new File([`---\ntitle: "En retard"\nlanguage: fr\n---\n\n${FIRST}\n`], 'late.md'))
    const { id } = await ok<{ id: string }>(await one.api('/api/resolutions/import', { method: 'POST', body: form, token: secretariat }), 201)
    const onOne = connectClient(one.wsUrl, id, secretariat)
    const onTwo = connectClient(two.wsUrl, id, ingrid)
    await Promise.all([onOne.synced, onTwo.synced])
    const blockId = readBody(onOne.doc).firstChild!.attrs['id'] as string
    await ok(await call(one, `/api/resolutions/${id}/stage`, secretariat, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }))
    const table = async (token: string, from: string, to: string) =>
      ok<Amendment>(await call(one, `/api/resolutions/${id}/amendments`, token, { kind: 'replace', blockId, text: FIRST.replace(from, to), justification: 'Plus clair.' }), 201)
    const [quick, solidarity] = [await table(kwame, 'vite', 'rapidement'), await table(claire, 'cohésion', 'solidarité')]
    await ok(await call(one, `/api/resolutions/${id}/stage`, secretariat, { to: 'consolidation' }))
    await eventually(() => expect(paragraphs(onTwo.doc)).toEqual([FIRST]))

    fanout.delayMs = 1500
    // The secretariat, on one, types the spaces around "vite" again (the words unchanged, so nothing conflicts): the
    // acceptance's "rapidement" then stands between new spaces, and its update cannot be applied where they have not arrived.
    const text = (onOne.doc.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText
    onOne.doc.transact(() => {
      for (const space of [FIRST.indexOf('vite') - 1, FIRST.indexOf('vite') + 'vite'.length]) {
        text.delete(space, 1)
        text.insert(space, ' ')
      }
    })
    await onOne.saved()
    await ok(await call(one, `/api/amendments/${quick.id}/decision`, secretariat, { decision: 'accept' }))
    const early = await call(two, `/api/amendments/${solidarity.id}/decision`, ingrid, { decision: 'accept' })
    expect(early.status).toBe(503)
    expect(early.headers.get('retry-after')).toBe('1')
    expect(await early.json()).toMatchObject({ error: { code: 'text_behind' } })
    expect((await ok<Amendment>(await two.api(`/api/amendments/${solidarity.id}`, { token: ingrid }))).status).toBe('tabled')

    fanout.delayMs = 0
    const both = FIRST.replace('vite', 'rapidement').replace('cohésion', 'solidarité')
    await eventually(async () => expect((await call(two, `/api/amendments/${solidarity.id}/decision`, ingrid, { decision: 'accept' })).status).toBe(200), { timeout: 10_000, interval: 250 })
    expect((await storedBody(db, id)).textContent).toBe(both)
    await eventually(() => expect([paragraphs(onOne.doc), paragraphs(onTwo.doc)]).toEqual([[both], [both]]))
    onOne.destroy()
    onTwo.destroy()
  }, 60_000)
})
