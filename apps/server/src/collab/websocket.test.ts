import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { Socket } from './connection.ts'
import { websocketOf } from './websocket.ts'

interface Pair {
  server: WebSocket
  client: WebSocket
  received: Buffer[]
  /** TCP writes and writevs the server side made, and the bytes handed to write. */
  writes: { write: number; writev: number; bytes: number }
}

const servers: WebSocketServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** `count` real ws connections to one real ws server, the server side of each watched at its TCP socket. */
async function connect(count: number, options: { perMessageDeflate?: boolean } = {}): Promise<Pair[]> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: options.perMessageDeflate ?? false })
  servers.push(wss)
  await new Promise((resolve) => wss.once('listening', resolve))
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
  const pairs: Pair[] = []
  for (let index = 0; index < count; index++) {
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve))
    const client = new WebSocket(url, { perMessageDeflate: options.perMessageDeflate ?? false })
    const received: Buffer[] = []
    client.on('message', (data: Buffer) => received.push(Buffer.from(data)))
    await new Promise((resolve) => client.once('open', resolve))
    const server = await accepted
    const tcp = (server as unknown as { _socket: { write: (...args: unknown[]) => boolean; _writev: (...args: unknown[]) => void } })._socket
    const writes = { write: 0, writev: 0, bytes: 0 }
    const write = tcp.write.bind(tcp)
    tcp.write = (...args) => {
      writes.write += 1
      writes.bytes += (args[0] as Uint8Array).byteLength
      return write(...args)
    }
    const writev = tcp._writev.bind(tcp)
    tcp._writev = (...args) => {
      writes.writev += 1
      writev(...args)
    }
    pairs.push({ server, client, received, writes })
  }
  return pairs
}

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 256)

async function until(done: () => boolean): Promise<void> {
  for (let tries = 0; !done(); tries++) {
    if (tries > 500) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('websocketOf', () => {
  // Around each length boundary of the frame header (7-bit, 16-bit, 64-bit) and of sharing (64 KiB).
  const sizes = [0, 1, 125, 126, 127, 65_535, 65_536, 65_537, 200_000]

  it('delivers shared and plain messages, interleaved, byte for byte and in order to a stock ws client', async () => {
    const [pair] = await connect(1)
    const socket: Socket = websocketOf(pair!.server)
    const sent: Uint8Array[] = []
    for (const [index, size] of sizes.entries()) {
      const shared = bytes(size, index)
      const plain = bytes(size, index + 100)
      socket.sendShared(shared)
      socket.send(plain)
      sent.push(shared, plain)
    }
    await until(() => pair!.received.length === sent.length)
    expect(pair!.received.map((message) => Buffer.from(message).toString('hex'))).toEqual(sent.map((message) => Buffer.from(message).toString('hex')))
  })

  it('writes a shared message to each socket in one TCP write, the same bytes for all', async () => {
    const pairs = await connect(3)
    const message = bytes(300, 7)
    for (const pair of pairs) pair.writes = Object.assign(pair.writes, { write: 0, writev: 0, bytes: 0 })
    for (const pair of pairs) websocketOf(pair.server).sendShared(message)
    await until(() => pairs.every((pair) => pair.received.length === 1))
    for (const pair of pairs) {
      // A 4-byte header (16-bit length) and the message.
      expect(pair.writes).toEqual({ write: 1, writev: 0, bytes: 304 })
      expect(Buffer.from(pair.received[0]!).equals(Buffer.from(message))).toBe(true)
    }
    // ws itself writes a frame in two pieces: what sharing saves.
    for (const pair of pairs) websocketOf(pair.server).send(message)
    await until(() => pairs.every((pair) => pair.received.length === 2))
    expect(pairs[0]!.writes.writev).toBe(1)
  })

  it('leaves framing to ws when a compression extension was agreed, and the message still arrives', async () => {
    const [pair] = await connect(1, { perMessageDeflate: true })
    expect(pair!.server.extensions).toContain('permessage-deflate')
    const message = bytes(4000, 3)
    pair!.writes.bytes = 0
    websocketOf(pair!.server).sendShared(message)
    await until(() => pair!.received.length === 1)
    expect(Buffer.from(pair!.received[0]!).equals(Buffer.from(message))).toBe(true)
    // Compressed by ws: far fewer bytes than the message, which a raw frame would have carried whole.
    expect(pair!.writes.bytes).toBeGreaterThan(0)
    expect(pair!.writes.bytes).toBeLessThan(1000)
  })

  it('sends nothing after the socket started closing', async () => {
    const [pair] = await connect(1)
    const socket = websocketOf(pair!.server)
    const closed = new Promise<number>((resolve) => pair!.client.once('close', resolve))
    socket.close(1000, 'bye')
    const afterClose = { ...pair!.writes }
    socket.sendShared(bytes(10, 1))
    expect(pair!.writes).toEqual(afterClose)
    expect(await closed).toBe(1000)
    expect(pair!.received).toEqual([])
  })
})
