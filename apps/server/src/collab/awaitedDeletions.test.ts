import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AwaitedDeletions, MAX_AWAITED_IDS_PER_PERSON } from './awaitedDeletions.ts'

/** Another's copy, whose typing (`arrive`) reaches `doc`. */
function typist(doc: Y.Doc, client: number) {
  const other = new Y.Doc()
  other.clientID = client
  return (count: number) => {
    other.getText('t').insert(0, 'x'.repeat(count))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
  }
}

describe('deletions awaited for others’ changes the server lacks', () => {
  it('call back once the text holds what they reach under some id, and not before', () => {
    const doc = new Y.Doc()
    let held = 0
    const awaited = new AwaitedDeletions(doc, new Map(), 'claire', () => held++)
    awaited.add(new Map([[7, 5]]))
    const arrive = typist(doc, 7)
    arrive(3)
    expect(held).toBe(0)
    arrive(2)
    expect(held).toBe(1)
    // Nothing more is waited for: later changes do not call back.
    arrive(2)
    expect(held).toBe(1)
  })

  it('wait on at most MAX_AWAITED_IDS_PER_PERSON ids a person over their connections, given back as they close', () => {
    const doc = new Y.Doc()
    const counts = new Map<string, number>()
    const ids = (from: number) => new Map(Array.from({ length: MAX_AWAITED_IDS_PER_PERSON }, (_, index): [number, number] => [from + index, 1]))
    const first = new AwaitedDeletions(doc, counts, 'mateo', () => {})
    const second = new AwaitedDeletions(doc, counts, 'mateo', () => {})
    first.add(ids(1_000))
    second.add(ids(2_000))
    expect(counts.get('mateo')).toBe(MAX_AWAITED_IDS_PER_PERSON)
    expect((doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')?.size).toBe(1)
    first.stop()
    expect(counts.has('mateo')).toBe(false)
    second.add(ids(2_000))
    expect(counts.get('mateo')).toBe(MAX_AWAITED_IDS_PER_PERSON)
    second.stop()
    expect((doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')?.size ?? 0).toBe(0)
  })
})
