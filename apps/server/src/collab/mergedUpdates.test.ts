import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MERGE_FAN_IN, mergedUpdates } from './mergedUpdates.ts'

/** Edits by a few people on a shared text, each one update, as a document's outbox or log receives them. */
const edits = fc.array(fc.record({ who: fc.integer({ min: 0, max: 2 }), at: fc.nat(), text: fc.string({ maxLength: 3 }), remove: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 300 })

function recorded(script: ReadonlyArray<{ who: number; at: number; text: string; remove: number }>) {
  const base = new Y.Doc()
  base.getText('t').insert(0, 'Le Conseil décide.')
  const people = [1, 2, 3].map((client) => {
    const doc = new Y.Doc()
    doc.clientID = client
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
    return doc
  })
  const updates: Uint8Array[] = []
  for (const { who, at, text, remove } of script) {
    const doc = people[who]!
    // Each person hears everything before writing, as over a live connection.
    for (const update of updates) Y.applyUpdate(doc, update)
    const before = Y.encodeStateVector(doc)
    const shared = doc.getText('t')
    const place = at % (shared.length + 1)
    doc.transact(() => {
      if (remove > 0 && place < shared.length) shared.delete(place, Math.min(remove, shared.length - place))
      if (text) shared.insert(place, text)
    })
    const update = Y.encodeStateAsUpdate(doc, before)
    if (update.byteLength > 2) updates.push(update)
  }
  return { base, updates }
}

const applied = (base: Y.Doc, updates: readonly Uint8Array[]) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  for (const update of updates) Y.applyUpdate(doc, update)
  return { text: doc.getText('t').toString(), vector: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(), pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null }
}

describe('updates merged level by level', () => {
  it('do what Yjs merging them all at once does, and what applying each does', () => {
    fc.assert(
      fc.property(edits, (script) => {
        const { base, updates } = recorded(script)
        if (updates.length === 0) return
        const merged = applied(base, [mergedUpdates(updates)])
        expect(merged).toEqual(applied(base, updates))
        expect(merged).toEqual(applied(base, [Y.mergeUpdates(updates)]))
        expect(merged.pending).toBe(false)
      }),
      { numRuns: 60 },
    )
  })

  it(`stay fast past ${MERGE_FAN_IN}: 40,000 keystrokes each deleted at once, one update each, in well under a second`, () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'Le Conseil décide.')
    const start = Y.encodeStateAsUpdate(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    for (let index = 0; index < 20_000; index++) {
      text.insert(3, 'x')
      text.delete(3, 1)
    }
    const started = performance.now()
    const merged = mergedUpdates(updates)
    const took = performance.now() - started
    const copy = new Y.Doc()
    Y.applyUpdate(copy, start)
    Y.applyUpdate(copy, merged)
    expect(copy.getText('t').toString()).toBe('Le Conseil décide.')
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc))
    expect(updates).toHaveLength(40_000)
    // All at once, Yjs took 2 to 4 s here (about n²); level by level, about 0.1 s.
    expect(took).toBeLessThan(1_500)
  })
})
