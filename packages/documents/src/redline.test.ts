import fc from 'fast-check'
import type { Run } from '@hemicycle/amendments'
import { describe, expect, it } from 'vitest'
import type { ModelBlock } from './documentModel.ts'
import { type Attribution, authorLabel, computeRedline, describeVersion, type IdRun, type RedlineRun, redlineAuthors, type VersionFacts, type VersionText } from './redline.ts'

const block = (id: string, runs: Run[], number: number | null = null): ModelBlock => ({
  id,
  kind: 'paragraph',
  level: 0,
  number: number === null ? null : String(number),
  paragraph: number ?? 0,
  section: String(number ?? 0),
  marker: null,
  depth: 0,
  quote: false,
  lists: 0,
  runs,
  lines: [runs],
  lineLabels: ['1'],
  pending: null,
})

/** Who typed what, as Yjs clients: the original text, amendments A1 and A2, Claire, and the paragraph to delete. */
const CLIENT = { o: 1, a: 2, n: 3, c: 4, d: 5 } as const
/** The ids of `text` typed in one go by `client` from `clock` on, as Yjs gives each character its own id. */
const ids = (client: keyof typeof CLIENT, text: string, clock = 0): IdRun[] => [{ client: CLIENT[client], clock, length: text.length }]
const text = (runs: readonly RedlineRun[], drop: RedlineRun['change']) => runs.filter((run) => run.change !== drop).map((run) => run.text).join('')

describe('computeRedline', () => {
  // "Notre vision allie le progrès social." becomes "Notre vision allie la justice et le progrès social.":
  // A1 inserted "la justice et " (client a), and Claire deleted "social" in favour of "commun" (client c).
  const original = 'Notre vision allie le progrès social.'
  const from: VersionText = {
    blocks: [block('p1', [{ text: original }], 1), block('p2', [{ text: 'À supprimer.' }], 2)],
    charIds: new Map([
      ['p1', ids('o', original)],
      ['p2', ids('d', 'À supprimer.')],
    ]),
  }
  const after = 'Notre vision allie la justice et le progrès commun.'
  const toIds = [...ids('o', 'Notre vision allie '), ...ids('a', 'la justice et '), ...ids('o', 'le progrès ', 19), ...ids('c', 'commun'), ...ids('o', '.', 36)]
  const to: VersionText = {
    blocks: [block('p1', [{ text: after }], 1), block('p3', [{ text: 'Nouveau.', bold: true }], 2)],
    charIds: new Map([
      ['p1', toIds],
      ['p3', ids('n', 'Nouveau.')],
    ]),
  }
  const attribution: Attribution = {
    insertedBy: (client) => (client === CLIENT.a ? 'amendment:A1' : client === CLIENT.c ? 'person:claire' : client === CLIENT.n ? 'amendment:A2' : null),
    deletedBy: (client) => (client === CLIENT.d ? 'amendment:A3' : client === CLIENT.o ? 'person:claire' : null),
    touchedBy: () => ['person:julien'],
  }

  it('attributes each change to the amendment or the person whose update made it', () => {
    const redline = computeRedline(from, to, attribution)
    expect(redline.map((b) => [b.id, b.status, b.number])).toEqual([
      ['p1', 'changed', '1'],
      ['p2', 'deleted', null],
      ['p3', 'inserted', '2'],
    ])
    const changes = redline.flatMap((b) => b.runs.filter((run) => run.change !== 'equal').map((run) => [run.change, run.text.trim(), run.authors, run.exact]))
    expect(changes).toEqual([
      ['insert', 'la justice et', ['amendment:A1'], true],
      ['delete', 'social', ['person:claire'], true],
      ['insert', 'commun', ['person:claire'], true],
      ['delete', 'À supprimer.', ['amendment:A3'], true],
      ['insert', 'Nouveau.', ['amendment:A2'], true],
    ])
    expect(redline[2]!.runs[0]!.bold).toBe(true)
    expect(redlineAuthors(redline)).toEqual(['amendment:A1', 'person:claire', 'amendment:A3', 'amendment:A2'])
  })

  it('keeps each block\'s § in both versions, and dates each change by the latest of its characters', () => {
    const dated: Attribution = { ...attribution, changedAt: (client, clock, change) => (change === 'insert' && client === CLIENT.a ? `2026-11-2${clock % 3}T10:00:00.000Z` : null) }
    const redline = computeRedline(from, to, dated)
    expect(redline.map((b) => [b.id, b.numberBefore, b.number])).toEqual([
      ['p1', '1', '1'],
      ['p2', '2', null],
      ['p3', null, '2'],
    ])
    const justice = redline[0]!.runs.find((run) => run.text.includes('justice'))!
    expect(justice.at).toBe('2026-11-22T10:00:00.000Z')
    expect(redline[0]!.runs.find((run) => run.text === 'commun')!.at).toBeNull()
    expect(redline[0]!.runs.filter((run) => run.change === 'equal').every((run) => run.at === null)).toBe(true)
  })

  it('falls back to the people who touched the block when no character can say who changed it', () => {
    const redline = computeRedline({ ...from, charIds: new Map() }, { ...to, charIds: new Map() }, attribution)
    const changed = redline.flatMap((b) => b.runs.filter((run) => run.change !== 'equal'))
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((run) => !run.exact && run.authors.join() === 'person:julien')).toBe(true)
  })

  it('prints author names, or "unattributed"', () => {
    const model = { authors: new Map([['amendment:A1', 'A1 · Parti progressiste (France)']]), language: 'fr' as const }
    expect(authorLabel(model, ['amendment:A1'])).toBe('A1 · Parti progressiste (France)')
    expect(authorLabel(model, [])).toBe('non attribué')
  })

  it('shows a text cut down from the longest a resolution may hold to one paragraph without a pause for everyone else', () => {
    // MAX_NODES (@hemicycle/schema) paragraphs, all deleted after the first. Copying the list of blocks deleted after
    // one anchor at each block took 24.7 s here, on the event loop every editor shares.
    const longest = Array.from({ length: 50_000 }, (_, index) => block(`p${index}`, [{ text: `Paragraphe ${index}.` }], index + 1))
    const started = performance.now()
    const redline = computeRedline({ blocks: longest }, { blocks: [longest[0]!] })
    expect(performance.now() - started).toBeLessThan(3_000)
    expect(redline).toHaveLength(50_000)
    expect(redline.map((b) => b.status)).toEqual(['equal', ...Array.from({ length: 49_999 }, () => 'deleted')])
    expect(redline.at(-1)!.runs).toMatchObject([{ text: 'Paragraphe 49999.', change: 'delete' }])
  })

  it('keeps every block of both versions, the new ones in order, with the old text without insertions and the new without deletions', () => {
    const words = fc.array(fc.constantFrom('le', 'progrès', 'social', 'nous', 'devons', 'cohésion', '.'), { minLength: 1, maxLength: 8 }).map((list) => list.join(' '))
    const version = fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), text: words }), { selector: (entry) => entry.id, maxLength: 6 })
    fc.assert(
      fc.property(version, version, (before, after) => {
        const toText = (list: typeof before): VersionText => ({ blocks: list.map((entry) => block(entry.id, [{ text: entry.text }])) })
        const redline = computeRedline(toText(before), toText(after))
        // A block that moved is shown where it now stands, so the old text is complete but may be in the new order.
        expect(redline.filter((b) => b.status !== 'inserted').map((b) => text(b.runs, 'insert')).sort()).toEqual(before.map((entry) => entry.text).sort())
        expect(redline.filter((b) => b.status !== 'deleted').map((b) => text(b.runs, 'delete'))).toEqual(after.map((entry) => entry.text))
      }),
    )
  })
})

describe('computeRedline of words nobody changed between two changes', () => {
  // Claire writes "justice " before "solidarité" and deletes " Nous" after it. The text diff's cleanup folds the one
  // word left between the two changes into them: "solidarité Nous" struck, "justice solidarité" inserted, both in
  // Claire's name, where "solidarité" is the original's own characters in both versions.
  const before = 'Unis par la solidarité Nous avançons.'
  const after = 'Unis par la justice solidarité avançons.'
  const from: VersionText = { blocks: [block('p', [{ text: before }], 1)], charIds: new Map([['p', ids('o', before)]]) }
  const to: VersionText = {
    blocks: [block('p', [{ text: after }], 1)],
    charIds: new Map([['p', [...ids('o', 'Unis par la '), ...ids('c', 'justice '), ...ids('o', 'solidarité', 12), ...ids('o', ' avançons.', 26)]]]),
  }
  const attribution: Attribution = { insertedBy: (client) => (client === CLIENT.c ? 'person:claire' : null), deletedBy: () => 'person:claire', touchedBy: () => ['person:julien'] }

  it('shows such a word unchanged, and only what was written and deleted as changed', () => {
    const [redline] = computeRedline(from, to, attribution)
    expect(redline!.runs.map((run) => [run.change, run.text, run.authors])).toEqual([
      ['equal', 'Unis par la ', []],
      ['insert', 'justice ', ['person:claire']],
      ['equal', 'solidarité', []],
      ['delete', ' Nous', ['person:claire']],
      ['equal', ' avançons.', []],
    ])
  })

  it('keeps what is left of a figure or beside an emoji as written, where the diff reads a figure or a date as one word', () => {
    // "1 234" is one word to the diff: Claire deleting "1 " read as "1 234" struck and "234" inserted in nobody's name.
    const figure = 'Montant : 1 234 euros.'
    const cut = 'Montant : 234 euros.'
    const [redline] = computeRedline(
      { blocks: [block('p', [{ text: figure }], 1)], charIds: new Map([['p', ids('o', figure)]]) },
      { blocks: [block('p', [{ text: cut }], 1)], charIds: new Map([['p', [...ids('o', 'Montant : '), ...ids('o', '234 euros.', 12)]]]) },
      attribution,
    )
    expect(redline!.runs.filter((run) => run.change !== 'equal').map((run) => [run.change, run.text, run.authors])).toEqual([['delete', '1 ', ['person:claire']]])
    // An emoji left between two of Claire's changes is not hers.
    const smile = 'Nous 😀 aimons la paix.'
    const [emoji] = computeRedline(
      { blocks: [block('p', [{ text: smile }], 1)], charIds: new Map([['p', ids('o', smile)]]) },
      { blocks: [block('p', [{ text: 'Vous 😀 adorons la paix.' }], 1)], charIds: new Map([['p', [...ids('c', 'Vous'), ...ids('o', ' 😀 ', 4), ...ids('c', 'adorons', 4), ...ids('o', ' la paix.', 14)]]]) },
      attribution,
    )
    expect(emoji!.runs.filter((run) => run.change === 'equal').map((run) => run.text).join('|')).toContain('😀')
  })

  it('reads the same words written again by someone else as text, as before', () => {
    const retyped = { ...to, charIds: new Map([['p', [...ids('o', 'Unis par la '), ...ids('c', 'justice solidarité'), ...ids('o', ' avançons.', 26)]]]) }
    const [redline] = computeRedline(from, retyped, attribution)
    expect(text(redline!.runs, 'insert')).toBe(before)
    expect(text(redline!.runs, 'delete')).toBe(after)
  })

  it('keeps both texts whole whichever words keep their characters', () => {
    const words = fc.array(fc.record({ word: fc.constantFrom('le', 'progrès', 'social', 'nous', 'cohésion', ',', '.'), kept: fc.boolean() }), { minLength: 1, maxLength: 10 })
    const added = fc.array(fc.constantFrom('justice', 'paix', 'et', ';'), { maxLength: 10 })
    fc.assert(
      fc.property(words, added, (list, news) => {
        // Before: every word typed by the original (client o). After: the words kept where they were, new ones (client c) between.
        const before = list.map((entry) => `${entry.word} `).join('')
        const afterIds: IdRun[] = []
        let after = ''
        let clock = 0
        let written = 0
        list.forEach((entry, index) => {
          const piece = `${entry.word} `
          if (entry.kept) {
            afterIds.push({ client: CLIENT.o, clock, length: piece.length })
            after += piece
          }
          clock += piece.length
          const word = news[index]
          if (word !== undefined) {
            afterIds.push({ client: CLIENT.c, clock: written, length: word.length + 1 })
            written += word.length + 1
            after += `${word} `
          }
        })
        const [redline] = computeRedline(
          { blocks: [block('p', [{ text: before }])], charIds: new Map([['p', ids('o', before)]]) },
          { blocks: [block('p', [{ text: after }])], charIds: new Map([['p', afterIds]]) },
          attribution,
        )
        expect(text(redline!.runs, 'insert')).toBe(before)
        expect(text(redline!.runs, 'delete')).toBe(after)
        // Every word kept is shown unchanged, and no other (the new words are none of the old ones).
        const unchanged = redline!.runs.filter((run) => run.change === 'equal').map((run) => run.text).join(' ').match(/\p{L}+/gu) ?? []
        expect(unchanged).toEqual(list.filter((entry) => entry.kept && /\p{L}/u.test(entry.word)).map((entry) => entry.word))
      }),
    )
  })
})

describe('computeRedline through words a split moved', () => {
  // "Avant. Après." (client 1) split by Julien after "Avant. ": his "Après." (client 9) stands for clocks 7–12, and Claire
  // then deleted its "Ap". Her " Ajout." (client 4), typed after it, Julien's second split moved to a third paragraph (client 10).
  const original = 'Avant. Après.'
  const from: VersionText = { blocks: [block('p', [{ text: original }], 1)], charIds: new Map([['p', ids('o', original)]]) }
  const to: VersionText = {
    blocks: [block('p', [{ text: 'Avant. ' }], 1), block('q', [{ text: 'rès.' }], 2), block('r', [{ text: ' Ajout.' }], 3)],
    charIds: new Map<string, IdRun[]>([
      ['p', ids('o', 'Avant. ')],
      ['q', [{ client: 9, clock: 2, length: 4 }]],
      ['r', [{ client: 10, clock: 0, length: 7 }]],
    ]),
  }
  const movedFrom = (client: number, clock: number) =>
    client === 9 && clock < 6 ? { client: CLIENT.o, clock: 7 + clock } : client === 10 && clock < 7 ? { client: CLIENT.c, clock } : null
  const movedTo = (client: number, clock: number) => (client === CLIENT.o && clock >= 7 ? { client: 9, clock: clock - 7 } : client === CLIENT.c ? { client: 10, clock } : null)
  const attribution: Attribution = {
    insertedBy: (client) => (client === 9 || client === 10 ? 'person:julien' : client === CLIENT.c ? 'person:claire' : null),
    deletedBy: (client, clock) => (client === CLIENT.o || client === CLIENT.c ? 'person:julien' : client === 9 && clock < 2 ? 'person:claire' : null),
    touchedBy: () => ['person:julien'],
    movedFrom,
    movedTo,
  }

  it('gives words written since the earlier version their own author, and words it had to whoever moved or deleted them', () => {
    const redline = computeRedline(from, to, attribution)
    const changes = redline.map((b) => [b.id, b.runs.filter((run) => run.change !== 'equal').map((run) => [run.change, run.text, run.authors])])
    expect(changes).toEqual([
      ['p', [['delete', 'Ap', ['person:claire']], ['delete', 'rès.', ['person:julien']]]],
      ['q', [['insert', 'rès.', ['person:julien']]]],
      ['r', [['insert', ' Ajout.', ['person:claire']]]],
    ])
  })

  it('without the moves, says the splitter wrote them all', () => {
    const redline = computeRedline(from, to, { ...attribution, movedFrom: undefined, movedTo: undefined })
    expect(redline.find((b) => b.id === 'r')!.runs.map((run) => run.authors)).toEqual([['person:julien']])
  })
})

describe('computeRedline of formatting and structure', () => {
  const touched: Attribution = { insertedBy: () => null, deletedBy: () => null, touchedBy: () => ['person:claire'] }
  const shown = (runs: readonly RedlineRun[]) => runs.map((run) => `${run.change === 'delete' ? '-' : run.change === 'insert' ? '+' : '='}${run.bold ? '**' : ''}${run.text}${run.bold ? '**' : ''}`)

  it('shows words whose formatting changed struck as they were and inserted as they are, whole words, in the name of the block\'s editors', () => {
    const from: VersionText = { blocks: [block('p1', [{ text: 'Nous devons agir ' }, { text: 'vite', bold: true }, { text: ' et bien.' }], 1)] }
    const to: VersionText = { blocks: [block('p1', [{ text: 'Nous devons agir vite et bien.' }], 1)] }
    const [changed] = computeRedline(from, to, touched)
    expect(changed!.status).toBe('changed')
    expect(shown(changed!.runs)).toEqual(['=Nous devons agir ', '-**vite**', '+vite', '= et bien.'])
    expect(changed!.runs.filter((run) => run.change !== 'equal').map((run) => [run.authors, run.exact])).toEqual([
      [['person:claire'], false],
      [['person:claire'], false],
    ])
    // Bold put on the space between two bold words shows nothing: nobody sees a space's formatting.
    const spaced: VersionText = { blocks: [block('p1', [{ text: 'agir', bold: true }, { text: ' ' }, { text: 'vite', bold: true }], 1)] }
    expect(computeRedline(spaced, { blocks: [block('p1', [{ text: 'agir vite', bold: true }], 1)] }, touched)[0]!.status).toBe('equal')
    // Part of a word made bold: the word is shown whole.
    const part: VersionText = { blocks: [block('p1', [{ text: 'Nous devons agir ' }, { text: 'vi', bold: true }, { text: 'te et bien.' }], 1)] }
    expect(shown(computeRedline(to, part, touched)[0]!.runs)).toEqual(['=Nous devons agir ', '-vite', '+**vi**', '+te', '= et bien.'])
  })

  it('shows a paragraph made a heading, or put in a list, as the paragraph struck and the heading inserted', () => {
    const paragraph = block('p1', [{ text: 'Objectifs' }], 1)
    const heading: ModelBlock = { ...paragraph, kind: 'heading', level: 2, number: null }
    const listed: ModelBlock = { ...paragraph, number: null, marker: '•', depth: 1 }
    for (const changed of [heading, listed]) {
      const blocks = computeRedline({ blocks: [paragraph] }, { blocks: [changed] }, touched)
      expect(blocks.map((one) => [one.status, one.kind, one.marker, text(one.runs, 'equal')])).toEqual([
        ['deleted', 'paragraph', null, 'Objectifs'],
        ['inserted', changed.kind, changed.marker, 'Objectifs'],
      ])
    }
    // A list item renumbered ("3." → "4.", an item put before it) is no change of its own, nor a list item's second
    // paragraph that comes first once the first is deleted; bullets made numbers are.
    const third: ModelBlock = { ...paragraph, number: null, marker: '3.', depth: 1 }
    expect(computeRedline({ blocks: [third] }, { blocks: [{ ...third, marker: '4.' }] }, touched).map((one) => one.status)).toEqual(['equal'])
    expect(computeRedline({ blocks: [{ ...third, marker: null }] }, { blocks: [{ ...third, marker: '•' }] }, touched).map((one) => one.status)).toEqual(['equal'])
    expect(computeRedline({ blocks: [{ ...third, marker: '•' }] }, { blocks: [third] }, touched).map((one) => one.status)).toEqual(['deleted', 'inserted'])
  })
})

describe('a saved version as a redline describes it', () => {
  const version = (label: string | null): VersionFacts => ({ id: 2, label, stamp: { label: 'PROJET', date: '2019-07-03' }, createdAt: '2026-12-05T10:00:00Z' })

  it('names the versions the server saves itself in the document\'s language, and a person\'s own label as written', () => {
    expect(describeVersion(version('draft → amendments'), 'fr')).toBe('Version 2 · PROJET 03 juillet 2019 · Projet → Amendements ouverts · 05 décembre 2026')
    expect(describeVersion(version('saved by the secretariat'), 'fr')).toContain(' · enregistrée par le secrétariat · ')
    expect(describeVersion(version('imported'), 'es')).toContain(' · importada · ')
    expect(describeVersion(version('created'), 'en')).toContain(' · created · ')
    expect(describeVersion(version('consolidation → final'), 'es')).toContain(' · Consolidación → Texto final · ')
    expect(describeVersion(version('Avant la réunion du 3 → 4'), 'fr')).toContain(' · Avant la réunion du 3 → 4 · ')
    expect(describeVersion(version(null), 'fr')).toBe('Version 2 · PROJET 03 juillet 2019 · 05 décembre 2026')
  })
})
