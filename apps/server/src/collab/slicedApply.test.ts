import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { chain, deletedItems, type ID } from '../../test/rivalChain.ts'
import { applyInSlices, replayed, replayedAtOnce } from './slicedApply.ts'

/** `count` one-character updates typed in order into one text. */
function typed(count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let index = 0; index < count; index++) doc.getText('t').insert(index % 3 === 0 ? 0 : doc.getText('t').length, String.fromCharCode(97 + (index % 26)))
  return { updates, text: doc.getText('t').toString() }
}

describe('applying updates in slices', () => {
  it('gives the loop back once per slice and ends with every update applied, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 10 }), async (count, sliceMs) => {
        const { updates, text } = typed(count)
        // A clock that moves 1 ms each time it is read: a slice is then about sliceMs updates.
        let clock = 0
        const applied: number[] = []
        const doc = new Y.Doc()
        doc.on('update', () => applied.push(applied.length))
        let pauses = 0
        const appliedAtPauses: number[] = []
        await applyInSlices(doc, updates, {
          sliceMs,
          now: () => clock++,
          pause: async () => {
            pauses += 1
            appliedAtPauses.push(applied.length)
          },
        })
        expect(doc.getText('t').toString()).toBe(text)
        expect(applied).toHaveLength(count)
        // Never a pause before the first update, and some update between any two pauses.
        expect(appliedAtPauses.every((done, index) => done > (index === 0 ? 0 : appliedAtPauses[index - 1]!))).toBe(true)
        // The clock moves 1 ms per update and once more per pause: a slice is sliceMs updates, so the pauses are as many as the slices after the first.
        expect(pauses).toBe(count === 0 ? 0 : Math.ceil(count / sliceMs) - 1)
      }),
    )
  })

  it('lets what is waiting in the event loop run between slices', async () => {
    const { updates, text } = typed(200)
    const doc = new Y.Doc()
    let appliedWhenOtherWorkRan = -1
    let applied = 0
    doc.on('update', () => (applied += 1))
    setImmediate(() => (appliedWhenOtherWorkRan = applied))
    let clock = 0
    await applyInSlices(doc, updates, { sliceMs: 10, now: () => clock++ })
    expect(doc.getText('t').toString()).toBe(text)
    expect(appliedWhenOtherWorkRan).toBeGreaterThan(0)
    expect(appliedWhenOtherWorkRan).toBeLessThan(200)
  })
})

describe('replaying a stored log', () => {
  /** A text "ab" as stored, and two rows each instance admitted: a chain of deleted items between "a" and "b", and rivals enclosing it. */
  function twoInstancesRows(length: number) {
    const base = new Y.Doc()
    base.clientID = 1
    const paragraph = new Y.XmlElement('paragraph')
    base.getXmlFragment('body').insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('ab')])
    const text = paragraph.get(0) as Y.XmlText
    const X: ID = [text._start!.id.client, text._start!.id.clock]
    const R: ID = [X[0], X[1] + 1]
    const sent = [
      deletedItems(chain(X, R, length, [1001, 1002]).byClient),
      // The rivals' id is above the chain's: placed after the chain, each walks all of it; placed before, none.
      deletedItems(new Map([[2 ** 31 - 5, Array.from({ length: 256 }, () => ({ origin: X, right: R }))]])),
    ]
    // Stored as the instances' live documents wrote them: Yjs's own encoding of what each took.
    const rows: Uint8Array[] = []
    for (const update of sent) {
      const instance = new Y.Doc()
      Y.applyUpdate(instance, Y.encodeStateAsUpdate(base))
      instance.on('update', (written: Uint8Array) => rows.push(written))
      Y.applyUpdate(instance, update)
    }
    return { snapshot: Y.encodeStateAsUpdate(base), rows }
  }

  it('reaches the same text in another order when the order stored walks far, in a fraction of the time', async () => {
    const { snapshot, rows } = twoInstancesRows(20_000)
    let started = performance.now()
    const inOrder = new Y.Doc()
    Y.applyUpdate(inOrder, snapshot)
    await applyInSlices(inOrder, rows)
    const inOrderMs = performance.now() - started
    started = performance.now()
    const doc = await replayed(snapshot, rows)
    const replayedMs = performance.now() - started
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(inOrder))
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(inOrder))
    expect(replayedMs).toBeLessThan(inOrderMs / 3)
  })

  it('reads the same in one go, for the exports and the stored text pages read', async () => {
    const { snapshot, rows } = twoInstancesRows(20_000)
    let started = performance.now()
    const inOrder = new Y.Doc()
    for (const update of [snapshot, ...rows]) Y.applyUpdate(inOrder, update)
    const inOrderMs = performance.now() - started
    started = performance.now()
    const doc = replayedAtOnce([snapshot, ...rows])
    const replayedMs = performance.now() - started
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(inOrder))
    expect(replayedMs).toBeLessThan(inOrderMs / 3)
  })

  it('replays in the order stored whatever walks little, the snapshot first', async () => {
    const { updates } = typed(40)
    const doc = await replayed(updates[0]!, updates.slice(1))
    expect(doc.getText('t').toString()).toBe(typed(40).text)
  })
})
