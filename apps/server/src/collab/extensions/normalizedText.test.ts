import { BODY, needsNormalizing, normalizedText as composedText } from '@hemicycle/schema'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Logger } from '../../logger.ts'
import { Composers } from '../composer.ts'
import { type Fanout, InProcessFanout } from '../fanout.ts'
import { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'
import { normalizedText } from './normalizedText.ts'

const documents: LiveDocument[] = []
const composers: Composers[] = []
afterEach(() => {
  for (const document of documents.splice(0)) document.destroy()
  for (const claims of composers.splice(0)) claims.stop()
})

const logger = { error: () => {}, info: () => {}, warn: () => {}, debug: () => {} } as unknown as Logger

const connection = (id: string): UpdateOrigin =>
  ({ kind: 'connection', connectionId: id, person: { id: `p-${id}`, username: id, name: id, role: 'delegate', gender: 'f', delegationId: 'd' } }) as unknown as UpdateOrigin
const relayed: UpdateOrigin = { kind: 'remote', instanceId: 'other' }

/** A text of one paragraph holding `words`, as storage holds it. */
function stored(words: string): Y.Doc {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(BODY).insert(0, [paragraph])
  paragraph.insert(0, [new Y.XmlText(words)])
  return doc
}

/**
 * One instance's copy of a stored text, loaded as the collaboration server loads it (the hook claims it on `bus`), its
 * changes told to the hook as the server tells them. `claimMs`: how long its claim lasts unless renewed.
 */
async function instance(clientId: number, from: Y.Doc, bus: Fanout = new InProcessFanout(), claimMs = 60_000): Promise<{ document: LiveDocument; claims: Composers }> {
  const document = new LiveDocument('r', 'draft')
  documents.push(document)
  document.doc.clientID = clientId
  Y.applyUpdate(document.doc, Y.encodeStateAsUpdate(from), { kind: 'storage' })
  const claims = new Composers({ fanout: bus, instanceId: `instance-${clientId}`, logger, claimMs })
  composers.push(claims)
  const hook = normalizedText({ logger, composers: claims })
  document.doc.on('update', (update: Uint8Array, origin: UpdateOrigin, _doc: Y.Doc, transaction: Y.Transaction) => {
    hook.onChange!({ document, update, origin: origin ?? { kind: 'server' }, seq: 1, structural: false, transaction })
  })
  await hook.afterLoadDocument!({ document })
  return { document, claims }
}

const textOf = (document: LiveDocument) => (document.doc.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText

/** A text's characters, without its formatting. */
const plainText = (text: Y.XmlText) => (text.toDelta() as Array<{ insert: string }>).map(({ insert }) => insert).join('')

/** A tab's change made in its own copy (under `clientId` if given), sent to `document` as a connection's update. */
function typed(document: LiveDocument, origin: UpdateOrigin, change: (text: Y.XmlText) => void, clientId?: number): Uint8Array {
  const update = typedElsewhere(document.doc, change, clientId)
  Y.applyUpdate(document.doc, update, origin)
  return update
}

/** Relays each instance's changes to the other, as the bus does, until neither composes anything more. */
async function relayUntilSettled(one: LiveDocument, other: LiveDocument): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const before = [Y.encodeStateVector(one.doc), Y.encodeStateVector(other.doc)]
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(one.doc, Y.encodeStateVector(other.doc)), relayed)
    Y.applyUpdate(one.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(one.doc)), relayed)
    await Promise.resolve()
    const after = [Y.encodeStateVector(one.doc), Y.encodeStateVector(other.doc)]
    if (Buffer.from(before[0]!).equals(after[0]!) && Buffer.from(before[1]!).equals(after[1]!)) return
  }
  throw new Error('the instances never settled')
}

describe('composing typed text across instances', () => {
  it("is one instance's change: the other, whose connection touched the paragraph meanwhile, does not write the same letter again (helper-169)", async () => {
    for (const [a, b] of [
      [7, 70],
      [70, 7],
    ] as const) {
      for (const composer of ['A', 'B'] as const) {
        const first = stored('Caf k.')
        const bus = new InProcessFanout()
        // The instance that loads the text first composes it.
        const [onA, onB] = composer === 'A' ? [await instance(a, first, bus), await instance(b, first, bus)] : [await instance(b, first, bus), await instance(a, first, bus)].reverse()
        const [A, B] = [onA!.document, onB!.document]
        expect(onA!.claims.composesHere(A)).toBe(composer === 'A')
        expect(onB!.claims.composesHere(B)).toBe(composer === 'B')
        // A's connection types "e" and a combining accent; its relay reaches B, where a connection deletes the "k" before
        // anything was composed: each instance hears a connection's change touching the piece.
        const accent = typed(A, connection('a'), (text) => text.insert(3, 'e\u0301'))
        Y.applyUpdate(B.doc, accent, relayed)
        typed(B, connection('b'), (text) => text.delete(6, 1))
        await Promise.resolve()
        await relayUntilSettled(A, B)
        expect([a, composer, textOf(A).toString()]).toEqual([a, composer, 'Café .'])
        expect(textOf(B).toString()).toBe('Café .')
      }
    }
  })

  it("composes what two instances' connections typed together, a letter on one and its accent on the other at once (H1)", async () => {
    for (const composer of ['letter', 'accent'] as const) {
      const first = stored('Caf k.')
      const bus = new InProcessFanout()
      // The instance that loads the text first composes it.
      const [onLetter, onAccent] = composer === 'letter' ? [await instance(7, first, bus), await instance(70, first, bus)] : [await instance(70, first, bus), await instance(7, first, bus)].reverse()
      if (!onLetter || !onAccent) throw new Error('two instances')
      expect(onAccent.claims.composesHere(onAccent.document)).toBe(composer === 'accent')
      // Neither has the other's: the lower client id puts the letter first.
      typed(onLetter.document, connection('a'), (text) => text.insert(3, 'e'), 1)
      typed(onAccent.document, connection('b'), (text) => text.insert(3, '\u0301'), 2)
      await Promise.resolve()
      await relayUntilSettled(onLetter.document, onAccent.document)
      for (const { document } of [onLetter, onAccent]) {
        expect([composer, textOf(document).toString()]).toEqual([composer, 'Café k.'])
        expect(needsNormalizing(textOf(document))).toBe(false)
      }
    }
  })

  it("leaves the other instance's piece composed once whatever its connection does beside it (property)", async () => {
    // helper-171: a format or a letter of B's beside A's "e\u0301" put marks at the piece's ends, and B composed it too.
    const settled = ['a', 'x', ' ', 'é', '.']
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.array(fc.constantFrom(...settled), { minLength: 1, maxLength: 3 }).map((c) => c.join('')), format: fc.constantFrom<Record<string, unknown>>({}, { bold: {} }, { italic: {} }, { bold: {}, italic: {} }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('format' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }), key: fc.constantFrom('bold', 'italic'), on: fc.boolean() }),
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), fc.boolean(), async (where, edits, lowerA, composerA, relayFirst) => {
        const first = stored('Caf k.')
        const bus = new InProcessFanout()
        const loaded = composerA ? [await instance(lowerA ? 7 : 70, first, bus), await instance(lowerA ? 70 : 7, first, bus)] : [await instance(lowerA ? 70 : 7, first, bus), await instance(lowerA ? 7 : 70, first, bus)].reverse()
        const [A, B] = loaded.map(({ document }) => document) as [LiveDocument, LiveDocument]
        const typing = typed(A, connection('a'), (text) => text.insert(where, 'e\u0301'))
        // The relay of A's typing reaches B before or after A composed it.
        if (!relayFirst) await Promise.resolve()
        Y.applyUpdate(B.doc, Y.encodeStateAsUpdate(A.doc, Y.encodeStateVector(B.doc)), relayed)
        // B's connection writes only beside the piece [where, where + 2) as B had it: before it or after it, never inside.
        let besides: Uint8Array | null = null
        if (relayFirst) {
          besides = typed(B, connection('b'), (text) => {
            let piece = where
            for (const edit of edits) {
              const length = text.length
              if (edit.kind === 'insert') {
                const at = edit.at % (length + 1)
                if (at > piece && at < piece + 2) continue
                text.insert(at, edit.text, edit.format)
                if (at <= piece) piece += edit.text.length
              } else {
                const at = edit.at % length
                const end = Math.min(length, at + edit.length)
                if (at < piece + 2 && end > piece) continue
                if (edit.kind === 'delete') {
                  text.delete(at, end - at)
                  if (end <= piece) piece -= end - at
                } else text.format(at, end - at, { [edit.key]: edit.on ? {} : null })
              }
            }
          })
        }
        await Promise.resolve()
        await relayUntilSettled(A, B)
        // The same typing and edits composed once, as one server would have.
        const once = new Y.Doc()
        Y.applyUpdate(once, Y.encodeStateAsUpdate(first))
        Y.applyUpdate(once, typing)
        if (besides) Y.applyUpdate(once, besides)
        const expected = composedText(plainText((once.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText))
        expect(plainText(textOf(A))).toBe(expected)
        expect(plainText(textOf(B))).toBe(expected)
        for (const document of documents.splice(0)) document.destroy()
        for (const claims of composers.splice(0)) claims.stop()
      }),
      { numRuns: 500 },
    )
  })

  it('is taken over by another instance when the composer dies, which composes what was typed meanwhile', async () => {
    const first = stored('Caf k.')
    const bus = new InProcessFanout()
    const claimMs = 300
    const one = await instance(7, first, bus, claimMs)
    const two = await instance(70, first, bus, claimMs)
    expect(two.claims.composesHere(two.document)).toBe(false)
    // The composer dies: its claim is never renewed nor let go.
    one.claims.stop()
    typed(two.document, connection('b'), (text) => text.insert(3, 'e\u0301'))
    await Promise.resolve()
    expect(textOf(two.document).toString()).toBe('Cafe\u0301 k.')
    // Taken within the claim's length and a renewal.
    await new Promise((resolve) => setTimeout(resolve, claimMs + claimMs / 3 + 100))
    expect(two.claims.composesHere(two.document)).toBe(true)
    expect(textOf(two.document).toString()).toBe('Café k.')
  })

  it('is taken at the next renewal by another instance when the composer lets the text go', async () => {
    const first = stored('Caf k.')
    const bus = new InProcessFanout()
    const claimMs = 3000
    const one = await instance(7, first, bus, claimMs)
    const two = await instance(70, first, bus, claimMs)
    const hook = normalizedText({ logger, composers: one.claims })
    await hook.onUnloadDocument!({ document: one.document })
    typed(two.document, connection('b'), (text) => text.insert(3, 'e\u0301'))
    await new Promise((resolve) => setTimeout(resolve, claimMs / 3 + 100))
    expect(textOf(two.document).toString()).toBe('Café k.')
  })

  it('composes nothing once the text is locked, on any instance', async () => {
    const first = stored('Caf k.')
    const { document } = await instance(7, first)
    document.stage = 'final'
    Y.applyUpdate(document.doc, typedElsewhere(first, (text) => text.insert(3, 'e\u0301')), relayed)
    await Promise.resolve()
    expect(textOf(document).toString()).toBe('Cafe\u0301 k.')
  })

  it('composes, on loading, what was stored uncomposed', async () => {
    const { document } = await instance(7, stored('Cafe\u0301 k.'))
    expect(textOf(document).toString()).toBe('Café k.')
  })
})

/** A change made in a copy of `from` (under `clientId` if given): a tab's, or another instance's as it relays it. */
function typedElsewhere(from: Y.Doc, change: (text: Y.XmlText) => void, clientId?: number): Uint8Array {
  const tab = new Y.Doc()
  if (clientId !== undefined) tab.clientID = clientId
  Y.applyUpdate(tab, Y.encodeStateAsUpdate(from))
  const before = Y.encodeStateVector(tab)
  tab.transact(() => change((tab.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText))
  return Y.encodeStateAsUpdate(tab, before)
}

describe('composing after many frames of one turn', () => {
  it('looks each character up once, not once per frame: 1,000 frames, each an accent typed into a paragraph of 10,000 characters, in a text of 5,000 client ids', async () => {
    const first = stored('abcdefghij'.repeat(1_000))
    // The tab's frames, typed before the text gained the ids below (they touch none of it, and the tab is quicker so).
    const tab = new Y.Doc()
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(first))
    const text = (tab.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText
    const frames: Uint8Array[] = []
    tab.on('update', (update: Uint8Array) => frames.push(update))
    // From the end, so each accent stays after its "e": 1,000 of them, each a frame of its own.
    for (let at = 9_995; at >= 5; at -= 10) text.insert(at, '\u0301')
    // A text long open holds thousands of client ids: what each frame wrote is read from it, not from the ids' states.
    const other = new Y.XmlElement('paragraph')
    first.getXmlFragment(BODY).insert(1, [other])
    other.insert(0, [new Y.XmlText()])
    const typedInto = other.get(0) as Y.XmlText
    first.transact(() => {
      for (let id = 1; id <= 5_000; id++) {
        first.clientID = 100_000 + id
        typedInto.insert(0, 'x')
      }
    })
    const { document } = await instance(9, first)
    expect(document.doc.store.clients.size).toBeGreaterThan(5_000)
    const origin = connection('c')
    for (const frame of frames) Y.applyUpdate(document.doc, frame, origin)
    const started = performance.now()
    await Promise.resolve()
    const took = performance.now() - started
    expect(textOf(document).toString()).toBe('abcdéfghij'.repeat(1_000))
    console.log(`1,000 accents composed after 1,000 frames in ${took.toFixed(0)} ms`)
    // 277 ms when read from each transaction's states before and after (helper-170).
    expect(took).toBeLessThan(200)
  })
})
