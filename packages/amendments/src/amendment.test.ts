import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { parseResolutionMarkdown } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { amendmentLabel, type Candidate, findCollisions, type Proposal, rebase } from './amendment.ts'
import { blockRuns } from './document.ts'
import type { Run } from './inline.ts'
import { docWith } from './testDocuments.ts'
import { tokenize } from './words.ts'
import { wordingText } from './wording.ts'

const base = 'Nous devons investir dans les têtes pour nourrir tous les talents.'
const replace = (from: string, to: string, id = 'r'): Candidate => ({ id, kind: 'replace', blockId: 'b', base: [{ text: from }], wording: [[{ text: to }]] })
const textOf = (runs: Run[]) => runs.map((run) => run.text).join('')
const rebasedText = (proposal: Proposal, current: string) => {
  const rebased = rebase(proposal, [{ text: current }])
  return rebased.state === 'clean' ? wordingText(rebased.wording) : rebased.state
}

describe('rebase', () => {
  it('gives the proposal itself on an untouched paragraph', () => {
    expect(rebasedText(replace(base, base.replace('têtes', 'esprits')), base)).toBe(base.replace('têtes', 'esprits'))
  })

  it('carries the proposal onto a paragraph that moved on elsewhere', () => {
    const current = base.replace('tous les', 'chacun des')
    expect(rebasedText(replace(base, base.replace('têtes', 'esprits')), current)).toBe('Nous devons investir dans les esprits pour nourrir chacun des talents.')
  })

  it('reports a conflict when the same words changed, and obsolescence when the block is gone', () => {
    const proposal = replace(base, base.replace('têtes', 'esprits'))
    expect(rebase(proposal, [{ text: base.replace('têtes', 'cerveaux') }])).toEqual({ state: 'conflict' })
    expect(rebase(proposal, null)).toEqual({ state: 'obsolete' })
  })

  it('deletes only a paragraph that has not changed since', () => {
    const proposal: Proposal = { kind: 'delete', blockId: 'b', base: [{ text: base }], wording: [] }
    expect(rebase(proposal, [{ text: base }])).toEqual({ state: 'clean', wording: [], unchanged: false })
    expect(rebase(proposal, [{ text: `${base} Ajout.` }])).toEqual({ state: 'conflict' })
    expect(rebase({ ...proposal, base: [] }, [{ text: 'Écrit depuis.' }])).toEqual({ state: 'conflict' })
  })

  it('says when the text already holds what the amendment asks', () => {
    const proposal = replace(base, base.replace('têtes', 'esprits'))
    expect(rebase(proposal, [{ text: base.replace('têtes', 'esprits') }])).toMatchObject({ state: 'clean', unchanged: true })
  })
})

describe('two rewrites of a paragraph at its length limit', () => {
  // Thousands of edits each: every pair once counted the words between them afresh, and a delegation tabling two
  // rewrites of a 10,000-character paragraph held the server 27-31 s (every amendment list reads the collisions).
  const repeated = (count: number, words: string[]) => Array.from({ length: count }, (_, index) => words[index % words.length]).join(' ')
  const original = repeated(5_000, ['a', 'b', 'c'])
  const first = repeated(5_000, ['b', 'c', 'a', 'a'])
  const second = repeated(5_000, ['c', 'a', 'b', 'b', 'a'])

  it('are compared in bounded time, and found colliding', () => {
    const started = performance.now()
    const collisions = findCollisions([replace(original, first, 'A1'), replace(original, second, 'A2')], () => [{ text: original }])
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(collisions.get('A1')).toEqual(new Set(['A2']))
  })

  it('are rebased one on the other in bounded time: a conflict', () => {
    const started = performance.now()
    expect(rebase(replace(original, first), [{ text: second }]).state).toBe('conflict')
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

describe('rebase of an insertion', () => {
  const insertion: Proposal = { kind: 'insertAfter', blockId: 'b', base: [{ text: base }], wording: [[{ text: 'Un nouveau paragraphe.' }]] }

  it('conflicts when the paragraph it follows lost its end since (split by Enter, or its last words deleted)', () => {
    expect(rebase(insertion, [{ text: 'Nous devons investir dans les têtes ' }])).toEqual({ state: 'conflict' })
    expect(rebase(insertion, [{ text: 'Nous devons investir dans les têtes.' }])).toEqual({ state: 'conflict' })
    expect(rebase(insertion, [{ text: 'Nous devons investir dans les têtes pour nourrir tous les' }])).toEqual({ state: 'conflict' })
  })

  it('conflicts when the paragraph was split inside the date, figure, time or reference that ends it', () => {
    // Each is one word to the merge: cut in its middle, what is left of it was read as that word rewritten, not its
    // end lost, and the insertion landed between "le 12 mars" and "2024.", no conflict said.
    for (const [tabled, left] of [
      ['Entre en vigueur le 12 mars 2024.', 'Entre en vigueur le 12 mars'],
      ['Entre en vigueur le mardi 12 mars', 'Entre en vigueur le mardi'],
      ['Le plafond est de 1 000 000', 'Le plafond est de 1 000'],
      ['La séance ouvre à 10 h 30', 'La séance ouvre à 10 h'],
      ["Voir l'article 5 bis", "Voir l'article 5"],
    ]) {
      expect(rebase({ ...insertion, base: [{ text: tabled! }] }, [{ text: left! }])).toEqual({ state: 'conflict' })
    }
  })

  it('conflicts when the paragraph was split between two sentences ending in the same words, whichever copy a diff says went', () => {
    // Enter before the space: the block keeps "Un avenir pour tous." and " Des droits pour tous." becomes the next
    // paragraph. The deleted half can be read as " pour tous. Des droits", which keeps the last word: the
    // insertion then landed between the two halves, no conflict said.
    const twice: Proposal = { ...insertion, base: [{ text: 'Un avenir pour tous. Des droits pour tous.' }] }
    expect(rebase(twice, [{ text: 'Un avenir pour tous.' }])).toEqual({ state: 'conflict' })
    const { doc, ids } = docWith(['Un avenir pour tous.', ' Des droits pour tous.'])
    expect(rebase(twice, blockRuns(doc, ids[0]!))).toEqual({ state: 'conflict' })
    for (const current of ['Un avenir pour tous. Des droits pour toutes.', 'Un avenir pour tous. Des droits pour tous et toutes.', 'Des droits pour tous.']) {
      expect(rebase(twice, [{ text: current }])).toMatchObject({ state: 'clean' })
    }
  })

  it('stays clean when the paragraph it follows was edited elsewhere, its last word rewritten or words added at its end', () => {
    for (const current of [base, base.replace('têtes', 'esprits'), base.replace('talents', 'talents et les savoirs'), base.replace('talents.', 'talents!'), 'Nous devons investir dans les talents.']) {
      expect(rebase(insertion, [{ text: current }])).toMatchObject({ state: 'clean', wording: insertion.wording })
    }
    expect(rebase({ ...insertion, blockId: null, base: [] }, [])).toMatchObject({ state: 'clean' })
    expect(rebase({ ...insertion, base: [] }, [{ text: 'Écrit depuis.' }])).toMatchObject({ state: 'clean' })
  })
})

describe('collisions', () => {
  it('pair amendments changing the same words of a paragraph, and only those', () => {
    const candidates: Candidate[] = [
      replace(base, base.replace('têtes', 'esprits'), 'a1'),
      replace(base, base.replace('têtes', 'cerveaux'), 'a2'),
      replace(base, base.replace('talents', 'talents, partout'), 'a3'),
      { id: 'a4', kind: 'insertAfter', blockId: 'b', base: [{ text: base }], wording: [[{ text: 'Nouveau.' }]] },
      { id: 'a5', kind: 'replace', blockId: 'c', base: [{ text: 'Autre.' }], wording: [[{ text: 'Autre chose.' }]] },
    ]
    const collisions = findCollisions(candidates, (id) => [{ text: id === 'b' ? base : 'Autre.' }])
    expect([...(collisions.get('a1') ?? [])]).toEqual(['a2'])
    expect(collisions.has('a3')).toBe(false)
    expect(collisions.has('a4')).toBe(false)
    expect(collisions.has('a5')).toBe(false)
  })

  it('make a deletion collide with every other change to its block, but not with the same deletion', () => {
    const deletion = (id: string): Candidate => ({ id, kind: 'delete', blockId: 'b', base: [{ text: base }], wording: [] })
    const collisions = findCollisions([deletion('d'), replace(base, `${base} Ajout.`, 'r'), deletion('d2')], () => [{ text: base }])
    expect(collisions.get('d')).toEqual(new Set(['r']))
    expect(collisions.get('r')).toEqual(new Set(['d', 'd2']))
  })

  it('label amendments as people cite them', () => {
    expect(amendmentLabel(12, 4)).toBe('A12 · §4')
  })
})

/** Sentences of the Kuala Lumpur draft, as word lists, for cases people would really table. */
const sentences = (() => {
  const fixture = readFileSync(new URL('../../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8')
  const out: string[][] = []
  parseResolutionMarkdown(fixture).doc.descendants((node) => {
    if (!node.isTextblock) return true
    for (const sentence of node.textContent.split(/(?<=\.) /)) {
      const words = sentence.split(' ')
      if (words.length >= 6) out.push(words)
    }
    return false
  })
  return out
})()
const INSERTED = ['durable', 'vraiment', 'ensemble', 'social', 'les', 'de', 'progrès', 'aussi']
const candidate = (id: string, from: string[], to: string[]): Candidate => ({ id, kind: 'replace', blockId: 'b', base: [{ text: from.join(' ') }], wording: [[{ text: to.join(' ') }]] })
const inserted = (words: string[], gap: number, word: string) => [...words.slice(0, gap), word, ...words.slice(gap)]
const changed = (words: string[], at: number) => words.map((word, i) => (i !== at ? word : word[0] === word[0]!.toUpperCase() ? word.toLowerCase() : `${word[0]!.toUpperCase()}${word.slice(1)}`))
const count = (text: string, word: string) => text.split(/[\s.,:;!?«»'’]+/).filter((w) => w === word).length

describe('the same insertion tabled twice, one amendment also changing a word before it', () => {
  const cases = fc
    .record({ sentence: fc.constantFrom(...sentences), gap: fc.nat(), before: fc.nat(), word: fc.constantFrom(...INSERTED) })
    .map(({ sentence, gap, before, word }) => {
      const at = 2 + (gap % (sentence.length - 2))
      return { sentence, gap: at, before: before % (at - 1), word }
    })

  it('is applied once whichever is accepted first (1,000 cases from the draft)', () => {
    fc.assert(
      fc.property(cases, ({ sentence, gap, before, word }) => {
        const plainInsertion = inserted(sentence, gap, word)
        const withChange = changed(plainInsertion, before)
        const a = candidate('a', sentence, withChange)
        const b = candidate('b', sentence, plainInsertion)
        const expected = count(withChange.join(' '), word)
        // Only a change right next to the insertion may make it a conflict (never a duplicate); "de" inserted after "de" is next to the word before both.
        const between = sentence.slice(before + 1, gap).filter((w) => /\p{L}/u.test(w))
        // Repeated words ("nous nous", "de" beside "de", "social" after "social,") are ties a diff may place either way: a conflict there is documented, a duplicate never.
        const bare = (w: string) => w.toLowerCase().replace(/[^\p{L}'’-]/gu, '')
        const repeated = between.some((w) => bare(w) === word || bare(w) === bare(sentence[before]!))
        // Inserting the very word the other change recapitalises ("social" beside "Social,") lets a diff pair either copy with the original: a tie too, however far apart.
        const near = between.length === 0 || (between.length === 1 && repeated) || bare(sentence[before]!) === word
        for (const [first, second] of [[a, b], [b, a]] as const) {
          const after = rebase(second, [{ text: wordingText(first.wording) }])
          if (after.state === 'clean') {
            expect(count(wordingText(after.wording), word)).toBe(expected)
            expect(wordingText(after.wording)).toBe(withChange.join(' '))
          } else {
            expect(after.state).toBe('conflict')
            expect(near).toBe(true)
          }
        }
        expect(findCollisions([a, b], () => [{ text: sentence.join(' ') }]).size === 0 || near).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('collisions between amendments on the same sentence', () => {
  it('different insertions at the same gap always collide, whatever else either changes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sentences), fc.nat(), fc.nat(), fc.constantFrom(...INSERTED), fc.constantFrom(...INSERTED), fc.boolean(), (sentence, gapSeed, beforeSeed, x, y, extra) => {
        const gap = 1 + (gapSeed % (sentence.length - 1))
        // Inserting "de" next to a "de" is a tie between two gaps (documented), not the same gap.
        fc.pre(x !== y && ![x, y].includes(sentence[gap - 1]!) && ![x, y].includes(sentence[gap]!))
        const mine = inserted(sentence, gap, x)
        const theirs = extra ? changed(inserted(sentence, gap, y), beforeSeed % gap) : inserted(sentence, gap, y)
        const a = candidate('a', sentence, mine)
        const b = candidate('b', sentence, theirs)
        expect(findCollisions([a, b], () => [{ text: sentence.join(' ') }]).get('a')).toEqual(new Set(['b']))
        expect(rebase(a, [{ text: theirs.join(' ') }])).toEqual({ state: 'conflict' })
        expect(rebase(b, [{ text: mine.join(' ') }])).toEqual({ state: 'conflict' })
      }),
      { numRuns: 1000 },
    )
  })

  it('changes to neighbouring words (only spaces or punctuation between them) always collide', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sentences), fc.nat(), fc.constantFrom(...INSERTED), fc.constantFrom(...INSERTED), (sentence, atSeed, x, y) => {
        const tokens = tokenize(sentence.join(' '))
        const words = tokens.flatMap((token, i) => (/^\p{L}/u.test(token) ? [i] : []))
        const at = atSeed % (words.length - 1)
        const [i, j] = [words[at]!, words[at + 1]!]
        fc.pre(tokens[i] !== x && tokens[j] !== y)
        const mine = tokens.map((token, k) => (k === i ? x : token)).join('')
        const theirs = tokens.map((token, k) => (k === j ? y : token)).join('')
        const a = candidate('a', sentence, [mine])
        const b = candidate('b', sentence, [theirs])
        expect(findCollisions([a, b], () => [{ text: sentence.join(' ') }]).get('a')).toEqual(new Set(['b']))
        expect(rebase(a, [{ text: theirs }])).toEqual({ state: 'conflict' })
      }),
      { numRuns: 1000 },
    )
  })
})

describe('the six cases that once produced wrong text', () => {
  it('never duplicates "durable", never orders rival insertions, never merges neighbouring words', () => {
    const durable = 'le développement économique et social'
    expect(rebasedText(replace(durable, 'Le développement durable économique et social'), 'le développement durable économique et social')).toBe(
      'Le développement durable économique et social',
    )
    expect(rebasedText(replace('nous devons agir', 'Nous devons vite agir'), 'nous devons ensemble agir')).toBe('conflict')
    expect(rebasedText(replace('une vision positive', 'une perspective positive'), 'une vision ambitieuse')).toBe('conflict')
    expect(textOf([{ text: 'x' }])).toBe('x')
  })
})
