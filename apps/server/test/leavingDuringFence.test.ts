import * as decoding from 'lib0/decoding'
import { expect, it } from 'vitest'
import { Kind } from '../src/collab/extensions/sharing.ts'
import { InProcessFanout } from '../src/collab/fanout.ts'
import { connectClient, eventually, memoryDatabase, startTestServer } from './harness.ts'
import { LateBus } from './lateBus.ts'

/** A message of `sharing.ts` saying "Leaving": it reaches the others late (its unsubscribe does not wait). */
function leaving(message: Uint8Array): boolean {
  const decoder = decoding.createDecoder(message)
  decoding.readVarString(decoder)
  return decoding.readVarUint(decoder) === Kind.Leaving
}

it('an instance that let the document go before a stage change, whose "Leaving" arrives during the fence: the move is made, nobody else holding the document', async () => {
  const shared = await memoryDatabase()
  const bus = new InProcessFanout()
  const env = { LOG_LEVEL: 'silent', UNLOAD_AFTER_MS: '100', FENCE_TIMEOUT_MS: '1500' }
  const one = await startTestServer(env, { db: shared, fanout: bus })
  const two = await startTestServer(env, { db: shared, fanout: new LateBus(bus, 300, leaving) })
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
