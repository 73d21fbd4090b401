import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Candidate, findCollisions, rebase } from './amendment.ts'
import { applyEdits, editsBetween } from './edits.ts'
import type { Run } from './inline.ts'
import { type AppliedChange, applyAmendment, revertApplied } from './applied.ts'
import { blockRuns } from './document.ts'
import { docWith } from './testDocuments.ts'
import { tokensOfRuns } from './tokens.ts'
import { editsThrough } from './trail.ts'

/**
 * Amendments tabled against one paragraph, accepted one after another, as a
 * chair does by hand or "accept non-colliding" does in turn: each is
 * rebased onto the text the earlier ones left, through the wordings the
 * paragraph read before and after each of those decisions (`since`).
 */
const textOf = (runs: ReadonlyArray<{ text: string }>) => runs.map((run) => run.text).join('')
const tokens = (text: string) => tokensOfRuns([{ text }])

/** The text after accepting `wordings` (all tabled against `base`) in `order`; 'conflict' where one no longer applies. */
function acceptInTurn(base: string, wordings: readonly string[], order: readonly number[], followed = true): string {
  let current: Run[] = [{ text: base }]
  const since: Run[][] = []
  for (const index of order) {
    const proposal = { kind: 'replace' as const, blockId: 'b', base: [{ text: base }], wording: [[{ text: wordings[index]! }]], ...(followed ? { since: [...since] } : {}) }
    const rebased = rebase(proposal, current)
    if (rebased.state !== 'clean') return 'conflict'
    const next = rebased.wording[0] ?? []
    since.push(current, next)
    current = next
  }
  return textOf(current)
}

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
]

describe('amendments accepted in turn', () => {
  // A1 copies "les pays et" before the original; A2 takes out the original's second "les"; A3 adds "pauvres" to the original's "pays".
  const base = 'aider les pays et les régions'
  const wordings = ['financer les pays et les pays et les régions', 'aider les pays et régions', 'aider les pays pauvres et les régions']
  const expected = 'financer les pays et les pays pauvres et régions'

  it('keep each word where its amendment put it, in every order, around a phrase one of them copied', () => {
    const candidates: Candidate[] = wordings.map((text, index) => ({ id: `A${index + 1}`, kind: 'replace', blockId: 'b', base: [{ text: base }], wording: [[{ text }]] }))
    expect(findCollisions(candidates, () => [{ text: base }]).size).toBe(0)
    // In the order tabled (accept-non-colliding's), and in every order where no reading of the text sees a conflict.
    expect(acceptInTurn(base, wordings, [0, 1, 2])).toBe(expected)
    for (const order of ORDERS) expect([expected, 'conflict']).toContain(acceptInTurn(base, wordings, order))
    // Read from the base and today's text alone, the shortest diff takes A1's copy for the original.
    expect(acceptInTurn(base, wordings, [0, 1, 2], false)).toBe('financer les pays pauvres et les pays et régions')
  })

  it('the same in letters', () => {
    const letters = ['z X b X b X c', 'a X b c', 'a X Y b X c']
    expect(acceptInTurn('a X b X c', letters, [0, 1, 2])).toBe('z X b X Y b c')
    for (const order of ORDERS) expect(['z X b X Y b c', 'conflict']).toContain(acceptInTurn('a X b X c', letters, order))
  })

  it('taking one back afterwards reverts its own words, not the copy a later one wrote of them', () => {
    // R made "nations" "pays"; A1 then copied "les pays et" before it, A2 took out a "les". Taking R back must give the
    // original its "nations" again; read from R's text and today's alone, the copy took the original's place.
    const takenBack = (followed: boolean) => {
      const { doc, ids } = docWith(['aider les nations et les régions'])
      const blockId = ids[0]!
      const since: Run[][] = []
      const accept = (wording: string): AppliedChange => {
        const before = blockRuns(doc, blockId)!
        let applied: AppliedChange | null = null
        doc.transact(() => (applied = applyAmendment(doc, 'replace', blockId, [[{ text: wording }]])))
        since.push(before, blockRuns(doc, blockId)!)
        return applied!
      }
      const r = accept('aider les pays et les régions')
      since.length = 0
      accept('financer les pays et les pays et les régions')
      accept('financer les pays et les pays et régions')
      const outcome = revertApplied(doc, r, followed ? since : [])
      return outcome.ok ? textOf(blockRuns(doc, blockId)!) : 'conflict'
    }
    expect(takenBack(true)).toBe('financer les pays et les nations et régions')
    expect(takenBack(false)).toBe('financer les nations et les pays et régions')
  })

  it('a paragraph back as it was tabled, however it got there, takes the amendment as written', () => {
    // Two diffs there and back need not pair words as mirror images: followed step by step, the paragraph back as it
    // was read as "les" moved, and the amendment's added "les" agreed with half of that move and was lost, clean.
    const base = 'aider pays les pays et régions'
    const decided = 'aider les les et régions'
    const proposal = 'aider pays les les pays et régions'
    const read = (current: string, since: string[]) => {
      const rebased = rebase({ kind: 'replace', blockId: 'b', base: [{ text: base }], wording: [[{ text: proposal }]], since: since.map((text) => [{ text }]) }, [{ text: current }])
      return rebased.state === 'clean' ? textOf(rebased.wording[0]!) : rebased.state
    }
    // Taken back by a second decision; undone by typing after the decision; the same with words typed further on.
    expect(read(base, [base, decided, decided, base])).toBe(proposal)
    expect(read(base, [base, decided])).toBe(proposal)
    expect(read(`${base} ainsi que des villes`, [base, decided, decided, base])).toBe(`${proposal} ainsi que des villes`)
  })

  it('a word moved and then rewritten by decisions is a conflict beside the same word added, as read without them', () => {
    // "c c a a" → "c a c a" → "c a a a": the steps read the second "c" moved, then written "a"; the amendment adds an "a".
    // Followed alone, the decisions' "a" and the amendment's read as one addition, made once: its "a" was lost.
    const since = ['c c a a', 'c a c a', 'c a c a', 'c a a a'].map((text) => [{ text }])
    expect(rebase({ kind: 'replace', blockId: 'b', base: [{ text: 'c c a a' }], wording: [[{ text: 'c c a a a' }]], since }, [{ text: 'c a a a' }]).state).toBe('conflict')
  })

  it('follow a word through a decision taken back and taken again: written back the same, it changed nothing', () => {
    const texts = ['aider les pays', 'aider les régions', 'aider les pays', 'aider les pays pauvres'].map(tokens)
    expect(editsThrough(texts).map((edit) => [edit.from, edit.to, textOf(edit.insert)])).toEqual([[5, 5, ' pauvres']])
  })

  it('give one text whatever the order, the text of all their changes made at once (seeded, short words that repeat)', () => {
    const WORDS = ['les', 'pays', 'et', 'régions', 'de', 'aider', 'pauvres', 'financer']
    type Change = { at: number; span: number; kind: 'insert' | 'delete' | 'replace' | 'copy'; word: string }
    const change = fc.record({ at: fc.nat(20), span: fc.nat(5), kind: fc.constantFrom('insert', 'delete', 'replace', 'copy' as const), word: fc.constantFrom(...WORDS) })
    const made = (words: readonly string[], { at: seed, span, kind, word }: Change): string[] => {
      const out = [...words]
      const at = Math.min(seed % (words.length + 1), words.length - 1)
      if (kind === 'insert') out.splice(seed % (words.length + 1), 0, word)
      else if (kind === 'delete' && words.length > 1) out.splice(at, 1)
      else if (kind === 'replace') out.splice(at, 1, word)
      // A phrase written again before itself, as A1 above.
      else if (kind === 'copy') out.splice(at, 0, word, ...words.slice(at, at + 1 + (span % 3)))
      return out
    }
    const sameWords = (text: string) => text.split(' ').sort().join(' ')
    const tally = { compared: 0, orderMatters: 0, orderMattersUnfollowed: 0, notAtOnce: 0 }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 4, maxLength: 9 }), fc.array(fc.array(change, { minLength: 1, maxLength: 2 }), { minLength: 3, maxLength: 3 }), (words, changes) => {
        const base = words.join(' ')
        const wordings = changes.map((list) => list.reduce(made, words).join(' '))
        if (new Set([base, ...wordings]).size < 4) return
        const candidates: Candidate[] = wordings.map((text, index) => ({ id: String(index), kind: 'replace', blockId: 'b', base: [{ text: base }], wording: [[{ text }]] }))
        if (findCollisions(candidates, () => [{ text: base }]).size > 0) return
        if (candidates.some((candidate) => rebase(candidate, [{ text: base }]).state !== 'clean')) return
        tally.compared++
        const texts = new Set(ORDERS.map((order) => acceptInTurn(base, wordings, order)).filter((text) => text !== 'conflict'))
        // Never a word twice or lost, whatever the order.
        expect(new Set([...texts].map(sameWords)).size, JSON.stringify({ base, wordings })).toBeLessThanOrEqual(1)
        if (texts.size > 1) tally.orderMatters++
        if (new Set(ORDERS.map((order) => acceptInTurn(base, wordings, order, false)).filter((text) => text !== 'conflict')).size > 1) tally.orderMattersUnfollowed++
        // Where their changes do not overlap, that one text is theirs applied to the base at once.
        const all = wordings.flatMap((text) => editsBetween(tokens(base), tokens(text))).sort((a, b) => a.from - b.from || a.to - b.to)
        if (all.some((edit, i) => i > 0 && (all[i - 1]!.to > edit.from || (all[i - 1]!.from === edit.from && all[i - 1]!.to === edit.from)))) return
        for (const text of texts) if (text !== textOf(applyEdits(tokens(base), all))) tally.notAtOnce++
      }),
      { numRuns: Number(process.env['RUNS'] ?? 8000), seed: Number(process.env['SEED'] ?? 20261205) },
    )
    expect(tally.compared).toBeGreaterThan(300)
    // Read from the base and today's text alone, the order of acceptance changed the text in ~2.5 % of the cases
    // compared (12 of 509 here; 35 to 47 of ~1,800 on three other seeds); followed through each decision's wordings, in
    // none of those ~5,500, and here in 1: "les pays et les pauvres et …", where one amendment adds "les et" beside the
    // original "les", which its own words cannot place before or after it: a tie between repeated words, the same
    // words either way, as the diff3 comparison documents.
    expect(tally.orderMattersUnfollowed).toBeGreaterThan(5)
    expect(tally.orderMatters).toBeLessThanOrEqual(Math.max(1, Math.floor(tally.compared / 400)))
    expect(tally.notAtOnce).toBeLessThanOrEqual(tally.orderMatters)
  })
})

describe('typing after a decision beside a run of repeated words', () => {
  const base = 'Nous appelons à agir, agir.'
  const copied = 'Nous appelons à agir, agir, agir.'
  const a2 = (current: string) => rebase({ kind: 'replace', blockId: 'b', base: [{ text: base }], wording: [[{ text: 'Nous appelons à agir vite, agir.' }]], since: [[{ text: base }], [{ text: copied }]] }, [{ text: current }])

  it('leaves the conflict the decision left: which "agir" the decision wrote is no clearer for a word typed at the end', () => {
    // Found by a hostile review: A1 made "agir, agir" three; A2's "vite" after the first "agir" was a conflict until the
    // chair typed " ensemble" at the end, joined in one diff with A1's words; then it went after the first "agir" unasked.
    expect(a2(copied).state).toBe('conflict')
    expect(a2('Nous appelons à agir, agir, agir ensemble.').state).toBe('conflict')
  })

  it('takes the amendment as written when the paragraph reads again as it was tabled', () => {
    expect(a2(base)).toMatchObject({ state: 'clean', wording: [[{ text: 'Nous appelons à agir vite, agir.' }]] })
  })
})

describe('typing before a decision that wrote a phrase again', () => {
  it('leaves which copy the amendment changes a conflict: each step of the paragraph is read on its own', () => {
    const base = 'Nous aidons les pays et les régions.'
    const a1 = (since: string[], current: string) =>
      rebase({ kind: 'replace', blockId: 'b', base: [{ text: base }], wording: [[{ text: 'Nous aidons les États et les régions.' }]], since: since.map((text) => [{ text }]) }, [{ text: current }]).state
    // Without typing, "pays et les" written again may stand after "les" or after "et les": a conflict.
    expect(a1([base, 'Nous aidons les pays et les pays et les régions.'], 'Nous aidons les pays et les pays et les régions.')).toBe('conflict')
    // "territoires" typed first, read in one diff with the decision, made one place look certain.
    const typed = 'Nous aidons les pays et les territoires.'
    expect(a1([typed, 'Nous aidons les pays et les pays et les territoires.'], 'Nous aidons les pays et les pays et les territoires.')).toBe('conflict')
    // A step undone (the paragraph back as it read) is no step: a change elsewhere still merges.
    expect(a1([base, typed, typed, base], `${base} Fin.`)).toBe('clean')
  })
})
