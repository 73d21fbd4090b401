import { describe, expect, it } from 'vitest'
import { type Candidate, findCollisions, type Proposal, rebase } from './amendment.ts'
import { compromiseDraft } from './compromiseDraft.ts'
import type { Run } from './inline.ts'
import { wordingText } from './wording.ts'

/**
 * Changes that do not touch yet fight over the same words (see `clashes`):
 * found in review where the engine wrote a wrong text without a conflict,
 * each pair below is for a person to decide.
 */
const runs = (text: string): Run[] => [{ text }]
const replace = (base: string, text: string, id = 'r'): Candidate => ({ id, kind: 'replace', blockId: 'b', base: runs(base), wording: text.split('\n\n').map(runs) })
const rebasedText = (proposal: Proposal, current: string) => {
  const rebased = rebase(proposal, runs(current))
  return rebased.state === 'clean' ? { text: wordingText(rebased.wording), unchanged: rebased.unchanged } : rebased.state
}
const collidingPairs = (candidates: Candidate[], current: string) =>
  [...findCollisions(candidates, () => runs(current)).entries()].map(([id, others]) => [id, [...others].sort()]).sort()

describe('a word one side moved and the other deleted', () => {
  // A live edit moved "également" after "agir"; the amendment deletes "également".
  const base = 'Nous devons également agir.'
  const moved = 'Nous devons agir également.'
  const deleted = 'Nous devons agir.'

  it('is a conflict when accepting the deletion after the move, not "already done" with the word still there', () => {
    // Was: { text: 'Nous devons agir également.', unchanged: true }: the amendment recorded as accepted, the word kept.
    expect(rebasedText(replace(base, deleted), moved)).toBe('conflict')
  })

  it('is a conflict when accepting the move after the deletion, not the deleted word written back', () => {
    // Was: { text: 'Nous devons agir également.', unchanged: false }.
    expect(rebasedText(replace(base, moved), deleted)).toBe('conflict')
  })

  it('makes the two amendments collide, so accepting all non-colliding amendments does not take both', () => {
    // Was: no collision; accept-non-colliding accepted both and the text kept "également".
    expect(collidingPairs([replace(base, deleted, 'delete'), replace(base, moved, 'move')], base)).toEqual([
      ['delete', ['move']],
      ['move', ['delete']],
    ])
  })

  it('leaves the second one out of a compromise draft, and says so', () => {
    const draft = compromiseDraft(runs(base), [
      { base: runs(base), wording: [runs(moved)] },
      { base: runs(base), wording: [runs(deleted)] },
    ])
    // Was: { text: 'Nous devons agir également.', leftOut: 0 }.
    expect(draft.leftOut).toBe(1)
  })
})

describe('the same word inserted by both sides, one kept word apart', () => {
  const base = 'Le développement économique et social de nos territoires.'
  const before = 'Le développement durable économique et social de nos territoires.'
  const after = 'Le développement économique durable et social de nos territoires.'

  it('is a conflict, not the word written twice', () => {
    // Was: { text: 'Le développement durable économique durable et social de nos territoires.', unchanged: false }.
    expect(rebasedText(replace(base, after), before)).toBe('conflict')
    expect(rebasedText(replace(base, before), after)).toBe('conflict')
  })

  it('makes the two amendments collide', () => {
    expect(collidingPairs([replace(base, before, 'a'), replace(base, after, 'b')], base)).toEqual([
      ['a', ['b']],
      ['b', ['a']],
    ])
  })

  it('leaves the second one out of a compromise draft', () => {
    const draft = compromiseDraft(runs(base), [
      { base: runs(base), wording: [runs(before)] },
      { base: runs(base), wording: [runs(after)] },
    ])
    // Was: { text: 'Le développement durable économique durable et social …', leftOut: 0 }.
    expect({ text: wordingText(draft.wording), leftOut: draft.leftOut }).toEqual({ text: before, leftOut: 1 })
  })
})
