import type { Run } from '@hemicycle/amendments'
import { schema } from '@hemicycle/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { alignedBlocks, translationOf, translationStatus } from './blocks.ts'
import { changedSinceRead, DIGEST_PATTERN, sameRuns, wordingDigest } from './reading.ts'

/** Words as runs, in a small alphabet so that two drawn wordings are often the same. */
const plainRun = fc.record(
  { text: fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' ', ','), maxLength: 6 }), bold: fc.boolean(), italic: fc.boolean() },
  { requiredKeys: ['text', 'bold', 'italic'] },
)
const asRun = ({ text, bold, italic }: { text: string; bold: boolean; italic: boolean }): Run => ({ text, ...(bold ? { bold: true } : {}), ...(italic ? { italic: true } : {}) })
const wording = fc.array(plainRun, { maxLength: 5 }).map((runs) => runs.map(asRun))

/** The oracle: each character with its formatting, whatever the runs. */
const characters = (runs: readonly Run[]) => runs.flatMap((run) => [...run.text].map((char) => `${char}${run.bold ? 'B' : ''}${run.italic ? 'I' : ''}`))

/** The same wording cut into other runs, decomposed (é as e + ◌́), with empty runs and explicit `false` marks. */
const reshaped = (runs: readonly Run[]) =>
  fc.tuple(...runs.map((run) => fc.tuple(fc.nat({ max: run.text.length }), fc.boolean(), fc.boolean()))).map((cuts) =>
    cuts.flatMap(([at, decompose, empty], index) => {
      const run = runs[index]!
      const text = decompose ? run.text.normalize('NFD') : run.text
      const cut = Math.min(at, text.length)
      const pieces = [text.slice(0, cut), text.slice(cut)]
      return [
        ...(empty ? [{ text: '' }] : []),
        ...pieces.map((piece) => ({ ...run, text: piece, ...(run.bold ? {} : { bold: false }) }) as Run),
      ]
    }),
  )

describe('the digest of a wording', () => {
  it('is a SHA-256 in hex, the same for a wording however it is cut into runs or composed', () => {
    fc.assert(
      fc.property(
        wording.chain((runs) => fc.tuple(fc.constant(runs), reshaped(runs))),
        ([runs, other]) => {
          expect(wordingDigest(runs)).toMatch(DIGEST_PATTERN)
          expect(wordingDigest(other)).toBe(wordingDigest(runs))
          expect(sameRuns(other, runs)).toBe(true)
        },
      ),
    )
  })

  it('differs exactly when a letter or its formatting differs, as the block’s status reads it', () => {
    fc.assert(
      fc.property(wording, wording, (a, b) => {
        const same = JSON.stringify(characters(a)) === JSON.stringify(characters(b))
        expect(wordingDigest(a) === wordingDigest(b)).toBe(same)
        expect(sameRuns(a, b)).toBe(same)
        // A confirmation against `a` keeps a translated block current exactly while the source reads as `a`.
        expect(translationStatus([{ text: 'Text.' }], b, a) === 'current').toBe(same)
      }),
    )
  })

  it('tells bold or italic words from plain ones, and an empty block from a blank-free one', () => {
    expect(wordingDigest([{ text: 'Nous agissons.' }])).not.toBe(wordingDigest([{ text: 'Nous agissons.', bold: true }]))
    expect(wordingDigest([{ text: 'Nous ' }, { text: 'agissons', italic: true }, { text: '.' }])).not.toBe(wordingDigest([{ text: 'Nous agissons.' }]))
    expect(wordingDigest([])).toBe(wordingDigest([{ text: '' }]))
    expect(wordingDigest([])).not.toBe(wordingDigest([{ text: ' ' }]))
  })
})

describe('what changed since a translator read a block', () => {
  const source = [{ text: 'Nous vivons une époque de changements rapides.' }]
  const translation = [{ text: 'We live in a time of rapid change.' }]
  const read = { sourceDigest: wordingDigest(source), translationDigest: wordingDigest(translation) }

  it('is nothing while both texts read as they did', () => {
    expect(changedSinceRead({ source: [{ text: 'Nous vivons une e\u0301poque de changements rapides.' }], translation }, read)).toEqual([])
  })

  it('names the source, the translation, or both', () => {
    const amended = [{ text: 'Nous vivons une époque de changements profonds.' }]
    const rewritten = [{ text: 'We live in times of rapid change.' }]
    expect(changedSinceRead({ source: amended, translation }, read)).toEqual(['source'])
    expect(changedSinceRead({ source: [{ ...source[0]!, bold: true }], translation }, read)).toEqual(['source'])
    expect(changedSinceRead({ source, translation: rewritten }, read)).toEqual(['translation'])
    expect(changedSinceRead({ source: amended, translation: rewritten }, read)).toEqual(['source', 'translation'])
  })
})

describe('the translation of one block, read from a version', () => {
  const p = (attrs: Record<string, string>, text: string) => schema.node('paragraph', attrs, text ? [schema.text(text)] : [])
  const original = schema.node('doc', null, [p({ id: 'a' }, 'Un.'), p({ id: 'b' }, 'Deux.')])
  const version = schema.node('doc', null, [p({ id: 'y', sourceId: 'b' }, 'Two.'), p({ id: 'x', sourceId: 'a' }, 'One.'), p({ id: 'z', sourceId: 'a' }, 'Again.')])

  it('is the wording the server pairs with that source, or null when the version holds none', () => {
    for (const block of alignedBlocks(original, version)) expect(translationOf(version, block.sourceId)).toEqual(block.translation!.runs)
    expect(translationOf(version, 'c')).toBeNull()
  })
})
