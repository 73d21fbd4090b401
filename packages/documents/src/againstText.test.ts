import { blockRuns, rebaseInText, type Run } from '@hemicycle/amendments'
import type { Amendment, Person } from '@hemicycle/protocol'
import { encodeBody, schema, withBlockIds } from '@hemicycle/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { candidateOf, readAgainstText } from './againstText.ts'

/**
 * A card, the chair's desk and the booklet read a tabled amendment against
 * the text with `readAgainstText`; accepting it, and its preview, read it
 * with `rebaseInText`, which also sees the paragraphs already after the
 * block. The chair decides from the first: it must say what the second does.
 */

const claire: Person = { id: 'person-claire', username: 'claire', name: 'Claire Martin', role: 'delegate', delegation: { id: 'fr-pp', party: 'Parti progressiste', country: 'France' } }

/** A live text of these paragraphs, and their block ids. */
function textOf(paragraphs: readonly string[]): { doc: Y.Doc; ids: string[] } {
  const content = withBlockIds(schema.node('doc', null, paragraphs.map((text) => schema.node('paragraph', null, [schema.text(text)]))))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeBody(content))
  const ids: string[] = []
  content.forEach((node) => ids.push(node.attrs['id'] as string))
  return { doc, ids }
}

const view = (id: string, blockId: string, kind: Amendment['kind'], base: string, added: readonly string[], extra: Partial<Amendment> = {}): Amendment => {
  const wording: Run[][] = (kind === 'replace' ? [base, ...added] : added).map((text) => [{ text }])
  return {
    id,
    number: id,
    label: id,
    paragraph: 1,
    line: 1,
    kind,
    blockId,
    baseText: base,
    baseWording: [{ text: base }],
    text: wording.map((paragraph) => paragraph[0]!.text).join('\n\n'),
    wording,
    justification: '',
    status: 'tabled',
    conflict: false,
    compromise: false,
    mergedInto: null,
    collidesWith: [],
    tabledBy: claire,
    delegation: claire.delegation,
    cosponsors: [],
    createdAt: '2026-11-30T09:00:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    ...extra,
  }
}

/** The verdict a card shows: what accepting does, as the server's preview says it. */
const verdict = (state: string, unchanged: boolean) => (state === 'obsolete' ? 'obsolete' : state === 'conflict' ? 'conflict' : unchanged ? 'unchanged' : 'writes')
const shown = (amendment: Amendment) => verdict(amendment.status === 'obsolete' ? 'obsolete' : amendment.conflict ? 'conflict' : 'clean', amendment.unchanged === true)

const read = (amendments: readonly Amendment[], doc: Y.Doc) =>
  readAgainstText(amendments, amendments.filter((amendment) => amendment.status === 'tabled').map((amendment) => candidateOf(amendment, amendments)), doc)

describe('reading a tabled amendment against the text', () => {
  const base = 'Considérant la cohésion sociale.'

  it('says an insertion whose paragraph an accepted one wrote already changes nothing, and one partly there is a conflict', () => {
    // The first insertion was accepted: its paragraph stands after the block.
    const { doc, ids } = textOf([base, 'Demande un rapport annuel.', 'Suite.'])
    const accepted = view('A1', ids[0]!, 'insertAfter', '', ['Demande un rapport annuel.'], { status: 'accepted', decision: { by: claire, at: '2026-11-30T10:00:00.000Z', inserted: [ids[1]!] } })
    const same = view('A2', ids[0]!, 'insertAfter', '', ['Demande  un rapport annuel. '])
    const partly = view('A3', ids[0]!, 'insertAfter', '', ['Demande un rapport annuel.', 'Et un bilan.'])
    const other = view('A4', ids[0]!, 'insertAfter', '', ['Et un bilan.'])
    const [, second, third, fourth] = read([accepted, same, partly, other], doc)
    expect([second, third, fourth].map((amendment) => shown(amendment!))).toEqual(['unchanged', 'conflict', 'writes'])
  })

  it('says what the server’s preview says, for insertions and replacements adding paragraphs near ones already there', () => {
    const pool = ['Demande un rapport.', 'Et un bilan.', 'Suite.', 'Fin.']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pool), { maxLength: 4 }),
        fc.nat({ max: 4 }),
        fc.array(fc.tuple(fc.constantFrom<Amendment['kind']>('insertAfter', 'replace'), fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
        (after, insertedCount, tabled) => {
          const { doc, ids } = textOf([base, ...after, 'Dernier.'])
          // The first paragraphs after the block were written by an accepted insertion, as many as it says.
          const written = ids.slice(1, 1 + Math.min(insertedCount, after.length))
          const accepted = view('A0', ids[0]!, 'insertAfter', '', written.map((_, index) => after[index]!), { status: 'accepted', decision: { by: claire, at: '2026-11-30T10:00:00.000Z', inserted: written } })
          const amendments = [
            ...(written.length > 0 ? [accepted] : []),
            ...tabled.map(([kind, added, reworded], index) => view(`A${index + 1}`, ids[0]!, kind, base, added, kind === 'replace' && reworded ? { wording: [[{ text: 'Considérant la justice sociale.' }], ...added.map((text) => [{ text }])] } : {})),
          ]
          const earlier = new Set(written)
          for (const amendment of read(amendments, doc).filter((candidate) => candidate.status === 'tabled' || candidate.status === 'obsolete')) {
            const original = amendments.find((candidate) => candidate.id === amendment.id)!
            const rebased = rebaseInText(doc, candidateOf(original, amendments), original.wording, earlier)
            expect(shown(amendment)).toBe(verdict(rebased.state, rebased.state === 'clean' && rebased.unchanged === true))
          }
          // Reading is only reading: the text is as it was.
          expect(blockRuns(doc, ids[0]!)).toEqual([{ text: base }])
        },
      ),
      { numRuns: 300, seed: 20261130 },
    )
  })
})
