import { BODY } from '@hemicycle/schema'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, startTestServer, type TestServer } from './harness.ts'

// A stock y-websocket client runs no id plugin: the server gives every textblock a unique id, and a text, after the client's change.
let server: TestServer
let client: Client

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  client = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  await client.synced
})
afterAll(async () => {
  client?.destroy()
  await server?.close()
})

const body = () => client.doc.getXmlFragment(BODY)
const paragraphs = () => body().toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph')
const ids = () => body().toArray().map((node) => (node as Y.XmlElement).getAttribute('id'))
const everyIdUnique = () => {
  const all = ids()
  expect(all.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
  expect(new Set(all).size).toBe(all.length)
}

it('gives an id to a paragraph a client put in without one', async () => {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('Un paragraphe sans identifiant.')])
  body().insert(1, [paragraph])
  await eventually(() => expect(paragraph.getAttribute('id')).toMatch(/.+/))
  everyIdUnique()
})

it('gives a fresh id to a paragraph a client gave another paragraph’s id', async () => {
  const [first, second] = paragraphs()
  second!.setAttribute('id', first!.getAttribute('id')!)
  await eventually(everyIdUnique)
})

it('gives an id back to a paragraph whose id a client removed', async () => {
  const third = paragraphs()[2]!
  third.removeAttribute('id')
  await eventually(() => expect(third.getAttribute('id')).toMatch(/.+/))
  everyIdUnique()
})

it('gives a text back to a paragraph whose text a client deleted', async () => {
  const fourth = paragraphs()[3]!
  expect(fourth.get(0)).toBeInstanceOf(Y.XmlText)
  fourth.delete(0, fourth.length)
  await eventually(() => expect(fourth.toArray().some((child) => child instanceof Y.XmlText)).toBe(true))
})
