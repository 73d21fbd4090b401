import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
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
    return { doc, connected: false, holder: holderOf(`p${i}`), out: [], inbox: [], answered: false, early: [] }
  })
  const wire = () => {
    live.on('update', (update: Uint8Array, origin: unknown) => {
      for (const c of clients) if (c.connected && origin !== c) c.inbox.push({ kind: 'update', update })
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
    gate.clients.release(c.holder)
  }
  const admitOne = (c: Client, update: Uint8Array, relayed: boolean) => {
    const clash = clashingClient(live, update)
    if (clash !== null) throw new Error(`FALSE POSITIVE clashingClient=${clash} relayed=${relayed} update=${Buffer.from(update).toString('base64')}`)
    const result = gate.admit(update, c.holder, { relayed })
    if (result.diverged) throw new Error(`FALSE POSITIVE diverged: ${result.refused}`)
    if (result.refused !== undefined) {
      if (result.ownLacking && !c.answered) return c.early.push(update)
      return disconnect(c)
    }
    gate.applyAdmitted(() => Y.applyUpdate(live, result.admitted, c))
    const name = c.holder.personId
    for (const s of Y.decodeUpdate(result.admitted).structs) owners.set(s.id.client, name)
  }
  for (const s of steps) {
    if (s.t === 'edit') editText(clients[s.c]!.doc, s)
    else if (s.t === 'para') editParagraphs(clients[s.c]!.doc, s)
    else if (s.t === 'deliver') {
      const c = clients[s.c]!
      for (let k = 0; k < s.n && c.connected && c.out.length > 0; k++) {
        const { update, relayed } = c.out.shift()!
        if (relayed) c.answered = true
        admitOne(c, update, relayed)
        if (relayed && c.connected) {
          const early = c.early
          c.early = []
          for (const u of early) if (c.connected) admitOne(c, u, false)
        }
      }
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
      const c = clients[s.c]!
      if (c.connected) continue
      c.connected = true
      c.answered = false
      c.holder = holderOf(c.holder.personId)
      // Presence introduces the id first, as a stock client's does.
      if (gate.clients.refusal(c.doc.clientID, c.holder, { takeOver: false }) === null) gate.clients.claim(c.doc.clientID, c.holder)
      // The server's step 2 (what the client lacks) and its step 1 (its state vector now).
      c.inbox.push({ kind: 'update', update: Y.encodeStateAsUpdate(live, Y.encodeStateVector(c.doc)) })
      c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(live) })
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
  // Everyone reconnects and everything is delivered: the late replies overlap most.
  for (const c of clients) {
    if (!c.connected) {
      c.connected = true
      c.answered = false
      c.holder = holderOf(c.holder.personId)
      c.inbox.push({ kind: 'step1', sv: Y.encodeStateVector(live) })
    }
  }
  for (const c of clients) while (c.connected && c.inbox.length > 0) {
    const m = c.inbox.shift()!
    if (m.kind === 'update') Y.applyUpdate(c.doc, m.update, 'remote')
    else c.out.push({ update: Y.encodeStateAsUpdate(c.doc, m.sv), relayed: true })
  }
  for (const c of clients) while (c.connected && c.out.length > 0) {
    const { update, relayed } = c.out.shift()!
    admitOne(c, update, relayed)
  }
  // And every client's whole state, as a fresh sync step 2 against an empty vector would send it.
  for (const c of clients) {
    const clash = clashingClient(live, Y.encodeStateAsUpdate(c.doc))
    if (clash !== null) throw new Error(`FALSE POSITIVE whole state of ${c.doc.clientID}: ${clash}`)
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
   * Known, not fixed (found by the property above in CI, seed -1880688474; about 1 run in 20,000 meets it): a client
   * that collects deleted content (gc) deletes another's paragraph the server does not have (it heard it from a tab or
   * an instance that never passed it on), inside which it had set an attribute. Its reply to the sync request brings
   * that attribute as collected (a GC struct under its own id); the gate leaves the other's paragraph out and drops the
   * deletion of it, which reaches content the server lacks (`withoutChangesOf`), but takes the GC struct. When the
   * paragraph's owner brings it, alive and with the attribute, the server holds the paragraph alive without it: the
   * owner's whole state then reads as other words under the first client's id (4410 for a tab sending it), and the
   * deletion reaches the server only when the first client syncs again. Refusing the reply until the paragraph comes
   * (WaitingForOthers) would hold that client's own typing for as long as the paragraph's owner stays away.
   */
  it('do not yet keep a collected change whose paragraph another client brings later (a known divergence: this fails once it is fixed)', () => {
    const steps: Step[] = [
      { t: 'para', c: 1, at: 0, remove: false },
      { t: 'tabs', from: 1, to: 0 },
      { t: 'edit', c: 0, p: 3, at: 0, insert: '', remove: 0, fmt: undefined, fmtOff: false, fmtLen: 0, attr: 0 },
      { t: 'tabs', from: 0, to: 1 },
      { t: 'deliver', c: 0, n: 2 },
      { t: 'para', c: 1, at: 0, remove: false },
      { t: 'para', c: 0, at: 3, remove: true },
    ]
    expect(() => run([{ t: 'connect', c: 0 }, { t: 'para', c: 0, at: 0, remove: false }, { t: 'deliver', c: 0, n: 3 }, ...steps], [true, false, false], false)).toThrow('FALSE POSITIVE whole state of 101: 100')
  })
})
