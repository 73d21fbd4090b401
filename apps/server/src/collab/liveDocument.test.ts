import { MessageType } from '@hemicycle/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Connection } from './connection.ts'
import { LiveDocument } from './liveDocument.ts'

/** A receiving end: the only parts of a connection broadcasting uses are `send` and `sendShared`. */
function receiver(document: LiveDocument) {
  const received: Uint8Array[] = []
  const shared: Uint8Array[] = []
  const connection = {
    send: (message: Uint8Array) => received.push(message),
    sendShared: (message: Uint8Array) => received.push(message) && shared.push(message),
  } as unknown as Connection
  document.connections.add(connection)
  return { connection, received, shared }
}

/** What a client holding nothing reads from these sync messages. */
function textFrom(messages: readonly Uint8Array[]): string {
  const doc = new Y.Doc()
  for (const message of messages) {
    const decoder = decoding.createDecoder(message)
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Sync)
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server')
  }
  return doc.getText('t').toString()
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** Three separate changes, as three people typing would send them. */
function threeChanges() {
  const source = new Y.Doc()
  const updates: Uint8Array[] = []
  source.on('update', (update: Uint8Array) => updates.push(update))
  for (const word of ['one ', 'two ', 'three']) source.getText('t').insert(source.getText('t').length, word)
  return updates as [Uint8Array, Uint8Array, Uint8Array]
}

describe('LiveDocument broadcasts', () => {
  it('sends what queued in one turn as one merged update, the same bytes to every connection that sent nothing', async () => {
    const document = new LiveDocument('r', 'draft')
    const watcher = receiver(document)
    const other = receiver(document)
    const typist = receiver(document)
    const [first, second, third] = threeChanges()
    document.broadcastUpdate(first, typist.connection)
    document.broadcastUpdate(second, typist.connection)
    document.broadcastUpdate(third, undefined)
    expect(watcher.received).toHaveLength(0)
    await nextTurn()
    expect(watcher.received).toHaveLength(1)
    expect(other.received).toHaveLength(1)
    // Encoded once for all of them: one buffer, not equal copies, sent as shared (framed once: `websocket.ts`).
    expect(other.received[0]).toBe(watcher.received[0])
    expect(other.shared).toEqual(other.received)
    expect(textFrom(watcher.received)).toBe('one two three')
    // The typist gets only what it did not send itself, which without its own changes cannot integrate yet.
    expect(typist.received).toHaveLength(1)
    expect(typist.shared).toHaveLength(0)
    const typistDoc = new Y.Doc()
    Y.applyUpdate(typistDoc, Y.mergeUpdates([first, second]))
    const decoder = decoding.createDecoder(typist.received[0]!)
    decoding.readVarUint(decoder)
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), typistDoc, 'server')
    expect(typistDoc.getText('t').toString()).toBe('one two three')
    expect(textFrom(typist.received)).toBe('')
    document.destroy()
  })

  it('gives newcomers one cached state, encoded again only after a change', async () => {
    const document = new LiveDocument('r', 'draft')
    const [first, second] = threeChanges()
    Y.applyUpdate(document.doc, first)
    const joined = document.stateForNewcomer()
    expect(document.stateForNewcomer()).toBe(joined)
    expect(textFrom([joined])).toBe('one ')
    Y.applyUpdate(document.doc, second)
    document.broadcastUpdate(second, undefined)
    const after = document.stateForNewcomer()
    expect(after).not.toBe(joined)
    expect(textFrom([after])).toBe('one two ')
    await nextTurn()
    document.destroy()
  })
})

describe('LiveDocument.wholeState', () => {
  it('is always what Yjs encodes the document to now, whatever changed it and in whatever order changes arrived', () => {
    // Each step: a writer types or deletes, or the document takes one of the writers' updates, in any order: an update
    // taken before the one it builds on waits in the document (pending), which encodes it with no update event.
    const step = fc.oneof(
      fc.record({ writer: fc.nat(1), at: fc.nat(20), text: fc.constantFrom('a', 'bc', 'é😀'), remove: fc.nat(3) }),
      fc.record({ take: fc.nat(30), whole: fc.boolean() }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const document = new LiveDocument('r', 'draft')
        const writers = [new Y.Doc(), new Y.Doc()]
        const sent: Uint8Array[] = []
        for (const writer of writers) writer.on('update', (update: Uint8Array) => sent.push(update))
        try {
          for (const one of steps) {
            if ('writer' in one) {
              const text = writers[one.writer]!.getText('t')
              if (one.remove > 0 && text.length > 0) text.delete(one.at % text.length, Math.min(one.remove, text.length - (one.at % text.length)))
              else text.insert(one.at % (text.length + 1), one.text)
            } else if (sent.length > 0) {
              const writer = writers[one.take % 2]!
              Y.applyUpdate(document.doc, one.whole ? Y.encodeStateAsUpdate(writer) : sent[one.take % sent.length]!)
            }
            expect(document.wholeState()).toEqual(Y.encodeStateAsUpdate(document.doc))
          }
        } finally {
          document.destroy()
          for (const writer of writers) writer.destroy()
        }
      }),
      { numRuns: 300 },
    )
  })

  it('is encoded once between two changes', () => {
    const document = new LiveDocument('r', 'draft')
    const [first, second] = threeChanges()
    Y.applyUpdate(document.doc, first)
    const state = document.wholeState()
    expect(document.wholeState()).toBe(state)
    Y.applyUpdate(document.doc, second)
    expect(document.wholeState()).not.toBe(state)
    document.destroy()
  })
})
