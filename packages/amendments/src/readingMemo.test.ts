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
      fc.property(fc.array(reading, { minLength: 1, maxLength: 6 }), (readings) => {
        const memo = new ReadingMemo()
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
})
