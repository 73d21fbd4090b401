import * as decoding from 'lib0/decoding'
import { expect, it } from 'vitest'
import { type Fanout, InProcessFanout, type Subscription } from '../src/collab/fanout.ts'
import { connectClient, eventually, memoryDatabase, startTestServer } from './harness.ts'

/** One instance's view of a shared bus whose "Leaving" (kind 8) reaches the others `delayMs` late (its unsubscribe does not wait). */
class LateLeaving implements Fanout {
  constructor(private readonly bus: InProcessFanout, private readonly delayMs: number) {}
  publish(channel: string, message: Uint8Array): void {
    void this.publishCounted(channel, message)
  }
  publishCounted(channel: string, message: Uint8Array): Promise<number> {
    if (channel.startsWith('hemicycle:doc:')) {
      const decoder = decoding.createDecoder(message)
      decoding.readVarString(decoder)
      if (decoding.readVarUint(decoder) === 8) return new Promise((resolve) => setTimeout(() => resolve(this.bus.publishCounted(channel, message)), this.delayMs))
    }
    return this.bus.publishCounted(channel, message)
  }
  listeners(channel: string): number {
    return this.bus.listeners(channel)
  }
  subscribe(channel: string, handler: (message: Uint8Array) => void): Subscription {
    return this.bus.subscribe(channel, handler)
  }
  onStatus(): () => void {
    return () => {}
  }
  claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.bus.claim(key, holder, ttlMs)
  }
  unclaim(key: string, holder: string): Promise<void> {
    return this.bus.unclaim(key, holder)
  }
  async close(): Promise<void> {}
}

it('an instance that let the document go before a stage change, whose "Leaving" arrives during the fence: the move is made, nobody else holding the document', async () => {
  const shared = await memoryDatabase()
  const bus = new InProcessFanout()
  const env = { LOG_LEVEL: 'silent', UNLOAD_AFTER_MS: '100', FENCE_TIMEOUT_MS: '1500' }
  const one = await startTestServer(env, { db: shared, fanout: bus })
  const two = await startTestServer(env, { db: shared, fanout: new LateLeaving(bus, 300) })
  const id = one.resolutionId
  const claire = connectClient(one.wsUrl, id, await one.login('claire'))
  const mateo = connectClient(two.wsUrl, id, await two.login('mateo'))
  try {
    await Promise.all([claire.synced, mateo.synced])
    mateo.destroy()
    // Instance two unloads the document and leaves the channel; its "Leaving" is still on the way.
    await eventually(() => expect(two.hemicycle.services.collab.peek(id)).toBeUndefined(), { interval: 5 })
    const secretariat = await one.login('secretariat')
    const moved = await one.api(`/api/resolutions/${id}/stage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }),
      token: secretariat,
    })
    // "Leaving" reached instance one 300 ms into its fence: nobody is left to wait for.
    expect(moved.status).toBe(200)
  } finally {
    claire.destroy()
    await one.close()
    await two.close()
    await shared.close()
  }
}, 30_000)
