import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyInSlices } from './slicedApply.ts'

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
