import fc from 'fast-check'
import { encodeBody, schema, withBlockIds } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Proposal, rebase } from './amendment.ts'
import { applyAmendment } from './applied.ts'
import { blockRuns, insertAfter } from './document.ts'
import type { Run } from './inline.ts'
import { insertedAlready, paragraphAsRead } from './insertedAlready.ts'
import { rebaseInText } from './rebaseInText.ts'
import { docWith, texts } from './testDocuments.ts'
import type { Wording } from './wording.ts'

/** Paragraphs new amendments add: few, so that amendments repeat each other. */
const POOL = ['Demande un rapport annuel.', 'Invite les membres à agir.', 'Décide de rester saisi de la question.', 'Note avec **satisfaction** les progrès.']
const ORIGINAL = ['Considérant la cohésion sociale.', 'Rappelant ses résolutions antérieures.', 'Suite du texte.']

/** One of the pool's paragraphs as some delegation may have written it: runs cut anywhere, spaces doubled, a space at an end. */
const spelling = (index: number) =>
  fc.record({ cut: fc.nat(), double: fc.boolean(), edge: fc.constantFrom('', ' ', '\u00a0') }).map(({ cut, double, edge }): Run[] => {
    const source = POOL[index]!
    const bold = source.match(/\*\*(.+)\*\*/)
    const runs: Run[] = bold ? [{ text: source.slice(0, bold.index) }, { text: bold[1]!, bold: true }, { text: source.slice(bold.index! + bold[0].length) }] : [{ text: source }]
    const plain = runs[0]!.text.replace(double ? / /g : /$^/, '  ') + edge
    const at = cut % (plain.length + 1)
    return [{ text: plain.slice(0, at) }, { text: plain.slice(at) }, ...runs.slice(1)]
  })

const wordingOf = (indexes: readonly number[]) => fc.tuple(...indexes.map(spelling)) as fc.Arbitrary<Wording>

interface Tabled {
  kind: 'insertAfter' | 'replace'
  pool: number[]
}

const tabledAmendment = fc.record({ kind: fc.constantFrom('insertAfter' as const, 'replace' as const), pool: fc.uniqueArray(fc.nat({ max: POOL.length - 1 }), { minLength: 1, maxLength: 2 }) })

/** Amendments after (or rewriting) one block of `ORIGINAL`, accepted one after the other as the service does: rebased on the live text, then applied after those before. */
function acceptAll(anchor: number | null, amendments: ReadonlyArray<{ tabled: Tabled; wording: Wording; typedAfter?: string | null }>) {
  const { doc, ids } = docWith(ORIGINAL)
  const blockId = anchor === null ? null : ids[anchor]!
  const earlier = new Set<string>()
  const accepted: Proposal[] = []
  for (const { tabled, wording, typedAfter } of amendments) {
    // Someone editing during consolidation writes a paragraph right after the block (Enter at its end) before this acceptance.
    if (typedAfter !== undefined && typedAfter !== null) insertAfter(doc, blockId, [typedAfter === '' ? [] : [{ text: typedAfter }]])
    const kind = blockId === null ? 'insertAfter' : tabled.kind
    const base = blockId === null ? [] : blockRuns(doc, blockId)!
    // A replacement that keeps its block's words and adds paragraphs after it, as insertionOrder.test.ts tables one.
    const proposal: Proposal = { kind, blockId, base, wording: kind === 'replace' ? [base, ...wording] : wording }
    const rebased = rebaseInText(doc, proposal, proposal.wording, earlier)
    if (rebased.state !== 'clean') continue
    accepted.push(proposal)
    if (rebased.unchanged) continue
    doc.transact(() => {
      const applied = applyAmendment(doc, kind, blockId, rebased.wording, earlier)
      if (applied && applied.kind !== 'delete') for (const block of applied.inserted) earlier.add(block.blockId)
    })
  }
  return { doc, blockId, earlier, accepted }
}

describe('paragraphs an amendment adds after a block', () => {
  it('are written once, whoever tables them first and however they are spelled: every accepted one stands, none twice', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: ORIGINAL.length - 1 }), { nil: null }),
        fc.array(tabledAmendment, { minLength: 1, maxLength: 6 }).chain((all) => fc.tuple(fc.constant(all), fc.tuple(...all.map((tabled) => wordingOf(tabled.pool))))),
        (anchor, [all, wordings]) => {
          const { doc, blockId, earlier, accepted } = acceptAll(
            anchor,
            all.map((tabled, index) => ({ tabled, wording: wordings[index]! })),
          )
          const read = texts(doc).map((text) => paragraphAsRead([{ text }]))
          // No paragraph of the text twice (the original ones and the pool's all differ, bold aside).
          expect(new Set(read).size).toBe(read.length)
          // What the reset relies on: every accepted amendment's words are in the text, accepting it again changes nothing.
          for (const proposal of accepted) {
            const again = rebaseInText(doc, { ...proposal, base: blockId === null ? [] : blockRuns(doc, blockId)! }, proposal.wording, earlier)
            expect(again).toMatchObject({ state: 'clean', unchanged: true })
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('are written once and in the order accepted when someone wrote a paragraph right after the block in between', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: ORIGINAL.length - 1 }), { nil: null }),
        fc
          // At most three paragraphs written between (`WRITTEN_BETWEEN`): past that, they are the text, not a gap.
          .array(fc.record({ tabled: tabledAmendment, typedAfter: fc.constantFrom(null, '', 'Vu la Charte.') }), { minLength: 2, maxLength: 4 })
          .chain((all) => fc.tuple(fc.constant(all), fc.tuple(...all.map(({ tabled }) => wordingOf(tabled.pool))))),
        (anchor, [all, wordings]) => {
          const { doc, accepted } = acceptAll(
            anchor,
            all.map(({ tabled, typedAfter }, index) => ({ tabled, typedAfter: index === 0 ? null : typedAfter, wording: wordings[index]! })),
          )
          const read = texts(doc).map((text) => paragraphAsRead([{ text }]))
          const pool = POOL.map((text) => paragraphAsRead([{ text: text.replace(/\*/g, '') }]))
          // Before, the next acceptance went right after the block, before the typed paragraph: the same new paragraph twice.
          for (const key of pool) expect(read.filter((text) => text === key).length).toBeLessThanOrEqual(1)
          // And a later acceptance's paragraph before an earlier one's.
          const firstAccepted = accepted.flatMap((proposal) => proposal.wording.map((runs) => paragraphAsRead([{ text: runs.map((run) => run.text).join('') }]))).filter((key, index, keys) => pool.includes(key) && keys.indexOf(key) === index)
          expect(read.filter((key) => pool.includes(key))).toEqual(firstAccepted)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('go right after the block when the paragraph an earlier acceptance put there was moved far away', () => {
    const { doc, ids } = docWith(['Considérant.', 'Un.', 'Deux.', 'Trois.', 'Quatre.', 'Cinq.'])
    const earlier = new Set<string>()
    doc.transact(() => {
      for (const id of insertAfter(doc, ids[0]!, [[{ text: 'Ajout accepté.' }]]) ?? []) earlier.add(id)
    })
    // Moved to the end by hand (cut and paste keeps its id).
    const body = doc.getXmlFragment('body')
    const moved = body.get(1) as Y.XmlElement
    const id = moved.getAttribute('id') as string
    doc.transact(() => {
      body.delete(1, 1)
      const again = new Y.XmlElement('paragraph')
      again.setAttribute('id', id)
      again.insert(0, [new Y.XmlText('Ajout accepté.')])
      body.insert(body.length, [again])
    })
    doc.transact(() => applyAmendment(doc, 'insertAfter', ids[0]!, [[{ text: 'Nouvel ajout.' }]], earlier))
    expect(texts(doc)).toEqual(['Considérant.', 'Nouvel ajout.', 'Un.', 'Deux.', 'Trois.', 'Quatre.', 'Cinq.', 'Ajout accepté.'])
  })

  it('are read as before when none of them stands there: the rebase alone decides', () => {
    fc.assert(
      fc.property(fc.nat({ max: ORIGINAL.length - 1 }), fc.array(fc.nat({ max: POOL.length - 1 }), { minLength: 1, maxLength: 3 }), fc.boolean(), (anchor, pool, replace) => {
        const { doc, ids } = docWith(ORIGINAL)
        const wording = pool.map((index) => [{ text: POOL[index]!.replace(/\*/g, '') }])
        const base = blockRuns(doc, ids[anchor]!)!
        const proposal: Proposal = replace ? { kind: 'replace', blockId: ids[anchor]!, base, wording: [[{ text: 'Autrement.' }], ...wording] } : { kind: 'insertAfter', blockId: ids[anchor]!, base, wording }
        const duplicated = new Set(pool).size < pool.length
        const expected = duplicated ? { state: 'clean', wording: proposal.wording, unchanged: false } : rebase(proposal, base)
        // Two equal paragraphs in one wording are that delegation's choice; both are written.
        expect(rebaseInText(doc, proposal)).toEqual(expected)
      }),
      { numRuns: 100 },
    )
  })

  it('are the same paragraph only when a reader sees the same words, marks and punctuation', () => {
    const content = withBlockIds(
      schema.node('doc', null, [
        schema.node('paragraph', null, [schema.text('Considérant.')]),
        schema.node('paragraph', null, [schema.text('Demande un rapport\u00ad annuel de 1\u202f000 pages.')]),
        schema.node('heading', { level: 2 }, [schema.text('Titre.')]),
      ]),
    )
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeBody(content))
    const anchor = content.child(0).attrs['id'] as string
    const p = (text: string, bold = false): Run[] => [{ text, ...(bold ? { bold: true as const } : {}) }]
    // The soft hyphen a paragraph holds is invisible; a wording never holds one. So is the width of the space in a figure.
    expect(insertedAlready(doc, anchor, [p(' Demande un\trapport annuel de 1 000 pages.')])).toBe('all')
    expect(insertedAlready(doc, anchor, [p('Demande un rapport annuel de 1 000 pages.', true)])).toBe('none')
    expect(insertedAlready(doc, anchor, [p('Demande un rapport annuel de 1 000 pages')])).toBe('none')
    expect(insertedAlready(doc, anchor, [p('Demande un rapport annuel de 1 001 pages.')])).toBe('none')
    expect(insertedAlready(doc, anchor, [p('Demande un rapport annuel de 1 000 pages.'), p('Autre.')])).toBe('some')
    // A heading is not the paragraph an insertion writes.
    expect(insertedAlready(doc, content.child(1).attrs['id'] as string, [p('Titre.')])).toBe('none')
    expect(insertedAlready(doc, 'gone', [p('Titre.')])).toBeNull()
    // A hyphen or a non-breaking hyphen looks as "-" does (helper-162: the same paragraph so spelt was written twice); a
    // dash does not.
    expect(paragraphAsRead(p('Le porte\u2011parole rend compte.'))).toBe(paragraphAsRead(p('Le porte-parole rend compte.')))
    expect(paragraphAsRead(p('Le porte\u2010parole rend compte.'))).toBe(paragraphAsRead(p('Le porte-parole rend compte.')))
    expect(paragraphAsRead(p('De 1990\u20132000.'))).not.toBe(paragraphAsRead(p('De 1990-2000.')))
  })
})
