import { MAX_BLOCK_TEXT, MAX_DOCUMENT_TEXT, yBodyTextLength } from '@hemicycle/schema'
import { describe, expect, it, vi } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { ClientHolder } from './clientIds.ts'
import { MAX_WALK_PER_ITEM } from './conflictWalk.ts'
import { MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY, MAX_STRUCTS, MAX_STRUCTS_PER_PERSON, UpdateGate } from './updateGate.ts'

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

/** The update `edit` makes in `doc`, as its client sends it. */
function changeOf(doc: Y.Doc, edit: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc)
  edit()
  return Y.encodeStateAsUpdate(doc, before)
}

function typed(doc: Y.Doc, text: string): Uint8Array {
  return changeOf(doc, () => {
    const body = doc.getXmlFragment('body')
    if (body.length === 0) {
      const paragraph = new Y.XmlElement('paragraph')
      body.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('')])
    }
    ;((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, text)
  })
}

/** Admits and applies, as a connection does. */
function send(gate: UpdateGate, live: Y.Doc, update: Uint8Array, from: ClientHolder, options: { relayed?: boolean } = {}): string | null {
  const { admitted, refused } = gate.admit(update, from, options)
  if (admitted) gate.applyAdmitted(() => Y.applyUpdate(live, admitted))
  return refused ?? null
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

  it('checks what an update writes under each of its ids, in a text many people wrote before', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    // A text typed into for months: each session's id stays in its state vector, and the checks look only at the update's ids.
    for (let past = 0; past < 300; past++) {
      const session = clientOf(live, 100_000 + past)
      expect(send(gate, live, typed(session, `${past} `), holder(`past-${past}`))).toBeNull()
    }
    const state = Y.encodeStateAsUpdate(live)
    const claire = holder('claire')
    const first = clientOf(live, 9_001)
    const innocent = typed(first, 'Texte. ')
    const second = clientOf(live, 7_001)
    const hidden = changeOf(second, () => {
      const script = new Y.XmlElement('script')
      second.getXmlFragment('body').insert(0, [script])
      script.insert(0, [new Y.XmlText('alert(1)')])
    })
    // Yjs writes the higher id first: the element hides behind innocent text under another id.
    const attack = Y.mergeUpdates([innocent, hidden])
    expect(Y.decodeUpdate(attack).structs.map((struct) => struct.id.client)).toEqual([9_001, 7_001, 7_001, 7_001])
    expect(send(gate, live, attack, claire)).toMatch(/script/)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    expect(send(gate, live, innocent, claire)).toBeNull()
    expect(live.getXmlFragment('body').toString()).toContain('Texte. ')
  })

  it('checks, with an update, what a change from another instance left waiting for it', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const doc = clientOf(live, 6006)
    expect(send(gate, live, typed(doc, 'Texte. '), claire)).toBeNull()
    // Claire's next paragraph, and under another id an element hung inside it: relayed first, it waits for the paragraph.
    const next = changeOf(doc, () => doc.getXmlFragment('body').insert(1, [new Y.XmlElement('paragraph')]))
    const other = clientOf(doc, 7007)
    const relayed = changeOf(other, () => (other.getXmlFragment('body').get(1) as Y.XmlElement).insert(0, [new Y.XmlElement('script')]))
    expect(gate.takeRelayed(relayed, () => Y.applyUpdate(live, relayed))).toBe(true)
    expect(live.store.pendingStructs).not.toBeNull()
    expect(send(gate, live, next, claire)).toMatch(/script/)
    expect(live.getXmlFragment('body').toString()).toBe('<paragraph>Texte. </paragraph>')
  })

  it('refuses an update naming an attribute "__proto__", and the same update sent again, leaving the document as it was', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    expect(send(gate, live, typed(clientOf(live, 5005), 'Texte. '), claire)).toBeNull()
    const state = Y.encodeStateAsUpdate(live)
    const doc = clientOf(live, 5005)
    const attack = changeOf(doc, () =>
      doc.transact(() => {
        const body = doc.getXmlFragment('body')
        const paragraph = new Y.XmlElement('paragraph')
        body.insert(0, [paragraph])
        // A property every object has: its check threw, and the update stayed in the gate's copy, unchecked past it.
        paragraph.setAttribute('__proto__', 'x' as never)
        const script = new Y.XmlElement('script')
        body.insert(1, [script])
        script.insert(0, [new Y.XmlText('alert(1)')])
      }),
    )
    expect(send(gate, live, attack, claire)).toMatch(/no attribute "__proto__"/)
    // Sent again, it found the copy holding it already, nothing new to check, and entered the document.
    expect(send(gate, live, attack, claire)).toMatch(/no attribute "__proto__"/)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    expect(live.getXmlFragment('body').toString()).not.toContain('script')
  })

  it('refuses a list item that would not start with a paragraph, and admits what an editor writes in a list', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const writer = clientOf(live, 6006)
    const before = Y.encodeStateVector(writer)
    const element = (name: string, children: Array<Y.XmlElement | Y.XmlText>) => {
      const made = new Y.XmlElement(name)
      made.insert(0, children)
      return made
    }
    const item = element('listItem', [element('paragraph', [new Y.XmlText("Claire's clause A")])])
    writer.getXmlFragment('body').insert(0, [element('bulletList', [item])])
    expect(send(gate, live, Y.encodeStateAsUpdate(writer, before), claire)).toBeNull()
    const state = Y.encodeStateAsUpdate(live)

    // A heading put first in Claire's item: an editor cannot build the item, and deleted it, her words with it.
    const julien = clientOf(live, 7007)
    const mark = Y.encodeStateVector(julien)
    const theirs = ((julien.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlElement)
    theirs.insert(0, [element('heading', [new Y.XmlText('Titre')])])
    expect(send(gate, live, Y.encodeStateAsUpdate(julien, mark), holder('julien'))).toMatch(/starts with a paragraph/)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    // Nor may a new item start otherwise, nor one lose its first paragraph with a list after it.
    const other = clientOf(live, 8008)
    const at = Y.encodeStateVector(other)
    ;(other.getXmlFragment('body').get(0) as Y.XmlElement).insert(1, [element('listItem', [element('bulletList', [])])])
    expect(send(gate, live, Y.encodeStateAsUpdate(other, at), holder('erik'))).toMatch(/starts with a paragraph/)

    // A sub-list after the paragraph, as Tab makes, and a heading after it: the schema's order.
    const mark2 = Y.encodeStateVector(writer)
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(live, mark2))
    const own = (writer.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlElement
    const from = Y.encodeStateVector(writer)
    own.insert(1, [element('bulletList', [element('listItem', [element('paragraph', [new Y.XmlText('sub')])])]), element('heading', [new Y.XmlText('Suite')])])
    expect(send(gate, live, Y.encodeStateAsUpdate(writer, from), claire)).toBeNull()
  })

  it('refuses a struct that overlaps what the document holds under another origin, and places an honest overlap after the part held', () => {
    // A hostile review: clocks 0-9 sent when 0-4 ("hello", in the first paragraph) are here, with an origin forged in the
    // second. Yjs hung the new part after "hello" but counted it in the second paragraph, on this copy only: its length
    // checks counted characters the paragraph did not hold. It says other than the document under ids it holds: refused.
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const seed = clientOf(live, 1)
    const body = seed.getXmlFragment('body')
    for (const words of ['Premier.', 'Second.']) {
      const paragraph = new Y.XmlElement('paragraph')
      body.push([paragraph])
      paragraph.insert(0, [new Y.XmlText(words)])
    }
    Y.applyUpdate(live, Y.encodeStateAsUpdate(seed))
    gate.clients.adopt(1, 'server')
    const writer = clientOf(live, 7777)
    expect(send(gate, live, typed(writer, 'hello'), claire)).toBeNull()
    const second = ((live.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText)._start!
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 7777)
    encoding.writeVarUint(encoder, 0)
    // Has an origin and a right origin, string content: both in the second paragraph.
    encoding.writeUint8(encoder, 0x80 | 0x40 | 4)
    encoding.writeVarUint(encoder, second.id.client)
    encoding.writeVarUint(encoder, second.id.clock)
    encoding.writeVarUint(encoder, second.id.client)
    encoding.writeVarUint(encoder, second.id.clock + 1)
    encoding.writeVarString(encoder, 'hello' + 'W'.repeat(20))
    encoding.writeVarUint(encoder, 0)
    const forged = gate.admit(encoding.toUint8Array(encoder), claire)
    expect(forged).toMatchObject({ refused: 'it says other words than the resolution holds under client id 7777', diverged: true })
    const texts = () => live.getXmlFragment('body').toArray().map((paragraph) => ((paragraph as Y.XmlElement).get(0) as Y.XmlText).toString())
    expect(texts()).toEqual(['helloPremier.', 'Second.'])

    // The same clocks as the writer's copy holds them (one struct, "hello" and what followed it), sent whole: the part
    // the document lacks is placed after "hello", in the first paragraph, as every copy reads it.
    const paragraph = (writer.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    paragraph.insert(5, 'W'.repeat(20))
    expect(writer.store.clients.get(7777)).toHaveLength(1)
    expect(send(gate, live, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(seed)), claire)).toBeNull()
    expect(texts()).toEqual([`hello${'W'.repeat(20)}Premier.`, 'Second.'])
    expect(live.getXmlFragment('body').toArray().map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).length)).toEqual([33, 7])
    const elsewhere = new Y.Doc()
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(live))
    expect(elsewhere.getXmlFragment('body').toString()).toBe(live.getXmlFragment('body').toString())
  })

  it('refuses any id the server holds', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    gate.clients.claimForServer(live.clientID)
    expect(send(gate, live, typed(clientOf(live, live.clientID), 'x'), holder('claire'))).toMatch(/belongs to the server/)
  })

  it('refuses an update that takes the document past its count of Yjs items, deleted ones included; one within it gets in', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const doc = clientOf(live, 6006)
    expect(send(gate, live, typed(doc, 'Début '), claire)).toBeNull()
    // Items written one at a time under two ids in turn, then deleted: no text, one struct each (Yjs cannot merge them).
    const text = (live.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    const count = () => [...live.store.clients.values()].reduce((sum, structs) => sum + structs.length, 0)
    // Less one for the split of "Début " the first of them makes.
    const fill = MAX_STRUCTS - count() - 2
    live.transact(() => {
      for (let index = 0; index < fill; index++) {
        live.clientID = 7000 + (index % 2)
        text.insert(1 + index, 'z')
      }
    })
    live.transact(() => text.delete(1, fill))
    expect(count()).toBe(MAX_STRUCTS - 1)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(live, Y.encodeStateVector(doc)))
    expect(send(gate, live, typed(doc, 'a'), claire)).toBeNull()
    expect(count()).toBe(MAX_STRUCTS)
    expect(send(gate, live, typed(doc, 'b'), claire)).toBe(`a resolution holds at most ${MAX_STRUCTS} Yjs items, deleted ones included`)
    expect(count()).toBe(MAX_STRUCTS)
    expect(text.toString()).toBe('aDébut ')
  })

  it('refuses a person’s update past what one person may bring into the document while it is open; others go on writing', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const [claire, kwame] = [holder('claire'), holder('kwame')]
    const doc = clientOf(live, 8008)
    expect(send(gate, live, typed(doc, 'Début '), claire)).toBeNull()
    // Frames of items under two ids in turn, in a paragraph of their own, deleted before they are sent: no text, one struct each.
    const frame = (items: number) => {
      const before = Y.encodeStateVector(doc)
      doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph')
        doc.getXmlFragment('body').push([paragraph])
        const text = new Y.XmlText('')
        paragraph.insert(0, [text])
        for (let index = 0; index < items; index++) {
          doc.clientID = 8008 + (index % 2)
          text.insert(index, 'z')
        }
        text.delete(0, items)
      })
      return Y.encodeStateAsUpdate(doc, before)
    }
    const perFrame = 20_000
    for (let sent = 1; sent + perFrame <= MAX_STRUCTS_PER_PERSON; sent += perFrame) expect(send(gate, live, frame(perFrame), claire)).toBeNull()
    const state = Y.encodeStateAsUpdate(live)
    expect(send(gate, live, frame(perFrame), claire)).toBe(`one person may bring at most ${MAX_STRUCTS_PER_PERSON} Yjs items into a resolution while it is open`)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    const other = clientOf(live, 9009)
    expect(send(gate, live, typed(other, 'Kwame '), kwame)).toBeNull()
    expect(((live.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).toString()).toBe('Kwame Début ')
  })

  it('lets one person write under a bounded number of client ids new to the text in a day, counting those the log had, not ids already there', () => {
    const live = new Y.Doc()
    let now = Date.parse('2026-12-05T09:00:00Z')
    const gate = new UpdateGate(live, undefined, () => now)
    // The day before the text loaded, as recorded: 150 new ids of Claire's (an hour ago), two of Kwame's.
    gate.countEarlierIds(new Map([['claire', Array<number>(150).fill(now - 3600_000)], ['kwame', [now, now]]]))
    const claire = () => holder('claire')
    const first = clientOf(live, 5000)
    expect(send(gate, live, typed(first, 'Début '), claire())).toBeNull()
    // Each a new tab (a new connection, so the eight ids a connection may hold are not what stops it).
    for (let tab = 1; tab < MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY - 150; tab++) expect(send(gate, live, typed(clientOf(live, 5000 + tab), 'a'), claire())).toBeNull()
    const state = Y.encodeStateAsUpdate(live)
    const over = clientOf(live, 6000)
    expect(send(gate, live, typed(over, 'b'), claire())).toBe(`one person may write under at most ${MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY} new Yjs client ids in a resolution a day`)
    expect(Y.encodeStateAsUpdate(live)).toEqual(state)
    // An id of hers already in the text is no new one: her first tab types on.
    expect(send(gate, live, typed(first, 'c'), claire())).toBeNull()
    // Someone else is not held back by her count.
    expect(send(gate, live, typed(clientOf(live, 7000), 'Kwame '), holder('kwame'))).toBeNull()
    // A day after the first 150, they count no more, though the text stayed open: she may write under a new id again.
    now += 23 * 3600_000 + 1
    expect(send(gate, live, typed(clientOf(live, 6001), 'd'), claire())).toBeNull()
  })

  it('tells of the ids new to the text an admitted update writes under, to be recorded, and counts those another instance took for a person', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const told: Array<[number[], string]> = []
    gate.onNewIds = (clients, personId) => told.push([clients, personId])
    const first = clientOf(live, 4100)
    expect(send(gate, live, typed(first, 'Un '), holder('claire'))).toBeNull()
    expect(send(gate, live, typed(first, 'deux '), holder('claire'))).toBeNull()
    expect(told).toEqual([[[4100], 'claire']])
    // Another instance took 199 new ids of Kwame's: here he may add one more, not 200.
    for (let index = 0; index < MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY - 1; index++) {
      const relayed = typed(clientOf(live, 4200 + index), 'k')
      expect(gate.takeRelayed(relayed, () => Y.applyUpdate(live, relayed), { chargeTo: 'kwame' })).toBe(true)
    }
    expect(send(gate, live, typed(clientOf(live, 4500), 'a'), holder('kwame'))).toBeNull()
    expect(send(gate, live, typed(clientOf(live, 4501), 'b'), holder('kwame'))).not.toBeNull()
  })

  it('makes its copy again when it refuses an update, so the next person to write does not pay for it', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    expect(send(gate, live, typed(clientOf(live, 8001), 'Début '), holder('kwame'))).toBeNull()
    const copies = vi.spyOn(gate as unknown as { copy(): Y.Doc }, 'copy')
    const intruder = clientOf(live, 8002)
    const refused = changeOf(intruder, () => intruder.getXmlFragment('body').insert(0, [new Y.XmlElement('script')]))
    expect(send(gate, live, refused, holder('claire'))).not.toBeNull()
    expect(copies).toHaveBeenCalledTimes(1)
    copies.mockClear()
    expect(send(gate, live, typed(clientOf(live, 8001), 'Suite '), holder('kwame'))).toBeNull()
    expect(copies).not.toHaveBeenCalled()
    expect(((live.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).toString()).toBe('Suite Début ')
  })

  it('charges a person for the structs their deletions split off, as for those they write', () => {
    const live = new Y.Doc()
    const gate = new UpdateGate(live)
    const claire = holder('claire')
    const doc = clientOf(live, 8118)
    expect(send(gate, live, typed(doc, 'Début '), claire)).toBeNull()
    // A paragraph of one run, then every other letter of it deleted: 2,000 structs, none of them written.
    const round = (): string | null => {
      let before = Y.encodeStateVector(doc)
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText('x'.repeat(1999))
      paragraph.insert(0, [text])
      doc.getXmlFragment('body').push([paragraph])
      const refused = send(gate, live, Y.encodeStateAsUpdate(doc, before), claire)
      if (refused) return refused
      before = Y.encodeStateVector(doc)
      doc.transact(() => {
        for (let index = 1997; index >= 0; index -= 2) text.delete(index, 1)
      })
      return send(gate, live, Y.encodeStateAsUpdate(doc, before), claire)
    }
    let refused: string | null = null
    let rounds = 0
    while (refused === null && rounds < 60) {
      refused = round()
      rounds += 1
    }
    expect(refused).toBe(`one person may bring at most ${MAX_STRUCTS_PER_PERSON} Yjs items into a resolution while it is open`)
    expect(rounds).toBeGreaterThanOrEqual(49)
    expect(rounds).toBeLessThanOrEqual(51)
  })

  describe('a client reconnecting after an instance died, holding other people’s changes the server lacks', () => {
    /** Claire and Kwame write in two paragraphs; then Claire types `unsent` that reached Kwame but not the server. */
    function afterACrash() {
      const live = new Y.Doc()
      const gate = new UpdateGate(live)
      const [claire, kwame] = [holder('claire'), holder('kwame')]
      const setup = clientOf(live, 4000)
      const body = setup.getXmlFragment('body')
      body.insert(0, [0, 1].map(() => new Y.XmlElement('paragraph')))
      body.toArray().forEach((paragraph) => (paragraph as Y.XmlElement).insert(0, [new Y.XmlText('.')]))
      expect(send(gate, live, Y.encodeStateAsUpdate(setup), claire)).toBeNull()
      const claireDoc = clientOf(live, 4001)
      const kwameDoc = clientOf(live, 4002)
      const textOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment('body').get(index) as Y.XmlElement).get(0) as Y.XmlText
      const sent = (doc: Y.Doc, from: ClientHolder, write: () => void) => {
        const before = Y.encodeStateVector(doc)
        write()
        expect(send(gate, live, Y.encodeStateAsUpdate(doc, before), from)).toBeNull()
        Y.applyUpdate(doc === claireDoc ? kwameDoc : claireDoc, Y.encodeStateAsUpdate(live))
      }
      sent(claireDoc, claire, () => textOf(claireDoc, 0).insert(0, 'Claire '))
      sent(kwameDoc, kwame, () => textOf(kwameDoc, 1).insert(0, 'Kwame '))
      const before = Y.encodeStateVector(claireDoc)
      textOf(claireDoc, 0).insert(0, 'unsent ')
      Y.applyUpdate(kwameDoc, Y.encodeStateAsUpdate(claireDoc, before))
      const paragraphsOf = (doc: Y.Doc) => doc.getXmlFragment('body').toArray().map((paragraph) => (paragraph as Y.XmlElement).get(0)!.toString())
      return { live, gate, claire, kwame, claireDoc, kwameDoc, textOf, paragraphsOf }
    }

    it('refuses, with the reason, a reply whose own change Yjs would place among too many rival items, the others’ left out or not', () => {
      const { live, gate, kwameDoc, paragraphsOf } = afterACrash()
      // Two people type in turn between "K" and "w" of "Kwame .", one letter a turn, while Kwame's copy sees none of it.
      const people = [
        { doc: clientOf(live, 10), from: holder('julien') },
        { doc: clientOf(live, 20), from: holder('lucia') },
      ]
      for (let turn = 0; turn < MAX_WALK_PER_ITEM + 10; turn++) {
        const { doc, from } = people[turn % 2]!
        const before = Y.encodeStateVector(doc)
        ;((doc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(1 + turn, 'x')
        const update = Y.encodeStateAsUpdate(doc, before)
        expect(send(gate, live, update, from)).toBeNull()
        Y.applyUpdate(people[(turn + 1) % 2]!.doc, update)
      }
      const state = paragraphsOf(live)
      ;((kwameDoc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(1, 'late')
      expect(send(gate, live, Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), holder('kwame'), { relayed: true })).toMatch(/rival items$/)
      expect(paragraphsOf(live)).toEqual(state)
    })

    it('leaves out the others’ changes it relays and admits its own; the owner brings theirs back', () => {
      const { live, gate, claire, kwame, claireDoc, kwameDoc, textOf, paragraphsOf } = afterACrash()
      textOf(kwameDoc, 1).insert(0, 'mine ')
      const reply = Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live))
      // The same bytes as a live update are a forgery, and change nothing.
      expect(send(gate, live, reply, kwame)).toMatch(/belongs to another person/)
      expect(paragraphsOf(live)).toEqual(['Claire .', 'Kwame .'])
      expect(send(gate, live, reply, kwame, { relayed: true })).toBeNull()
      expect(paragraphsOf(live)).toEqual(['Claire .', 'mine Kwame .'])
      expect(gate.clients.ownerKey(4001)).toBe('person:claire')
      expect(live.store.pendingStructs).toBeNull()
      expect(send(gate, live, Y.encodeStateAsUpdate(claireDoc, Y.encodeStateVector(live)), claire, { relayed: true })).toBeNull()
      expect(paragraphsOf(live)).toEqual(paragraphsOf(kwameDoc))
    })

    it('leaves out with the others’ changes its deletion of them, and says where that deletion waits for them', () => {
      const { live, gate, kwame, kwameDoc, textOf, paragraphsOf } = afterACrash()
      // Kwame's copy has Claire's "unsent " (heard from the instance that died) and deletes it.
      textOf(kwameDoc, 0).delete(0, 'unsent '.length)
      textOf(kwameDoc, 1).insert(0, 'mine ')
      const admission = gate.admit(Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), kwame, { relayed: true })
      expect(admission.refused).toBeUndefined()
      // Claire's clock past "unsent ": once the server holds that much of hers, the deletion can apply.
      expect(admission.awaiting).toEqual(new Map([[4001, Y.getState(kwameDoc.store, 4001)]]))
      // Deleted in Kwame's copy: it shows nothing of Claire's the server lacks.
      expect(admission.lost).toBeUndefined()
      gate.applyAdmitted(() => Y.applyUpdate(live, admission.admitted!))
      expect(paragraphsOf(live)).toEqual(['Claire .', 'mine Kwame .'])
      expect(live.store.pendingDs).toBeNull()
    })

    it('admits what of a reply stands without the others’ changes it relays, and says the rest waits for them', () => {
      const { live, gate, kwame, kwameDoc, textOf, paragraphsOf } = afterACrash()
      // Kwame types in his own paragraph, then right after Claire's "unsent ", which only Claire may bring.
      textOf(kwameDoc, 1).insert(0, 'mine ')
      textOf(kwameDoc, 0).insert('unsent '.length, 'after ')
      const admission = gate.admit(Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), kwame, { relayed: true })
      expect(admission).toMatchObject({ waitsForOthers: true, lost: new Map([[4001, Y.getState(kwameDoc.store, 4001)]]) })
      gate.applyAdmitted(() => Y.applyUpdate(live, admission.admitted!))
      expect(paragraphsOf(live)).toEqual(['Claire .', 'mine Kwame .'])
      expect(live.store.pendingStructs).toBeNull()
    })

    it('leaves out, unclaimed, what it relays under an id nobody is recorded under once it has introduced its own; the author then claims it and writes on', () => {
      const { live, gate, kwame, claireDoc, kwameDoc, textOf, paragraphsOf } = afterACrash()
      // Claire's tab had taken a new id and typed under it for the first time; only Kwame received it.
      const fresh = new Y.Doc()
      Y.applyUpdate(fresh, Y.encodeStateAsUpdate(claireDoc))
      fresh.clientID = 4005
      const before = Y.encodeStateVector(fresh)
      textOf(fresh, 1).insert(0, 'first ')
      Y.applyUpdate(kwameDoc, Y.encodeStateAsUpdate(fresh, before))
      // Kwame's presence introduced his id (as a stock client's does before it answers the sync request).
      gate.clients.claim(4002, kwame)
      textOf(kwameDoc, 1).insert(textOf(kwameDoc, 1).length, ' mine')
      expect(send(gate, live, Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), kwame, { relayed: true })).toBeNull()
      expect(paragraphsOf(live)).toEqual(['Claire .', 'Kwame . mine'])
      expect(gate.clients.owner(4005)).toBeUndefined()

      // Claire's tab comes back on a new connection, introducing its id.
      const claireAgain = holder('claire')
      gate.clients.claim(4005, claireAgain)
      Y.applyUpdate(fresh, Y.encodeStateAsUpdate(live))
      expect(send(gate, live, Y.encodeStateAsUpdate(fresh, Y.encodeStateVector(live)), claireAgain, { relayed: true })).toBeNull()
      expect(gate.clients.ownerKey(4005)).toBe('person:claire')
      expect(send(gate, live, typed(fresh, 'then '), claireAgain)).toBeNull()
      expect(paragraphsOf(live)).toEqual(['then unsent Claire .', 'first Kwame . mine'])
    })

    it('lets a sender that has introduced no id yet claim the ids of what it relays: its own changes made offline', () => {
      const live = new Y.Doc()
      const gate = new UpdateGate(live)
      const claire = holder('claire')
      const offline = clientOf(live, 4100)
      expect(send(gate, live, typed(offline, 'offline '), claire, { relayed: true })).toBeNull()
      expect(gate.clients.ownerKey(4100)).toBe('person:claire')
    })

    it('leaves out a deletion of the others’ missing text, so nothing waits in the document', () => {
      const { live, gate, kwame, kwameDoc, textOf, paragraphsOf } = afterACrash()
      textOf(kwameDoc, 0).delete(0, 'unsent '.length)
      textOf(kwameDoc, 1).insert(0, 'mine ')
      expect(send(gate, live, Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), kwame, { relayed: true })).toBeNull()
      expect(paragraphsOf(live)).toEqual(['Claire .', 'mine Kwame .'])
      expect(live.store.pendingDs).toBeNull()
    })

    it('refuses, changing nothing, when its own change builds on the others’ missing text', () => {
      const { live, gate, kwame, kwameDoc, textOf, paragraphsOf } = afterACrash()
      textOf(kwameDoc, 0).insert('unsent'.length, ' and')
      const state = Y.encodeStateAsUpdate(live)
      expect(send(gate, live, Y.encodeStateAsUpdate(kwameDoc, Y.encodeStateVector(live)), kwame, { relayed: true })).toMatch(/builds on changes of another person/)
      expect(Y.encodeStateAsUpdate(live)).toEqual(state)
      expect(paragraphsOf(live)).toEqual(['Claire .', 'Kwame .'])
    })
  })

  describe('the whole text’s length', () => {
    /** Paragraphs of `characters` in all, at most a block's worth each, added to `doc` (the live text, as another instance or the server adds them). */
    function grow(doc: Y.Doc, characters: number) {
      const body = doc.getXmlFragment('body')
      for (let left = characters; left > 0; left -= MAX_BLOCK_TEXT) {
        const paragraph = new Y.XmlElement('paragraph')
        body.insert(body.length, [paragraph])
        paragraph.insert(0, [new Y.XmlText('x'.repeat(Math.min(left, MAX_BLOCK_TEXT)))])
      }
    }
    /** A paragraph of `text` added at the end by a client following `live`. */
    function added(doc: Y.Doc, live: Y.Doc, text: string): Uint8Array {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(live, Y.encodeStateVector(doc)))
      const before = Y.encodeStateVector(doc)
      const body = doc.getXmlFragment('body')
      const paragraph = new Y.XmlElement('paragraph')
      body.insert(body.length, [paragraph])
      paragraph.insert(0, [new Y.XmlText(text)])
      return Y.encodeStateAsUpdate(doc, before)
    }
    const lengthOf = (doc: Y.Doc) => yBodyTextLength(doc.getXmlFragment('body'))
    /** A live text of `characters`, its gate, and Claire's copy of it, writing under `client`. */
    function textOf(characters: number, client: number) {
      const live = new Y.Doc()
      grow(live, characters)
      return { live, gate: new UpdateGate(live), claire: holder('claire'), doc: clientOf(live, client) }
    }

    it('admits a text up to MAX_DOCUMENT_TEXT characters, and refuses one character more, leaving the text as it was', () => {
      const { live, gate, claire, doc } = textOf(MAX_DOCUMENT_TEXT - 10, 5005)
      expect(send(gate, live, added(doc, live, 'y'.repeat(10)), claire)).toBeNull()
      expect(lengthOf(live)).toBe(MAX_DOCUMENT_TEXT)
      const state = Y.encodeStateAsUpdate(live)
      expect(send(gate, live, added(doc, live, 'z'), claire)).toBe(`a resolution holds at most ${MAX_DOCUMENT_TEXT} characters of text`)
      // Compared as buffers: a deep equality of four megabytes takes vitest half a minute.
      expect(Buffer.from(Y.encodeStateAsUpdate(live)).equals(Buffer.from(state))).toBe(true)
    })

    it('counts what the live text took from elsewhere (another instance, a decision) since it last walked it', () => {
      const { live, gate, claire, doc } = textOf(MAX_DOCUMENT_TEXT - 1_000_000, 6006)
      // Walked once here: three million characters, far from the limit.
      expect(send(gate, live, added(doc, live, 'y'.repeat(10)), claire)).toBeNull()
      grow(live, 1_000_000 - 15)
      expect(send(gate, live, added(doc, live, 'y'.repeat(5)), claire)).toBeNull()
      expect(lengthOf(live)).toBe(MAX_DOCUMENT_TEXT)
      expect(send(gate, live, added(doc, live, 'y'), claire)).toMatch(/at most 4000000 characters/)
    })

    it('holds the room a decision being stored will take: typing meanwhile cannot take it, and may once it is released', () => {
      const live = new Y.Doc()
      grow(live, MAX_DOCUMENT_TEXT - 10_000)
      const gate = new UpdateGate(live)
      const claire = holder('claire')
      // Each attempt from a copy of the text as it stands: a refused paragraph is not one the next may follow.
      const attempt = (client: number, characters: number) => send(gate, live, added(clientOf(live, client), live, 'y'.repeat(characters)), claire)
      // An acceptance of 6,000 characters was measured against the text, and is being stored.
      const release = gate.reserve(6_000)
      expect(attempt(8008, 5_000)).toMatch(/at most 4000000 characters/)
      expect(attempt(8009, 4_000)).toBeNull()
      // Stored, or refused: the room is the text's again.
      release()
      release()
      expect(attempt(8010, 6_000)).toBeNull()
      expect(lengthOf(live)).toBe(MAX_DOCUMENT_TEXT)
    })

    it('lets a text stored longer than the limit be shortened or changed without growing, never lengthened', () => {
      const { live, gate, claire, doc } = textOf(MAX_DOCUMENT_TEXT + 100, 7007)
      const first = (doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
      const before = Y.encodeStateVector(doc)
      first.delete(0, 5)
      first.insert(0, 'abc')
      expect(send(gate, live, Y.encodeStateAsUpdate(doc, before), claire)).toBeNull()
      expect(lengthOf(live)).toBe(MAX_DOCUMENT_TEXT + 98)
      const again = Y.encodeStateVector(doc)
      first.delete(0, 2)
      first.insert(0, 'de')
      expect(send(gate, live, Y.encodeStateAsUpdate(doc, again), claire)).toBeNull()
      expect(send(gate, live, added(doc, live, 'f'), claire)).toMatch(/at most 4000000 characters/)
      expect(lengthOf(live)).toBe(MAX_DOCUMENT_TEXT + 98)
    })
  })
})
