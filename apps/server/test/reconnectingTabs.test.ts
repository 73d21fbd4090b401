import { afterAll, beforeAll, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { awarenessMessage, connectClient, eventually, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'

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

it('keeps a tab’s id its own when the same person’s other tab sends back its state just after it left', async () => {
  const { tab1, tab2, observer } = await twoTabsAndAnObserver()
  try {
    const id2 = tab2.doc.clientID
    tab2.provider.awareness.setLocalStateField('user', { name: 'Claire' })
    await eventually(() => expect(tab1.provider.awareness.getStates().has(id2)).toBe(true))
    // What stock tab 1 sends back on hearing tab 2's state, reaching the server just after tab 2 left (within a round trip).
    const echo = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(tab1.provider.awareness, [id2]))
    const tab1Closes: number[] = []
    tab1.provider.on('connection-close', (event: { code: number } | null) => tab1Closes.push(event?.code ?? 0))
    tab2.provider.disconnect()
    await eventually(() => expect(observer.provider.awareness.getStates().has(id2)).toBe(false))
    ;(tab1.provider.ws as unknown as { send(data: Uint8Array): void }).send(echo)
    await sleep(100)
    tab2.provider.connect()
    await eventually(() => expect(tab2.provider.wsconnected).toBe(true))
    // Tab 2 shows again, and typing under its id closes nobody.
    await eventually(() => expect(observer.provider.awareness.getStates().has(id2)).toBe(true), { timeout: 3000 })
    typeInto(tab2.doc, 0, 0, 'x')
    await tab2.saved()
    await sleep(300)
    expect(tab1Closes).toEqual([])
  } finally {
    for (const client of [tab1, tab2, observer]) client.destroy()
  }
})
