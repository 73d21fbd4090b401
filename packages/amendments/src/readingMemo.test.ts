import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Candidate, findCollisions, rebase } from './amendment.ts'
import type { Run } from './inline.ts'
import { ReadingMemo } from './readingMemo.ts'

/**
 * A memo only saves work: a text's amendments read through one kept across
 * readings (the text typed into, amendments tabled, edited, withdrawn in
 * between) collide exactly as read afresh each time, and rebase alike.
 */
const WORDS = ['le', 'Conseil', 'demande', 'agir', 'vite', 'et', 'bien', '12', 'mars', 'ne', 'pas', '.', ',']
const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((words) => words.join(' '))
const runs = (text: string, bold = false): Run[] => [{ text, ...(bold ? { bold: true } : {}) }]
const BLOCKS = ['a', 'b', 'c']

const candidate = fc.record({
  id: fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8'),
  kind: fc.constantFrom('replace', 'replace', 'delete', 'insertAfter'),
  blockId: fc.constantFrom(...BLOCKS),
  base: sentence,
  wording: fc.array(sentence, { minLength: 1, maxLength: 2 }),
  bold: fc.boolean(),
}).map(({ id, kind, blockId, base, wording, bold }): Candidate => ({ id, kind, blockId, base: runs(base), wording: kind === 'delete' ? [] : wording.map((text) => runs(text, bold)) }))

/** One reading: the blocks' words then (a block may be gone) and the amendments tabled then. */
const reading = fc.record({
  // A block's words, bold or not: formatting is part of what a reading depends on.
  words: fc.record({ a: fc.option(fc.tuple(sentence, fc.boolean()), { nil: null }), b: fc.tuple(sentence, fc.boolean()), c: fc.tuple(sentence, fc.boolean()) }),
  tabled: fc.array(candidate, { maxLength: 8 }),
})

const sorted = (collisions: Map<string, Set<string>>) => [...collisions].map(([id, others]) => [id, [...others].sort()]).sort()

describe('a reading memo', () => {
  it('finds the same collisions and rebases as reading afresh, over any sequence of readings', () => {
    fc.assert(
      // Any bound, from none kept to all: past it, readings are computed and not kept, never wrong.
      fc.property(fc.array(reading, { minLength: 1, maxLength: 6 }), fc.oneof(fc.constant(undefined), fc.nat({ max: 20_000 })), (readings, bound) => {
        const memo = new ReadingMemo(bound)
        for (const { words, tabled } of readings) {
          // Fresh arrays each time, as the server reads them: the memo must know them by their words, not by the array.
          const currentOf = (blockId: string) => {
            const block = words[blockId as 'a' | 'b' | 'c']
            return block === null ? null : runs(...block)
          }
          expect(sorted(findCollisions(tabled, currentOf, memo))).toEqual(sorted(findCollisions(tabled, currentOf)))
          for (const proposal of tabled) {
            const current = currentOf(proposal.blockId!)
            expect(memo.rebase(memo.entry(proposal, current), () => rebase(proposal, current))).toEqual(rebase(proposal, current))
          }
          if (bound !== undefined) expect(memo.held()).toBeLessThanOrEqual(bound)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('is asked again, not remembered, once the words it was read at change', () => {
    const memo = new ReadingMemo()
    const proposal: Candidate = { id: '1', kind: 'replace', blockId: 'a', base: runs('agir vite'), wording: [runs('agir bien')] }
    let computed = 0
    const count = (current: Run[]) => () => (computed++, rebase(proposal, current))
    memo.begin()
    memo.rebase(memo.entry(proposal, runs('agir vite')), count(runs('agir vite')))
    memo.rebase(memo.entry(proposal, runs('agir vite')), count(runs('agir vite')))
    expect(computed).toBe(1)
    memo.begin()
    expect(memo.rebase(memo.entry(proposal, runs('agir vite .')), count(runs('agir vite .')))).toEqual(rebase(proposal, runs('agir vite .')))
    expect(computed).toBe(2)
    memo.rebase(memo.entry(proposal, runs('agir vite', true)), count(runs('agir vite', true)))
    expect(computed).toBe(3)
  })

  it('gives back what it held as readings stop asking for it, and holds nothing past its bound', () => {
    const memo = new ReadingMemo()
    const proposal = (text: string): Candidate => ({ id: text, kind: 'replace', blockId: 'a', base: runs('le Conseil demande'), wording: [runs(text)] })
    const current = () => runs('le Conseil demande')
    findCollisions([proposal('le Conseil exige'), proposal('le Conseil veut')], current, memo)
    const two = memo.held()
    expect(two).toBeGreaterThan(0)
    findCollisions([proposal('le Conseil exige')], current, memo)
    // The next reading drops what this one did not ask for.
    findCollisions([proposal('le Conseil exige')], current, memo)
    expect(memo.held()).toBeLessThan(two)
    // The paragraph typed into: what was read at its old words goes too.
    findCollisions([proposal('le Conseil exige'), proposal('le Conseil veut')], () => runs('le Conseil demande vite'), memo)
    findCollisions([proposal('le Conseil exige'), proposal('le Conseil veut')], () => runs('le Conseil demande vite'), memo)
    expect(memo.held()).toBeGreaterThan(0)
    // Nothing asked twice: everything given back, to the byte it was counted at.
    findCollisions([], current, memo)
    findCollisions([], current, memo)
    expect(memo.held()).toBe(0)
    const none = new ReadingMemo(10)
    findCollisions([proposal('le Conseil exige'), proposal('le Conseil veut')], current, none)
    expect(none.held()).toBe(0)
  })
})
