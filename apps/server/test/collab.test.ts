import { CloseCode, MAX_MESSAGE_BYTES } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SYNC_BURST, SYNC_REFILL_MS } from '../src/collab/syncBudget.ts'
import { connectClient, eventually, openRaw as openRawAt, paragraphs, sleep, startTestServer, syncMessage, syncRequestMessage, type TestServer, typeInto } from './harness.ts'

let server: TestServer
let claire: string
let kwame: string
let tomas: string

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://' })
  ;[claire, kwame, tomas] = await Promise.all([server.login('claire'), server.login('kwame'), server.login('tomas')])
})
afterAll(() => server?.close())

const openRaw = (path: string) => openRawAt(server.wsUrl, path)
const syncUpdate = syncMessage

describe('live co-editing over y-websocket', () => {
  it('lets two stock clients converge on concurrent edits, in the same paragraph and in others', async () => {
    const a = connectClient(server.wsUrl, server.resolutionId, claire)
    const b = connectClient(server.wsUrl, server.resolutionId, kwame)
    await Promise.all([a.synced, b.synced])
    expect(paragraphs(a.doc)).toEqual(paragraphs(b.doc))
    expect(paragraphs(a.doc)[0]).toMatch(/^Nous vivons une époque/)

    for (let i = 0; i < 20; i++) {
      typeInto(a.doc, 0, 0, `a${i} `)
      typeInto(b.doc, 0, 0, `b${i} `)
      typeInto(b.doc, 3, 0, `B${i} `)
    }
    await eventually(() => expect(paragraphs(a.doc)).toEqual(paragraphs(b.doc)))
    const [first, , , fourth] = paragraphs(a.doc)
    for (let i = 0; i < 20; i++) {
      expect(first).toContain(`a${i} `)
      expect(first).toContain(`b${i} `)
      expect(fourth).toContain(`B${i} `)
    }
    a.destroy()
    b.destroy()
  })

  it('refuses an upgrade without a token, with a bad token, or for an unknown resolution, before it opens', async () => {
    await expect(openRaw(`/collab/${server.resolutionId}`)).rejects.toThrow('HTTP 401')
    await expect(openRaw(`/collab/${server.resolutionId}?token=forged`)).rejects.toThrow('HTTP 401')
    await expect(openRaw(`/collab/no-such-resolution?token=${claire}`)).rejects.toThrow('HTTP 404')
  })

  it('answers a plain GET of the collaboration address with 426 and a JSON error', async () => {
    const response = await server.api(`/collab/${server.resolutionId}`, { token: claire })
    expect(response.status).toBe(426)
    expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required' } })
  })

  it('drops an observer’s edit: it reaches nobody, is not stored, and the observer is told why', async () => {
    const delegate = connectClient(server.wsUrl, server.resolutionId, claire)
    const observer = connectClient(server.wsUrl, server.resolutionId, tomas)
    await Promise.all([delegate.synced, observer.synced])
    await eventually(() => expect(observer.denials).toContain('observer: observers follow the text but do not edit it'))
    const denialsBefore = observer.denials.length

    typeInto(observer.doc, 1, 0, 'OBSERVER WAS HERE ')
    await eventually(() => expect(observer.denials.length).toBeGreaterThan(denialsBefore))
    typeInto(delegate.doc, 2, 0, 'delegate edit ')
    await eventually(() => expect(paragraphs(observer.doc)[2]).toContain('delegate edit '))

    expect(paragraphs(delegate.doc).join('\n')).not.toContain('OBSERVER WAS HERE')
    const document = server.hemicycle.services.collab.peek(server.resolutionId)!
    await server.hemicycle.services.collab.store(document)
    const stored = await (await server.api(`/api/resolutions/${server.resolutionId}/export.md`, { token: claire })).text()
    expect(stored).toContain('delegate edit ')
    expect(stored).not.toContain('OBSERVER WAS HERE')
    delegate.destroy()
    observer.destroy()
  })

  it('shows everyone under the name and delegation the server knows, whatever the client claims', async () => {
    const a = connectClient(server.wsUrl, server.resolutionId, claire)
    const b = connectClient(server.wsUrl, server.resolutionId, kwame)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'Somebody Else', color: '#000' })
    const seen = await eventually(() => {
      const state = b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string; delegation: string } } | undefined
      expect(state?.user?.name).toBe('Claire Martin')
      return state!.user!
    })
    expect(seen.delegation).toBe('Parti progressiste (France)')
    a.destroy()
    await eventually(() => expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false))
    b.destroy()
  })

  it('acknowledges what is stored to clients that ask, within the persistence bound', async () => {
    const a = connectClient(server.wsUrl, server.resolutionId, claire)
    await a.synced
    typeInto(a.doc, 4, 0, 'acknowledged ')
    const sent = Date.now()
    await a.saved()
    expect(Date.now() - sent).toBeLessThan(1000)
    a.destroy()
  })
})

describe('bad input on the socket', () => {
  const badFrames: Array<[string, () => Uint8Array | string]> = [
    ['random bytes', () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
    ['an unknown message type', () => new Uint8Array([42, 0])],
    ['a truncated sync message', () => syncUpdate(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])).slice(0, 5)],
    ['an invalid Yjs update', () => syncUpdate(new Uint8Array([7, 200, 1, 2, 3]))],
    [
      'an update to another root than the body',
      () => {
        const doc = new Y.Doc()
        doc.getMap('metadata').set('title', 'hijacked')
        return syncUpdate(Y.encodeStateAsUpdate(doc))
      },
    ],
    [
      'text put straight into the body',
      () => {
        const doc = new Y.Doc()
        doc.getText('body').insert(0, 'loose text')
        return syncUpdate(Y.encodeStateAsUpdate(doc))
      },
    ],
    ['a text frame', () => 'hello'],
    ['trailing bytes', () => new Uint8Array([...syncUpdate(Y.encodeStateAsUpdate(new Y.Doc())), 9, 9])],
    [
      // Refused, but only once its paragraph had been applied, stored and sent to everyone.
      'a real change with trailing bytes',
      () => {
        const doc = new Y.Doc()
        const paragraph = new Y.XmlElement('paragraph')
        doc.getXmlFragment('body').insert(0, [paragraph])
        paragraph.insert(0, [new Y.XmlText('refused with what follows it')])
        return new Uint8Array([...syncUpdate(Y.encodeStateAsUpdate(doc)), 0])
      },
    ],
    ['a frame over the size limit', () => new Uint8Array(MAX_MESSAGE_BYTES + 1)],
  ]

  it('answers a connection asking for what it lacks, and closes it when it asks again within a second', async () => {
    // Each answer is encoded anew from the whole document: 150 such requests of six bytes held the server 8 s on a 1.8 MB text.
    const holding = new Y.Doc()
    holding.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')])
    const request = syncRequestMessage(holding)
    const { socket, received, closed } = await openRaw(`/collab/${server.resolutionId}?token=${claire}`)
    const answers = () => received.filter((message) => message[0] === 0 && message[1] === 1).length
    socket.send(request)
    await eventually(() => expect(answers()).toBe(1))
    socket.send(request)
    expect(await closed).toMatchObject({ code: CloseCode.BadMessage, reason: expect.stringMatching(/again within a second/) })
    expect(answers()).toBe(1)
  })

  it('answers one person asking for what they lack on many sockets up to a burst, closes the next ones with 4207, and answers again a second later', async () => {
    // Each socket asks once, as a stock client does: the budget is the person's, over all their sockets.
    const holding = new Y.Doc()
    holding.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')])
    const request = syncRequestMessage(holding)
    const erik = await server.login('erik')
    const answered = (raw: { received: Uint8Array[] }) => raw.received.some((message) => message[0] === 0 && message[1] === 1)
    const sockets = await Promise.all(Array.from({ length: SYNC_BURST + 4 }, () => openRaw(`/collab/${server.resolutionId}?token=${erik}`)))
    const codes: number[] = []
    for (const raw of sockets) void raw.closed.then(({ code }) => codes.push(code))
    for (const { socket } of sockets) socket.send(request)
    await eventually(() => expect(sockets.filter(answered).length + codes.length).toBe(SYNC_BURST + 4))
    // A second may pass while the burst is answered, and refill one answer.
    expect(sockets.filter(answered).length).toBeGreaterThanOrEqual(SYNC_BURST)
    expect(sockets.filter(answered).length).toBeLessThanOrEqual(SYNC_BURST + 1)
    expect(codes.length).toBeGreaterThanOrEqual(3)
    expect(new Set(codes)).toEqual(new Set([CloseCode.AskedTooOften]))
    // Someone else is answered meanwhile, and the person again once the budget refills.
    const other = await openRaw(`/collab/${server.resolutionId}?token=${kwame}`)
    other.socket.send(request)
    await eventually(() => expect(answered(other)).toBe(true))
    await sleep(SYNC_REFILL_MS + 100)
    const later = await openRaw(`/collab/${server.resolutionId}?token=${erik}`)
    later.socket.send(request)
    await eventually(() => expect(answered(later)).toBe(true))
    for (const { socket } of [...sockets, other, later]) socket.close()
  })

  for (const [what, frame] of badFrames) {
    it(`closes only the connection that sends ${what}, with 4400 and a reason`, async () => {
      const bystander = connectClient(server.wsUrl, server.resolutionId, kwame)
      await bystander.synced
      const before = paragraphs(bystander.doc)
      const { socket, closed } = await openRaw(`/collab/${server.resolutionId}?token=${claire}`)
      socket.send(frame())
      const { code, reason } = await closed
      expect(code).toBe(CloseCode.BadMessage)
      expect(reason.length).toBeGreaterThan(0)

      const writer = connectClient(server.wsUrl, server.resolutionId, claire)
      await writer.synced
      expect(paragraphs(writer.doc)).toEqual(before)
      typeInto(writer.doc, 5, 0, `after ${what} `)
      await eventually(() => expect(paragraphs(bystander.doc)[5]).toContain(`after ${what} `))
      expect(bystander.provider.wsconnected).toBe(true)
      writer.destroy()
      bystander.destroy()
    })
  }

  it('names the problem in the close reason', async () => {
    const { socket, closed } = await openRaw(`/collab/${server.resolutionId}?token=${claire}`)
    const doc = new Y.Doc()
    doc.getMap('metadata').set('title', 'hijacked')
    socket.send(syncUpdate(Y.encodeStateAsUpdate(doc)))
    expect((await closed).reason).toBe('the update changes "metadata"; only "body" may change')
    await sleep(10)
  })
})
