import fc from 'fast-check'
import { describe, it } from 'vitest'
import * as Y from 'yjs'
import type { ClientHolder } from './clientIds.ts'
import { clashingClient } from './divergence.ts'
import { editParagraphs, editText } from './honestEdits.ts'
import { UpdateGate } from './updateGate.ts'

/*
 * The gate refuses, as a copy to open afresh (4410), an update that says something other than the text under ids the
 * text holds. Honest clients resend such ids often, and must never meet it: three of them, each collecting deleted
 * content or not, against one server copy, over queues delivered in any order, with replies to the server's sync
 * request computed against the state vector it had when it asked, tabs sharing their whole state, and the server
 * crashing back to a checkpoint or reloading its copy. Written by a hostile review of the gate (20,300 runs clean).
 * Once everyone is back and every message delivered, each client still connected reads as the server does: without
 * the gate's waiting for deletions of others' content (`Admission.awaiting`), 1 run in about 250 ended with a client
 * showing words deleted that the text kept.
 */

const holderOf = (personId: string): ClientHolder => ({ id: `${personId}-${Math.random()}`, personId, supersede() {} })
type Msg = { kind: 'step1'; sv: Uint8Array } | { kind: 'update'; update: Uint8Array }
interface Client {
  doc: Y.Doc
  connected: boolean
  holder: ClientHolder
  out: Array<{ update: Uint8Array; relayed: boolean }>
  inbox: Msg[]
  answered: boolean
  early: Uint8Array[]
  /** Deletions of content the server lacked that its reply made (`Admission.awaiting`), as `Connection` waits for them. */
  awaited: Map<number, number>
  askedAgain: boolean
  /** Closed as waiting for others (4411): a stock client comes back, and its reply is read again. */
  comesBack: boolean
}

const edit = fc.record({ t: fc.constant('edit' as const), c: fc.nat(2), p: fc.nat(5), at: fc.nat(30), insert: fc.string({ maxLength: 5, unit: fc.constantFrom('a', 'b', 'é', '😀', '👍🏽', ' ') }), remove: fc.nat(4), fmt: fc.option(fc.constantFrom('bold', 'italic'), { nil: undefined }), fmtOff: fc.boolean(), fmtLen: fc.nat(5), attr: fc.option(fc.nat(5), { nil: undefined }) })
const para = fc.record({ t: fc.constant('para' as const), c: fc.nat(2), at: fc.nat(5), remove: fc.boolean() })
const deliver = fc.record({ t: fc.constant('deliver' as const), c: fc.nat(2), n: fc.integer({ min: 1, max: 3 }) })
const receive = fc.record({ t: fc.constant('receive' as const), c: fc.nat(2), n: fc.integer({ min: 1, max: 3 }) })
const drop = fc.record({ t: fc.constant('drop' as const), c: fc.nat(2), deliverFirst: fc.nat(2) })
const connect = fc.record({ t: fc.constant('connect' as const), c: fc.nat(2) })
const tabs = fc.record({ t: fc.constant('tabs' as const), from: fc.nat(2), to: fc.nat(2) })
const server = fc.record({ t: fc.constant('server' as const), what: fc.constantFrom('checkpoint', 'crash', 'reload') })
const step = fc.oneof({ arbitrary: edit, weight: 6 }, para, { arbitrary: deliver, weight: 4 }, { arbitrary: receive, weight: 4 }, drop, connect, tabs, server)

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never

function run(steps: readonly Step[], gcs: readonly boolean[], serverCollects: boolean) {
  let live = new Y.Doc({ gc: serverCollects })
  live.getXmlFragment('body')
  let gate = new UpdateGate(live)
  let checkpoint = Y.encodeStateAsUpdate(live)
  const owners = new Map<number, string>()
  const clients: Client[] = [0, 1, 2].map((i) => {
    const doc = new Y.Doc({ gc: gcs[i] })
    doc.clientID = 100 + i
    return { doc, connected: false, holder: holderOf(`p${i}`), out: [], inbox: [], answered: false, early: [], awaited: new Map(), askedAgain: false, comesBack: false }
  })
  const wire = () => {
    live.on('update', (update: Uint8Array, origin: unknown) => {
      for (const c of clients) if (c.connected && origin !== c) c.inbox.push({ kind: 'update', update })
      // The server asks again a client whose reply deleted content it now holds (`Connection.askAgainIfHeld`).
      for (const c of clients) {
        if (!c.connected || c.awaited.size === 0) continue
        let held = false
        for (const [client, end] of c.awaited) if (Y.getState(live.store, client) >= end) held = c.awaited.delete(client)
        if (!held || c.askedAgain) continue
        c.askedAgain = true
        c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(live) })
      }
    })
  }
  wire()
  clients.forEach((c) => {
    c.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return
      if (c.connected) c.out.push({ update, relayed: false })
    })
  })
  const disconnect = (c: Client) => {
    c.connected = false
    c.out = []
    c.inbox = []
    c.early = []
    c.awaited.clear()
    c.askedAgain = false
    gate.clients.release(c.holder)
  }
  const connect = (c: Client) => {
    if (c.connected) return
    c.connected = true
    c.answered = false
    c.comesBack = false
    c.holder = holderOf(c.holder.personId)
    // Presence introduces the id first, as a stock client's does.
    if (gate.clients.refusal(c.doc.clientID, c.holder, { takeOver: false }) === null) gate.clients.claim(c.doc.clientID, c.holder)
    // The server's step 2 (what the client lacks) and its step 1 (its state vector now).
    c.inbox.push({ kind: 'update', update: Y.encodeStateAsUpdate(live, Y.encodeStateVector(c.doc)) })
    c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(live) })
  }
  const admitOne = (c: Client, update: Uint8Array, relayed: boolean) => {
    const clash = clashingClient(live, update)
    if (clash !== null) throw new Error(`FALSE POSITIVE clashingClient=${clash} relayed=${relayed} update=${Buffer.from(update).toString('base64')}`)
    const result = gate.admit(update, c.holder, { relayed })
    if (result.diverged) throw new Error(`FALSE POSITIVE diverged: ${result.refused}`)
    if (result.refused !== undefined) {
      if (result.ownLacking && !c.answered) return c.early.push(update)
      c.comesBack = result.othersLacking === true
      return disconnect(c)
    }
    if (relayed) c.askedAgain = false
    // Who wrote under an id, as the server records it: the person whose update first brought something under it.
    const name = c.holder.personId
    for (const s of Y.decodeUpdate(result.admitted).structs) if (s.id.clock + s.length > Y.getState(live.store, s.id.client) && !owners.has(s.id.client)) owners.set(s.id.client, name)
    gate.applyAdmitted(() => Y.applyUpdate(live, result.admitted, c))
    for (const [client, end] of result.awaiting ?? []) c.awaited.set(client, Math.max(end, c.awaited.get(client) ?? 0))
    if (result.waitsForOthers) {
      disconnect(c)
      c.comesBack = true
    }
  }
  /** The client's next message reaches the server; after the answer to its sync request, what waited for it. */
  const deliverOne = (c: Client) => {
    const { update, relayed } = c.out.shift()!
    if (relayed) c.answered = true
    admitOne(c, update, relayed)
    if (relayed && c.connected) {
      const early = c.early
      c.early = []
      for (const u of early) if (c.connected) admitOne(c, u, false)
    }
  }
  for (const s of steps) {
    if (s.t === 'edit') editText(clients[s.c]!.doc, s)
    else if (s.t === 'para') editParagraphs(clients[s.c]!.doc, s)
    else if (s.t === 'deliver') {
      const c = clients[s.c]!
      for (let k = 0; k < s.n && c.connected && c.out.length > 0; k++) deliverOne(c)
    } else if (s.t === 'receive') {
      const c = clients[s.c]!
      for (let k = 0; k < s.n && c.connected && c.inbox.length > 0; k++) {
        const m = c.inbox.shift()!
        if (m.kind === 'update') Y.applyUpdate(c.doc, m.update, 'remote')
        // The reply to the server's sync step 1: against the state vector the server had when it asked.
        else c.out.push({ update: Y.encodeStateAsUpdate(c.doc, m.sv), relayed: true })
      }
    } else if (s.t === 'drop') {
      const c = clients[s.c]!
      if (!c.connected) continue
      for (let k = 0; k < s.deliverFirst && c.out.length > 0; k++) {
        const { update, relayed } = c.out.shift()!
        if (relayed) c.answered = true
        admitOne(c, update, relayed)
      }
      if (c.connected) disconnect(c)
    } else if (s.t === 'connect') {
      connect(clients[s.c]!)
    } else if (s.t === 'tabs') {
      if (s.from === s.to) continue
      // A BroadcastChannel between tabs (or a copy heard from another instance): the whole state.
      Y.applyUpdate(clients[s.to]!.doc, Y.encodeStateAsUpdate(clients[s.from]!.doc), 'remote')
    } else if (s.t === 'server') {
      if (s.what === 'checkpoint') {
        checkpoint = Y.encodeStateAsUpdate(live)
        continue
      }
      const state = s.what === 'crash' ? checkpoint : Y.encodeStateAsUpdate(live)
      for (const c of clients) if (c.connected) disconnect(c)
      gate.destroy()
      live = new Y.Doc({ gc: serverCollects })
      live.getXmlFragment('body')
      Y.applyUpdate(live, state)
      gate = new UpdateGate(live)
      wire()
      for (const [client, person] of owners) if (Y.getState(live.store, client) > 0) gate.clients.adopt(client, `person:${person}`)
    }
  }
  // Everyone reconnects and everything is delivered: the late replies overlap most. Until nothing is left to send: an
  // answer may have the server ask another client again, or let one waiting for others come back.
  // Two clients that each hold the other's typing the server lost wait for each other for good (each is told so, 4411).
  for (const c of clients) connect(c)
  let returns = 6
  const busy = () => clients.some((c) => c.connected && (c.inbox.length > 0 || c.out.length > 0))
  for (let round = 0; busy() || (returns > 0 && clients.some((c) => c.comesBack)); round++) {
    if (round === 20) throw new Error('the exchange does not settle')
    if (!busy()) for (const c of clients) if (c.comesBack && returns-- > 0) connect(c)
    for (const c of clients) while (c.connected && c.inbox.length > 0) {
      const m = c.inbox.shift()!
      if (m.kind === 'update') Y.applyUpdate(c.doc, m.update, 'remote')
      else c.out.push({ update: Y.encodeStateAsUpdate(c.doc, m.sv), relayed: true })
    }
    for (const c of clients) while (c.connected && c.out.length > 0) deliverOne(c)
  }
  // And every client's whole state, as a fresh sync step 2 against an empty vector would send it.
  for (const c of clients) {
    const clash = clashingClient(live, Y.encodeStateAsUpdate(c.doc))
    if (clash !== null) throw new Error(`FALSE POSITIVE whole state of ${c.doc.clientID}: ${clash}`)
  }
  // And every client still connected reads as the server does (a client closed for good would have been told).
  for (const c of clients) {
    if (!c.connected) continue
    // Yjs shows a surrogate pair its own copy split under a formatting that writes nothing as two U+FFFD (divergence.ts).
    const read = (doc: Y.Doc) => doc.getXmlFragment('body').toString().replace(/[\ud800-\udfff\ufffd]/g, '?')
    const [mine, text] = [read(c.doc), read(live)]
    if (mine !== text) throw new Error(`DIVERGED ${c.doc.clientID}: ${mine} against the server's ${text}`)
  }
}

describe('honest updates that overlap what the text holds', () => {
  it('are never refused as saying other words', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.boolean(), (steps, gcs, serverCollects) => {
        // The server holds one paragraph every client starts from.
        run([{ t: 'connect', c: 0 }, { t: 'para', c: 0, at: 0, remove: false }, { t: 'deliver', c: 0, n: 3 }, ...steps], gcs, serverCollects)
      }),
      { numRuns: 500 },
    )
  })

  /*
   * Found by the property above in CI (seed -1880688474): a client that collects deleted content (gc) deletes another's
   * paragraph the server does not have (it heard it from a tab or an instance that never passed it on), inside which it
   * had set an attribute. Its reply to the sync request brings that attribute as collected (a GC struct under its own
   * id); the gate leaves the other's paragraph out, and the deletion of it with it, but takes the GC struct. When the
   * paragraph's owner brought it, alive and with the attribute, the server held it alive without: the owner's whole
   * state read as other words (4410 for a tab sending it), and the first client's copy went on without the paragraph.
   * The deletion is now awaited, and the first client asked again once the paragraph is there.
   */
  it('keep a collected change whose paragraph another client brings later: the deletion left out comes once it does', () => {
    const steps: Step[] = [
      { t: 'para', c: 1, at: 0, remove: false },
      { t: 'tabs', from: 1, to: 0 },
      { t: 'edit', c: 0, p: 3, at: 0, insert: '', remove: 0, fmt: undefined, fmtOff: false, fmtLen: 0, attr: 0 },
      { t: 'tabs', from: 0, to: 1 },
      { t: 'deliver', c: 0, n: 2 },
      { t: 'para', c: 1, at: 0, remove: false },
      { t: 'para', c: 0, at: 3, remove: true },
    ]
    run([{ t: 'connect', c: 0 }, { t: 'para', c: 0, at: 0, remove: false }, { t: 'deliver', c: 0, n: 3 }, ...steps], [true, false, false], false)
  })
})
