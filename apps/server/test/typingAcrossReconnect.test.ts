import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { MAX_EARLY_UPDATES } from '../src/collab/connection.ts'
import * as Y from 'yjs'
import { connectClient, eventually, openRaw, paragraphs, startTestServer, syncMessage, syncReplyMessage, type TestServer, typeInto } from './harness.ts'

/**
 * A tab that was cut off comes back with what it typed meanwhile, which the
 * server gets in the tab's answer to its sync request. A stock y-websocket
 * client sends every keystroke at once, so one typed as the socket reopens
 * reaches the server before that answer, built on text the server does not
 * have yet. It used to be refused as such (4400, after which y-websocket
 * never reconnects): everything typed offline and after stayed in that tab.
 */
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
})
afterAll(async () => {
  await server?.close()
})

/** Claire's tab, cut off after syncing, with Lucía reading; `reopening` runs as Claire's socket opens again, before the sync. */
async function backOnline(offline: (doc: Y.Doc) => void, reopening: (doc: Y.Doc) => void) {
  const writer = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  const reader = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  await Promise.all([writer.synced, reader.synced])
  writer.provider.disconnect()
  const closes: Array<{ code: number; reason: string }> = []
  writer.provider.on('connection-close', (event: { code: number; reason: string } | null) => closes.push({ code: event?.code ?? 0, reason: event?.reason ?? '' }))
  offline(writer.doc)
  writer.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') reopening(writer.doc)
  })
  writer.provider.connect()
  return { writer, reader, closes }
}

it('takes what a tab types as its socket reopens, on top of what it typed offline, before it has answered the sync request', async () => {
  const { writer, reader, closes } = await backOnline(
    (doc) => typeInto(doc, 0, 0, 'offline '),
    (doc) => typeInto(doc, 0, 'offline '.length, 'online '),
  )
  try {
    await eventually(() => expect(paragraphs(reader.doc)[0]).toMatch(/^offline online Nous vivons/))
    await writer.saved()
    expect(closes).toEqual([])
    expect(paragraphs(writer.doc)).toEqual(paragraphs(reader.doc))
  } finally {
    writer.destroy()
    reader.destroy()
  }
})

it('takes the deletion of words typed offline, made as the socket reopens', async () => {
  const { writer, reader, closes } = await backOnline(
    (doc) => typeInto(doc, 1, 0, 'typo kept '),
    (doc) => ((doc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 'typo '.length),
  )
  try {
    await eventually(() => expect(paragraphs(reader.doc)[1]).toMatch(/^kept Le changement/))
    await writer.saved()
    expect(closes).toEqual([])
  } finally {
    writer.destroy()
    reader.destroy()
  }
})

it('still refuses an update built on changes the server never gets, once the sync request is answered without them', async () => {
  const token = await server.login('claire')
  // Connected first, so the document stays loaded (nobody connected, it unloads after 200 ms here) and `live` is the one the socket writes to.
  const raw = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
  const live = await server.hemicycle.services.collab.open(server.resolutionId)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc))
  const serverState = Y.encodeStateVector(doc)
  typeInto(doc, 0, 0, 'never sent ')
  const withheld = Y.encodeStateVector(doc)
  typeInto(doc, 0, 0, 'sent ')
  raw.socket.send(syncMessage(Y.encodeStateAsUpdate(doc, withheld)))
  // An answer that leaves out what the update builds on.
  raw.socket.send(syncReplyMessage(new Y.Doc(), serverState))
  const outcome = await Promise.race([raw.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))])
  raw.socket.close()
  expect(outcome).toEqual({ code: CloseCode.BadMessage, reason: expect.stringMatching(/depends on changes the server does not have/) })
  expect(server.hemicycle.services.collab.peek(server.resolutionId) ?? live, 'the document read is the one the server held').toBe(live)
  expect(paragraphs(live.doc)[0]).not.toMatch(/never sent|^sent /)
})

it(`holds at most ${MAX_EARLY_UPDATES} updates for the answer, examining only the first: a client that never answers cannot have the document copied for each`, async () => {
  const token = await server.login('claire')
  const raw = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
  const live = await server.hemicycle.services.collab.open(server.resolutionId)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc))
  typeInto(doc, 0, 0, 'withheld ')
  // The shadow copy is made again after each update it could not take (`UpdateGate.copy`).
  const copy = vi.spyOn(live.gate as unknown as { copy: () => Y.Doc }, 'copy')
  try {
    // Keystrokes on top of what the answer would bring, one by one, and never the answer.
    for (let index = 0; index <= MAX_EARLY_UPDATES; index++) {
      const before = Y.encodeStateVector(doc)
      typeInto(doc, 0, 0, 'x')
      raw.socket.send(syncMessage(Y.encodeStateAsUpdate(doc, before)))
    }
    const outcome = await Promise.race([raw.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))])
    expect(outcome).toEqual({ code: CloseCode.BadMessage, reason: expect.stringMatching(/may wait for the answer to the sync request/) })
    // The copy made to examine the first, and made again at once when it could not be taken: none for the others.
    expect(copy.mock.calls.length).toBeLessThanOrEqual(2)
    expect(server.hemicycle.services.collab.peek(server.resolutionId) ?? live, 'the document read is the one the server held').toBe(live)
    expect(paragraphs(live.doc)[0]).not.toMatch(/^x|withheld/)
  } finally {
    copy.mockRestore()
    raw.socket.close()
  }
})
