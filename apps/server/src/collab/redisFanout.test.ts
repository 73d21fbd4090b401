import { randomUUID } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { type Fanout, InProcessFanout } from './fanout.ts'
import { RedisFanout } from './redisFanout.ts'

const REPLY_DELAY_MS = 1000

/**
 * A path to Redis whose answers come back `REPLY_DELAY_MS` late, in order,
 * while what the client sends goes through at once: as from an instance
 * whose event loop is busy, or far from Redis.
 */
async function slowAnswers(redisUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(redisUrl)
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    client.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => setTimeout(() => client.writable && client.write(chunk), REPLY_DELAY_MS))
    for (const socket of [client, upstream]) {
      socket.on('error', () => {})
      socket.on('close', () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

describe('the bus over Redis', () => {
  const opened: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((resource) => resource.close()))
  })

  it('publishes each message at once, in order, without waiting for Redis to answer the one before', async () => {
    const redisUrl = inject('redisUrl')
    const path = await slowAnswers(redisUrl)
    opened.push(path)
    const publisher = await RedisFanout.connect(path.url, () => {})
    const subscriber = await RedisFanout.connect(redisUrl, () => {})
    opened.push(publisher, subscriber)
    const arrivals: Array<{ text: string; at: number }> = []
    await subscriber.subscribe('hemicycle:doc:test', (message) => arrivals.push({ text: new TextDecoder().decode(message), at: performance.now() })).ready

    // One message per turn of the event loop, as changes arrive from people typing.
    const published = new Map<string, number>()
    for (let index = 0; index < 10; index++) {
      const text = `change ${index}`
      published.set(text, performance.now())
      publisher.publish('hemicycle:doc:test', new TextEncoder().encode(text))
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await new Promise((resolve) => setTimeout(resolve, REPLY_DELAY_MS * 2))

    expect(arrivals.map(({ text }) => text)).toEqual([...published.keys()])
    // Each reached the other side well before its predecessor's answer came back to the publisher.
    const delays = arrivals.map(({ text, at }) => at - published.get(text)!)
    expect(Math.max(...delays)).toBeLessThan(REPLY_DELAY_MS / 2)
  })
})

describe.each([
  { bus: 'over Redis', open: () => RedisFanout.connect(inject('redisUrl'), () => {}) },
  { bus: 'in one process', open: (() => {
    const shared = new InProcessFanout()
    return () => Promise.resolve(shared)
  })() },
])('a claim on the bus $bus', ({ open }) => {
  const opened: Fanout[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()))
  })
  const buses = (count: number) => Promise.all(Array.from({ length: count }, async () => opened[opened.push(await open()) - 1]!))

  it('has one holder at a time: renewed by it, taken by another only once it ran out or was let go', async () => {
    const [one, two] = await buses(2)
    const key = `hemicycle:composer:test-${randomUUID()}`
    expect(await one!.claim(key, 'one', 400)).toBe(true)
    expect(await two!.claim(key, 'two', 400)).toBe(false)
    await sleep(250)
    // Renewed: 500 ms after it was first taken, it still holds.
    expect(await one!.claim(key, 'one', 400)).toBe(true)
    await sleep(250)
    expect(await two!.claim(key, 'two', 400)).toBe(false)
    // Only its holder lets it go.
    await two!.unclaim(key, 'two')
    expect(await two!.claim(key, 'two', 400)).toBe(false)
    await sleep(450)
    expect(await two!.claim(key, 'two', 400)).toBe(true)
    await two!.unclaim(key, 'two')
    expect(await one!.claim(key, 'one', 400)).toBe(true)
  })

  it('goes to exactly one of many instances claiming it at once', async () => {
    const all = await buses(8)
    for (let round = 0; round < 20; round++) {
      const key = `hemicycle:composer:test-${randomUUID()}`
      const taken = await Promise.all(all.map((bus, index) => bus.claim(key, `instance-${index}`, 5000)))
      expect(taken.filter(Boolean)).toHaveLength(1)
    }
  })
})
