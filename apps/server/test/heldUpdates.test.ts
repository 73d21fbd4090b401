import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MessageType } from '@hemicycle/protocol'
import { type Client, connectClient, eventually, openRaw, paragraphs, sleep, startTestServer, syncMessage, type TestServer } from './harness.ts'
import { lateness } from './eventLoop.ts'
import { chain, deletedItems, neighboursIn, type ID } from './rivalChain.ts'

/*
 * Updates a client sends before answering the sync request, built on its own changes the answer brings, wait for it
 * (`Connection.early`); then they are handled as messages of their own, within the turn's count and the person's
 * budget. Handled all at once, a hostile review's 64 frames of 30 rival items each (31 KB) held the event loop 4.5–8 s.
 */
let server: TestServer
let token = ''
/** Someone with the text open, so it is loaded. */
let reader: Client

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  token = await server.login('claire')
  reader = connectClient(server.wsUrl, server.resolutionId, await server.login('kwame'))
  await reader.synced
})
afterAll(async () => {
  reader?.destroy()
  await server?.close()
})

const live = () => server.hemicycle.services.collab.peek(server.resolutionId)!

/** A sync step 2 (the answer to the server's sync request) carrying `update`. */
function syncAnswer(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A v1 update writing one GC struct (`length` clocks from `clock`) under each client. */
function gcUpdate(clients: ReadonlyArray<number>, clock = 0, length = 1): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, clients.length)
  for (const client of [...clients].sort((a, b) => b - a)) {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    encoding.writeUint8(e, 0)
    encoding.writeVarUint(e, length)
  }
  encoding.writeVarUint(e, 0)
  return encoding.toUint8Array(e)
}

/** `count` deleted items of `client` from `clock`, each after X with R on its right (rivals of a chain between X and R). */
function rivals(client: number, clock: number, count: number, X: ID, R: ID) {
  return deletedItems(new Map([[client, Array.from({ length: count }, () => ({ origin: X, right: R }))]]), new Map([[client, clock]]))
}

describe('updates held for the answer to the sync request', () => {
  it('are handled one message at a time once it comes: 64 small updates of rival items behind one that lacks its own change hold the event loop for no more than a moment', { timeout: 300_000 }, async () => {
    // 1. A chain of 4,900 deleted items between two neighbouring letters (admitted: it walks nothing).
    const { X, R } = neighboursIn(live().doc, 1)
    const base = 1_900_000_000 + Math.floor(Math.random() * 1_000_000)
    const c = chain(X, R, 4_900, [base, base + 1])
    const chainUpdate = deletedItems(c.byClient)
    const raw = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
    raw.socket.send(syncMessage(chainUpdate))
    await eventually(() => expect(Y.getState(live().doc.store, base)).toBe(2_450), { timeout: 20_000 })
    raw.socket.close()

    // 2. A new socket: 64 updates of 30 rivals each (186 bytes), the first built on a clock the answer brings.
    const me = base + 10
    const updates = Array.from({ length: 64 }, (_, index) => syncMessage(rivals(me, 1 + 30 * index, 30, X, R)))
    const text = paragraphs(live().doc).join('\n')
    const attacker = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
    for (const frame of updates) attacker.socket.send(frame)
    await sleep(300)
    expect(Y.getState(live().doc.store, me)).toBe(0)
    // 3. The answer to the sync request: one GC struct at clock 0 of its id. All 64 may enter now, each in its turn.
    let handledAt = 0
    const held = await lateness(async () => {
      attacker.socket.send(syncAnswer(gcUpdate([me])))
      await eventually(() => expect(Y.getState(live().doc.store, me)).toBe(1 + 30 * 64), { timeout: 120_000, interval: 5 })
      handledAt = performance.now()
    })
    attacker.socket.close()
    // Nothing visible changed: only deleted items.
    expect(paragraphs(live().doc).join('\n')).toBe(text)
    expect(handledAt).toBeGreaterThan(0)
    expect(held, 'the event loop was held in one go by one connection\'s held updates').toBeLessThan(1_000)
  })
})

