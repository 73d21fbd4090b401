import { afterAll, beforeAll, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { awarenessMessage, type Client, connectClient, eventually, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'

/**
 * One person's tabs across reconnects: a tab that comes back on a new
 * socket is told what is saved of its changes, and keeps its presence and
 * its client id its own whatever the person's other tabs send back.
 */
let server: TestServer

beforeAll(async () => {
  // Writes a second apart: a tab can reconnect between a change and its storing.
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', PERSIST_INTERVAL_MS: '1000' })
})
afterAll(async () => {
  await server?.close()
})

/** Two tabs of Claire's and Lucía's, connected. */
async function twoTabsAndAnObserver() {
  const token = await server.login('claire')
  const tab1 = connectClient(server.wsUrl, server.resolutionId, token)
  const tab2 = connectClient(server.wsUrl, server.resolutionId, token)
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  await Promise.all([tab1.synced, tab2.synced, observer.synced])
  return { tab1, tab2, observer }
}

it('tells a tab that reconnected, while the server still holds its old socket, that what it typed is stored', async () => {
  const token = await server.login('claire')
  const doc = new Y.Doc()
  const before = connectClient(server.wsUrl, server.resolutionId, token, {}, doc)
  await before.synced
  typeInto(doc, 0, 0, 'kept ')
  await sleep(100)
  // The same tab on a new socket (its network changed); the server has not seen the old one close, and it holds the tab's id.
  const after = connectClient(server.wsUrl, server.resolutionId, token, {}, doc)
  try {
    await after.synced
    await before.saved()
    await after.saved()
  } finally {
    before.destroy()
    after.destroy()
  }
})

it('keeps a closed tab’s id and presence its own, though the same person’s other tab sends back its removal', async () => {
  const { tab1, tab2, observer } = await twoTabsAndAnObserver()
  const id1 = tab1.doc.clientID
  tab1.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  tab2.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  await eventually(() => expect(observer.provider.awareness.getStates().has(id1)).toBe(true))
  const tab2Closes: number[] = []
  tab2.provider.on('connection-close', (event: { code: number } | null) => tab2Closes.push(event?.code ?? 0))

  // Tab 1's socket closes: the server removes its presence; tab 2, a stock client, sends the removal back.
  tab1.provider.disconnect()
  await eventually(() => expect(observer.provider.awareness.getStates().has(id1)).toBe(false))
  await sleep(300)
  const live = server.hemicycle.services.collab.peek(server.resolutionId)!
  const holder = (live.gate.clients.owner(id1) as { holder: unknown }).holder
  tab1.provider.connect()
  await eventually(() => expect(tab1.provider.wsconnected).toBe(true))
  await eventually(() => expect(observer.provider.awareness.getStates().has(id1)).toBe(true))
  // Tab 1 types under its id: no other connection holds it, so nobody is closed for it.
  typeInto(tab1.doc, 0, 0, 'x')
  await tab1.saved()
  await sleep(300)
  expect({ holder, tab2Closes }).toEqual({ holder: null, tab2Closes: [] })
  for (const client of [tab1, tab2, observer]) client.destroy()
})

it('shows a tab that comes back after its socket dropped at once, not at its next renewal', async () => {
  const tab = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  try {
    await Promise.all([tab.synced, observer.synced])
    const id = tab.doc.clientID
    tab.provider.awareness.setLocalStateField('user', { name: 'Claire' })
    await eventually(() => expect(observer.provider.awareness.getStates().has(id)).toBe(true))
    tab.provider.disconnect()
    await eventually(() => expect(observer.provider.awareness.getStates().has(id)).toBe(false))
    // Back with the clock the server removed its state at: y-protocols alone would ignore it until the tab renews (15 s).
    tab.provider.connect()
    await eventually(() => expect(observer.provider.awareness.getStates().get(id)?.user?.name).toBe('Claire Martin'), { timeout: 2000 })
  } finally {
    tab.destroy()
    observer.destroy()
  }
})

it('shows a stock tab that comes back after its socket dropped who is here at once, not at their next renewal', async () => {
  const tab = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  const others = [connectClient(server.wsUrl, server.resolutionId, await server.login('lucia')), connectClient(server.wsUrl, server.resolutionId, await server.login('kwame'))]
  try {
    await Promise.all([tab, ...others].map((client) => client.synced))
    for (const client of [tab, ...others]) client.provider.awareness.setLocalStateField('user', { name: 'someone' })
    const names = () => [...tab.provider.awareness.getStates().entries()].filter(([client]) => client !== tab.doc.clientID).map(([, state]) => (state as { user?: { name: string } }).user?.name)
    await eventually(() => expect(names()).toEqual(expect.arrayContaining(['Lucía Fernández', 'Kwame Mensah'])))
    for (let drop = 0; drop < 3; drop++) {
      // A stock client forgets the others' states as its socket closes, but keeps the clocks it heard them at: the server's
      // list of who is here, at those clocks, is ignored. The others renew for it (within a renewal's delay, a second).
      tab.provider.disconnect()
      expect(names()).toEqual([])
      tab.provider.connect()
      await eventually(() => expect(names()).toEqual(expect.arrayContaining(['Lucía Fernández', 'Kwame Mensah'])), { timeout: 2000 })
      for (const other of others) await eventually(() => expect(other.provider.awareness.getStates().has(tab.doc.clientID)).toBe(true), { timeout: 2000 })
    }
  } finally {
    tab.destroy()
    for (const other of others) other.destroy()
  }
})

it('shows a stock client that never set a state of its own (its first state is at clock 0)', async () => {
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  const bare = connectClient(server.wsUrl, server.resolutionId, await server.login('claire'))
  try {
    await Promise.all([bare.synced, observer.synced])
    await eventually(() => expect(observer.provider.awareness.getStates().get(bare.doc.clientID)?.user?.name).toBe('Claire Martin'), { timeout: 2000 })
  } finally {
    bare.destroy()
    observer.destroy()
  }
})

/** The close codes `client`'s sockets get from now on. */
function closesOf(client: Client): number[] {
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
  return closes
}

/** `leaving` closes its socket, and `echoer`, a stock tab of the same person, sends back `leaving`'s state just after: its echo crosses the removal (within a round trip). */
async function echoCrossingRemoval(echoer: Client, leaving: Client, observer: Client) {
  const id = leaving.doc.clientID
  await eventually(() => expect(echoer.provider.awareness.getStates().has(id)).toBe(true))
  const echo = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(echoer.provider.awareness, [id]))
  leaving.provider.disconnect()
  await eventually(() => expect(observer.provider.awareness.getStates().has(id)).toBe(false))
  ;(echoer.provider.ws as unknown as { send(data: Uint8Array): void }).send(echo)
  await sleep(100)
}

/** `tab` comes back: it shows, and typing under its id closes no other connection (`otherCloses` stays empty). */
async function comesBackOwningItsId(tab: Client, observer: Client, otherCloses: number[]) {
  tab.provider.connect()
  await eventually(() => expect(tab.provider.wsconnected).toBe(true))
  await eventually(() => expect(observer.provider.awareness.getStates().has(tab.doc.clientID)).toBe(true), { timeout: 3000 })
  typeInto(tab.doc, 0, 0, 'x')
  await tab.saved()
  await sleep(300)
  expect(otherCloses).toEqual([])
}

it('keeps a tab’s id its own when the same person’s other tab sends back its state just after it left', async () => {
  const { tab1, tab2, observer } = await twoTabsAndAnObserver()
  try {
    tab2.provider.awareness.setLocalStateField('user', { name: 'Claire' })
    const tab1Closes = closesOf(tab1)
    await echoCrossingRemoval(tab1, tab2, observer)
    await comesBackOwningItsId(tab2, observer, tab1Closes)
  } finally {
    for (const client of [tab1, tab2, observer]) client.destroy()
  }
})

it('keeps a tab’s id its own when the echo crossing its removal comes from a tab back on a new socket, its old one still held', async () => {
  const token = await server.login('claire')
  const doc1 = new Y.Doc()
  const tab1Old = connectClient(server.wsUrl, server.resolutionId, token, {}, doc1)
  const tab2 = connectClient(server.wsUrl, server.resolutionId, token)
  const observer = connectClient(server.wsUrl, server.resolutionId, await server.login('lucia'))
  await Promise.all([tab1Old.synced, tab2.synced, observer.synced])
  tab1Old.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  tab2.provider.awareness.setLocalStateField('user', { name: 'Claire' })
  await eventually(() => expect(observer.provider.awareness.getStates().has(tab2.doc.clientID)).toBe(true))
  // Tab 1 is back on a new socket before the server saw the old one go: its own presence is refused for now, so it holds no id.
  const tab1 = connectClient(server.wsUrl, server.resolutionId, token, {}, doc1)
  const tab1Closes = closesOf(tab1)
  try {
    await tab1.synced
    await echoCrossingRemoval(tab1, tab2, observer)
    // The old socket goes, as the heartbeat ends it.
    tab1Old.provider.destroy()
    await comesBackOwningItsId(tab2, observer, tab1Closes)
  } finally {
    for (const client of [tab1, tab2, observer]) client.destroy()
  }
})
