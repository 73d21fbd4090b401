import net from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BLOCK_ID, newBlockId } from '@hemicycle/schema'
import { connectClient, eventually, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'

/**
 * A socket whose other end went away without closing it (a laptop lid shut,
 * a changed network) is ended by the server's heartbeat, and the person's
 * presence with it; a socket that answers is never ended.
 */
const HEARTBEAT_MS = 200
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', HEARTBEAT_MS: String(HEARTBEAT_MS) })
})
afterAll(async () => {
  await server?.close()
})

/** A client socket that answers pings while `network.up`, as a browser does until its network vanishes. */
function socketOn(network: { up: boolean }) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { autoPong: false })
      this.on('ping', (data: Buffer) => {
        if (network.up) this.pong(data)
      })
    }
  }
}

it('ends a socket that stopped answering, so its person no longer shows as present', async () => {
  const network = { up: true }
  const doc = new Y.Doc()
  const gone = new WebsocketProvider(`${server.wsUrl}/collab`, server.resolutionId, doc, {
    WebSocketPolyfill: socketOn(network) as unknown as typeof globalThis.WebSocket,
    params: { token: await server.login('claire') },
    disableBc: true,
    connect: true,
  })
  const closes: number[] = []
  gone.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  try {
    await observer.synced
    gone.awareness.setLocalStateField('user', { name: 'Claire' })
    await eventually(() => expect(observer.provider.awareness.getStates().get(doc.clientID)?.user?.name).toBe('Claire Martin'))
    // Answering, it stays through several periods.
    await sleep(HEARTBEAT_MS * 4)
    expect(closes).toEqual([])

    network.up = false
    const vanished = Date.now()
    await eventually(() => expect(observer.provider.awareness.getStates().has(doc.clientID)).toBe(false), { timeout: HEARTBEAT_MS * 10 })
    // Within two periods (and the time a removal takes to travel).
    expect(Date.now() - vanished).toBeLessThan(HEARTBEAT_MS * 2 + 300)
    expect(closes[0]).toBe(1006)
  } finally {
    gone.destroy()
    doc.destroy()
    observer.destroy()
  }
})

it('never ends a stock client that answers, while it is idle or typing', async () => {
  const client = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
  try {
    await client.synced
    await sleep(HEARTBEAT_MS * 5)
    for (let i = 0; i < 20; i++) {
      typeInto(client.doc, 0, 0, 'x')
      await sleep(HEARTBEAT_MS / 4)
    }
    await client.saved()
    expect(closes).toEqual([])
  } finally {
    client.destroy()
  }
})

/** A TCP proxy to the server whose uplink (client to server) carries `rate` bytes a second, in slices every 20 ms. */
function slowUplink(port: number, rate: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>()
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1')
    sockets.add(client).add(upstream)
    upstream.pipe(client)
    const queue: Buffer[] = []
    client.on('data', (chunk: Buffer) => queue.push(chunk))
    const timer = setInterval(() => {
      let budget = (rate * 20) / 1000
      while (budget > 0 && queue.length > 0) {
        const head = queue[0]!
        const slice = head.subarray(0, budget)
        upstream.write(slice)
        budget -= slice.length
        if (slice.length === head.length) queue.shift()
        else queue[0] = head.subarray(slice.length)
      }
    }, 20)
    const end = () => {
      clearInterval(timer)
      client.destroy()
      upstream.destroy()
    }
    for (const socket of [client, upstream]) socket.on('close', end).on('error', end)
  })
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () =>
      resolve({
        port: (proxy.address() as net.AddressInfo).port,
        close() {
          for (const socket of sockets) socket.destroy()
          proxy.close()
        },
      }),
    ),
  )
}

it('never ends a client sending a change larger than its link carries in a period: its pong waits behind the change', async () => {
  const link = await slowUplink(Number(new URL(server.url).port), 100_000)
  const writer = connectClient(`ws://127.0.0.1:${link.port}`, server.resolutionId, await server.login('claire'))
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  const closes: number[] = []
  writer.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
  try {
    await Promise.all([writer.synced, observer.synced])
    // 400 KB up a 100 KB/s link: 4 s, 20 periods (with 30 s periods: 1 MiB, the largest message, over a 280 kbit/s uplink).
    // One change of 50 new paragraphs of 8,000 characters: a paragraph holds at most MAX_BLOCK_TEXT.
    writer.doc.transact(() => {
      const added = Array.from({ length: 50 }, () => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.setAttribute(BLOCK_ID, newBlockId())
        paragraph.insert(0, [new Y.XmlText('y'.repeat(8_000))])
        return paragraph
      })
      writer.doc.getXmlFragment('body').insert(0, added)
    })
    await eventually(() => expect(observer.doc.getXmlFragment('body').toString()).toContain('y'.repeat(1000)), { timeout: 15_000 })
    expect(closes).toEqual([])
  } finally {
    writer.destroy()
    observer.destroy()
    link.close()
  }
}, 30_000)
