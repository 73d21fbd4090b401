import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_WALK_PER_ITEM, MAX_WALK_PER_UPDATE, WalkTooLong, withWalkLimits } from './conflictWalk.ts'

/** A copy of `from`, writing under `client`. */
function copyOf(from: Y.Doc, client: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = client
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  return doc
}

/** What `doc` holds that `other` has not. */
const missing = (doc: Y.Doc, other: Y.Doc) => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other))

/**
 * Two people typing in turn at one place, one character each turn, each
 * seeing the other's before typing: every character is its own item, hung
 * on the one before, all with the same right neighbour. Returns the first
 * person's copy (which has it all) and a third person's copy from before
 * it started, under an id above both (Yjs then walks the whole run to place
 * the third person's insertion there).
 */
function pingPong(turns: number) {
  const base = new Y.Doc()
  base.clientID = 1
  base.getText('t').insert(0, 'XR')
  const [a, b, late] = [copyOf(base, 10), copyOf(base, 20), copyOf(base, 1_000_000)]
  for (let turn = 0; turn < turns; turn++) {
    const [writer, reader] = turn % 2 === 0 ? [a, b] : [b, a]
    writer.getText('t').insert(1 + turn, 'x')
    Y.applyUpdate(reader, missing(writer, reader))
  }
  return { a, late }
}

describe('the walk Yjs makes to place an item among rivals', () => {
  it('is let through when it is what concurrent typing makes, and the document is what Yjs alone makes of it', () => {
    const { a, late } = pingPong(MAX_WALK_PER_ITEM - 10)
    late.getText('t').insert(1, 'late words')
    const update = missing(late, a)
    const plain = copyOf(a, 5)
    Y.applyUpdate(plain, update)
    withWalkLimits(a, () => Y.applyUpdate(a, update))
    expect(a.getText('t').toString()).toBe(plain.getText('t').toString())
    expect(a.getText('t').toString()).toContain('late words')
  })

  it('is refused before Yjs makes it when it passes more items than a person could have left unseen', () => {
    const { a, late } = pingPong(MAX_WALK_PER_ITEM + 10)
    late.getText('t').insert(1, 'late words')
    const update = missing(late, a)
    expect(() => withWalkLimits(a, () => Y.applyUpdate(a, update))).toThrow(WalkTooLong)
    // The wrapper is gone afterwards: the same update applies elsewhere as Yjs would.
    const other = copyOf(a, 6)
    expect(() => Y.applyUpdate(other, update)).not.toThrow()
  })

  it('counts only the document it guards: another document applying meanwhile walks freely', () => {
    const { a, late } = pingPong(MAX_WALK_PER_ITEM + 10)
    late.getText('t').insert(1, 'late')
    const update = missing(late, a)
    const other = copyOf(a, 7)
    const guarded = new Y.Doc()
    withWalkLimits(guarded, () => Y.applyUpdate(other, update))
    expect(other.getText('t').toString()).toContain('late')
  })

  it('counts the walk back to a key’s first value and forth again, for a value set on a key its writer had never seen', () => {
    const history = (sets: number) => {
      const base = new Y.Doc()
      base.getMap('m')
      const [a, b, late] = [copyOf(base, 10), copyOf(base, 20), copyOf(base, 1_000_000)]
      for (let set = 0; set < sets; set++) {
        const [writer, reader] = set % 2 === 0 ? [a, b] : [b, a]
        writer.getMap('m').set('k', set)
        Y.applyUpdate(reader, missing(writer, reader))
      }
      late.getMap('m').set('k', 'late')
      return { a, update: missing(late, a) }
    }
    const few = history(MAX_WALK_PER_ITEM / 4)
    withWalkLimits(few.a, () => Y.applyUpdate(few.a, few.update))
    expect(few.a.getMap('m').get('k')).toBe('late')
    const many = history(MAX_WALK_PER_ITEM / 2 + 10)
    expect(() => withWalkLimits(many.a, () => Y.applyUpdate(many.a, many.update))).toThrow(WalkTooLong)
  })

  it('adds up the walks of one update: many, each under the limit, are refused together', () => {
    // Home before each letter: each of the late person's letters is placed among the whole run again.
    const { a, late } = pingPong(MAX_WALK_PER_ITEM - 10)
    const letters = Math.ceil(MAX_WALK_PER_UPDATE / (MAX_WALK_PER_ITEM - 10)) + 1
    for (let letter = 0; letter < letters; letter++) late.getText('t').insert(1, 'x')
    expect(() => withWalkLimits(a, () => Y.applyUpdate(a, missing(late, a)))).toThrow(/in all$/)
    const few = pingPong(MAX_WALK_PER_ITEM - 10)
    for (let letter = 0; letter < letters - 2; letter++) few.late.getText('t').insert(1, 'x')
    withWalkLimits(few.a, () => Y.applyUpdate(few.a, missing(few.late, few.a)))
  })

  it('leaves every document as Yjs alone makes it, for any concurrent edits and resends of part of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ who: fc.nat(2), at: fc.nat(40), text: fc.string({ minLength: 1, maxLength: 3 }), del: fc.nat(3), sync: fc.boolean() }), { maxLength: 40 }),
        (edits) => {
          const base = new Y.Doc()
          base.clientID = 1
          base.getText('t').insert(0, 'abcdef')
          const people = [copyOf(base, 30), copyOf(base, 10), copyOf(base, 20)]
          const sent: Uint8Array[] = []
          for (const { who, at, text, del, sync } of edits) {
            const doc = people[who]!
            const t = doc.getText('t')
            const before = Y.encodeStateVector(doc)
            t.insert(at % (t.length + 1), text)
            if (del > 0 && t.length > 1) t.delete(at % t.length, Math.min(del, t.length - (at % t.length)))
            sent.push(Y.encodeStateAsUpdate(doc, before))
            if (sync) for (const other of people) if (other !== doc) Y.applyUpdate(other, missing(doc, other))
          }
          // Everything, whole, then resent as merged updates overlapping what was applied (Yjs then takes the rest of each item).
          const plain = copyOf(base, 2)
          const guarded = copyOf(base, 3)
          for (const index of sent.keys()) {
            const resend = Y.mergeUpdates(sent.slice(Math.max(0, index - 2), index + 1))
            Y.applyUpdate(plain, resend)
            withWalkLimits(guarded, () => Y.applyUpdate(guarded, resend))
          }
          expect(guarded.getText('t').toDelta()).toEqual(plain.getText('t').toDelta())
        },
      ),
      { numRuns: 200 },
    )
  })
})
