import { CloseCode } from '@hemicycle/protocol'
import { MAX_BLOCK_TEXT } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, paragraphs, startTestServer, type TestServer, typeInto } from './harness.ts'

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
  for (const name of ['claire', 'lucia', 'kwame']) tokens[name] = await server.login(name)
  bystander = connectClient(server.wsUrl, server.resolutionId, tokens['kwame']!)
  await bystander.synced
})
afterAll(async () => {
  bystander?.destroy()
  await server?.close()
})

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
        await writer.saved()
      }
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
