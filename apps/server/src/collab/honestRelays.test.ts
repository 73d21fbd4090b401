import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { ClientHolder } from './clientIds.ts'
import { clashingClient } from './divergence.ts'
import { editParagraphs, editText } from './honestEdits.ts'
import { UpdateGate } from './updateGate.ts'

/*
 * Between instances, a relayed change that says something other than this copy under ids it holds is a clash: both
 * copies are put away and read again (every tab reopens). It must be told exactly where the two copies would end
 * apart for good: a clash missed leaves two texts; one raised where they would meet is a needless reopen. Three honest
 * clients, each on either instance, collecting or not, over queues delivered in any order; relays one by one, merged,
 * or late; tabs sharing their whole state across instances; instances asking each other for what they miss. After
 * everything is delivered, the two copies read alike exactly when no clash was raised. (Modelled on a review's
 * two-instance test, 40,000 runs, which found both kinds with the rules of the time.) And, when none was, every
 * connected client reads as its instance (tabs closed with 4208 coming back): without the gate's waiting for the
 * deletions of others' content a reply makes (`Admission.awaiting`), 1 run in about 270 ended with a client showing
 * words deleted that the text kept.
 */

const holderOf = (personId: string): ClientHolder => ({ id: `${personId}-${Math.random()}`, personId, supersede() {} })
type Msg = { kind: 'step1'; sv: Uint8Array } | { kind: 'update'; update: Uint8Array }

interface Instance {
  doc: Y.Doc
  gate: UpdateGate
  /** What this instance published, on its way to the other. */
  outbox: Uint8Array[]
}

interface Client {
  doc: Y.Doc
  on: number | null
  holder: ClientHolder
  out: Array<{ update: Uint8Array; relayed: boolean }>
  inbox: Msg[]
  answered: boolean
  early: Uint8Array[]
  /** Deletions of content its instance lacked that its reply made (`Admission.awaiting`), as `Connection` waits for them. */
  awaited: Map<number, number>
  askedAgain: boolean
  /** Closed as waiting for others (4208): a stock client comes back. */
  comesBack: boolean
}

const who = fc.nat(2)
const edit = fc.record({ t: fc.constant('edit' as const), c: who, p: fc.nat(5), at: fc.nat(30), insert: fc.string({ maxLength: 5, unit: fc.constantFrom('a', 'é', '😀', '👍🏽', ' ') }), remove: fc.nat(4), fmt: fc.option(fc.constantFrom('bold', 'italic'), { nil: undefined }), fmtOff: fc.boolean(), fmtLen: fc.nat(5) })
const para = fc.record({ t: fc.constant('para' as const), c: who, at: fc.nat(5), remove: fc.boolean() })
const deliver = fc.record({ t: fc.constant('deliver' as const), c: who, n: fc.integer({ min: 1, max: 3 }) })
const receive = fc.record({ t: fc.constant('receive' as const), c: who, n: fc.integer({ min: 1, max: 3 }) })
const drop = fc.record({ t: fc.constant('drop' as const), c: who, deliverFirst: fc.nat(2) })
const connect = fc.record({ t: fc.constant('connect' as const), c: who, to: fc.nat(1) })
const tabs = fc.record({ t: fc.constant('tabs' as const), from: who, to: who })
const relay = fc.record({ t: fc.constant('relay' as const), to: fc.nat(1), n: fc.integer({ min: 1, max: 4 }), merged: fc.boolean() })
const ask = fc.record({ t: fc.constant('ask' as const), from: fc.nat(1) })
const lose = fc.record({ t: fc.constant('lose' as const), from: fc.nat(1) })
const heal = fc.record({ t: fc.constant('heal' as const) })
const step = fc.oneof({ arbitrary: edit, weight: 6 }, para, { arbitrary: deliver, weight: 4 }, { arbitrary: receive, weight: 4 }, drop, { arbitrary: connect, weight: 2 }, tabs, { arbitrary: relay, weight: 4 }, ask, lose, heal)
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never

interface Outcome {
  clashes: number
  apart: boolean
}

function run(steps: readonly Step[], gcs: readonly boolean[]): Outcome {
  const instances: Instance[] = [0, 1].map(() => {
    const doc = new Y.Doc({ gc: true })
    doc.getXmlFragment('body')
    return { doc, gate: new UpdateGate(doc), outbox: [] }
  })
  const clients: Client[] = [0, 1, 2].map((i) => {
    const doc = new Y.Doc({ gc: gcs[i] })
    doc.clientID = 100 + i
    return { doc, on: null, holder: holderOf(`p${i}`), out: [], inbox: [], answered: false, early: [], awaited: new Map(), askedAgain: false, comesBack: false }
  })
  const owners = new Map<number, string>()
  let clashes = 0
  /** The instance cut off from the bus, if one is: what either publishes meanwhile is lost, and it takes no connection. */
  let cutOff: number | null = null

  instances.forEach((instance, index) => {
    instance.doc.on('update', (update: Uint8Array, origin: unknown) => {
      for (const c of clients) if (c.on === index && origin !== c) c.inbox.push({ kind: 'update', update })
      // An instance publishes what its own connections brought; what it heard from the other is not sent back.
      if (origin !== 'relay') instance.outbox.push(update)
      // The instance asks again a client whose reply deleted content it now holds (`Connection.askAgainIfHeld`).
      for (const c of clients) {
        if (c.on !== index || c.awaited.size === 0) continue
        let held = false
        for (const [client, end] of c.awaited) if (Y.getState(instance.doc.store, client) >= end) held = c.awaited.delete(client)
        if (!held || c.askedAgain) continue
        c.askedAgain = true
        c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(instance.doc) })
      }
    })
  })
  clients.forEach((c) => {
    c.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote' && c.on !== null) c.out.push({ update, relayed: false })
    })
  })

  const disconnect = (c: Client) => {
    if (c.on !== null) instances[c.on]!.gate.clients.release(c.holder)
    Object.assign(c, { on: null, out: [], inbox: [], early: [], awaited: new Map(), askedAgain: false })
  }
  const admit = (c: Client, update: Uint8Array, relayed: boolean) => {
    const instance = instances[c.on!]!
    const result = instance.gate.admit(update, c.holder, { relayed })
    if (result.diverged) throw new Error(`a connection's honest update refused as diverged: ${result.refused}`)
    if (result.refused !== undefined) {
      if (result.ownLacking && !c.answered) return c.early.push(update)
      c.comesBack = result.othersLacking === true
      return disconnect(c)
    }
    if (relayed) c.askedAgain = false
    instance.gate.applyAdmitted(() => Y.applyUpdate(instance.doc, result.admitted, c))
    for (const [client, end] of result.awaiting ?? []) c.awaited.set(client, Math.max(end, c.awaited.get(client) ?? 0))
    if (result.waitsForOthers) {
      disconnect(c)
      c.comesBack = true
    }
    for (const struct of Y.decodeUpdate(result.admitted).structs) owners.set(struct.id.client, c.holder.personId)
  }
  const send = (c: Client, n: number) => {
    for (let k = 0; k < n && c.on !== null && c.out.length > 0; k++) {
      const { update, relayed } = c.out.shift()!
      if (relayed) c.answered = true
      admit(c, update, relayed)
      if (relayed && c.on !== null) for (const early of c.early.splice(0)) if (c.on !== null) admit(c, early, false)
    }
  }
  const take = (c: Client, n: number) => {
    for (let k = 0; k < n && c.on !== null && c.inbox.length > 0; k++) {
      const message = c.inbox.shift()!
      if (message.kind === 'update') Y.applyUpdate(c.doc, message.update, 'remote')
      // The reply to the instance's sync step 1: against the state vector it had when it asked.
      else c.out.push({ update: Y.encodeStateAsUpdate(c.doc, message.sv), relayed: true })
    }
  }
  const hear = (to: number, update: Uint8Array) => {
    const instance = instances[to]!
    for (const struct of Y.decodeUpdate(update).structs) {
      const owner = owners.get(struct.id.client)
      if (owner) instance.gate.clients.adopt(struct.id.client, `person:${owner}`)
    }
    if (clashingClient(instance.doc, update, undefined, { splitPairsAgree: false }) !== null) clashes++
    // Taken anyway: the test asks whether the copies would have ended apart.
    instance.gate.takeRelayed(update, () => Y.applyUpdate(instance.doc, update, 'relay'))
  }
  const relayTo = (to: number, n: number, merged: boolean) => {
    const outbox = instances[1 - to]!.outbox
    const batch = outbox.splice(0, n)
    if (batch.length === 0 || cutOff !== null) return
    if (merged) hear(to, Y.mergeUpdates(batch))
    else for (const update of batch) hear(to, update)
  }
  /**
   * An instance asks the other for what it misses (just loaded, back on the bus, or a gap): the other answers, then
   * sends its whole copy; the asker, on the answer, sends its own whole copy, before it hears the other's.
   */
  const exchange = (asker: number) => {
    const [mine, theirs] = [Y.encodeStateAsUpdate(instances[asker]!.doc), Y.encodeStateAsUpdate(instances[1 - asker]!.doc)]
    hear(asker, theirs)
    hear(1 - asker, mine)
  }
  /** What the other published while one was cut off reached it not; back, it asks for what it misses. */
  const backOnTheBus = () => {
    const back = cutOff!
    cutOff = null
    instances[1 - back]!.outbox.length = 0
    exchange(back)
  }
  const join = (c: Client, wanted: number) => {
    const to = cutOff === wanted ? 1 - wanted : wanted
    c.on = to
    c.answered = false
    c.comesBack = false
    c.holder = holderOf(c.holder.personId)
    const { doc, gate } = instances[to]!
    if (gate.clients.refusal(c.doc.clientID, c.holder, { takeOver: false }) === null) gate.clients.claim(c.doc.clientID, c.holder)
    c.inbox.push({ kind: 'update', update: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(c.doc)) })
    c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(doc) })
  }

  for (const s of steps) {
    if (s.t === 'edit') editText(clients[s.c]!.doc, s)
    else if (s.t === 'para') editParagraphs(clients[s.c]!.doc, s)
    else if (s.t === 'deliver') send(clients[s.c]!, s.n)
    else if (s.t === 'receive') take(clients[s.c]!, s.n)
    else if (s.t === 'drop') {
      const c = clients[s.c]!
      send(c, s.deliverFirst)
      disconnect(c)
    } else if (s.t === 'connect') {
      const c = clients[s.c]!
      if (c.on === null) join(c, s.to)
    } else if (s.t === 'tabs') {
      if (s.from !== s.to) Y.applyUpdate(clients[s.to]!.doc, Y.encodeStateAsUpdate(clients[s.from]!.doc), 'remote')
    } else if (s.t === 'relay') relayTo(s.to, s.n, s.merged)
    else if (s.t === 'ask') {
      if (cutOff === null) exchange(s.from)
    } else if (s.t === 'lose') {
      if (cutOff !== null) continue
      // What it published and had not yet reached the other is lost; it closes its connections.
      cutOff = s.from
      instances[s.from]!.outbox.length = 0
      for (const c of clients) if (c.on === s.from) disconnect(c)
    } else if (cutOff !== null) backOnTheBus()
  }
  if (cutOff !== null) backOnTheBus()
  // Everyone reconnects where they were (or to the first), everything is delivered, and the instances catch up.
  for (const c of clients) if (c.on === null) join(c, 0)
  // Until nothing is left to send: an answer may have an instance ask a client again, or let one waiting for others
  // come back; two that each wait for the other's lost typing wait for good (each told so, 4208).
  let returns = 6
  const settle = () => {
    const busy = () => instances.some((instance) => instance.outbox.length > 0) || clients.some((c) => c.on !== null && (c.inbox.length > 0 || c.out.length > 0))
    for (let round = 0; busy() || (returns > 0 && clients.some((c) => c.on === null && c.comesBack)); round++) {
      if (round === 30) throw new Error('the exchange does not settle')
      if (!busy()) for (const c of clients) if (c.on === null && c.comesBack && returns-- > 0) join(c, 0)
      for (const c of clients) {
        take(c, Infinity)
        send(c, Infinity)
      }
      relayTo(0, Infinity, false)
      relayTo(1, Infinity, false)
    }
  }
  settle()
  exchange(0)
  settle()
  const [a, b] = instances.map((instance) => instance.doc.getXmlFragment('body').toString())
  // Yjs shows a surrogate pair its own copy split under a formatting that writes nothing as two U+FFFD (divergence.ts).
  const read = (doc: Y.Doc) => doc.getXmlFragment('body').toString().replace(/[\ud800-\udfff\ufffd]/g, '?')
  const behind = clashes === 0 ? clients.find((c) => c.on !== null && read(c.doc) !== read(instances[c.on]!.doc)) : undefined
  if (behind) throw new Error(`DIVERGED ${behind.doc.clientID}: ${read(behind.doc)} against its instance's ${read(instances[behind.on!]!.doc)}`)
  return { clashes, apart: a !== b }
}

describe('relays between instances, from honest clients', () => {
  it('clash where a split emoji went to one instance while the other\'s messages were lost (a review\'s case)', () => {
    // A client's copy splits its emoji under a bold removed where there was none; instance 0 took the emoji whole and
    // lost the bus before its message left; the client reconnects to instance 1 with its whole copy ("��"). Back on the
    // bus, an exchange of what each lacked sent nothing (equal state vectors): two texts for good, and no clash.
    const outcome = run(
      [
        { t: 'connect', c: 0, to: 0 }, { t: 'para', c: 0, at: 0, remove: false }, { t: 'deliver', c: 0, n: 3 }, { t: 'relay', to: 1, n: 5, merged: false },
        { t: 'edit', c: 0, p: 0, at: 0, insert: 'aaa👍a', remove: 0, fmt: undefined, fmtOff: false, fmtLen: 0 },
        { t: 'edit', c: 0, p: 0, at: 0, insert: '', remove: 0, fmt: 'bold', fmtOff: true, fmtLen: 3 },
        { t: 'deliver', c: 0, n: 1 }, { t: 'lose', from: 0 }, { t: 'connect', c: 0, to: 1 }, { t: 'receive', c: 0, n: 2 }, { t: 'deliver', c: 0, n: 1 },
      ],
      [false, false, false],
    )
    expect(outcome).toEqual({ clashes: expect.any(Number), apart: true })
    expect(outcome.clashes).toBeGreaterThan(0)
  })

  it('clash exactly where the two copies would end apart', () => {
    const seen = { clashes: 0, apart: 0 }
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (steps, gcs) => {
        // Every client starts from one paragraph, on the first instance.
        const outcome = run([{ t: 'connect', c: 0, to: 0 }, { t: 'para', c: 0, at: 0, remove: false }, { t: 'deliver', c: 0, n: 3 }, ...steps], gcs)
        if (outcome.clashes > 0) seen.clashes++
        if (outcome.apart) seen.apart++
        return (outcome.clashes > 0) === outcome.apart
      }),
      { numRuns: Number(process.env.RELAY_RUNS ?? 400), seed: process.env.RELAY_SEED ? Number(process.env.RELAY_SEED) : undefined },
    )
    if (process.env.RELAY_STATS) console.log(seen)
    expect(seen.clashes).toBe(seen.apart)
  })
})
