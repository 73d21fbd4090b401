import type { ChangedSinceRead, TranslationBlock } from '@hemicycle/protocol'
import { bodyOf, readBody, SOURCE_ID } from '@hemicycle/schema'
import { translationOf, wordingDigest } from '@hemicycle/translations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, startTestServer, type TestServer, typeIntoBlock } from './harness.ts'

/**
 * A confirmation vouches for the wording the translator read: when the
 * source or the translation changed between the reading and the click, it
 * is refused, nothing recorded, and the block stays due.
 */

let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const clients: Client[] = []
const original: Array<{ id: string; text: string }> = []
let translator: Client

const id = () => server.resolutionId
const post = (path: string, body: unknown, as: string, raw = false) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body), token: tokens[as]! })
const blocksUrl = () => `/api/resolutions/${id()}/languages/en/blocks`
const confirmUrl = (sourceId: string) => `${blocksUrl()}/${sourceId}/confirm`
const blockOf = async (sourceId: string) => ((await (await server.api(blocksUrl(), { token: tokens['traductrice']! })).json()) as TranslationBlock[]).find((block) => block.sourceId === sourceId)!
const readingOf = (block: TranslationBlock) => ({ sourceDigest: block.sourceDigest, translationDigest: block.translationDigest })
const confirmations = async (sourceId: string) => {
  const audit = (await (await server.api(`/api/resolutions/${id()}/audit`, { token: tokens['secretariat']! })).json()) as Array<{ action: string; detail: { sourceId?: string } }>
  return audit.filter((entry) => entry.action === 'confirm' && entry.detail.sourceId === sourceId).length
}

async function refusal(response: Response, status: number, code: string) {
  const body = (await response.json()) as { error: { code: string; message: string } & Partial<ChangedSinceRead> }
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code })
  expect(body.error.message.length).toBeGreaterThan(10)
  return body.error
}

function connect(room: string, as: string): Client {
  const client = connectClient(server.wsUrl, room, tokens[as]!)
  clients.push(client)
  return client
}

/** Appends `text` to the version's block translating `sourceId`, as a translator typing. */
function translate(doc: Y.Doc, sourceId: string, text: string): void {
  const visit = (parent: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.getAttribute(SOURCE_ID) === sourceId) return child.toArray().find((inner): inner is Y.XmlText => inner instanceof Y.XmlText)!
      const found = visit(child)
      if (found) return found
    }
    return null
  }
  const content = visit(bodyOf(doc))
  if (!content) throw new Error(`no block translates ${sourceId}`)
  content.insert(content.length, text)
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'traductrice', 'claire', 'ingrid']) tokens[name] = await server.login(name)
  const reader = connect(id(), 'claire')
  await reader.synced
  readBody(reader.doc).descendants((node) => {
    if (node.isTextblock) original.push({ id: node.attrs['id'] as string, text: node.textContent })
    return !node.isTextblock
  })
  expect((await post(`/api/resolutions/${id()}/languages`, { language: 'en' }, 'secretariat')).status).toBe(201)
  translator = connect(`${id()}/en`, 'traductrice')
  await translator.synced
  for (const [index, text] of ['We live in a time of rapid change.', 'Second block.', 'Third block.', 'Fourth block.'].entries()) translate(translator.doc, original[index]!.id, text)
  await translator.saved()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

describe('confirming what was read', () => {
  it('is refused when the original was edited after the reading, nothing recorded, the block still due', async () => {
    const source = original[0]!
    const read = await blockOf(source.id)
    expect(read).toMatchObject({ status: 'due', sourceDigest: expect.stringMatching(/^[0-9a-f]{64}$/), translationDigest: expect.stringMatching(/^[0-9a-f]{64}$/) })

    const editor = connect(id(), 'claire')
    await editor.synced
    typeIntoBlock(editor.doc, source.id, 0, 'Aujourd’hui, ')
    await editor.saved()

    const error = await refusal(await post(confirmUrl(source.id), { read: readingOf(read) }, 'traductrice'), 409, 'changed_since_read')
    expect(error.changed).toEqual(['source'])
    expect(error.block).toMatchObject({ sourceId: source.id, status: 'due', sourceText: `Aujourd’hui, ${source.text}`, text: read.text })
    expect(error.block!.sourceDigest).not.toBe(read.sourceDigest)
    expect(await blockOf(source.id)).toMatchObject({ status: 'due', confirmed: null })
    expect(await confirmations(source.id)).toBe(0)

    // Read again, as the page does with the block the refusal carries: confirmed.
    const confirmed = await post(confirmUrl(source.id), { read: readingOf(error.block!) }, 'traductrice')
    expect(confirmed.status).toBe(200)
    expect(await confirmed.json()).toMatchObject({ status: 'current', sourceText: `Aujourd’hui, ${source.text}` })
    expect(await confirmations(source.id)).toBe(1)
  })

  it('is refused when only the source’s formatting changed, since the record keeps it', async () => {
    const source = original[1]!
    const read = await blockOf(source.id)
    const editor = connect(id(), 'claire')
    await editor.synced
    const block = editor.doc.getXmlFragment('body').toArray()[1] as Y.XmlElement
    expect(block.getAttribute('id')).toBe(source.id)
    ;(block.get(0) as Y.XmlText).format(0, 4, { bold: {} })
    await editor.saved()
    const now = await blockOf(source.id)
    expect(now.sourceText).toBe(read.sourceText)

    const error = await refusal(await post(confirmUrl(source.id), { read: readingOf(read) }, 'traductrice'), 409, 'changed_since_read')
    expect(error.changed).toEqual(['source'])
    expect(await confirmations(source.id)).toBe(0)
    expect((await post(confirmUrl(source.id), { read: readingOf(now) }, 'traductrice')).status).toBe(200)
  })

  it('is refused when someone else rewrote the translation after the reading', async () => {
    const source = original[2]!
    const read = await blockOf(source.id)
    const colleague = connect(`${id()}/en`, 'secretariat')
    await colleague.synced
    translate(colleague.doc, source.id, ' Revised.')
    await colleague.saved()

    const error = await refusal(await post(confirmUrl(source.id), { read: readingOf(read) }, 'traductrice'), 409, 'changed_since_read')
    expect(error.changed).toEqual(['translation'])
    expect(error.block).toMatchObject({ text: 'Third block. Revised.', status: 'due' })
    expect(await confirmations(source.id)).toBe(0)
  })

  it('takes the translator’s own typing, digested from her own document as shown, once it is stored', async () => {
    const source = original[2]!
    const read = await blockOf(source.id)
    await translator.synced
    translate(translator.doc, source.id, ' Typed after the blocks were read.')
    const shown = translationOf(readBody(translator.doc), source.id)!
    await translator.saved()
    const confirmed = await post(confirmUrl(source.id), { read: { sourceDigest: read.sourceDigest, translationDigest: wordingDigest(shown) } }, 'traductrice')
    expect(confirmed.status).toBe(200)
    expect(await confirmed.json()).toMatchObject({ status: 'current', text: 'Third block. Revised. Typed after the blocks were read.' })
  })

  it('is refused when an amendment was accepted after the reading, and taken with the amended wording read', async () => {
    const source = original[3]!
    const read = await blockOf(source.id)
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const tabled = await post(`/api/resolutions/${id()}/amendments`, { kind: 'replace', blockId: source.id, text: `${source.text} Amendée.`, justification: 'Plus précis.' }, 'claire')
    expect(tabled.status).toBe(201)
    const amendment = (await tabled.json()) as { id: string }
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)

    const error = await refusal(await post(confirmUrl(source.id), { read: readingOf(read) }, 'traductrice'), 409, 'changed_since_read')
    expect(error.changed).toEqual(['source'])
    expect(error.block).toMatchObject({ status: 'due', sourceText: `${source.text} Amendée.` })
    expect((await blockOf(source.id)).status).toBe('due')
    expect(await confirmations(source.id)).toBe(0)

    const confirmed = await post(confirmUrl(source.id), { read: readingOf(await blockOf(source.id)) }, 'traductrice')
    expect(confirmed.status).toBe(200)
    expect((await blockOf(source.id)).status).toBe('current')
    expect(await confirmations(source.id)).toBe(1)
  })
})

describe('the confirmation’s body', () => {
  const digest = 'a'.repeat(64)

  it('refuses what is not a reading with 400, naming the field, and confirms nothing', async () => {
    const source = original[4]!
    translate(translator.doc, source.id, 'Fifth block.')
    await translator.saved()
    const hostile: Array<[unknown, RegExp]> = [
      [{ read: 'yes' }, /^read: /],
      [{ read: { sourceDigest: 42, translationDigest: digest } }, /^read\.sourceDigest: /],
      [{ read: { sourceDigest: digest } }, /^read\.translationDigest: /],
      // Under the 256 KiB body limit (above it, 413 as for every route).
      [{ read: { sourceDigest: 'x'.repeat(200_000), translationDigest: digest } }, /^read\.sourceDigest: a digest is 64 hex digits/],
      [{ read: { sourceDigest: digest, translationDigest: `${digest}${digest}` } }, /^read\.translationDigest: a digest is 64 hex digits/],
      [{ read: { sourceDigest: 'G'.repeat(64), translationDigest: digest } }, /^read\.sourceDigest: a digest is 64 lower-case hex digits/],
      [{ read: { sourceDigest: digest, translationDigest: digest, extra: 1 } }, /^read: /],
      [{ reed: { sourceDigest: digest, translationDigest: digest } }, /reed/],
      [[digest, digest], /./],
      [null, /./],
    ]
    for (const [body, message] of hostile) {
      const error = await refusal(await post(confirmUrl(source.id), body, 'traductrice'), 400, 'invalid_request')
      expect(error.message, JSON.stringify(body).slice(0, 80)).toMatch(message)
      expect(error.message.length).toBeLessThan(300)
    }
    await refusal(await post(confirmUrl(source.id), '{"read": {', 'traductrice', true), 400, 'malformed_json')
    await refusal(await post(confirmUrl(source.id), { read: { sourceDigest: 'x'.repeat(1_000_000), translationDigest: digest } }, 'traductrice'), 413, 'payload_too_large')
    expect((await blockOf(source.id)).status).toBe('due')
    expect(await confirmations(source.id)).toBe(0)
  })

  it('may leave the reading out, as before: the block is confirmed as it stands', async () => {
    const [fifth, sixth] = [original[4]!, original[5]!]
    expect((await post(confirmUrl(fifth.id), {}, 'traductrice')).status).toBe(200)
    translate(translator.doc, sixth.id, 'Sixth block.')
    await translator.saved()
    const bare = await server.api(confirmUrl(sixth.id), { method: 'POST', token: tokens['traductrice']! })
    expect(bare.status).toBe(200)
    expect(await bare.json()).toMatchObject({ status: 'current', text: 'Sixth block.' })
  })
})
