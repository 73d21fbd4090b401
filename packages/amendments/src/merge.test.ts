import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyEdits, type Edit, editsBetween } from './edits.ts'
import { threeWayMerge } from './merge.ts'
import { side, tokenize, wordDiff, DELETE, INSERT } from './words.ts'

/** Texts of words from a small vocabulary, so diffs have real choices to make. */
const words = fc.array(fc.constantFrom('le', 'la', 'progrès', 'social', 'nous', 'devons', '**', 'Alliance', ',', 'cohésion', "l'Homme"), {
  minLength: 0,
  maxLength: 25,
})
const sentence = words.map((list) => list.join(' '))

describe('wordDiff', () => {
  it('reconstructs both texts, for any pair', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const diffs = wordDiff(a, b)
        expect(side(diffs, DELETE)).toBe(a)
        expect(side(diffs, INSERT)).toBe(b)
      }),
      { numRuns: 300 },
    )
  })

  it('changes whole words, never parts of them', () => {
    const diffs = wordDiff('Nous devons investir dans les têtes', 'Nous devons investir dans les esprits')
    expect(diffs).toEqual([
      [0, 'Nous devons investir dans les '],
      [-1, 'têtes'],
      [1, 'esprits'],
    ])
  })

  it('splits text into words, spaces and single marks', () => {
    expect(tokenize("l'**Homme**  fait")).toEqual(['l', "'", '*', '*', 'Homme', '*', '*', '  ', 'fait'])
  })
})

describe('threeWayMerge', () => {
  it('yields exactly the proposal when the paragraph has not moved', () => {
    fc.assert(
      fc.property(sentence, sentence, (base, proposal) => {
        expect(threeWayMerge(base, base, proposal)).toEqual({ ok: true, text: proposal })
      }),
      { numRuns: 500 },
    )
  })

  it('yields the current text when the proposal changes nothing', () => {
    fc.assert(
      fc.property(sentence, sentence, (base, current) => {
        expect(threeWayMerge(base, current, base)).toEqual({ ok: true, text: current })
      }),
    )
  })

  /**
   * Base words w0 w1 …; each word is kept, or rewritten (or deleted) by the
   * proposal or by the current text, with at least one kept word between a
   * word of one side and a word of the other.
   */
  const disjointEdits = fc
    .array(fc.record({ owner: fc.constantFrom('keep', 'mine', 'theirs'), deleted: fc.boolean() }), { minLength: 1, maxLength: 30 })
    .map((choices) =>
      choices.map((choice, i) => {
        const previous = choices[i - 1]?.owner
        return previous && previous !== 'keep' && choice.owner !== 'keep' && previous !== choice.owner ? { ...choice, owner: 'keep' } : choice
      }),
    )
    .map((choices) => {
      const word = (i: number, who: 'mine' | 'theirs' | 'both') => {
        const { owner, deleted } = choices[i]!
        if (owner === 'keep' || (who !== 'both' && owner !== who)) return `w${i}`
        return deleted ? null : `${owner === 'mine' ? 'p' : 'c'}${i}`
      }
      const build = (who: 'mine' | 'theirs' | 'both' | 'none') =>
        choices.map((_, i) => (who === 'none' ? `w${i}` : word(i, who))).filter((w) => w !== null).join(' ')
      return { base: build('none'), proposal: build('mine'), current: build('theirs'), expected: build('both') }
    })

  it('keeps every non-overlapping change of both sides', () => {
    fc.assert(
      fc.property(disjointEdits, ({ base, proposal, current, expected }) => {
        expect(threeWayMerge(base, current, proposal)).toEqual({ ok: true, text: expected })
      }),
      { numRuns: 1000 },
    )
  })

  it('merges changes two untouched words apart', () => {
    const base = 'Nous devons investir dans les têtes pour nourrir tous les talents.'
    const proposal = 'Nous devons investir massivement dans les têtes pour nourrir tous les talents.'
    const current = 'Nous devons investir dans les têtes pour nourrir chacun des talents.'
    expect(threeWayMerge(base, current, proposal)).toEqual({
      ok: true,
      text: 'Nous devons investir massivement dans les têtes pour nourrir chacun des talents.',
    })
  })

  it('reports changes to the same words as a conflict, never dropping either side', () => {
    fc.assert(
      fc.property(sentence, sentence, sentence, (base, current, proposal) => {
        const merged = threeWayMerge(base, current, proposal)
        if (!merged.ok) return
        // Whatever merges must hold both sides: rebasing either onto the other gives the same text.
        const mine = editsBetween(base, proposal)
        const theirs = editsBetween(base, current)
        const shift = (edits: Edit[], over: Edit[]) =>
          edits.map((edit) => {
            const delta = over.filter((o) => o.to <= edit.from).reduce((sum, o) => sum + o.insert.length - (o.to - o.from), 0)
            return { ...edit, from: edit.from + delta, to: edit.to + delta }
          })
        const onCurrent = applyEdits(current, shift(mine.filter((m) => !theirs.some((t) => t.from === m.from && t.to === m.to && t.insert === m.insert)), theirs))
        expect(merged.text).toBe(onCurrent)
      }),
      { numRuns: 1000 },
    )
    expect(threeWayMerge('nous devons agir', 'nous voulons agir', 'nous pouvons agir').ok).toBe(false)
    expect(threeWayMerge('nous devons agir', 'nous devons vite agir', 'nous devons agir ensemble').ok).toBe(true)
    expect(threeWayMerge('a b', 'a X b', 'a Y b').ok).toBe(false)
  })

  it('applies a change made identically on both sides once', () => {
    expect(threeWayMerge('nous devons agir', 'nous pouvons agir', 'nous pouvons agir')).toEqual({ ok: true, text: 'nous pouvons agir' })
  })
})
