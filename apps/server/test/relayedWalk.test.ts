import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, freshPostgresUrl, openRaw, sleep, syncMessage } from './harness.ts'
import { killHard, type ServerProcess, Sessions, spawnServer, wsUrl } from './processes.ts'
import { chain, deletedItems, neighboursIn } from './rivalChain.ts'

/**
 * A hostile review of the walk limits (`conflictWalk.ts`) across instances:
 * each instance counted the walks of what its own connections sent, on its
 * own copy. A chain of 70,000 deleted items went to A; while A checked it,
 * 256 rivals enclosing the same place went to B, which had no chain and
 * took them; over Redis, A then placed each rival after walking the whole
 * chain, in its live copy and again in its shadow: A's event loop held
 * 11 s for one 3.6 KB frame, 29 s for three. Two server processes, a real
 * Redis and a real PostgreSQL on loopback.
 */
let a: ServerProcess
let b: ServerProcess
let id: string
const clients: Client[] = []
const sessions = new Sessions()
const token = (username: string) => sessions.token(username, a)
async function reader(server: ServerProcess): Promise<Client> {
  const client = connectClient(wsUrl(server), id, await token('tomas'))
  clients.push(client)
  await client.synced
  return client
}

/** The longest a server took to answer, asked every 20 ms, until `stop` resolves. */
async function longestAnswer(server: ServerProcess, stop: Promise<unknown>): Promise<number> {
  let stopped = false
  void stop.then(() => (stopped = true))
  let longest = 0
  while (!stopped) {
    const started = performance.now()
    await fetch(`${server.url}/api/health`).catch(() => {})
    longest = Math.max(longest, performance.now() - started)
    await sleep(20)
  }
  return longest
}

beforeAll(async () => {
  const env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: inject('redisUrl'), PERSIST_INTERVAL_MS: '50', LOG_LEVEL: 'error' }
  a = await spawnServer(env)
  b = await spawnServer(env)
  const [draft] = (await (await fetch(`${a.url}/api/resolutions`, { headers: { authorization: `Bearer ${await token('secretariat')}` } })).json()) as Array<{ id: string }>
  id = draft!.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
})

it('a change another instance took, that would walk a chain only this copy holds, stalls nothing: this copy is read again from storage, and all converge', { timeout: 120_000 }, async () => {
  const [onA, onB] = [await reader(a), await reader(b)]
  const closedOnA: number[] = []
  onA.provider.on('connection-close', (event: { code: number } | null) => closedOnA.push(event?.code ?? 0))
  const { X, R } = neighboursIn(onB.doc, 1)
  const [c1, c2, c3] = [1001, 1002, 2 ** 31 - 5]
  const chainFrame = deletedItems(chain(X, R, 70_000, [c1, c2]).byClient)
  const rivalFrame = deletedItems(new Map([[c3, Array.from({ length: 256 }, () => ({ origin: X, right: R }))]]))
  const [rawA, rawB] = [await openRaw(wsUrl(a), `/collab/${id}?token=${await token('claire')}`), await openRaw(wsUrl(b), `/collab/${id}?token=${await token('julien')}`)]
  await sleep(300)

  let settle: () => void = () => {}
  const settled = new Promise<void>((resolve) => (settle = resolve))
  const answeringA = longestAnswer(a, settled)
  // The chain to A; the rivals to B while A still checks the chain (877 KB), before it reaches B.
  rawA.socket.send(syncMessage(chainFrame))
  await sleep(50)
  rawB.socket.send(syncMessage(rivalFrame))

  // B took the rivals (no chain there yet), then the chain from A: its reader holds both.
  await eventually(() => expect([Y.getState(onB.doc.store, c3), Y.getState(onB.doc.store, c2)]).toEqual([256, 35_000]), { timeout: 60_000 })
  // A read the text again from storage rather than walk, and told its reader, whose copy holds the chain, to open it
  // afresh (4410; placing the rivals there would hold the reader as long): a newcomer there holds both.
  await eventually(() => expect(closedOnA).toEqual([CloseCode.Diverged]), { timeout: 60_000 })
  expect(Y.getState(onA.doc.store, c3)).toBe(0)
  const newcomer = await reader(a)
  expect(Y.encodeStateVector(newcomer.doc)).toEqual(Y.encodeStateVector(onB.doc))
  expect(newcomer.doc.getXmlFragment('body').toString()).toBe(onB.doc.getXmlFragment('body').toString())
  settle()
  // A said why it read the text again; B, which took both in the order that walks little, had nothing to say.
  expect(a.output()).toContain('would walk too far among rival items here')
  expect(b.output()).not.toContain('"level":"error"')
  // Checking and applying the 877 KB chain takes A a moment; placing the rivals after it took 11 s, and loading the rows
  // as stored (the chain first) 6 s.
  expect(await answeringA).toBeLessThan(3000)
})

it('charges a person, on every instance, for what they brought into the text through another: one share in all, not one an instance', { timeout: 120_000 }, async () => {
  const [onA, onB] = [await reader(a), await reader(b)]
  const { X } = neighboursIn(onB.doc, 2)
  /**
   * A chain of `length` deleted items from claire's hand-written client on `server`, between the characters `at` and
   * `at` + 1 after X (a place of its own: another chain there would be walked): how its socket ended, or null if open.
   */
  const bring = async (server: ServerProcess, at: number, clients: [number, number], length: number) => {
    const raw = await openRaw(wsUrl(server), `/collab/${id}?token=${await token('claire')}`)
    await sleep(200)
    raw.socket.send(syncMessage(deletedItems(chain([X[0], X[1] + at], [X[0], X[1] + at + 1], length, clients).byClient)))
    const closed = await Promise.race([raw.closed, sleep(3000).then(() => null)])
    raw.socket.close()
    return closed
  }
  expect(await bring(a, 0, [3_000_011, 3_000_012], 49_000)).toBeNull()
  expect(await bring(a, 1, [3_000_013, 3_000_014], 49_000)).toBeNull()
  await eventually(() => expect(Y.getState(onB.doc.store, 3_000_014)).toBe(24_500), { timeout: 30_000 })
  // B heard 98,000 of hers: 49,000 more would pass the 100,000 one person may bring.
  expect(await bring(b, 2, [3_000_021, 3_000_022], 49_000)).toEqual({ code: CloseCode.BadMessage, reason: expect.stringMatching(/one person may bring at most 100000/) })
  expect(Y.getState(onA.doc.store, 3_000_022)).toBe(0)
})
