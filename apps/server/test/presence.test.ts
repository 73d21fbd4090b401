import { MAX_AWARENESS_STATE_BYTES } from '@hemicycle/protocol'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awarenessMessage, type Client, connectClient, eventually, openRaw, type RawSocket, sleep, startTestServer, type TestServer } from './harness.ts'

/**
 * Presence (carets and names) as a hostile delegate might abuse it with a
 * raw socket: the server passes on only the states a connection may publish,
 * in a shape every browser can draw, small and not too often.
 */
let server: TestServer
let victim: Client
let observer: Client
let attacker: RawSocket
const ATTACKER_ID = 424242

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  victim = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  await Promise.all([victim.synced, observer.synced])
  victim.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  await eventually(() => expect(observer.provider.awareness.getStates().has(victim.doc.clientID)).toBe(true))
  attacker = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login('kwame')}`)
})
afterAll(async () => {
  attacker?.socket.close()
  victim?.destroy()
  observer?.destroy()
  await server?.close()
})

/** An awareness update as y-protocols writes it, with whatever the sender chooses to claim. */
function presence(entries: Array<[client: number, clock: number, state: unknown]>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return awarenessMessage(encoding.toUint8Array(encoder))
}

const seen = (client: number) => observer.provider.awareness.getStates().get(client) as { user?: { name: string }; cursor?: unknown } | undefined
const position = (clock: number) => ({ type: null, tname: null, item: { client: ATTACKER_ID, clock }, assoc: 0 })

describe('presence from a raw socket', () => {
  it('cannot take over or remove another person’s caret, even for a moment', async () => {
    // The victim's own client would put its state back; the others must never see it changed or gone.
    const victimAsSeen: unknown[] = []
    const watch = ({ updated, removed }: { updated: number[]; removed: number[] }) => {
      if (removed.includes(victim.doc.clientID)) victimAsSeen.push('removed')
      if (updated.includes(victim.doc.clientID)) victimAsSeen.push(seen(victim.doc.clientID)?.user?.name)
    }
    observer.provider.awareness.on('change', watch)
    attacker.socket.send(presence([[victim.doc.clientID, 10_000, { user: { name: 'Hijacked' }, cursor: null }]]))
    attacker.socket.send(presence([[victim.doc.clientID, 10_001, null]]))
    attacker.socket.send(presence([[ATTACKER_ID, 1, { cursor: null }]]))
    await eventually(() => expect(seen(ATTACKER_ID)?.user?.name).toBe('Kwame Mensah'))
    await sleep(200)
    observer.provider.awareness.off('change', watch)
    expect(victimAsSeen.filter((name) => name !== 'Claire Martin')).toEqual([])
    expect(seen(victim.doc.clientID)?.user?.name).toBe('Claire Martin')
  })

  it('passes on a caret only in the shape carets are drawn from', async () => {
    attacker.socket.send(presence([[ATTACKER_ID, 2, { cursor: {}, colour: 'x'.repeat(100), user: { name: 'Someone else' } }]]))
    await sleep(200)
    await eventually(() => expect(seen(ATTACKER_ID)).toEqual({ user: expect.objectContaining({ name: 'Kwame Mensah' }) }))
    attacker.socket.send(presence([[ATTACKER_ID, 3, { cursor: { anchor: position(1), head: position(2) } }]]))
    await eventually(() => expect(seen(ATTACKER_ID)?.cursor).toEqual({ anchor: position(1), head: position(2) }))
  })

  it(`drops a state larger than ${MAX_AWARENESS_STATE_BYTES} bytes`, async () => {
    attacker.socket.send(presence([[ATTACKER_ID, 4, { cursor: null, padding: 'x'.repeat(MAX_AWARENESS_STATE_BYTES * 4) }]]))
    await sleep(300)
    expect(seen(ATTACKER_ID)?.cursor).toEqual({ anchor: position(1), head: position(2) })
  })

  it('reaches the others at most every 50 ms, the latest state last', async () => {
    let changes = 0
    const count = ({ updated }: { updated: number[] }) => {
      if (updated.includes(ATTACKER_ID)) changes += 1
    }
    observer.provider.awareness.on('change', count)
    const started = performance.now()
    for (let clock = 10; clock < 210; clock++) attacker.socket.send(presence([[ATTACKER_ID, clock, { cursor: { anchor: position(clock), head: position(clock) } }]]))
    await eventually(() => expect((seen(ATTACKER_ID)?.cursor as { anchor: unknown }).anchor).toEqual(position(209)))
    const elapsed = performance.now() - started
    observer.provider.awareness.off('change', count)
    expect(changes).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2)
    expect(changes).toBeLessThan(50)
  })
})
