import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody, textHash } from '../src/resolutions/documents.ts'
import { startBalancer, type Balancer } from './balancer.ts'
import { type Client, connectClient, eventually, freshPostgresUrl, openRaw, paragraphs, sleep, slowSending, syncMessage, typeInto } from './harness.ts'
import { apiOf, killHard, type ServerProcess, Sessions, spawnServer, wsUrl } from './processes.ts'
import { listen } from './sse.ts'
import { readBody } from '@hemicycle/schema'

/**
 * Two server processes behind one address, sharing a real PostgreSQL and a
 * real Redis on loopback, with stock y-websocket clients on both.
 */
let env: Record<string, string>
let a: ServerProcess
let b: ServerProcess
let db: Database
let id: string
const clients: Client[] = []
/** Sessions live in the database: a token from one instance is good on the other. */
const sessions = new Sessions()
const token = (username: string) => sessions.token(username, a)
function join(server: { url: string }, username: string, doc?: Y.Doc): Promise<Client> {
  return token(username).then((t) => {
    const client = connectClient(wsUrl(server), id, t, {}, doc)
    clients.push(client)
    return client.synced.then(() => client)
  })
}

const call = (server: ServerProcess, path: string, as: string, body?: unknown) => apiOf(server, sessions).call(path, as, body)

/** The text as the database holds it: snapshot and log, whatever any instance holds in memory. */
const stored = async () => {
  const body = await storedBody(db, id)
  const out: string[] = []
  body.forEach((node) => out.push(node.textContent))
  return { body, paragraphs: out }
}

beforeAll(async () => {
  env = { DATABASE_URL: await freshPostgresUrl(), REDIS_URL: inject('redisUrl'), PERSIST_INTERVAL_MS: '50', UNLOAD_AFTER_MS: '2000', TAKE_OVER_AFTER_MS: '1000', COMPOSER_CLAIM_MS: '1500' }
  // One after the other: the first creates the schema and the demo.
  a = await spawnServer(env)
  b = await spawnServer(env)
  db = await openDatabase({ url: env['DATABASE_URL']!, dataDir: '' })
  const [draft] = (await (await call(a, '/api/resolutions', 'secretariat')).json()) as Array<{ id: string }>
  id = draft!.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all([a && killHard(a), b && killHard(b)])
  await db?.close()
})

describe('two instances over Redis and PostgreSQL', () => {
  it('lets clients split across the instances converge, and stores what each typed', async () => {
    const onA = await Promise.all(['claire', 'lucia', 'kwame'].map((name) => join(a, name)))
    const onB = await Promise.all(['julien', 'erik', 'aisyah'].map((name) => join(b, name)))
    const everyone = [...onA, ...onB]
    const markers: string[] = []
    for (let round = 0; round < 15; round++) {
      everyone.forEach((client, index) => {
        const marker = `⟨${index}.${round}⟩`
        markers.push(marker)
        typeInto(client.doc, (index + round) % 4, 0, marker)
      })
      await sleep(5)
    }
    await eventually(() => {
      const text = paragraphs(everyone[0]!.doc)
      for (const client of everyone) expect(paragraphs(client.doc)).toEqual(text)
    }, { timeout: 15_000 })
    await Promise.all(everyone.map((client) => client.saved()))
    const text = (await stored()).paragraphs.join('\n')
    for (const marker of markers) expect(text).toContain(marker)
    expect((await stored()).paragraphs).toEqual(paragraphs(everyone[0]!.doc))
  })

  it('passes presence, live events and client-id owners between instances', async () => {
    const [claire, kwame] = [await join(a, 'claire'), await join(b, 'kwame')]
    claire.provider.awareness.setLocalStateField('user', { name: 'Someone else' })
    await eventually(() => expect((kwame.provider.awareness.getStates().get(claire.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name).toBe('Claire Martin'))

    // Claire's id, owned on A, is hers on B too: Kwame cannot write under it there.
    typeInto(claire.doc, 2, 0, 'Claire, stored. ')
    await claire.saved()
    await eventually(() => expect(paragraphs(kwame.doc)[2]).toContain('Claire, stored. '))
    const forger = new Y.Doc()
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(kwame.doc))
    const since = Y.encodeStateVector(forger)
    forger.clientID = claire.doc.clientID
    typeInto(forger, 2, 0, 'FORGED ')
    const raw = await openRaw(wsUrl(b), `/collab/${id}?token=${await token('kwame')}`)
    raw.socket.send(syncMessage(Y.encodeStateAsUpdate(forger, since)))
    expect(await raw.closed).toEqual({ code: 4400, reason: expect.stringMatching(/belongs to another person/) })

    // An amendment event made on A reaches a stream on B.
    const stream = await listen(`${b.url}/api/resolutions/${id}/events`, await token('kwame'))
    const moved = await call(a, `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })
    expect(moved.status).toBe(200)
    await eventually(() => expect(stream.events).toContainEqual(expect.objectContaining({ type: 'stage' })))
    // The stage reached B's live document before A answered: Kwame is read-only there now.
    await eventually(() => expect(kwame.denials.length).toBeGreaterThan(0))
    stream.close()
    expect(await stored().then((text) => text.paragraphs.join('\n'))).not.toContain('FORGED')
  })

  it('shows at once, to people on both instances, a tab that comes back on the other one', async () => {
    // The balancer sends each new socket to the first port of this list that accepts: reversed, the tab's next socket lands on the other instance.
    const order = [a.port, b.port]
    const balancer = await startBalancer(order)
    try {
      const tab = await join(balancer, 'claire')
      const observers = [await join(a, 'lucia'), await join(b, 'kwame')]
      const client = tab.doc.clientID
      for (const person of [tab, ...observers]) person.provider.awareness.setLocalStateField('user', { name: 'someone' })
      for (const observer of observers) await eventually(() => expect(observer.provider.awareness.getStates().has(client)).toBe(true))
      const seesObservers = () => observers.every((observer) => tab.provider.awareness.getStates().has(observer.doc.clientID))
      await eventually(() => expect(seesObservers()).toBe(true))
      for (let move = 0; move < 2; move++) {
        order.reverse()
        tab.provider.disconnect()
        for (const observer of observers) await eventually(() => expect(observer.provider.awareness.getStates().has(client)).toBe(false))
        // Back with the clock its state was removed at: shown at once (`askToRenew`), not at its next renewal 15 s later.
        tab.provider.connect()
        for (const observer of observers) await eventually(() => expect(observer.provider.awareness.getStates().has(client)).toBe(true), { timeout: 2000 })
        // And the tab, which kept the clocks it heard the observers at, sees them again at once: they renew for it, on both instances.
        await eventually(() => expect(seesObservers()).toBe(true), { timeout: 2000 })
      }
    } finally {
      await balancer.close()
    }
  })

  it('closes, on instance B, the socket and event stream of a person whose role changed on instance A (4205, within a second); what reopens has the new rights', async () => {
    const hafiz = await token('hafiz')
    const socket = await openRaw(wsUrl(b), `/collab/${id}?token=${hafiz}`)
    const stream = await listen(`${b.url}/api/resolutions/${id}/events`, hafiz)
    await eventually(() => expect(stream.events[0]).toMatchObject({ type: 'rights', reason: expect.not.stringMatching(/^observer$/) }))
    const started = performance.now()
    const changed = await fetch(`${a.url}/api/people/person-hafiz`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await token('secretariat')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'observer' }),
    })
    expect(changed.status).toBe(200)
    const [closed] = await Promise.all([socket.closed, stream.ended])
    expect(closed.code).toBe(CloseCode.AccountChanged)
    expect(performance.now() - started).toBeLessThan(1000)
    const again = await listen(`${b.url}/api/resolutions/${id}/events`, hafiz)
    await eventually(() => expect(again.events[0]).toMatchObject({ type: 'rights', mayEdit: false, reason: 'observer' }))
    again.close()
  })

  it('while instance A locks, a chair typing on instance B all along: the stored text is the hashed text, 20 times out of 20', { timeout: 300_000 }, async () => {
    const [{ stage }] = await db.query<{ stage: string }>('select stage from resolutions where id = $1', [id]) as [{ stage: string }]
    if (stage === 'draft') expect((await call(a, `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
    expect((await call(a, `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)
    const lockMs: number[] = []
    for (let round = 0; round < 20; round++) {
      const ingrid = await join(b, 'ingrid')
      let typing = true
      let typed = 0
      const typist = (async () => {
        while (typing) {
          typeInto(ingrid.doc, round % 5, 0, `i${round}.${typed++} `)
          await sleep(1)
        }
      })()
      await sleep(20 + round * 3)
      const started = performance.now()
      const locked = await call(a, `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
      lockMs.push(performance.now() - started)
      expect(locked.status).toBe(200)
      await sleep(30)
      typing = false
      await typist
      const [row] = await db.query<{ locked_hash: string }>('select locked_hash from resolutions where id = $1', [id])
      const { body } = await stored()
      expect({ round, hash: textHash(body) }).toEqual({ round, hash: row!.locked_hash })
      // Both instances' live texts are the stored text: nothing typed after the lock was taken anywhere.
      for (const server of [a, b]) {
        const reader = await join(server, 'tomas')
        expect({ round, live: textHash(readBody(reader.doc)) }).toEqual({ round, live: row!.locked_hash })
        reader.destroy()
      }
      expect(ingrid.denials.length).toBeGreaterThan(0)
      expect((await call(a, `/api/resolutions/${id}/stage`, 'mateo', { to: 'consolidation', reason: `Round ${round}` })).status).toBe(200)
    }
    lockMs.sort((x, y) => x - y)
    console.info(`locking with two instances: median ${lockMs[10]!.toFixed(0)} ms, slowest ${lockMs[19]!.toFixed(0)} ms`)
  })

  // B had not loaded the text: it knows nobody's clock. B had: it holds their states, as the killed instance last told it.
  it.each([
    { b: 'had not loaded the text', watcher: null },
    { b: 'holds the text and their states, with someone on it', watcher: 'tomas' },
  ])('shows who is here at once, to everyone, when people whose instance was killed come back on an instance that $b', { timeout: 60_000 }, async ({ watcher }) => {
    const created = await call(a, '/api/resolutions', 'secretariat', { title: 'Presence after a crash', language: 'fr' })
    expect(created.status).toBe(201)
    const resolutionId = ((await created.json()) as { id: string }).id
    const doomed = await spawnServer(env)
    const balancer = await startBalancer([doomed.port, b.port])
    const people: Client[] = []
    try {
      if (watcher) {
        const person = connectClient(wsUrl(b), resolutionId, await token(watcher))
        people.push(person)
        await person.synced
        person.provider.awareness.setLocalStateField('user', { name: watcher })
      }
      for (const name of ['claire', 'lucia', 'kwame']) {
        // The last is far away: its presence reaches B after the others renewed for it, and B has never heard of its clock.
        const person = connectClient(wsUrl(balancer), resolutionId, await token(name), {}, new Y.Doc(), name === 'kwame' ? slowSending(300) : undefined)
        people.push(person)
        await person.synced
        person.provider.awareness.setLocalStateField('user', { name })
      }
      const seesTheOthers = (person: Client) => people.every((other) => other === person || !other.provider.wsconnected || person.provider.awareness.getStates().has(other.doc.clientID))
      const everyone = people.map(() => true)
      await eventually(() => expect(people.map(seesTheOthers)).toEqual(everyone))
      // Renewals leave together within a second: by now everyone holds everyone's latest clock.
      await sleep(1500)
      // One of them is offline as the instance dies, and comes back a while after the others, alone.
      const late = people.at(-1)!
      late.provider.disconnect()
      await killHard(doomed)
      // Each comes back on B with the clock it had, which the others still hold: y-protocols alone shows nobody for 15 s.
      const early = people.slice(0, -1)
      await eventually(() => expect(early.map((person) => person.provider.synced)).toEqual(early.map(() => true)), { timeout: 10_000 })
      await eventually(() => expect(early.map(seesTheOthers)).toEqual(early.map(() => true)), { timeout: 2000 })
      await sleep(1000)
      late.provider.connect()
      await eventually(() => expect(late.provider.synced).toBe(true), { timeout: 5000 })
      await eventually(() => expect(people.map(seesTheOthers)).toEqual(everyone), { timeout: 2000 })
    } finally {
      for (const person of people) person.destroy()
      await balancer.close()
      await killHard(doomed)
    }
  })

  it("composes a text's typing on the instance left when the one composing it is killed, letter and accent typed apart", { timeout: 60_000 }, async () => {
    const created = await call(a, '/api/resolutions', 'secretariat', { title: 'Composer killed', language: 'fr' })
    expect(created.status).toBe(201)
    const resolutionId = ((await created.json()) as { id: string }).id
    const doomed = await spawnServer(env)
    const people: Client[] = []
    try {
      // Opened on the doomed instance first: it claims the text and composes it.
      const claire = connectClient(wsUrl(doomed), resolutionId, await token('claire'))
      people.push(claire)
      await claire.synced
      const mateo = connectClient(wsUrl(b), resolutionId, await token('mateo'))
      people.push(mateo)
      await mateo.synced
      // Typed on B as a hand-written client types, the accent apart from its letter: composed on the doomed instance, once.
      typeInto(mateo.doc, 0, 0, 'Cafe\u0301 ')
      await eventually(() => expect(paragraphs(mateo.doc)[0]).toBe('Café '))
      await eventually(() => expect(paragraphs(claire.doc)[0]).toBe('Café '))
      await killHard(doomed)
      typeInto(mateo.doc, 0, 0, 'The\u0301 ')
      // B takes the claim once the dead one's runs out (1.5 s, renewed every 0.5 s), and composes what was typed meanwhile.
      await eventually(() => expect(paragraphs(mateo.doc)[0]).toBe('Thé Café '), { timeout: 10_000 })
      await mateo.saved()
      // The composition, B's own change, stored after the typing it composes.
      await eventually(async () => {
        const text: string[] = []
        ;(await storedBody(db, resolutionId)).forEach((node) => text.push(node.textContent))
        expect(text[0]).toBe('Thé Café ')
      })
    } finally {
      for (const person of people) person.destroy()
      await killHard(doomed)
    }
  })

  it('loses nothing acknowledged when instance A is killed: its clients reconnect to B through the balancer', { timeout: 120_000 }, async () => {
    const balancer: Balancer = await startBalancer([a.port, b.port])
    try {
      const writers = await Promise.all(['ingrid', 'secretariat'].map((name) => join(balancer, name)))
      const watcher = await join(b, 'tomas')
      // A writer relaying the other's changes that A never stored must not be shut out for it (a 44xx close is final for a stock client).
      const refusals: string[] = []
      for (const client of writers) client.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && event.code >= 4400 && refusals.push(event.reason))
      const acknowledged: string[] = []
      const typed: string[] = []
      for (let round = 0; round < 10; round++) {
        writers.forEach((client, index) => {
          const marker = `⟪${index}.${round}⟫`
          typed.push(marker)
          typeInto(client.doc, index, 0, marker)
        })
        if (round === 5) {
          await Promise.all(writers.map((client) => client.saved()))
          acknowledged.push(...typed)
        }
        await sleep(3)
      }
      await killHard(a)
      // Every acknowledged change is in the database already; the rest comes back with the clients.
      const text = (await stored()).paragraphs.join('\n')
      for (const marker of acknowledged) expect(text).toContain(marker)
      writers.forEach((client, index) => typeInto(client.doc, index, 0, `⟪after ${index}⟫`))
      // Both writers back on B, each after its own reconnection delay (a stock client waits up to 2.5 s between
      // attempts): waiting for one of them left the other's acknowledgement 5 s (saved's bound) after a late reconnect.
      await eventually(() => expect(paragraphs(watcher.doc).join('\n')).toMatch(/⟪after 0⟫[\s\S]*⟪after 1⟫/), { timeout: 20_000 })
      await Promise.all(writers.map((client) => client.saved()))
      const after = (await stored()).paragraphs.join('\n')
      for (const marker of [...typed, '⟪after 0⟫', '⟪after 1⟫']) expect(after).toContain(marker)
      expect(refusals).toEqual([])
      await eventually(() => expect(paragraphs(watcher.doc)).toEqual(paragraphs(writers[0]!.doc)))
    } finally {
      await balancer.close()
    }
  })
})
