import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeRuns, type Run } from './inline.ts'
import { paragraphAsRead } from './insertedAlready.ts'
import type { Edit } from './edits.ts'
import { threeWayMerge } from './merge.ts'
import { tokensOfWording } from './tokens.ts'
import { tokenize } from './words.ts'
import { normalizeParagraph, wordingText } from './wording.ts'

/**
 * A date written with its month's name, a time in words, a figure typed with
 * two spaces and an article's number with its Latin suffix are each one
 * thing to a reader: two amendments changing two of its parts, a part
 * untouched between them, must be a conflict, never a date, an hour or a
 * figure nobody proposed (see figures.test.ts for figures and "10 h 30").
 */
function merge(base: Run[], current: Run[], proposal: Run[]): string | null {
  const merged = threeWayMerge([base], [current], [proposal])
  return merged.ok ? wordingText(merged.wording) : null
}
const text = (value: string): Run[] => [{ text: value }]

// [what, base, one amendment, the other]: each changes one part, with at least one untouched word between the two.
const cases: Array<[string, string, string, string]> = [
  ['a French date', 'au plus tard le 12 mars 2024 inclus', 'au plus tard le 13 mars 2024 inclus', 'au plus tard le 12 mars 2025 inclus'],
  ['a French date, capitalised', 'Fait à Paris, le 12 Mars 2024.', 'Fait à Paris, le 13 Mars 2024.', 'Fait à Paris, le 12 Mars 2025.'],
  ['a French date in capitals', 'SESSION DU 12 MARS 2024', 'SESSION DU 13 MARS 2024', 'SESSION DU 12 MARS 2025'],
  ['a French first of the month', 'à compter du 1er janvier 2025', 'à compter du 2 janvier 2025', 'à compter du 1er janvier 2026'],
  ['a French date with its weekday', 'le mardi 12 mars 2024', 'le mercredi 12 mars 2024', 'le mardi 12 avril 2024'],
  ['a French date without its accents', 'le 12 fevrier 2024', 'le 13 fevrier 2024', 'le 12 fevrier 2025'],
  ['a French date with an abbreviated month', 'le 12 janv. 2024', 'le 13 janv. 2024', 'le 12 janv. 2025'],
  ['a French date with "sept."', 'le 12 sept. 2024', 'le 13 sept. 2024', 'le 12 sept. 2025'],
  ['a range of days', 'les 30-31 août 2019, à Kuala Lumpur', 'les 29-31 août 2019, à Kuala Lumpur', 'les 30-31 août 2020, à Kuala Lumpur'],
  ['an English date, month first', 'by March 12, 2024 at the latest', 'by April 12, 2024 at the latest', 'by March 12, 2025 at the latest'],
  ['an English date, day first', 'on 12 March 2024', 'on 13 March 2024', 'on 12 March 2025'],
  ['an English date with its weekday', 'on Tuesday, 12 March 2024', 'on Wednesday, 12 March 2024', 'on Tuesday, 12 April 2024'],
  ['an English ordinal date', 'on the 12th of March 2024', 'on the 13th of March 2024', 'on the 12th of April 2024'],
  ['an English abbreviated month', 'by Jan. 12, 2024', 'by Feb. 12, 2024', 'by Jan. 12, 2025'],
  ['a Spanish date', 'el 12 de marzo de 2024', 'el 13 de marzo de 2024', 'el 12 de marzo de 2025'],
  ['a Spanish first of the month', 'desde el 1º de enero', 'desde el 2º de enero', 'desde el 1º de febrero'],
  ['a Spanish date with its weekday', 'el martes 12 de marzo', 'el miércoles 12 de marzo', 'el martes 12 de abril'],
  ['a Spanish month and year', 'en marzo de 2024', 'en abril de 2024', 'en marzo de 2025'],
  ['a Spanish month and year with "del"', 'en marzo del 2024', 'en abril del 2024', 'en marzo del 2025'],
  ['a Spanish abbreviated month', 'el 12 de dic. de 2024', 'el 13 de dic. de 2024', 'el 12 de dic. de 2025'],
  ['a time in words', 'la séance ouvre à 10 heures 30 précises', 'la séance ouvre à 11 heures 30 précises', 'la séance ouvre à 10 heures 45 précises'],
  ['a time with a half', 'la séance ouvre à 10 heures et demie', 'la séance ouvre à 11 heures et demie', 'la séance ouvre à 10 heures et quart'],
  ['a time with a quarter to', 'ouverte à 10 h moins le quart', 'ouverte à 11 h moins le quart', 'ouverte à 10 h et quart'],
  ['a Spanish time', 'a las 10 y media', 'a las 11 y media', 'a las 10 y cuarto'],
  ['a time typed with two spaces', 'à 10  h  30 précises', 'à 11  h  30 précises', 'à 10  h  45 précises'],
  ['a figure typed with two spaces', 'soit 1  000  000 euros', 'soit 2  000  000 euros', 'soit 1  000  500 euros'],
  ['a figure with a thin space beside a plain one', 'soit 1\u2009 000\u2009 000 euros', 'soit 2\u2009 000\u2009 000 euros', 'soit 1\u2009 000\u2009 500 euros'],
  ['an article with a Latin suffix', "l'article 5 bis du règlement", "l'alinéa 5 bis du règlement", "l'article 5 ter du règlement"],
]

describe('a date, a time, a figure or a reference changed in two of its parts by two amendments', () => {
  it.each(cases)('is a conflict: %s', (_, base, one, other) => {
    expect(merge(text(base), text(one), text(other))).toBeNull()
    expect(merge(text(base), text(other), text(one))).toBeNull()
  })

  it.each(cases)('keeps merging a change to it and one to a word away from it: %s', (_, base, one) => {
    // Only what is one thing is joined: the first word of the paragraph, changed, merges with a change to the date.
    const away = (value: string) => `Considérant que ${value}`
    expect(merge(text(away(base)), text(away(one)), text(`Attendu que ${base}`))).toBe(`Attendu que ${one}`)
  })
})

describe('what is not a date, a time or a reference', () => {
  it('stays words', () => {
    const words = (value: string) => tokenize(value).filter((piece) => /^[\p{L}\p{N}]/u.test(piece))
    // An English modal, a verb, an adjective; a planet; the French seven; a number beside a month name it does not date.
    expect(words('Article 12 may be amended; they march 12 miles; an august 12 members')).toEqual(['Article', '12', 'may', 'be', 'amended', 'they', 'march', '12', 'miles', 'an', 'august', '12', 'members'])
    expect(words('Mars est une planète ; sept délégués ; les 2019 mars')).toEqual(['Mars', 'est', 'une', 'planète', 'sept', 'délégués', 'les', '2019', 'mars'])
    expect(words('en 2019 2020, à 10 heures, 10 h, 30 personnes')).toEqual(['en', '2019', '2020', 'à', '10', 'heures', '10', 'h', '30', 'personnes'])
    expect(words('marsupial 12 marsupiaux, 5 bistrots, 12 martes')).toEqual(['marsupial', '12', 'marsupiaux', '5', 'bistrots', '12', 'martes'])
    // Up to three spaces are a slip inside one figure; four or more set two numbers apart, as in a column.
    expect(words('1   000 et 1    000')).toEqual(['1   000', 'et', '1', '000'])
    // A year that goes on into another figure is not cut out of it.
    expect(words('March 1,000 et mars 2024/2025')).toEqual(['March', '1,000', 'et', 'mars', '2024/2025'])
  })

  it('reads a date as one word, and only the date', () => {
    expect(tokenize('le mardi 12 mars 2024, à Paris')).toEqual(['le', ' ', 'mardi 12 mars 2024', ',', ' ', 'à', ' ', 'Paris'])
    expect(tokenize('by March 12, 2024, in Brussels')).toEqual(['by', ' ', 'March 12, 2024', ',', ' ', 'in', ' ', 'Brussels'])
    expect(tokenize('el 12 de marzo de 2024 en Madrid')).toEqual(['el', ' ', '12 de marzo de 2024', ' ', 'en', ' ', 'Madrid'])
  })
})

describe('a date changed at both ends, however it is written', () => {
  const MONTHS = {
    fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre', 'janv.', 'févr.', 'sept.', 'déc.'],
    en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'Jan.', 'Sept.', 'Dec.'],
    es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre', 'ene.', 'sept.', 'dic.'],
  } as const
  const WEEKDAYS = { fr: ['lundi', 'mardi', 'dimanche'], en: ['Monday', 'Tuesday', 'Sunday'], es: ['lunes', 'miércoles', 'sábado'] } as const
  type Language = keyof typeof MONTHS
  const caseOf = (word: string, how: 'as is' | 'capital' | 'upper', language: Language) =>
    how === 'upper' ? word.toUpperCase() : how === 'capital' || language === 'en' ? word[0]!.toUpperCase() + word.slice(1) : word
  /** A date as parts (words) and what stands between them; two sides change the first and the last part. */
  const date = fc
    .record({
      language: fc.constantFrom<Language>('fr', 'en', 'es'),
      monthFirst: fc.boolean(),
      weekday: fc.option(fc.nat(2), { nil: undefined }),
      day: fc.integer({ min: 1, max: 28 }),
      month: fc.nat(14),
      year: fc.option(fc.integer({ min: 1990, max: 2090 }), { nil: undefined }),
      how: fc.constantFrom('as is', 'capital', 'upper') as fc.Arbitrary<'as is' | 'capital' | 'upper'>,
      space: fc.constantFrom(' ', '\u00a0', '\u202f', '  '),
    })
    .map(({ language, monthFirst, weekday, day, month, year, how, space }) => {
      const word = (value: string) => caseOf(value, how, language)
      const monthName = word(MONTHS[language][month]!)
      const parts: string[] = []
      if (weekday !== undefined) parts.push(word(WEEKDAYS[language][weekday]!) + (language === 'en' ? ',' : ''))
      if (language === 'en' && monthFirst) parts.push(monthName, `${day}${year === undefined ? '' : ','}`)
      else if (language === 'es') parts.push(String(day), word('de'), monthName)
      else parts.push(day === 1 && language === 'fr' ? '1er' : String(day), monthName)
      if (year !== undefined) parts.push(...(language === 'es' ? [word('de')] : []), String(year))
      return { parts, space }
    })
    .filter(({ parts }) => parts.length >= 3)
  const cuts = fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean()), { maxLength: 4 })

  it('is a conflict whatever its language, case, spaces, weekday, and whichever of its characters are bold or italic', () => {
    fc.assert(
      fc.property(date, cuts, ({ parts, space }, cutList) => {
        const written = parts.join(space)
        const runsOf = (value: string): Run[] => {
          // Formatting changes only inside the date, which starts after "le ".
          const at = [...new Set(cutList.map(([offset]) => 3 + (offset % written.length)))].sort((a, b) => a - b)
          const bounds = [0, ...at, value.length]
          return normalizeRuns(
            bounds.slice(1).map((end, i) => {
              const [, bold, italic] = cutList[i - 1] ?? [0, false, false]
              return { text: value.slice(bounds[i], end), ...(bold ? { bold: true as const } : {}), ...(italic ? { italic: true as const } : {}) }
            }),
          )
        }
        // Each side changes one end: a digit, or a letter (a weekday, a month) made another.
        const changeEnd = (part: string) => (/\p{Nd}/u.test(part) ? part.replace(/\p{Nd}/u, (d) => String((Number(d) + 1) % 10)) : `${part[0] === 'X' ? 'Y' : 'X'}${part}`)
        const one = [changeEnd(parts[0]!), ...parts.slice(1)].join(space)
        const other = [...parts.slice(0, -1), changeEnd(parts.at(-1)!)].join(space)
        expect(tokenize(`le ${written} à Paris`).filter((piece) => /^[\p{L}\p{N}]/u.test(piece))).toEqual(['le', written, 'à', 'Paris'])
        expect(merge(runsOf(`le ${written} à Paris`), runsOf(`le ${one} à Paris`), runsOf(`le ${other} à Paris`))).toBeNull()
      }),
      { numRuns: 500 },
    )
  })
})

describe('merges of texts full of dates and times', () => {
  // Words by kind: each side replaces a word by another of its kind, or inserts or deletes a word between them.
  const KINDS: Record<string, readonly string[]> = {
    filler: ['le', 'au', 'x', 'y', 'et', 'de'],
    day: ['1er', '12', '13', '28'],
    month: ['mars', 'avril', 'Mars'],
    year: ['2024', '2025'],
    weekday: ['mardi', 'mercredi'],
    hour: ['10', '11'],
    minutes: ['30', '45'],
    half: ['demie', 'quart'],
  }
  const TEMPLATES = [
    ['day', 'month', 'year'],
    ['weekday', 'day', 'month', 'year'],
    ['day', 'de', 'month', 'de', 'year'],
    ['month', 'de', 'year'],
    ['hour', 'heures', 'minutes'],
    ['hour', 'h', 'minutes'],
    ['hour', 'heures', 'et', 'half'],
  ]
  const kindOf = (word: string) => Object.keys(KINDS).find((kind) => KINDS[kind]!.includes(word)) ?? 'fixed'
  const pick = (kind: string, seed: number) => (KINDS[kind] ? KINDS[kind][seed % KINDS[kind].length]! : kind)
  const textOf = fc
    .array(fc.oneof(fc.tuple(fc.constant(['filler']), fc.nat()), fc.tuple(fc.constantFrom(...TEMPLATES), fc.nat())), { minLength: 1, maxLength: 6 })
    .map((segments) => segments.flatMap(([template, seed]) => template.map((kind, i) => pick(kind, seed + i * 7))))
  const changesTo = (words: string[]) =>
    fc.array(fc.tuple(fc.constantFrom('replace', 'insert', 'delete'), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }).map((changes) => {
      const out = [...words]
      for (const [change, at, seed] of changes) {
        const index = at % (out.length + 1)
        if (change === 'insert') out.splice(index, 0, pick('filler', seed))
        else if (index >= out.length) continue
        else if (change === 'delete' && kindOf(out[index]!) === 'filler') out.splice(index, 1)
        else if (change === 'replace' && KINDS[kindOf(out[index]!)]) out[index] = pick(kindOf(out[index]!), seed)
      }
      return out
    })
  const cases = textOf.chain((base) => fc.tuple(fc.constant(base), changesTo(base), changesTo(base)))
  /** The dates and times in a text, as this test reads them, apart from the tokenizer. */
  const DATE_OR_TIME =
    /(?<![\p{L}\p{N}])(?:(?:(?:mardi|mercredi) )?(?:1er|\d{1,2}) (?:de )?(?:mars|avril|Mars)(?: (?:de )?\d{4})?|(?:mars|avril|Mars) (?:de )?\d{4}|\d{1,2} (?:h|heures) (?:\d{2}|et (?:demie|quart)))(?![\p{L}\p{N}])/gu
  const datesIn = (value: string) => value.match(DATE_OR_TIME) ?? []

  it('are a conflict when two changes a word apart together make a date nobody wrote', () => {
    // Found by the property below (seed -175960073): the proposal breaks the time "11 heures 30", the paragraph loses the
    // "et" after it, and "30 de avril de 2024" (30 April) would be read in the merge.
    const base = '11 heures 30 de et avril de 2024'
    expect(merge(text(base), text('11 heures 30 de avril de 2024'), text('11 le heures 30 de et avril de 2024'))).toBeNull()
    // Each change alone, or both apart from any date, still merges.
    expect(merge(text(base), text(base), text('11 le heures 30 de et avril de 2024'))).toBe('11 le heures 30 de et avril de 2024')
    expect(merge(text(`${base} fin`), text(`${base} et fin`), text(`le ${base} fin`))).toBe(`le ${base} et fin`)
  })

  it('are a conflict when a part of the date they make is bold or italic', () => {
    const avril = (before: string): Run[] => [{ text: before }, { text: 'avril', bold: true }, { text: ' de 2024' }]
    expect(merge(avril('11 heures 30 de et '), avril('11 heures 30 de '), avril('11 le heures 30 de et '))).toBeNull()
    const trente = (before: string, after: string): Run[] => [{ text: before }, { text: '30', italic: true }, { text: after }]
    expect(merge(trente('11 heures ', ' de et avril'), trente('11 heures ', ' de avril'), trente('11 le heures ', ' de et avril'))).toBeNull()
    const mille = (before: string, after: string): Run[] => [{ text: before }, { text: '000', bold: true }, { text: after }]
    expect(merge(mille('soit 1 et ', ' ou 000 euros'), mille('soit 1 et ', ' 000 euros'), mille('soit 1 ', ' ou 000 euros'))).toBeNull()
  })

  it('are a conflict when the date they make is already written elsewhere in the paragraph', () => {
    const base = '30 de avril de 2024 : 11 heures 30 de et avril de 2024'
    expect(merge(text(base), text('30 de avril de 2024 : 11 heures 30 de avril de 2024'), text('30 de avril de 2024 : 11 le heures 30 de et avril de 2024'))).toBeNull()
    // The same date written a second time by one side, with a change elsewhere on the other, is that side's: it merges.
    expect(merge(text(`${base}.`), text(`Vu : ${base}.`), text(`${base}, 30 de avril de 2024.`))).toBe(`Vu : ${base}, 30 de avril de 2024.`)
  })

  it('name as the conflict the two changes that made the date, not those elsewhere in the paragraph', () => {
    const base = 'Début du texte. 11 heures 30 de et avril de 2024. Fin du texte.'
    const merged = threeWayMerge(
      [text(base)],
      [text('Début du texte. 11 heures 30 de avril de 2024. Terme du texte.')],
      [text('Commencement du texte. 11 le heures 30 de et avril de 2024. Fin du texte.')],
    )
    const tokens = tokensOfWording([text(base)])
    const change = (edit: Edit) => `${tokens.slice(edit.from, edit.to).map((token) => token.text).join('')} → ${edit.insert.map((token) => token.text).join('')}`
    expect(merged.ok ? [] : merged.conflicts.map(({ proposal, current }) => [change(proposal), change(current)])).toEqual([['11 heures 30 → 11 le heures 30', ' et → ']])
  })

  it('write no date or time that none of the texts holds, nor one more often than the text that holds it most', () => {
    const counted = (value: string) => {
      const counts = new Map<string, number>()
      for (const date of datesIn(value)) counts.set(date, (counts.get(date) ?? 0) + 1)
      return counts
    }
    fc.assert(
      fc.property(cases, ([base, current, proposal]) => {
        const merged = merge(text(base.join(' ')), text(current.join(' ')), text(proposal.join(' ')))
        if (merged === null) return
        const sources = [base, current, proposal].map((words) => counted(words.join(' ')))
        for (const [date, count] of counted(merged)) {
          expect(Math.max(...sources.map((held) => held.get(date) ?? 0)), `${date} in "${merged}"`).toBeGreaterThanOrEqual(count)
        }
      }),
      { numRuns: 5_000 },
    )
  })
})

describe('the tokenizer', () => {
  const fragments = fc.constantFrom(
    '12', '1er', '1º', '30-31', '2024', ' ', '  ', '\u202f', '\u2009', ',', '.', 'de', 'del', 'of', 'the', 'mars', 'Mars', 'MARS', 'March', 'may', 'May',
    'janv', 'janv.', 'sept', 'Sept.', 'mardi', 'Tuesday', 'martes', 'h', 'heures', 'et', 'demie', 'quart', 'moins', 'le', 'y', 'media', 'bis', 'ter', '000', '5', 'e\u0301', 'x',
  )
  it('gives back the text whole, whatever it is', () => {
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 40 }), (list) => {
        const value = list.join('')
        expect(tokenize(value).join('')).toBe(value)
      }),
      { numRuns: 2_000 },
    )
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(tokenize(value).join('')).toBe(value)
      }),
      { numRuns: 1_000 },
    )
  })

  it('reads 100,000 characters made to make it backtrack in well under a second', () => {
    const adversarial = [
      `1${' '.repeat(100_000)}`,
      '1 '.repeat(50_000),
      `1${'\u2009 '.repeat(50_000)}x`,
      '12 mars '.repeat(12_500),
      '12 de '.repeat(16_000),
      'mardi '.repeat(16_000),
      'mardi 12 '.repeat(11_000),
      'March 12, '.repeat(10_000),
      '10 h '.repeat(20_000),
      '10 heures et '.repeat(7_500),
      `12${' de'.repeat(33_000)}`,
      '5 bis '.repeat(16_000),
      '1 000 '.repeat(16_000),
      `1${'\u2009'.repeat(100_000)}000`,
      'Tuesday, '.repeat(11_000),
      '30 - '.repeat(25_000),
      `12${' '.repeat(50_000)}mars${' '.repeat(50_000)}x`,
      'e\u0301'.repeat(50_000),
    ]
    for (const value of adversarial) {
      const started = performance.now()
      expect(tokenize(value).join('')).toBe(value)
      expect(performance.now() - started, value.slice(0, 20)).toBeLessThan(500)
    }
  })
})

describe('a paragraph as a reader tells it from another', () => {
  it('does not see how wide, how many or how formatted the spaces in a date are', () => {
    const plain = paragraphAsRead([{ text: 'Fait le 12 janv. 2024.' }])
    expect(paragraphAsRead([{ text: 'Fait le 12  janv.\u202f2024.' }])).toBe(plain)
    expect(paragraphAsRead([{ text: 'Fait le 12' }, { text: ' ', bold: true }, { text: 'janv. 2024.' }])).toBe(plain)
    expect(paragraphAsRead([{ text: 'Fait le 12 janv' }, { text: ' ', italic: true }, { text: '. 2024.' }])).not.toBe(plain)
    // A bold space leaves "janv." or "12, 2024" outside the date: the same words and points, read the same.
    expect(paragraphAsRead([{ text: 'Fait le 12' }, { text: ' ', bold: true }, { text: 'janv.' }])).toBe(paragraphAsRead([{ text: 'Fait le 12 janv.' }]))
    expect(paragraphAsRead([{ text: 'Done on March' }, { text: ' ', bold: true }, { text: '12, 2024.' }])).toBe(paragraphAsRead([{ text: 'Done on March 12, 2024.' }]))
  })
  it('reads two paragraphs the same exactly when a reader sees the same characters, whatever the tokenizer joins', () => {
    // The outside reference: each visible character with its bold and italic, white space only as present or not.
    const seen = (runs: Run[]) => {
      const out: string[] = []
      for (const run of normalizeParagraph(runs)) {
        for (const character of run.text) {
          const key = /\s/u.test(character) ? ' ' : `${run.bold ? 'b' : '-'}${run.italic ? 'i' : '-'}${character}`
          if (key !== ' ' || (out.length > 0 && out.at(-1) !== ' ')) out.push(key)
        }
      }
      if (out.at(-1) === ' ') out.pop()
      return out.join('|')
    }
    const piece = fc.constantFrom('12', ' ', '  ', '\u00a0', '\u202f', 'mars', 'janv.', '.', '2024', '1', '000', 'h', '30', 'bis', 'é', 'e\u0301', ',', "'", 'de', '5', '\t', '١٢', 'May')
    const run = fc
      .record({ text: fc.array(piece, { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')), bold: fc.boolean(), italic: fc.boolean() })
      .map(({ text, bold, italic }): Run => ({ text, ...(bold ? { bold: true as const } : {}), ...(italic ? { italic: true as const } : {}) }))
    const paragraph = fc.array(run, { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(paragraph, paragraph, (a, b) => {
        expect(paragraphAsRead(a) === paragraphAsRead(b)).toBe(seen(a) === seen(b))
      }),
      { numRuns: 20_000 },
    )
    // The same text cut into runs anywhere (a date's pieces in runs of their own) reads the same.
    fc.assert(
      fc.property(paragraph, fc.array(fc.nat(40), { maxLength: 3 }), (runs, cuts) => {
        const whole = runs.map((one) => one.text).join('')
        const bounds = [0, ...cuts.map((cut) => cut % (whole.length + 1)).sort((x, y) => x - y), whole.length]
        const cut = bounds.slice(1).map((end, i) => ({ text: whole.slice(bounds[i], end) })).filter((one) => one.text.length > 0)
        expect(paragraphAsRead(cut)).toBe(paragraphAsRead([{ text: whole }]))
      }),
      { numRuns: 5_000 },
    )
  })
})
