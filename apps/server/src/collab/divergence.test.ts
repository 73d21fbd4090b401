import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clashingClient } from './divergence.ts'

const CLIENT = 123_456_789

/** A document holding "Nous devons agir." typed by the server, as both instances load it. */
function loaded(): Y.Doc {
  const seed = new Y.Doc()
  seed.clientID = 1
  const paragraph = new Y.XmlElement('paragraph')
  seed.getXmlFragment('body').insert(0, [paragraph])
  paragraph.insert(0, [new Y.XmlText('Nous devons agir.')])
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed))
  return doc
}

const textOf = (doc: Y.Doc) => (doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText

/** What a client under `client` typed into its own copy of `base`, as the update it sends. */
function typed(base: Y.Doc, client: number, edit: (text: Y.XmlText) => void): Uint8Array {
  const copy = new Y.Doc()
  copy.clientID = client
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(copy)
  edit(textOf(copy))
  return Y.encodeStateAsUpdate(copy, before)
}

/** A copy holding 👍 typed under `CLIENT`, and the update that typed it. */
function wholeEmoji(): { whole: Y.Doc; update: Uint8Array } {
  const whole = loaded()
  const update = typed(whole, CLIENT, (text) => text.insert(0, '👍'))
  Y.applyUpdate(whole, update)
  return { whole, update }
}

/** Another copy of `update`, its emoji split between its halves by `split`, made under client 42 (U+FFFD for each half there). */
function splitCopy(update: Uint8Array, split: (text: Y.XmlText) => void): Y.Doc {
  const copy = loaded()
  Y.applyUpdate(copy, update)
  copy.clientID = 42
  split(textOf(copy))
  expect(textOf(copy).toString()).toContain('\ufffd')
  return copy
}

describe('a change relayed under ids this copy holds', () => {
  it('clashes when it says other words under them: two instances each took one', () => {
    const a = loaded()
    const b = loaded()
    Y.applyUpdate(a, typed(a, CLIENT, (text) => text.insert(0, 'AAAA ')))
    Y.applyUpdate(b, typed(b, CLIENT, (text) => text.insert(0, 'BBBB ')))
    const relayedFromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(loaded()))
    expect(clashingClient(b, relayedFromA)).toBe(CLIENT)
    expect(clashingClient(a, Y.encodeStateAsUpdate(b))).toBe(CLIENT)
  })

  it('clashes when one emoji stands for another under them, and not when a copy split an emoji the other holds whole', () => {
    const a = loaded()
    const b = loaded()
    Y.applyUpdate(a, typed(a, CLIENT, (text) => text.insert(0, '👍')))
    Y.applyUpdate(b, typed(b, CLIENT, (text) => text.insert(0, '👎')))
    expect(clashingClient(b, Y.encodeStateAsUpdate(a))).toBe(CLIENT)
    expect(clashingClient(a, Y.encodeStateAsUpdate(b))).toBe(CLIENT)
    // The same emoji, split on one copy by a letter typed between its halves: U+FFFD for each half there.
    const { whole, update } = wholeEmoji()
    const split = splitCopy(update, (text) => text.insert(1, 'x'))
    expect(clashingClient(whole, Y.encodeStateAsUpdate(split))).toBeNull()
    expect(clashingClient(split, update)).toBeNull()
  })

  it('clashes when ids collected on one copy stand as words in a paragraph the other holds alive, and not when that paragraph was deleted', () => {
    // A hand-written run of three collected clocks of CLIENT (a GC struct), no deletion with it: admitted on one
    // instance while "abc" went to the other under the same ids, nothing ever deleted "abc" there.
    const encoder = encoding.createEncoder()
    for (const value of [1, 1, CLIENT, 0]) encoding.writeVarUint(encoder, value)
    encoding.writeUint8(encoder, 0)
    encoding.writeVarUint(encoder, 3)
    encoding.writeVarUint(encoder, 0)
    const collected = encoding.toUint8Array(encoder)
    const a = loaded()
    const b = loaded()
    Y.applyUpdate(a, collected)
    const abc = typed(b, CLIENT, (text) => text.insert(0, 'abc'))
    Y.applyUpdate(b, abc)
    expect(clashingClient(b, collected)).toBe(CLIENT)
    expect(clashingClient(a, abc)).toBe(CLIENT)
    // Honestly collected: the paragraph deleted on one copy, its words collected there; the other copy still holds
    // them, and hears the deletion with them.
    const deleting = loaded()
    Y.applyUpdate(deleting, abc)
    deleting.clientID = 42
    deleting.getXmlFragment('body').delete(0, 1)
    expect(deleting.store.clients.get(CLIENT)![0]).toBeInstanceOf(Y.GC)
    expect(clashingClient(b, Y.encodeStateAsUpdate(deleting))).toBeNull()
    // And the words typed before the deletion, heard late by the copy that collected them.
    expect(clashingClient(deleting, abc)).toBeNull()
  })

  it('agrees with a copy that collected a paragraph\'s words, relayed by an instance that had not held them: it deletes the paragraph', () => {
    // A two-instance property test (a review): a client's paragraph taken on A, then deleted by the client, which
    // reconnected to B before A's relay arrived. B took its whole state (the paragraph deleted, its words collected):
    // what B relays deletes the paragraph, not the collected words (Yjs puts those in no delete set).
    const client = new Y.Doc()
    client.clientID = CLIENT
    const body = client.getXmlFragment('body')
    const paragraph = new Y.XmlElement('paragraph')
    body.insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('Bonjour.')])
    const [a, b] = [new Y.Doc(), new Y.Doc()]
    Y.applyUpdate(a, Y.encodeStateAsUpdate(client))
    body.delete(0, 1)
    const relayed: Uint8Array[] = []
    b.on('update', (update: Uint8Array) => relayed.push(update))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(client, Y.encodeStateVector(b)))
    expect(Y.decodeUpdate(relayed[0]!).structs.some((struct) => struct instanceof Y.GC)).toBe(true)
    expect(clashingClient(a, relayed[0]!, undefined, { splitPairsAgree: false })).toBeNull()
  })

  it('clashes between instances where one took a copy that split an emoji no change says was split, and lets a client\'s copy say so', () => {
    // A review's two-instance property test: bold removed where there was none writes nothing, yet its client's own
    // copy splits the emoji the range ends in (U+FFFD for each half). B took that copy first and showed "��" for
    // good where A, which had the emoji whole, showed it.
    const client = new Y.Doc({ gc: false })
    client.clientID = CLIENT
    const paragraph = new Y.XmlElement('paragraph')
    client.getXmlFragment('body').insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('P0')])
    const text = paragraph.get(0) as Y.XmlText
    text.insert(0, '👍🏽')
    const [a, b] = [new Y.Doc(), new Y.Doc()]
    Y.applyUpdate(a, Y.encodeStateAsUpdate(client))
    client.transact(() => {
      text.insert(0, 'a')
      text.format(0, 2, { bold: null })
    })
    Y.applyUpdate(b, Y.encodeStateAsUpdate(client))
    expect(b.getXmlFragment('body').toString()).toContain('\ufffd')
    expect(a.getXmlFragment('body').toString()).toContain('👍')
    expect(clashingClient(b, Y.encodeStateAsUpdate(a), undefined, { splitPairsAgree: false })).toBe(CLIENT)
    expect(clashingClient(a, Y.encodeStateAsUpdate(b), undefined, { splitPairsAgree: false })).toBe(CLIENT)
    // A connection's copy that split it is the client's own view, told apart from a clash of words.
    expect(clashingClient(a, Y.encodeStateAsUpdate(client))).toBeNull()
  })

  it('agrees between instances where a change splits the emoji on every copy: a letter between its halves, a deletion ending there', () => {
    // The strict rule of the time put copies away for nothing when the split came with such a change (the relay
    // property test, honestRelays.test.ts: a false clash within 204 runs).
    const between = (split: (text: Y.XmlText) => void) => {
      const { whole, update } = wholeEmoji()
      const splitting = splitCopy(update, split)
      // Held here (the other copy sends the emoji whole), and sent (with the change that splits it).
      expect(clashingClient(splitting, update, undefined, { splitPairsAgree: false })).toBeNull()
      expect(clashingClient(whole, Y.encodeStateAsUpdate(splitting), undefined, { splitPairsAgree: false })).toBeNull()
    }
    between((text) => text.insert(1, 'x'))
    between((text) => text.delete(1, 1))
    // The same split with nothing to say so is still a clash.
    const { whole } = wholeEmoji()
    const lone = new Y.Doc({ gc: false })
    Y.applyUpdate(lone, Y.encodeStateAsUpdate(whole))
    lone.clientID = 43
    textOf(lone).format(0, 1, { bold: null })
    expect(textOf(lone).toString()).toContain('\ufffd')
    const takenFromLone = new Y.Doc()
    Y.applyUpdate(takenFromLone, Y.encodeStateAsUpdate(lone))
    expect(clashingClient(whole, Y.encodeStateAsUpdate(takenFromLone), undefined, { splitPairsAgree: false })).toBe(CLIENT)
    expect(clashingClient(takenFromLone, Y.encodeStateAsUpdate(whole), undefined, { splitPairsAgree: false })).toBe(CLIENT)
  })

  it('clashes when the same words stand elsewhere under them', () => {
    const a = loaded()
    const b = loaded()
    Y.applyUpdate(a, typed(a, CLIENT, (text) => text.insert(0, 'Vite ')))
    Y.applyUpdate(b, typed(b, CLIENT, (text) => text.insert(6, 'Vite ')))
    expect(clashingClient(b, Y.encodeStateAsUpdate(a))).toBe(CLIENT)
  })

  it('tells values apart as Yjs keeps them: null from NaN, 0 from -0, bytes from bytes; and agrees on an object written in another key order', () => {
    const attributed = (value: unknown) => {
      const doc = loaded()
      Y.applyUpdate(doc, typed(doc, CLIENT, (text) => (text.parent as Y.XmlElement).setAttribute('start', value as string)))
      return doc
    }
    const pairs: Array<[unknown, unknown, boolean]> = [
      [null, Number.NaN, false],
      [Number.POSITIVE_INFINITY, null, false],
      [0, -0, false],
      [new Uint8Array([1, 2]), new Uint8Array([1, 3]), false],
      [{ a: [1, { b: null }] }, { a: [1, { b: Number.NaN }] }, false],
      [{ a: 1, b: [2] }, { b: [2], a: 1 }, true],
      [Number.NaN, Number.NaN, true],
    ]
    for (const [one, other, agree] of pairs) {
      const [a, b] = [attributed(one), attributed(other)]
      expect(clashingClient(b, Y.encodeStateAsUpdate(a), undefined, { splitPairsAgree: false }), `${String(one)} / ${String(other)}`).toBe(agree ? null : CLIENT)
    }
  })

  it('agrees when it is what this copy took: sent again, split since, partly deleted, or nothing new', () => {
    const a = loaded()
    const update = typed(a, CLIENT, (text) => text.insert(0, 'Il faut '))
    Y.applyUpdate(a, update)
    expect(clashingClient(a, update)).toBeNull()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(a))
    other.clientID = 42
    textOf(other).insert(3, 'vraiment ')
    textOf(other).delete(0, 2)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(other))
    expect(textOf(a).toString()).toBe(' vraiment faut Nous devons agir.')
    expect(clashingClient(a, update)).toBeNull()
    expect(clashingClient(a, Y.encodeStateAsUpdate(other))).toBeNull()
    expect(clashingClient(other, Y.encodeStateAsUpdate(a))).toBeNull()
  })

  it('never clashes between copies of one history, however it was typed, split, deleted and relayed', () => {
    const edit = fc.record({ doc: fc.nat(2), at: fc.nat(40), insert: fc.string({ maxLength: 4, unit: fc.constantFrom('a', 'é', '😀', ' ') }), remove: fc.nat(3), format: fc.boolean(), attribute: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) })
    const relay = fc.record({ from: fc.nat(2), to: fc.nat(2), whole: fc.boolean() })
    const paragraph = fc.record({ in: fc.nat(2), at: fc.nat(5), remove: fc.boolean() })
    fc.assert(
      fc.property(fc.array(fc.oneof(edit, relay, paragraph), { maxLength: 40 }), (steps) => {
        const docs = [loaded(), loaded(), loaded()]
        docs.forEach((doc, index) => (doc.clientID = 1000 + index))
        const sent: Array<{ to: number; update: Uint8Array }> = []
        for (const step of steps) {
          if ('in' in step) {
            // A paragraph added, or one taken out with all it holds (its structs then collected).
            const body = docs[step.in]!.getXmlFragment('body')
            if (step.remove && body.length > 1) body.delete(step.at % body.length, 1)
            else {
              const added = new Y.XmlElement('paragraph')
              body.insert(step.at % (body.length + 1), [added])
              added.insert(0, [new Y.XmlText(`§${step.at}`)])
            }
          } else if ('doc' in step) {
            const text = textOf(docs[step.doc]!)
            const at = step.at % (text.length + 1)
            if (step.insert) text.insert(at, step.insert)
            if (step.remove > 0 && at < text.length) text.delete(at, Math.min(step.remove, text.length - at))
            if (step.format && at < text.length) text.format(at, 1, { bold: true })
            // An attribute set again hangs its new value on the old one: sent with that origin, it names no key.
            if (step.attribute) (text.parent as Y.XmlElement).setAttribute(`data-${step.attribute}`, `${step.at}`)
          } else {
            const from = docs[step.from]!
            const to = docs[step.to]!
            const update = step.whole ? Y.encodeStateAsUpdate(from) : Y.encodeStateAsUpdate(from, Y.encodeStateVector(to))
            expect(clashingClient(to, update)).toBeNull()
            Y.applyUpdate(to, update)
            sent.push({ to: step.to, update })
          }
        }
        // Every update relayed once more, late, to every copy: what they hold by now is the same history.
        for (const { update } of sent) for (const doc of docs) expect(clashingClient(doc, update)).toBeNull()
      }),
      { numRuns: 300 },
    )
  })
})
