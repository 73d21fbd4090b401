import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { ClientHolder } from './clientIds.ts'
import { UpdateGate } from './updateGate.ts'

const holder = (personId: string): ClientHolder & { superseded: number } => ({
  id: `${personId}-${Math.random()}`,
  personId,
  superseded: 0,
  supersede() {
    this.superseded += 1
  },
})

/** A client document following `live`, writing under `client`. */
function clientOf(live: Y.Doc, client: number) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live))
  doc.clientID = client
  return doc
}

function typed(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  const body = doc.getXmlFragment('body')
  if (body.length === 0) {
    const paragraph = new Y.XmlElement('paragraph')
    body.insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('')])
  }
  ;((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, text)
  return Y.encodeStateAsUpdate(doc, before)
}

/** Admits and applies, as a connection does. */
function send(gate: UpdateGate, live: Y.Doc, update: Uint8Array, from: ClientHolder): string | null {
  const refused = gate.admit(update, from)
  if (!refused) Y.applyUpdate(live, update)
  return refused
}

describe('the update gate', () => {
  it('gives a client id to the first person who writes under it, and refuses it to anyone else', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const doc = clientOf(live, 1001)
    expect(send(gate, live, typed(doc, 'Bonjour '), claire)).toBeNull()
    expect(gate.clients.ownerKey(1001)).toBe('person:claire')

    const forger = clientOf(live, 1001)
    expect(send(gate, live, typed(forger, 'forged '), holder('kwame'))).toMatch(/another person/)
    expect(send(gate, live, typed(doc, 'encore '), claire)).toBeNull()
    expect(live.getXmlFragment('body').toString()).toContain('encore Bonjour ')
  })

  it('lets the same person’s newer connection take an id over, closing the older one', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const [before, after] = [holder('claire'), holder('claire')]
    const doc = clientOf(live, 2002)
    expect(send(gate, live, typed(doc, 'one '), before)).toBeNull()
    expect(send(gate, live, typed(doc, 'two '), after)).toBeNull()
    expect(before.superseded).toBe(1)
  })

  it('refuses what cannot integrate at once, leaves the document as it was, and admits the next good update', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const doc = clientOf(live, 3003)
    expect(send(gate, live, typed(doc, 'a'), claire)).toBeNull()
    const state = Y.encodeStateAsUpdate(live)
    typed(doc, 'bc')
    const gap = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Map([[3003, Y.getState(live.store, 3003) + 1]])))
    expect(send(gate, live, gap, claire)).toMatch(/depends on changes/)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    expect(live.store.pendingStructs).toBeNull()
    const catchUp = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(live))
    expect(send(gate, live, catchUp, claire)).toBeNull()
    expect(live.getXmlFragment('body').toString()).toContain('bca')
  })

  it('refuses any id the server holds', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    gate.clients.claimForServer(live.clientID)
    expect(send(gate, live, typed(clientOf(live, live.clientID), 'x'), holder('claire'))).toMatch(/belongs to the server/)
  })
})
