import { CloseCode } from '@hemicycle/protocol'
import { MAX_BLOCK_TEXT, MAX_DOCUMENT_TEXT, yBodyTextLength } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { docx, p, r } from './handWrittenDocx.ts'
import { type Client, connectClient, eventually, expectError, openRaw, startTestServer, syncMessage, type TestServer } from './harness.ts'

/**
 * The whole text's limit (`MAX_DOCUMENT_TEXT`), against the real server
 * over real sockets: a delegate's hand-written client writing paragraphs
 * of the longest a paragraph may be, each frame under the frame limit,
 * stops at the limit with 4400, the text as it was, the server up and the
 * others writing on; an import past it is refused before anything is made.
 */
let server: TestServer
const tokens: Record<string, string> = {}
let resolutionId: string
let kwame: Client

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'kwame', 'ingrid']) tokens[name] = await server.login(name)
  const created = await server.api('/api/resolutions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Une résolution très longue', language: 'fr' }),
    token: tokens['secretariat']!,
  })
  expect(created.status).toBe(201)
  resolutionId = ((await created.json()) as { id: string }).id
  // Connected throughout, so the text stays loaded.
  kwame = connectClient(server.wsUrl, resolutionId, tokens['kwame']!)
  await kwame.synced
}, 120_000)
afterAll(async () => {
  kwame?.destroy()
  await server?.close()
})

const live = () => server.hemicycle.services.collab.peek(resolutionId)!
const lengthOf = (doc: Y.Doc) => yBodyTextLength(doc.getXmlFragment('body'))

/** Paragraphs of these texts added at the end of a hand-written client's copy, in one transaction: the update that does it. */
function appendParagraphs(forger: Y.Doc, texts: readonly string[]): Uint8Array {
  const since = Y.encodeStateVector(forger)
  const body = forger.getXmlFragment('body')
  forger.transact(() => {
    for (const text of texts) {
      const paragraph = new Y.XmlElement('paragraph')
      body.insert(body.length, [paragraph])
      paragraph.insert(0, [new Y.XmlText(text)])
    }
  })
  return Y.encodeStateAsUpdate(forger, since)
}

/** `characters` of `letter` in all, as paragraphs as long as a paragraph may be (the last one shorter). */
const filled = (characters: number, letter: string) =>
  Array.from({ length: Math.max(0, Math.ceil(characters / MAX_BLOCK_TEXT)) }, (_, index) => letter.repeat(Math.min(MAX_BLOCK_TEXT, characters - index * MAX_BLOCK_TEXT)))

describe('a text written past the length a resolution may hold', () => {
  it('is refused at the frame that would pass it (4400), the text stays as it was, and the others write on', { timeout: 180_000 }, async () => {
    const forger = new Y.Doc()
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(live().doc))
    const raw = await openRaw(server.wsUrl, `/collab/${resolutionId}?token=${tokens['claire']}`)
    /** Paragraphs of `characters` in all, one frame; the update it sent. */
    const write = (characters: number) => {
      const update = appendParagraphs(forger, filled(characters, 'x'))
      expect(update.byteLength).toBeLessThan(1024 * 1024)
      raw.socket.send(syncMessage(update))
    }
    const start = lengthOf(live().doc)
    // Ninety paragraphs a frame, each as long as a paragraph may be: 900 KB, under the 1 MiB a frame may carry.
    let written = start
    while (written + 900_000 <= MAX_DOCUMENT_TEXT) {
      write(900_000)
      written += 900_000
    }
    await eventually(() => expect(lengthOf(live().doc)).toBe(written), { timeout: 60_000 })
    const state = Buffer.from(Y.encodeStateAsUpdate(live().doc))
    write(MAX_DOCUMENT_TEXT - written + 1)
    const closed = await raw.closed
    expect(closed).toEqual({ code: CloseCode.BadMessage, reason: `the update was refused: a resolution holds at most ${MAX_DOCUMENT_TEXT} characters of text` })
    expect(Buffer.from(Y.encodeStateAsUpdate(live().doc)).equals(state)).toBe(true)
    expect(lengthOf(live().doc)).toBe(written)

    // The others' ordinary editing goes on: a few words replacing as many are no growth past the limit, and the text
    // is still under it anyway.
    await eventually(() => expect(lengthOf(kwame.doc)).toBe(written), { timeout: 60_000 })
    const body = kwame.doc.getXmlFragment('body')
    const paragraph = new Y.XmlElement('paragraph')
    body.insert(body.length, [paragraph])
    paragraph.insert(0, [new Y.XmlText('Le Conseil ')])
    await eventually(() => expect(lengthOf(live().doc)).toBe(written + 'Le Conseil '.length), { timeout: 60_000 })
    expect(kwame.denials).toEqual([])
    expect((await server.api('/api/health')).status).toBe(200)
  })

  it('is measured as the server will store it, composed (NFC): U+1D160 typed as two units is six', { timeout: 180_000 }, async () => {
    const created = await server.api('/api/resolutions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Une résolution composée', language: 'fr' }),
      token: tokens['secretariat']!,
    })
    const { id } = (await created.json()) as { id: string }
    const watcher = connectClient(server.wsUrl, id, tokens['kwame']!)
    await watcher.synced
    const text = () => server.hemicycle.services.collab.peek(id)!.doc
    const forger = new Y.Doc()
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(text()))
    const raw = await openRaw(server.wsUrl, `/collab/${id}?token=${tokens['claire']}`)
    const write = (blocks: number, words: string) => raw.socket.send(syncMessage(appendParagraphs(forger, Array.from({ length: blocks }, () => words))))
    for (let frame = 0; frame < 4; frame++) write(90, 'x'.repeat(MAX_BLOCK_TEXT))
    // 1,666 of them a paragraph: 3,332 units typed, 9,996 composed, under a paragraph's limit either way.
    const note = '\u{1D160}'.repeat(1666)
    write(30, note)
    await eventually(() => expect(lengthOf(text())).toBe(3_600_000 + 30 * 9_996), { timeout: 60_000 })
    const state = Buffer.from(Y.encodeStateAsUpdate(text()))
    // 66,640 units typed, under the limit; 199,920 composed, past it.
    expect(lengthOf(text()) + 20 * 3_332).toBeLessThan(MAX_DOCUMENT_TEXT)
    write(20, note)
    expect(await raw.closed).toEqual({ code: CloseCode.BadMessage, reason: `the update was refused: a resolution holds at most ${MAX_DOCUMENT_TEXT} characters of text` })
    expect(Buffer.from(Y.encodeStateAsUpdate(text())).equals(state)).toBe(true)
    watcher.destroy()
  })

  it('is refused to an acceptance that would pass it (422 document_too_long), the text and the amendment as they were', { timeout: 180_000 }, async () => {
    const forger = new Y.Doc()
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(live().doc))
    const raw = await openRaw(server.wsUrl, `/collab/${resolutionId}?token=${tokens['claire']}`)
    const target = MAX_DOCUMENT_TEXT - 5_000
    raw.socket.send(syncMessage(appendParagraphs(forger, filled(target - lengthOf(forger), 'y'))))
    await eventually(() => expect(lengthOf(live().doc)).toBe(target), { timeout: 60_000 })
    raw.socket.close()

    const post = (path: string, payload: unknown, who: string) =>
      server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), token: tokens[who]! })
    expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat')).status).toBe(200)
    // Its id as the server gave it.
    const liveBody = live().doc.getXmlFragment('body')
    const last = liveBody.get(liveBody.length - 1) as Y.XmlElement
    const tabled = await post(
      `/api/resolutions/${resolutionId}/amendments`,
      { kind: 'insertAfter', blockId: last.getAttribute('id'), text: 'Le Conseil décide. '.repeat(400).trim(), justification: 'Compléter.' },
      'claire',
    )
    expect(tabled.status, await tabled.clone().text()).toBe(201)
    const { id } = (await tabled.json()) as { id: string }
    expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const state = Buffer.from(Y.encodeStateAsUpdate(live().doc))
    const refused = await expectError<{ length: number; limit: number }>(await post(`/api/amendments/${id}/decision`, { decision: 'accept' }, 'ingrid'), 422, 'document_too_long')
    expect(refused).toMatchObject({ limit: MAX_DOCUMENT_TEXT, length: target + 'Le Conseil décide. '.repeat(400).trim().length })
    expect(Buffer.from(Y.encodeStateAsUpdate(live().doc)).equals(state)).toBe(true)
    const amendment = (await (await server.api(`/api/amendments/${id}`, { token: tokens['claire']! })).json()) as { status: string }
    expect(amendment.status).toBe('tabled')
    // Accepting in bulk skips it, in the dry run and the real one alike.
    for (const dryRun of ['?dryRun=1', '']) {
      const bulk = await post(`/api/resolutions/${resolutionId}/amendments/accept-non-colliding${dryRun}`, {}, 'ingrid')
      expect(await bulk.json()).toEqual({ accepted: [], skipped: [{ id, reason: 'conflict' }] })
    }
    expect(Buffer.from(Y.encodeStateAsUpdate(live().doc)).equals(state)).toBe(true)
  })
})

describe('an import past the length a resolution may hold', () => {
  it('is refused (422 document_too_long) and creates nothing', { timeout: 120_000 }, async () => {
    const paragraph = 'Le Conseil décide. '.repeat(Math.floor(MAX_BLOCK_TEXT / 19))
    const count = Math.floor(MAX_DOCUMENT_TEXT / paragraph.length) + 1
    const markdown = `---\ntitle: Trop longue\nlanguage: fr\n---\n\n${Array.from({ length: count }, () => paragraph.trim()).join('\n\n')}\n`
    expect(markdown.length).toBeLessThan(5 * 1024 * 1024)
    const listed = async () => ((await (await server.api('/api/resolutions', { token: tokens['secretariat']! })).json()) as unknown[]).length
    const before = await listed()
    for (const dryRun of ['?dryRun=1', '']) {
      const form = new FormData()
      form.set('file', new File([markdown], 'trop-longue.md'))
      const response = await server.api(`/api/resolutions/import${dryRun}`, { method: 'POST', body: form, token: tokens['secretariat']! })
      await expectError(response, 422, 'document_too_long')
    }
    expect(await listed()).toBe(before)
  })

  it('is measured as stored, composed (NFC): a Word file of 4 million characters as written, 12 million composed, is refused, as is a paragraph of 30,000', { timeout: 120_000 }, async () => {
    // U+FB2C is one character as written and three composed.
    const send = async (file: Uint8Array) => {
      const form = new FormData()
      form.set('file', new File([file as Uint8Array<ArrayBuffer>], 'composee.docx'))
      return server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
    }
    const whole = docx(Array.from({ length: 1200 }, () => p(r('\uFB2C'.repeat(3333)))).join(''))
    const refused = await expectError<{ length: number }>(await send(whole), 422, 'document_too_long')
    expect(refused.length).toBe(3 * 1200 * 3333)
    await expectError(await send(docx(p(r('\uFB2C'.repeat(MAX_BLOCK_TEXT))))), 422, 'paragraph_too_long')
  })
})
