import type { Amendment, Person } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { bookletAmendments, buildBooklet } from './booklet.ts'

const claire: Person = { id: 'person-claire', username: 'claire', name: 'Claire Martin', role: 'delegate', delegation: { id: 'fr-pp', party: 'Parti progressiste', country: 'France' } }
const ingrid: Person = { id: 'person-ingrid', username: 'ingrid', name: 'Ingrid Johansson', role: 'chair', delegation: { id: 'se-ap', party: 'Arbetarpartiet', country: 'Sweden' } }

const amendment = (number: number, paragraph: number, line: number, extra: Partial<Amendment> = {}): Amendment => ({
  id: `id-${number}`,
  number: `A${number}`,
  label: `A${number} · §${paragraph}`,
  paragraph,
  line,
  kind: 'replace',
  blockId: `block-${paragraph}`,
  baseText: 'Notre vision allie le progrès social et la cohésion sociale.',
  baseWording: [{ text: 'Notre vision allie le progrès social et la cohésion sociale.' }],
  text: 'Notre vision allie le progrès social, la **justice** et la cohésion sociale.',
  wording: [[{ text: 'Notre vision allie le progrès social, la ' }, { text: 'justice', bold: true }, { text: ' et la cohésion sociale.' }]],
  justification: 'La justice manque.',
  status: 'tabled',
  conflict: false,
  compromise: false,
  mergedInto: null,
  collidesWith: [],
  tabledBy: claire,
  delegation: claire.delegation,
  cosponsors: [],
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  ...extra,
})

const meta = { title: 'Résolution', language: 'fr' as const, organisation: '', event: 'Kuala Lumpur', stamp: { label: 'PROJET', date: '2019-07-03' } }

describe('the amendments booklet', () => {
  it('lists amendments in the order of the text, with § and line', () => {
    const booklet = buildBooklet([amendment(1, 7, 23), amendment(2, 2, 5), amendment(3, 7, 20), amendment(4, 0, 1, { blockId: null, kind: 'insertAfter', baseText: '', baseWording: [] })], meta)
    expect(booklet.entries.map((entry) => entry.heading)).toEqual(['A4 · début du texte', 'A2 · §2, ligne 5', 'A3 · §7, ligne 20', 'A1 · §7, ligne 23'])
    expect(booklet.summary).toBe('4 amendements')
    expect(booklet.heading).toBe('Cahier des amendements')
  })

  it('places and cites each amendment where its paragraph stands now, saying where it was tabled when the § differs (amendments reopened)', () => {
    // Round one: A2 tabled at §5 (block-5). An insertion accepted after §2, amendments reopened, numbers frozen afresh: that
    // paragraph is §6 now, and A3 is tabled at the new §5 (the old §4, block-4).
    const places = new Map([
      ['block-4', { paragraph: '5', line: '20', order: 4 }],
      ['block-5', { paragraph: '6', line: '27', order: 5 }],
    ])
    const booklet = buildBooklet([amendment(2, 5, 26), amendment(3, 5, 20, { blockId: 'block-4' }), amendment(4, 9, 40, { blockId: 'block-gone', status: 'obsolete' })], meta, {}, null, (id) => places.get(id) ?? null)
    expect(booklet.entries.map((entry) => entry.heading)).toEqual(['A3 · §5, ligne 20', 'A2 · §6, ligne 27 (déposé au §5, ligne 26)', 'A4 · §9, ligne 40'])
    // Without places (a caller that has no text), as tabled.
    expect(buildBooklet([amendment(2, 5, 26), amendment(3, 5, 20, { blockId: 'block-4' })], meta).entries.map((entry) => entry.heading)).toEqual(['A3 · §5, ligne 20', 'A2 · §5, ligne 26'])
  })

  it('shows the two wordings side by side with the changed words marked, and who tabled and co-signed', () => {
    const [entry] = buildBooklet([amendment(1, 7, 23, { cosponsors: [ingrid.delegation!] })], meta).entries
    expect(entry!.tabledBy).toBe('Parti progressiste (France) — Claire Martin')
    // Countries in the booklet's language, as the interface names them (stored in English).
    expect(entry!.cosponsors).toBe('Arbetarpartiet (Suède)')
    expect(buildBooklet([amendment(1, 7, 23, { cosponsors: [ingrid.delegation!] })], { ...meta, language: 'es' }).entries[0]!.cosponsors).toBe('Arbetarpartiet (Suecia)')
    expect(entry!.original[0]!.filter((run) => run.change === 'delete').map((run) => run.text.trim())).toEqual([])
    expect(entry!.proposed[0]!.map((run) => run.text).join('')).toBe('Notre vision allie le progrès social, la justice et la cohésion sociale.')
    expect(entry!.proposed[0]!.some((run) => run.change === 'insert' && run.bold && run.text === 'justice')).toBe(true)
    expect(entry!.decision).toBe('déposé, en attente de décision')
  })

  it('states the decision, who took it, when, and why', () => {
    const booklet = buildBooklet(
      [
        amendment(1, 7, 23, { status: 'rejected', decision: { by: ingrid, at: '2026-11-24T10:00:00.000Z', reason: 'Hors sujet.' } }),
        amendment(2, 8, 30, { status: 'acceptedModified', decision: { by: ingrid, at: '2026-11-24T10:00:00.000Z', text: 'Texte *modifié*.', wording: [[{ text: 'Texte ' }, { text: 'modifié', italic: true }, { text: '.' }]] } }),
        amendment(3, 9, 40, { kind: 'delete', text: '', wording: [] }),
      ],
      { ...meta, language: 'en' },
      { status: 'rejected' },
    )
    expect(booklet.entries[0]!.decision).toBe('rejected — Ingrid Johansson, 24 November 2026')
    expect(booklet.entries[0]!.decisionDetail).toEqual({ label: 'Reason', runs: [[{ text: 'Hors sujet.' }]] })
    expect(booklet.entries[1]!.decisionDetail).toEqual({ label: 'Wording adopted', runs: [[{ text: 'Texte ' }, { text: 'modifié', italic: true }, { text: '.' }]] })
    expect(booklet.entries[2]!.proposed).toEqual([])
    expect(booklet.entries[2]!.original[0]!.every((run) => run.change === 'delete')).toBe(true)
    expect(booklet.filters).toBe('Status: rejected')
  })

  it('states a decision taken by vote with its result instead of a name', () => {
    const result = { passed: true, yes: 3, no: 1, abstain: 1, notVoting: 0 }
    const booklet = buildBooklet([amendment(1, 2, 5, { status: 'accepted', decision: { by: ingrid, at: '2019-08-31T10:00:00.000Z', vote: 'v1', result } })], meta)
    expect(booklet.entries[0]!.decision).toBe('adopté — par vote, 31 août 2019 (3 voix pour, 1 contre, 1 abstention)')
  })
})

describe('the booklet’s filters', () => {
  it('keep the amendments with the status, and those the delegation tabled or co-sponsors', () => {
    const amendments = [
      amendment(1, 1, 1),
      amendment(2, 2, 3, { status: 'rejected' }),
      amendment(3, 3, 5, { tabledBy: ingrid, delegation: ingrid.delegation, cosponsors: [claire.delegation!] }),
      amendment(4, 4, 7, { tabledBy: ingrid, delegation: ingrid.delegation }),
    ]
    const numbers = (filters: Parameters<typeof bookletAmendments>[1]) => bookletAmendments(amendments, filters).map((kept) => kept.number)
    expect(numbers({})).toEqual(['A1', 'A2', 'A3', 'A4'])
    expect(numbers({ status: 'tabled' })).toEqual(['A1', 'A3', 'A4'])
    expect(numbers({ delegationId: 'fr-pp' })).toEqual(['A1', 'A2', 'A3'])
    expect(numbers({ status: 'tabled', delegationId: 'se-ap' })).toEqual(['A3', 'A4'])
    expect(numbers({ delegationId: 'nobody' })).toEqual([])
  })
})
