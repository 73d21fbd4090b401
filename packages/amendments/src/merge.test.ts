import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { applyEdits, clashes, editsBetween } from './edits.ts'
import type { Run } from './inline.ts'
import { mergeTokens, threeWayMerge } from './merge.ts'
import { type Token, tokensOfRuns } from './tokens.ts'
import { side, tokenize, wordDiff, DELETE, INSERT } from './words.ts'
import { normalizeWording, type Wording, wordingText } from './wording.ts'

/** Plain one-paragraph wordings, so the cases read as text. */
const plain = (text: string): Wording => [[{ text }]]
function merge(base: string, current: string, proposal: string): { ok: true; text: string } | { ok: false } {
  const merged = threeWayMerge(plain(base), plain(current), plain(proposal))
  return merged.ok ? { ok: true, text: wordingText(merged.wording) } : { ok: false }
}

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

  it('is the same whatever the clock says: a long paragraph’s diff does not come out coarser on a busy machine', () => {
    const original = Array.from({ length: 300 }, (_, index) => `mot${(index * 7) % 23}`)
    const changed = original.map((word, index) => (index % 29 === 5 ? `nouveau${index}` : word))
    const [before, after] = [original.join(' '), changed.join(' ')]
    const calm = wordDiff(before, after)
    expect(calm.filter(([op]) => op === INSERT)).toHaveLength(11)
    // A clock that jumps ten seconds at every reading, as a machine too busy to give the diff its second would.
    let now = Date.now()
    const clock = vi.spyOn(Date.prototype, 'getTime').mockImplementation(() => (now += 10_000))
    try {
      expect(wordDiff(before, after)).toEqual(calm)
    } finally {
      clock.mockRestore()
    }
  })

  it('keeps a paragraph of thousands of words rewritten bounded in time, its unchanged start and end kept', () => {
    const words = (from: number, count: number) => Array.from({ length: count }, (_, index) => `mot${(from + index * 13) % 97}`).join(' ')
    const before = `Le Conseil décide ${words(0, 4_000)} à l’unanimité.`
    const after = `Le Conseil décide ${words(5, 4_000)} à l’unanimité.`
    const started = performance.now()
    const diffs = wordDiff(before, after)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(side(diffs, DELETE)).toBe(before)
    expect(side(diffs, INSERT)).toBe(after)
    expect(diffs[0]).toEqual([0, 'Le Conseil décide '])
    expect(diffs.at(-1)).toEqual([0, ' à l’unanimité.'])
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

  it('keeps a number one word however it is grouped, and only a number', () => {
    expect(tokenize('soit 1\u202f000\u202f000 euros')).toEqual(['soit', ' ', '1\u202f000\u202f000', ' ', 'euros'])
    expect(tokenize('3,5 % et 1.250,75 ou 1 000 et 1\u00a0000')).toEqual(['3,5', ' ', '%', ' ', 'et', ' ', '1.250,75', ' ', 'ou', ' ', '1 000', ' ', 'et', ' ', '1\u00a0000'])
    // Two numbers side by side stay two: a space joins only a group of exactly three digits; a comma then a space ends the number.
    expect(tokenize('du 12 au 15, en 2019 2020')).toEqual(['du', ' ', '12', ' ', 'au', ' ', '15', ',', ' ', 'en', ' ', '2019', ' ', '2020'])
    expect(tokenize("l'article 3.")).toEqual(['l', "'", 'article', ' ', '3', '.'])
  })

  it('gives every number, written with any grouping, as one word, and the text back whole', () => {
    const separator = fc.constantFrom(' ', '\u00a0', '\u202f', '.', ',', "'")
    const grouped = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.array(fc.tuple(separator, fc.integer({ min: 0, max: 999 })), { minLength: 1, maxLength: 4 }))
      .map(([head, groups]) => `${head}${groups.map(([sep, group]) => `${sep}${String(group).padStart(3, '0')}`).join('')}`)
    fc.assert(
      fc.property(sentence, grouped, sentence, (before, number, after) => {
        const text = `${before} ${number} ${after}`
        const pieces = tokenize(text)
        expect(pieces.join('')).toBe(text)
        expect(pieces).toContain(number)
      }),
    )
  })
})

describe('threeWayMerge', () => {
  it('yields exactly the proposal when the paragraph has not moved', () => {
    fc.assert(
      fc.property(sentence, sentence, (base, proposal) => {
        expect(merge(base, base, proposal)).toEqual({ ok: true, text: proposal })
      }),
      { numRuns: 500 },
    )
  })

  it('yields the current text when the proposal changes nothing', () => {
    fc.assert(
      fc.property(sentence, sentence, (base, current) => {
        expect(merge(base, current, base)).toEqual({ ok: true, text: current })
      }),
    )
  })

  /**
   * Base words w0 w1 …; each word is kept, or rewritten (or deleted) by the
   * proposal or by the current text, with at least two kept words between a
   * word of one side and a word of the other (one kept word between them
   * would leave a deletion on one side touching the other's change).
   */
  const disjointEdits = fc
    .array(fc.record({ owner: fc.constantFrom('keep', 'mine', 'theirs'), deleted: fc.boolean() }), { minLength: 1, maxLength: 30 })
    .map((choices) => {
      let lastOwner: string | null = null
      let lastAt = -10
      return choices.map((choice, i) => {
        if (choice.owner === 'keep') return choice
        if (lastOwner !== null && lastOwner !== choice.owner && i - lastAt < 3) return { ...choice, owner: 'keep' }
        lastOwner = choice.owner
        lastAt = i
        return choice
      })
    })
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

  it('keeps every change of both sides that does not touch the other side’s', () => {
    fc.assert(
      fc.property(disjointEdits, ({ base, proposal, current, expected }) => {
        expect(merge(base, current, proposal)).toEqual({ ok: true, text: expected })
      }),
      { numRuns: 1000 },
    )
  })

  it('merges changes two untouched words apart', () => {
    const base = 'Nous devons investir dans les têtes pour nourrir tous les talents.'
    const proposal = 'Nous devons investir massivement dans les têtes pour nourrir tous les talents.'
    const current = 'Nous devons investir dans les têtes pour nourrir chacun des talents.'
    expect(merge(base, current, proposal)).toEqual({
      ok: true,
      text: 'Nous devons investir massivement dans les têtes pour nourrir chacun des talents.',
    })
  })

  it('never merges what it cannot explain: a clean merge is both sides’ edits applied to the base', () => {
    fc.assert(
      fc.property(sentence, sentence, sentence, (base, current, proposal) => {
        const [b, c, p] = [base, current, proposal].map((text) => tokensOfRuns([{ text }]))
        const merged = mergeTokens(b!, c!, p!)
        if (!merged.ok) return
        const mine = editsBetween(b!, p!)
        const theirs = editsBetween(b!, c!)
        const only = mine.filter((m) => !theirs.some((t) => t.from === m.from && t.to === m.to && JSON.stringify(t.insert) === JSON.stringify(m.insert)))
        expect(merged.tokens).toEqual(applyEdits(b!, [...only, ...theirs]))
        // Each side's changes are in the result: removing the other side's gives that side back.
        expect(applyEdits(b!, mine)).toEqual(p)
        expect(applyEdits(b!, theirs)).toEqual(c)
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps a paragraph of 10,000 characters full of amounts and dates bounded in time, both sides changing every tenth word', () => {
    // 52 amounts, dates and periods, 130 changes a side: the pairs of changes were each asked of every amount, 12 s.
    const sentence = 'Le Fonds dispose de 2 millions 500 000 euros pour la période du 1er janvier 2025 au 31 décembre 2027, dont 30 % au titre de l’article 5, paragraphe 3, et 10 heures de consultation par semaine. '
    const base = sentence.repeat(Math.ceil(10_000 / sentence.length)).slice(0, 9_990)
    const words = base.split(' ')
    const current = words.map((word, index) => (index % 10 === 0 ? `zz${index}` : word)).join(' ')
    const proposal = words.map((word, index) => (index % 10 === 5 ? `yy${index}` : word)).join(' ')
    const started = performance.now()
    const merged = mergeTokens(...([base, current, proposal] as const).map((text) => tokensOfRuns(normalizeWording(plain(text))[0]!)) as [Token[], Token[], Token[]])
    expect(performance.now() - started).toBeLessThan(2_000)
    // Changes a word apart from the other side's, inside the same amounts and dates: fought over, not merged.
    expect(merged.ok).toBe(false)
  })

  it('keeps a paragraph of 10,000 characters rewritten with no word in common bounded in time, and exact', () => {
    // Myers over 10,000 tokens a side with nothing in common, and each mark counted again for every mark: 1–4.8 s.
    const marks = (count: number, seed: number) => Array.from({ length: count }, (_, index) => '.,;'[(index * 7 + seed * index * index) % 3]).join('')
    const rewrites: Array<[string, string]> = [
      [Array(5_000).fill('a').join(' '), Array(5_000).fill('b').join(' ')],
      ['.'.repeat(10_000), ','.repeat(10_000)],
      [marks(10_000, 1), marks(10_000, 2)],
    ]
    for (const [before, after] of rewrites) {
      const [base, rewritten] = [before, after].map((text) => tokensOfRuns(normalizeWording(plain(text))[0]!))
      const started = performance.now()
      const proposed = mergeTokens(base!, base!, rewritten!)
      const both = mergeTokens(base!, rewritten!, rewritten!)
      expect(performance.now() - started).toBeLessThan(2_000)
      expect(proposed.ok && proposed.tokens.map((token) => token.text).join('')).toBe(after)
      expect(both.ok && both.tokens.map((token) => token.text).join('')).toBe(after)
    }
  })

  it('names each change that clashes once, however many of the other side’s it clashes with', () => {
    // Two rewrites of one long amount, every other figure on each side: every pair was kept, millions of them.
    const base = Array(1_490).fill('1')
    const tokens = (words: string[]) => tokensOfRuns(normalizeWording(plain(words.join(' ')))[0]!)
    const [before, even, odd] = [tokens(base), tokens(base.map((word, index) => (index % 2 ? word : '2'))), tokens(base.map((word, index) => (index % 2 ? '3' : word)))]
    const proposed = editsBetween(before, even)
    const pairs = clashes(proposed, editsBetween(before, odd), before)
    expect(pairs.length).toBeGreaterThan(0)
    expect(new Set(pairs.map(([edit]) => edit)).size).toBe(pairs.length)
    expect(pairs.length).toBeLessThanOrEqual(proposed.length)
  })

  it('reports changes to the same words, neighbouring words or the same gap as a conflict', () => {
    expect(merge('nous devons agir', 'nous voulons agir', 'nous pouvons agir').ok).toBe(false)
    expect(merge('a b', 'a X b', 'a Y b').ok).toBe(false)
    expect(merge('une vision positive', 'une perspective positive', 'une vision ambitieuse').ok).toBe(false)
    expect(merge('nous devons agir', 'Nous devons vite agir', 'nous devons ensemble agir').ok).toBe(false)
    expect(merge('une vision, positive', 'une perspective, positive', 'une vision, ambitieuse').ok).toBe(false)
    // Two changes to one figure: never a figure nobody proposed (it was "2 000 500", its groups being words apart).
    expect(merge('soit 1 000 000 euros', 'soit 2 000 000 euros', 'soit 1 000 500 euros').ok).toBe(false)
    expect(merge('soit 1\u202f000\u202f000 euros', 'soit 2\u202f000\u202f000 euros', 'soit 1\u202f000\u202f500 euros').ok).toBe(false)
    expect(merge('un taux de 3,25 %', 'un taux de 4,25 %', 'un taux de 3,75 %').ok).toBe(false)
    // A kept word between them: both apply.
    expect(merge('une vision positive', 'la vision positive', 'une vision ambitieuse')).toEqual({ ok: true, text: 'la vision ambitieuse' })
  })

  it('applies a change made identically on both sides once, wherever each diff put it', () => {
    expect(merge('nous devons agir', 'nous pouvons agir', 'nous pouvons agir')).toEqual({ ok: true, text: 'nous pouvons agir' })
    const base = 'Le développement économique'
    expect(merge(base, 'Le développement durable économique', 'le développement durable économique')).toEqual({
      ok: true,
      text: 'le développement durable économique',
    })
    expect(merge('le développement économique', 'le développement durable économique', 'Le développement durable économique')).toEqual({
      ok: true,
      text: 'Le développement durable économique',
    })
  })

  it('never writes twice an insertion both sides made where one diff slid it past the words it repeats', () => {
    // Both write ", pour tous"; one also adds " et partout". One diff put the shorter insertion after "durable"
    // (slid left past the "pour tous" it repeats), the other at the end: two words apart, both were applied,
    // and the text said "pour tous" three times.
    const base = 'Une paix durable pour tous.'
    expect(merge(base, 'Une paix durable pour tous, pour tous.', 'Une paix durable pour tous, pour tous et partout.')).toEqual({ ok: false })
    expect(merge(base, 'Une paix durable pour tous, pour tous et partout.', 'Une paix durable pour tous, pour tous.')).toEqual({ ok: false })
    // The same insertion alone on both sides is still one change.
    expect(merge(base, 'Une paix durable pour tous, pour tous.', 'Une paix durable pour tous, pour tous.')).toEqual({ ok: true, text: 'Une paix durable pour tous, pour tous.' })
  })

  it('merges formatting as part of the words: the same bold on both sides once, different formatting of the same words a conflict', () => {
    const base: Wording = [[{ text: 'une vision positive pour tous' }]]
    const bolded: Wording = [[{ text: 'une ' }, { text: 'vision positive', bold: true }, { text: ' pour tous' }]]
    const alsoChanged: Wording = [[{ text: 'une ' }, { text: 'vision positive', bold: true }, { text: ' pour toutes et tous' }]]
    expect(threeWayMerge(base, bolded, alsoChanged)).toEqual({ ok: true, wording: alsoChanged })
    const italic: Wording = [[{ text: 'une ' }, { text: 'vision positive', italic: true }, { text: ' pour tous' }]]
    expect(threeWayMerge(base, bolded, italic).ok).toBe(false)
    const partly: Wording = [[{ text: 'une ' }, { text: 'vision', bold: true }, { text: ' positive pour tous' }]]
    expect(threeWayMerge(base, bolded, partly).ok).toBe(false)
  })

  it('keeps bold punctuation before a letter where it is: "L\'" bold before "Alliance"', () => {
    const base: Wording = [[{ text: "L'", bold: true }, { text: 'Alliance offre une vision positive.' }]]
    const proposal: Wording = [[{ text: "L'", bold: true }, { text: 'Alliance offre une vision ambitieuse.' }]]
    const current: Wording = [[{ text: "L'", bold: true }, { text: 'Alliance progressiste offre une vision positive.' }]]
    expect(threeWayMerge(base, current, proposal)).toEqual({
      ok: true,
      wording: [[{ text: "L'", bold: true }, { text: 'Alliance progressiste offre une vision ambitieuse.' }]],
    })
  })
})

describe('merging formatted paragraphs', () => {
  const markedRun = fc.record(
    {
      text: fc.constantFrom("L'", 'Alliance', ' ', '\u00a0', 'social-', 'démocratie', '*', '**', '_', ', ', 'progrès', '10\u00a0000', 'é', ' : '),
      bold: fc.option(fc.constant(true as const), { nil: undefined }),
      italic: fc.option(fc.constant(true as const), { nil: undefined }),
    },
    { requiredKeys: ['text'] },
  )
  const paragraph = fc.array(markedRun, { maxLength: 12 }).map((runs) => runs.map((run) => Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)) as unknown as Run))
  const stars = (wording: Wording) => wordingText(wording).split('').filter((char) => char === '*' || char === '_').length

  it('never writes markup characters as text that neither side typed as text', () => {
    fc.assert(
      fc.property(paragraph, paragraph, paragraph, (base, current, proposal) => {
        const merged = threeWayMerge([base], [current], [proposal])
        if (!merged.ok) return
        // Every character of a merge is kept by both sides or added by one of them.
        expect(stars(merged.wording)).toBeLessThanOrEqual(stars([current]) + stars([proposal]))
        if (stars([current]) === 0 && stars([proposal]) === 0) expect(stars(merged.wording)).toBe(0)
      }),
      { numRuns: 1000 },
    )
  })

  it('gives the proposal itself, formatting included, when the paragraph has not moved', () => {
    fc.assert(
      fc.property(paragraph, paragraph, (base, proposal) => {
        const merged = threeWayMerge([base], [base], [proposal])
        expect(merged.ok && normalizeWording(merged.wording)).toEqual(normalizeWording([proposal]))
      }),
      { numRuns: 500 },
    )
  })
})

describe('the same changes on both sides', () => {
  it('are one set of changes, never a conflict', () => {
    fc.assert(
      fc.property(sentence, sentence, (base, both) => {
        expect(merge(base, both, both)).toEqual({ ok: true, text: both })
      }),
      { numRuns: 1000 },
    )
  })
})
