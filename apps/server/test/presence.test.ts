import { CloseCode, MAX_AWARENESS_STATE_BYTES, MessageType } from '@hemicycle/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeAwareness } from '../src/collab/awarenessGuard.ts'
import { PRESENCE_RENEWAL_DELAY_MS, PRESENCE_ROUND_MS, PRESENCE_TO_ALL_MS } from '../src/collab/liveDocument.ts'
import { awarenessMessage, type Client, connectClient, eventually, openRaw, type RawSocket, sleep, startTestServer, syncRequestMessage, type TestServer } from './harness.ts'

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

  it('closes a socket that sends more than 64 new states in one message, though any number of others’ it leaves unread', async () => {
    const sender = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login('hafiz')}`)
    const others = [...observer.provider.awareness.getStates().keys()]
    // Others' entries, even with a state that is not JSON at all: left out unread.
    const unread = encoding.createEncoder()
    encoding.writeVarUint(unread, others.length * 50)
    for (let index = 0; index < others.length * 50; index++) {
      encoding.writeVarUint(unread, others[index % others.length]!)
      encoding.writeVarUint(unread, 1_000_000)
      encoding.writeVarString(unread, '{not json')
    }
    sender.socket.send(awarenessMessage(encoding.toUint8Array(unread)))
    await sleep(200)
    expect(sender.socket.readyState).toBe(sender.socket.OPEN)
    sender.socket.send(presence(Array.from({ length: 65 }, (_, index): [number, number, unknown] => [900_000 + index, 1, { user: { name: 'many' } }])))
    expect(await sender.closed).toEqual({ code: CloseCode.BadMessage, reason: 'presence: an awareness update holds at most 64 new states' })
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

/** The client ids an awareness message the server sent names, or null for any other message. */
function presenceClients(message: Uint8Array): number[] | null {
  const decoder = decoding.createDecoder(message)
  if (decoding.readVarUint(decoder) !== MessageType.Awareness) return null
  return decodeAwareness(decoding.readVarUint8Array(decoder)).map((entry) => entry.client)
}

describe('presence of many people', () => {
  it('lets a newcomer join a room of 70 people present, which a stock client answers with all 70 states', async () => {
    const token = await server.login('erik')
    const people = Array.from({ length: 70 }, () => connectClient(server.wsUrl, server.resolutionId, token))
    await Promise.all(people.map((person) => person.synced))
    for (const person of people) person.provider.awareness.setLocalStateField('user', { name: 'Erik' })
    await eventually(() => expect(observer.provider.awareness.getStates().size).toBeGreaterThanOrEqual(72))
    const newcomer = connectClient(server.wsUrl, server.resolutionId, await server.login('aisyah'))
    const closes: number[] = []
    newcomer.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
    await newcomer.synced
    newcomer.provider.awareness.setLocalStateField('user', { name: 'Aisyah' })
    await eventually(() => expect(newcomer.provider.awareness.getStates().size).toBeGreaterThanOrEqual(72))
    await eventually(() => expect(observer.provider.awareness.getStates().has(newcomer.doc.clientID)).toBe(true))
    await sleep(300)
    expect(closes).toEqual([])
    expect(newcomer.provider.wsconnected).toBe(true)
    newcomer.destroy()
    for (const person of people) person.destroy()
  })

  it(`sends renewals together, at most ${PRESENCE_RENEWAL_DELAY_MS} ms late, and a change at once, with them`, { timeout: 30_000 }, async () => {
    const listener = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login('tomas')}`)
    const token = await server.login('julien')
    const people = Array.from({ length: 12 }, () => connectClient(server.wsUrl, server.resolutionId, token))
    await Promise.all(people.map((person) => person.synced))
    // A stock client's first state (clock 0) is one y-protocols does not pass on; a caret's first position is its second.
    for (const person of people) person.provider.awareness.setLocalStateField('user', { name: 'Julien' })
    const ids = people.map((person) => person.doc.clientID)
    const heard = () => listener.received.flatMap((message) => presenceClients(message) ?? [])
    await eventually(() => expect(heard()).toEqual(expect.arrayContaining(ids)))
    // Renewals go to everyone no more often than that (sooner, only to a tab back that asked for them).
    await sleep(PRESENCE_TO_ALL_MS + 200)

    // Renewals: each person but the last sends their unchanged state again, 30 ms apart.
    const renewing = people.slice(0, -1)
    listener.received.length = 0
    const arrivals: number[] = []
    listener.socket.on('message', (data: Buffer) => {
      if (presenceClients(new Uint8Array(data))) arrivals.push(performance.now())
    })
    const started = performance.now()
    for (const person of renewing) {
      person.provider.awareness.setLocalState(person.provider.awareness.getLocalState())
      await sleep(30)
    }
    await eventually(() => expect(heard()).toEqual(expect.arrayContaining(ids.slice(0, -1))))
    const messages = listener.received.filter((message) => presenceClients(message))
    expect(messages.length).toBeLessThanOrEqual(2)
    expect(arrivals.at(-1)! - started).toBeLessThan(30 * renewing.length + PRESENCE_RENEWAL_DELAY_MS + 500)

    // A change does not wait for the renewals queued before it: they leave with it (the last person's is due).
    await sleep(PRESENCE_RENEWAL_DELAY_MS + 200)
    listener.received.length = 0
    arrivals.length = 0
    const changedAt = performance.now()
    people.at(-1)!.provider.awareness.setLocalState(people.at(-1)!.provider.awareness.getLocalState())
    people[0]!.provider.awareness.setLocalStateField('cursor', null)
    await eventually(() => expect(heard()).toEqual(expect.arrayContaining([ids[0], ids.at(-1)])))
    expect(arrivals[0]! - changedAt).toBeLessThan(PRESENCE_RENEWAL_DELAY_MS / 2)
    listener.socket.close()
    for (const person of people) person.destroy()
  })
})

/** A tab coming back has the document: its state vector is not empty. */
const returning = (() => {
  const doc = new Y.Doc()
  doc.getMap('x').set('y', 1)
  return doc
})()

/** The presence entries the messages a raw socket received carry. */
function presenceIn(received: readonly Uint8Array[]) {
  return received.flatMap((message) => {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) return []
    return decodeAwareness(decoding.readVarUint8Array(decoder))
  })
}

/** The ids whose removal the presence messages a raw socket received name: to a socket holding the id, a request to renew it. */
function removalsIn(received: readonly Uint8Array[]): number[] {
  return presenceIn(received).flatMap((entry) => (entry.state === null ? [entry.client] : []))
}

describe('renewals for people who come back', () => {
  it(`asks each connection to renew only its own presence, at most every ${PRESENCE_ROUND_MS} ms however often someone connects`, async () => {
    const present = await Promise.all(['ingrid', 'tomas'].map(async (name) => openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login(name)}`)))
    const ids = [777_001, 777_002]
    present.forEach(({ socket }, index) => socket.send(presence([[ids[index]!, 5, { user: { name: 'x' } }]])))
    await eventually(() => expect(ids.map((id) => seen(id) !== undefined)).toEqual([true, true]))
    await sleep(PRESENCE_ROUND_MS + 100)
    for (const { received } of present) received.length = 0

    // Someone connects and leaves, again and again: 30 sockets.
    const token = await server.login('hafiz')
    const started = performance.now()
    for (let index = 0; index < 30; index++) {
      const { socket, closed } = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
      // As a tab coming back does: it asks for what it lacks beyond the document it has.
      socket.send(syncRequestMessage(returning))
      socket.close()
      await closed
    }
    const elapsed = performance.now() - started
    await sleep(PRESENCE_ROUND_MS + 100)
    const asked = present.map(({ received }) => removalsIn(received))
    // Neither hears of the other's removal: these raw sockets never renew, and both stay present.
    expect(asked.map((clients, index) => clients.filter((client) => client !== ids[index]))).toEqual([[], []])
    for (const clients of asked) {
      expect(clients.length).toBeGreaterThan(0)
      expect(clients.length).toBeLessThanOrEqual(Math.ceil((elapsed + PRESENCE_ROUND_MS + 100) / PRESENCE_ROUND_MS) + 1)
    }
    expect(ids.map((id) => seen(id) !== undefined)).toEqual([true, true])
    for (const { socket } of present) socket.close()
  })

  it('has nobody renew for a client that has nothing yet (a new tab never heard anyone), nor for a socket that says nothing', async () => {
    const present = await Promise.all(['ingrid', 'tomas'].map(async (name) => openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login(name)}`)))
    const ids = [778_001, 778_002]
    present.forEach(({ socket }, index) => socket.send(presence([[ids[index]!, 5, { user: { name: 'x' } }]])))
    await eventually(() => expect(ids.map((id) => seen(id) !== undefined)).toEqual([true, true]))
    await sleep(PRESENCE_ROUND_MS + 100)
    for (const { received } of present) received.length = 0

    // A meeting starts: people open the resolution in new tabs, whose clients hold no clocks of anyone.
    const token = await server.login('hafiz')
    const newcomers = Array.from({ length: 5 }, () => connectClient(server.wsUrl, server.resolutionId, token))
    await Promise.all(newcomers.map((newcomer) => newcomer.synced))
    for (const newcomer of newcomers) newcomer.provider.awareness.setLocalStateField('user', { name: 'Hafiz' })
    // And sockets that open and say nothing.
    for (let index = 0; index < 5; index++) {
      const { socket, closed } = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${token}`)
      await sleep(50)
      socket.close()
      await closed
    }
    await eventually(() => expect(newcomers.every((newcomer) => ids.every((id) => newcomer.provider.awareness.getStates().has(id)))).toBe(true))
    await sleep(PRESENCE_ROUND_MS + 100)
    expect(present.map(({ received }) => removalsIn(received))).toEqual([[], []])
    for (const newcomer of newcomers) newcomer.destroy()
    for (const { socket } of present) socket.close()
  })

  it('sends the renewals a round asks for to the tab that came back, not to everyone present, who hold those states already', async () => {
    const token = await server.login('ingrid')
    const people = Array.from({ length: 6 }, () => connectClient(server.wsUrl, server.resolutionId, token))
    await Promise.all(people.map((person) => person.synced))
    people.forEach((person, index) => person.provider.awareness.setLocalStateField('user', { name: `Ingrid ${index}` }))
    const ids = people.map((person) => person.doc.clientID)
    await eventually(() => expect(ids.every((id) => seen(id) !== undefined)).toBe(true))
    const bystander = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login('tomas')}`)
    bystander.socket.send(presence([[779_001, 5, { user: { name: 'x' } }]]))
    await eventually(() => expect(seen(779_001)).toBeDefined())
    // Past the renewals the arrivals themselves asked for (a tab's first state is renewed once, for all).
    await sleep(PRESENCE_RENEWAL_DELAY_MS + PRESENCE_ROUND_MS + 300)
    bystander.received.length = 0

    const back = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login('hafiz')}`)
    back.socket.send(syncRequestMessage(returning))
    const clocks = new Map(ids.map((id) => [id, server.hemicycle.services.collab.peek(server.resolutionId)!.awareness.meta.get(id)!.clock]))
    // The tab back hears everyone at a newer clock than the one it may hold: the round's answers.
    await eventually(() => {
      const heard = presenceIn(back.received).filter((entry) => entry.state && entry.clock > clocks.get(entry.client)!)
      expect(new Set(heard.map((entry) => entry.client))).toEqual(new Set(ids))
    })
    await sleep(PRESENCE_RENEWAL_DELAY_MS + 300)
    // The bystander, present all along, is sent none of them.
    expect(presenceIn(bystander.received).filter((entry) => ids.includes(entry.client))).toEqual([])
    back.socket.close()
    bystander.socket.close()
    for (const person of people) person.destroy()
  })

  it('lets nobody introduce, as a socket’s first presence, the id of someone present: neither another person nor the same person’s other socket', async () => {
    const id = victim.doc.clientID
    const live = server.hemicycle.services.collab.peek(server.resolutionId)!
    const holder = (live.gate.clients.owner(id) as { holder: unknown }).holder
    const clock = live.awareness.meta.get(id)!.clock
    const victimCloses: number[] = []
    victim.provider.on('connection-close', (event: { code: number } | null) => victimCloses.push(event?.code ?? 0))
    for (const name of ['kwame', 'claire']) {
      const forger = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${await server.login(name)}`)
      forger.socket.send(presence([[id, clock, { user: { name: 'Forged' } }]]))
      await sleep(200)
      forger.socket.send(presence([[id, clock + 1, { user: { name: 'Forged' } }]]))
      await sleep(200)
      // Not asked to renew it (it would be its own then), and the id is still the victim's connection's.
      expect(removalsIn(forger.received)).toEqual([])
      expect((live.gate.clients.owner(id) as { holder: unknown }).holder).toBe(holder)
      forger.socket.close()
    }
    expect(seen(id)?.user?.name).toBe('Claire Martin')
    expect(victimCloses).toEqual([])
  })
})
