import { CloseCode } from '@hemicycle/protocol'
import { MAX_BLOCK_TEXT } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { docx, p, r } from './handWrittenDocx.ts'
import { type Client, connectClient, eventually, expectError, paragraphs, readBlocks, startTestServer, type TestServer, typeInto } from './harness.ts'

/**
 * One block's text is bounded (`MAX_BLOCK_TEXT`), as the body's shape is:
 * a delegate with a hand-written client sending frame after frame into the
 * same paragraph would otherwise make every read the server does of that
 * paragraph, on every keystroke, as long as the paragraph.
 */
let server: TestServer
const tokens: Record<string, string> = {}
let bystander: Client

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'lucia', 'kwame', 'ingrid', 'traductrice']) tokens[name] = await server.login(name)
  bystander = connectClient(server.wsUrl, server.resolutionId, tokens['kwame']!)
  await bystander.synced
})
afterAll(async () => {
  bystander?.destroy()
  await server?.close()
})

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const importFile = (name: string, contents: string | Uint8Array) => {
  const form = new FormData()
  form.set('file', new File([contents], name))
  return server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
}
/** Words, not one endless word, as a real paragraph has. */
const words = (length: number) => 'le Conseil rappelle sa résolution '.repeat(Math.ceil(length / 34)).slice(0, length)
/** Words none of `words` are: the same new word written by two sides is a conflict wherever they write it. */
const otherWords = (length: number) => 'ainsi que nos partenaires européens '.repeat(Math.ceil(length / 36)).slice(0, length)
const live = () => server.hemicycle.services.collab.peek(server.resolutionId)!
/** The code the client's socket is closed with, or 'still open' after 10 s. */
const closeOf = (client: Client) =>
  new Promise<number | undefined | 'still open'>((resolve) => {
    client.provider.on('connection-close', (event) => resolve(event?.code))
    setTimeout(() => resolve('still open'), 10_000)
  })

describe('a paragraph grown past the limit over several frames', () => {
  it('refuses the frame that takes it past the limit (4400), leaves the document as it was, and the others type on', async () => {
    const writer = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
    await writer.synced
    const index = 2
    const chunk = 'Le Conseil rappelle sa résolution. '.repeat(100).slice(0, 3000)
    // Frames under the limit are taken, each on its own.
    while (paragraphs(writer.doc)[index]!.length + chunk.length <= MAX_BLOCK_TEXT) {
      typeInto(writer.doc, index, 0, chunk)
      await writer.saved()
    }
    const before = Y.encodeStateAsUpdate(live().doc)
    const accepted = paragraphs(live().doc)[index]!
    expect(accepted.length).toBeGreaterThan(MAX_BLOCK_TEXT - chunk.length)

    const closed = closeOf(writer)
    typeInto(writer.doc, index, 0, chunk)
    expect(await closed).toBe(CloseCode.BadMessage)
    expect(Y.encodeStateAsUpdate(live().doc)).toEqual(before)
    expect(paragraphs(live().doc)[index]).toBe(accepted)
    // A stock client does not reconnect into a 44xx close: it does not send the same refused state again and again.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(writer.provider.wsconnected || writer.provider.wsconnecting).toBe(false)
    writer.destroy()

    // The bystander never received the refused text, and its own typing goes on.
    expect(paragraphs(bystander.doc)[index]).toBe(accepted)
    typeInto(bystander.doc, 0, 0, 'Vu. ')
    await bystander.saved()
    expect(paragraphs(live().doc)[0]).toMatch(/^Vu\. /)
  })

  it('refuses a new paragraph made over the limit in one frame, and text split over two text nodes of one paragraph', async () => {
    const writer = connectClient(server.wsUrl, server.resolutionId, tokens['lucia']!)
    await writer.synced
    const before = Y.encodeStateAsUpdate(live().doc)
    const closed = closeOf(writer)
    writer.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      writer.doc.getXmlFragment('body').insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('a'.repeat(MAX_BLOCK_TEXT / 2 + 1)), new Y.XmlText('b'.repeat(MAX_BLOCK_TEXT / 2))])
    })
    expect(await closed).toBe(CloseCode.BadMessage)
    expect(Y.encodeStateAsUpdate(live().doc)).toEqual(before)
    writer.destroy()
  })

  it('lets a paragraph at the limit be typed into where it stays at the limit (a replaced word), formatted and shortened', async () => {
    const writer = connectClient(server.wsUrl, server.resolutionId, tokens['lucia']!)
    await writer.synced
    const index = 4
    const text = () => (writer.doc.getXmlFragment('body').get(index) as Y.XmlElement).get(0) as Y.XmlText
    text().insert(0, 'x'.repeat(MAX_BLOCK_TEXT - text().length))
    await writer.saved()
    expect(paragraphs(live().doc)[index]!.length).toBe(MAX_BLOCK_TEXT)
    writer.doc.transact(() => {
      text().delete(0, 3)
      text().insert(0, 'abc')
    })
    text().format(0, 10, { bold: true })
    text().delete(0, 1)
    await writer.saved()
    expect(paragraphs(live().doc)[index]).toMatch(/^bcx/)
    expect(paragraphs(live().doc)[index]!.length).toBe(MAX_BLOCK_TEXT - 1)

    // A keystroke into a paragraph at the limit costs the server about what one into a short paragraph does: what it reads per keystroke is bounded by the limit.
    const short = () => (writer.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    const costOf = async (into: () => Y.XmlText) => {
      const cpu = process.cpuUsage()
      const keystrokes = 40
      for (let key = 0; key < keystrokes; key++) {
        writer.doc.transact(() => {
          into().delete(5, 1)
          into().insert(5, String.fromCharCode(0x61 + (key % 26)))
        })
        // Held by the live text, each keystroke on its own: what the gate reads is measured, not the store's 200 ms wait.
        const typed = Y.getState(writer.doc.store, writer.doc.clientID)
        await eventually(() => expect(Y.getState(live().doc.store, writer.doc.clientID)).toBe(typed), { interval: 1 })
      }
      await writer.saved()
      const { user, system } = process.cpuUsage(cpu)
      return (user + system) / 1000 / keystrokes
    }
    const shortCost = await costOf(short)
    const longCost = await costOf(text)
    // Client and server share this process, on a shared machine: the margin is generous, and far below what a paragraph of a million characters costs.
    expect(longCost).toBeLessThan(shortCost * 2 + 2)
    expect(bystander.provider.wsconnected).toBe(true)
    writer.destroy()
  })
})

describe('a language version', () => {
  it('is a live document like the original: a paragraph of it grown past the limit is refused (4400), the version unchanged', async () => {
    expect((await post(`/api/resolutions/${server.resolutionId}/languages`, { language: 'en' }, 'secretariat')).status).toBe(201)
    const room = `${server.resolutionId}/en`
    const translator = connectClient(server.wsUrl, room, tokens['traductrice']!)
    await translator.synced
    const version = () => server.hemicycle.services.collab.peek(room)!
    const first = () => {
      const paragraph = translator.doc.getXmlFragment('body').get(1) as Y.XmlElement
      return paragraph.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText) ?? (paragraph.insert(0, [new Y.XmlText()]), paragraph.get(0) as Y.XmlText)
    }
    first().insert(0, words(MAX_BLOCK_TEXT - 10 - first().length))
    await translator.saved()
    const before = Y.encodeStateAsUpdate(version().doc)
    const closed = closeOf(translator)
    first().insert(0, words(20))
    expect(await closed).toBe(CloseCode.BadMessage)
    expect(Y.encodeStateAsUpdate(version().doc)).toEqual(before)
    translator.destroy()
  })
})

describe('a paragraph made over the limit elsewhere than in the editor', () => {
  it('refuses a Markdown or Word file with a paragraph over the limit (422 paragraph_too_long, naming its §); at the limit it is imported', async () => {
    const markdown = (third: string) => `---\ntitle: Longue\nlanguage: fr\n---\n\n# Titre\n\nPremier.\n\nDeuxième.\n\n${third}\n`
    const refused = await expectError<{ paragraph: number }>(await importFile('long.md', markdown(words(MAX_BLOCK_TEXT + 1))), 422, 'paragraph_too_long')
    expect(refused.paragraph).toBe(3)
    expect(refused.message).toMatch(/§ 3 holds 10001 characters/)
    const inList = await expectError<{ paragraph: number }>(await importFile('list.md', markdown(`- ${words(MAX_BLOCK_TEXT + 5)}`)), 422, 'paragraph_too_long')
    expect(inList.message).toMatch(/after § 2/)
    const word = await expectError<{ paragraph: number }>(await importFile('long.docx', docx(p(r('Premier.')) + p(r(words(MAX_BLOCK_TEXT / 2)) + r(words(MAX_BLOCK_TEXT / 2 + 2), '<w:b/>')))), 422, 'paragraph_too_long')
    expect(word.paragraph).toBe(2)
    expect((await importFile('limit.md', markdown(words(MAX_BLOCK_TEXT)))).status).toBe(201)
  })

  it('refuses to accept an amendment whose result, merged with the paragraph as it now reads, would be over the limit; the text is unchanged', async () => {
    const response = await importFile('deux.md', `---\ntitle: Deux amendements\nlanguage: fr\n---\n\nLe Conseil décide de renforcer la cohésion sociale.\n\nFin.\n`)
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as { id: string }
    const { blocks, texts } = await readBlocks(server.wsUrl, id, tokens['kwame']!)
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const added = words(6000).trim()
    const table = async (text: string) => {
      const tabled = await post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text, justification: 'Pour préciser.' }, 'claire')
      expect(tabled.status).toBe(201)
      return ((await tabled.json()) as { id: string }).id
    }
    const atEnd = await table(`${texts[0]} ${added}`)
    const atStart = await table(`${otherWords(6000).trim()} ${texts[0]}`)
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post(`/api/amendments/${atEnd}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    const before = (await readBlocks(server.wsUrl, id, tokens['kwame']!)).texts
    expect(before[0]).toBe(`${texts[0]} ${added}`)

    const refused = await expectError<{ paragraph: number }>(await post(`/api/amendments/${atStart}/decision`, { decision: 'accept' }, 'ingrid'), 422, 'paragraph_too_long')
    expect(refused.paragraph).toBe(1)
    expect((await readBlocks(server.wsUrl, id, tokens['kwame']!)).texts).toEqual(before)
    // Still tabled: the chair may accept it as modified, in a wording that fits, or reject it.
    const amendment = (await (await server.api(`/api/amendments/${atStart}`, { token: tokens['kwame']! })).json()) as { status: string }
    expect(amendment.status).toBe('tabled')
  })

  it('refuses to take back an acceptance whose restored words, beside what was typed since, would make the paragraph over the limit', async () => {
    const long = `${words(9000).trim()} un deux trois quatre cinq.`
    const response = await importFile('reprise.md', `---\ntitle: Reprise\nlanguage: fr\n---\n\n${long}\n\nFin.\n`)
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as { id: string }
    const { blocks } = await readBlocks(server.wsUrl, id, tokens['kwame']!)
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const tabled = await post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'Court. un deux trois quatre cinq.', justification: 'Plus court.' }, 'claire')
    expect(tabled.status).toBe(201)
    const amendment = ((await tabled.json()) as { id: string }).id
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post(`/api/amendments/${amendment}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)

    // The secretariat writes on at the end of the shortened paragraph, well within the limit.
    const secretariat = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await secretariat.synced
    const text = (secretariat.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    text.insert(text.length, ` ${otherWords(5000).trim()}`)
    await secretariat.saved()
    const before = (await readBlocks(server.wsUrl, id, tokens['kwame']!)).texts

    const refused = await expectError<{ paragraph: number }>(await post(`/api/amendments/${amendment}/reset`, { reason: 'Erreur de vote.' }, 'ingrid'), 422, 'paragraph_too_long')
    expect(refused.paragraph).toBe(1)
    expect((await readBlocks(server.wsUrl, id, tokens['kwame']!)).texts).toEqual(before)
    secretariat.destroy()
  })
})
