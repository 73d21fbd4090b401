import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY } from '../src/collab/updateGate.ts'
import { eventually, openRaw, type RawSocket, sleep, startTestServer, syncMessage, type TestServer } from './harness.ts'

/*
 * A text keeps every Yjs client id that ever wrote in it, and Yjs walks them all at every change: a hostile review's
 * delegate opened socket after socket, eight invisible ids each, and everyone's keystroke cost the server thirty
 * times more. One person may bring only so many new ids into a text a day, the count going on when the text unloads.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['claire', 'kwame']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

const live = () => server.hemicycle.services.collab.peek(server.resolutionId)

/** An update of one GC struct under each client: nothing on screen, an id more in the text. */
function idsOnly(clients: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, clients.length)
  for (const client of [...clients].sort((a, b) => b - a)) {
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, 0)
    encoding.writeUint8(encoder, 0)
    encoding.writeVarUint(encoder, 1)
  }
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}

const socketOf = (who: string): Promise<RawSocket> => openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${tokens[who]}`)

/** Writes under `clients` through a new socket of `who`'s; the close code and reason if the server closed it. */
async function write(who: string, clients: readonly number[]): Promise<{ code: number; reason: string } | null> {
  const raw = await socketOf(who)
  raw.socket.send(syncMessage(idsOnly(clients)))
  const outcome = await Promise.race([raw.closed, eventually(() => expect(Y.getState(live()!.doc.store, clients[0]!)).toBe(1), { timeout: 10_000, interval: 10 }).then(() => null)])
  raw.socket.close()
  return outcome
}

describe('client ids new to a text', () => {
  it('one person may write under so many a day, counted again from what was recorded once the text has unloaded; others are not held back', { timeout: 120_000 }, async () => {
    const first = 1_500_000_000 + Math.floor(Math.random() * 1_000_000)
    let next = first
    // All but eight of the day's ids, eight a socket, then the text unloads (nobody left) and loads again.
    for (let socket = 0; socket < MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY / 8 - 1; socket++) {
      expect(await write('claire', Array.from({ length: 8 }, () => next++))).toBeNull()
    }
    await eventually(() => expect(live()).toBeUndefined(), { timeout: 20_000 })
    expect(await write('claire', Array.from({ length: 8 }, () => next++))).toBeNull()
    const before = live()!.doc.store.clients.size
    const refused = await write('claire', [next++])
    expect(refused).toEqual({ code: 4400, reason: `the update was refused: one person may write under at most ${MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY} new Yjs client ids in a resolution a day` })
    await sleep(100)
    expect(live()!.doc.store.clients.size).toBe(before)
    expect(await write('kwame', [next++])).toBeNull()
  })
})
