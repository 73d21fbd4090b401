import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keepFormatCharacters } from './formatCharacters.ts'
import { normalizeRuns, type Run } from './inline.ts'
import { paragraphAsRead } from './insertedAlready.ts'
import { threeWayMerge } from './merge.ts'
import { tokenize } from './words.ts'
import { wordingText } from './wording.ts'

/**
 * What a reader takes as one thing (a figure, a time, a date, a word some
 * of whose letters are bold) is never merged from two amendments' changes
 * into one nobody proposed: changed by both, it is a conflict.
 */
function merge(base: Run[], current: Run[], proposal: Run[]): string | null {
  const merged = threeWayMerge([base], [current], [proposal])
  return merged.ok ? wordingText(merged.wording) : null
}
const text = (value: string): Run[] => [{ text: value }]

describe('a figure, a time or a date changed by two amendments', () => {
  // [base, one amendment, the other]: each changes one end of the same thing, the middle untouched.
  const cases: Array<[string, string, string, string]> = [
    ['a space of another width (hair space)', 'soit 1\u200a000\u200a000 euros', 'soit 2\u200a000\u200a000 euros', 'soit 1\u200a000\u200a500 euros'],
    ['an em space', 'soit 1\u2003000\u2003000 euros', 'soit 2\u2003000\u2003000 euros', 'soit 1\u2003000\u2003500 euros'],
    ['Arabic thousands separators', 'soit ١٬٠٠٠٬٠٠٠ euros', 'soit ٢٬٠٠٠٬٠٠٠ euros', 'soit ١٬٠٠٠٬٥٠٠ euros'],
    ['a time', 'la séance ouvre à 10 h 30 précises', 'la séance ouvre à 11 h 30 précises', 'la séance ouvre à 10 h 45 précises'],
    ['a time with seconds', 'à 10:30:15 précises', 'à 11:30:15 précises', 'à 10:30:45 précises'],
    ['a date with slashes', 'au plus tard le 12/03/2024 inclus', 'au plus tard le 13/03/2024 inclus', 'au plus tard le 12/03/2025 inclus'],
    ['a date with hyphens', 'au plus tard le 2024-03-12 inclus', 'au plus tard le 2025-03-12 inclus', 'au plus tard le 2024-03-13 inclus'],
  ]
  it.each(cases)('is a conflict: %s', (_, base, one, other) => {
    expect(merge(text(base), text(one), text(other))).toBeNull()
    expect(merge(text(base), text(other), text(one))).toBeNull()
  })

  it('reads each of them as one word', () => {
    for (const [, base] of cases) expect(tokenize(base).filter((piece) => /^\p{Nd}/u.test(piece))).toHaveLength(1)
    // Only those: two numbers side by side stay two, and so do words around a figure.
    expect(tokenize('en 2019 2020, à 10 heures')).toEqual(['en', ' ', '2019', ' ', '2020', ',', ' ', 'à', ' ', '10', ' ', 'heures'])
    expect(tokenize('10 h, 30 personnes')).toEqual(['10', ' ', 'h', ',', ' ', '30', ' ', 'personnes'])
  })
})

describe('a figure, a date, a time or "5 bis" holding characters nobody sees', () => {
  // Found by a hostile review (helper-161): a word joiner or a soft hyphen typed into "12 mars 2024" or "5 bis" cut it
  // where no reader sees a cut, and "13 mars 2024" by one amendment and "12 mars 2025" by another merged, accepted and
  // adopted, into "13 mars 2025". Each template's § is a place for the invisible character, filled in every combination.
  const templates: Array<[string, string, string, string]> = [
    ['a figure', 'Budget de 1§ §000§ §000 euros.', 'Budget de 2§ §000§ §000 euros.', 'Budget de 1§ §000§ §500 euros.'],
    ['a date', 'Le 12§ §mars§ §2024 à Paris.', 'Le 13§ §mars§ §2024 à Paris.', 'Le 12§ §mars§ §2025 à Paris.'],
    ['a time', 'Le vote à 10§ §h§ §30 précises.', 'Le vote à 11§ §h§ §30 précises.', 'Le vote à 10§ §h§ §45 précises.'],
    ['a decimal', 'Un taux de 3§,§5 % par an.', 'Un taux de 4§,§5 % par an.', 'Un taux de 3§,§7 % par an.'],
    ['"5 bis"', "L'article 5§ §bis dit.", "L'alinéa 5§ §bis dit.", "L'article 5§ §ter dit."],
    ['a date in figures', 'Le 12§/§03§/§2024 à Paris.', 'Le 13§/§03§/§2024 à Paris.', 'Le 12§/§03§/§2025 à Paris.'],
  ]
  const invisible = ['\u200b', '\u2060', '\u00ad', '\ufeff', '\u200c', '\u200d', '\u034f', '\u3164', '\u180e']
  it.each(templates)('is a conflict when both amendments change %s, wherever the invisible characters stand', (_, base, current, typed) => {
    const slots = base.split('§').length - 1
    for (const character of invisible) {
      for (let mask = 0; mask < 1 << slots; mask++) {
        const fill = (template: string) => {
          let slot = 0
          return template.replace(/§/g, () => ((mask >> slot++) & 1 ? character : ''))
        }
        // As the server takes an amendment: its text without format characters, those of the paragraph put back.
        const proposal = keepFormatCharacters([[{ text: fill(typed).replace(/\p{Cf}/gu, '') }]], [{ text: fill(base) }])
        const merged = threeWayMerge([[{ text: fill(base) }]], [[{ text: fill(current) }]], proposal)
        expect(merged.ok ? wordingText(merged.wording) : null, JSON.stringify({ character, base: fill(base) })).toBeNull()
      }
    }
  })

  it('keeps a mark or a letter nobody sees with the word it ends or starts, as before: the amount and the words around it hold', () => {
    // A later review: skipped, a combining grapheme joiner after "2" stood alone, a word of its own that ended the
    // amount ("2\u034f millions 500 000": "3 … millions" and "… 600 000" merged) and kept neighbouring words apart.
    for (const character of ['\u034f', '\ufe0f', '\u3164']) {
      const amount = (first: string, last: string) => `Un fonds de ${first}${character} millions ${last} 000 euros est créé.`
      expect(merge(text(amount('2', '500')), text(amount('3', '500')), text(amount('2', '600'))), character).toBeNull()
      expect(merge(text(`Le Conseil${character} décide.`), text(`Le Parlement${character} décide.`), text(`Le Conseil${character} décidera.`)), character).toBeNull()
      expect(tokenize(`2${character} millions`)).toEqual([`2${character}`, ' ', 'millions'])
    }
  })

  it('reads an amount, a date or a time in words as one with an invisible character beside its spaces', () => {
    const rows: Array<[string, string, string]> = [
      ['On the first§ of May 2024 the Council met.', 'On the second§ of May 2024 the Council met.', 'On the first§ of May 2025 the Council met.'],
      ['At ten o’clock§ in the evening the vote opens.', 'At eleven o’clock§ in the evening the vote opens.', 'At ten o’clock§ in the morning the vote opens.'],
      ['Le douze§ mars deux mille vingt-quatre, le Conseil siège.', 'Le treize§ mars deux mille vingt-quatre, le Conseil siège.', 'Le douze§ mars deux mille vingt-cinq, le Conseil siège.'],
      ['Un fonds de deux millions§ cinq cent mille euros.', 'Un fonds de trois millions§ cinq cent mille euros.', 'Un fonds de deux millions§ six cent mille euros.'],
    ]
    for (const character of ['\u2060', '\u200b', '\u00ad', '\u200c']) {
      for (const [base, current, typed] of rows) {
        for (const place of [(row: string) => row.replace('§', character), (row: string) => row.replace('§ ', ` ${character}`)]) {
          const proposal = keepFormatCharacters([[{ text: place(typed).replace(/\p{Cf}/gu, '') }]], [{ text: place(base) }])
          const merged = threeWayMerge([[{ text: place(base) }]], [[{ text: place(current) }]], proposal)
          expect(merged.ok ? wordingText(merged.wording) : null, JSON.stringify(place(base))).toBeNull()
        }
      }
    }
  })

  it('reads an amount or a date in words as one whatever invisible character a word of it holds, ends, starts or stands beside', () => {
    // A later review (helper-165): a soft hyphen inside "millions", a combining grapheme joiner after it, a zero-width space
    // inside "first" made words the lists did not know, and the amount ended there.
    // [the word that takes it, base, current, amendment]
    const rows: Array<[string, string, string, string]> = [
      ['millions', 'Un fonds de deux millions cinq cent mille euros.', 'Un fonds de trois millions cinq cent mille euros.', 'Un fonds de deux millions six cent mille euros.'],
      ['cent', 'Un fonds de deux millions cinq cent mille euros.', 'Un fonds de trois millions cinq cent mille euros.', 'Un fonds de deux millions six cent mille euros.'],
      ['of', 'On the first of May 2024 the Council met.', 'On the second of May 2024 the Council met.', 'On the first of May 2025 the Council met.'],
      ['mars', 'Le douze mars deux mille vingt-quatre, le Conseil siège.', 'Le treize mars deux mille vingt-quatre, le Conseil siège.', 'Le douze mars deux mille vingt-cinq, le Conseil siège.'],
    ]
    // Where in the second word (millions, first, mars) it goes: inside, at its end, at its start, alone beside it.
    const places = [(word: string, c: string) => `${word.slice(0, 2)}${c}${word.slice(2)}`, (word: string, c: string) => `${word}${c}`, (word: string, c: string) => `${c}${word}`, (word: string, c: string) => `${word} ${c}`]
    for (const character of ['\u00ad', '\u200b', '\u2060', '\u034f', '\ufe0f', '\u3164', '\u180b']) {
      for (const [word, ...row] of rows) {
        for (const place of places) {
          const [base, current, typed] = row.map((line) => line.replace(` ${word} `, ` ${place(word, character)} `)) as [string, string, string]
          const proposal = keepFormatCharacters([[{ text: typed.replace(/\p{Cf}/gu, '') }]], [{ text: base }])
          const merged = threeWayMerge([[{ text: base }]], [[{ text: current }]], proposal)
          expect(merged.ok ? wordingText(merged.wording) : null, JSON.stringify(base)).toBeNull()
        }
      }
    }
  })

  it('reads it as one word, the invisible characters inside it, and gives the text back whole (property)', () => {
    expect(tokenize('Le 12 \u2060mars \u20602024, alinéa 5\u00ad bis')).toEqual(['Le', ' ', '12 \u2060mars \u20602024', ',', ' ', 'alinéa', ' ', '5\u00ad bis'])
    // Between words, one stands alone, as punctuation does; inside white space too.
    expect(tokenize('Le \u200bConseil \u200b décide')).toEqual(['Le', ' ', '\u200b', 'Conseil', ' ', '\u200b', ' ', 'décide'])
    const piece = fc.constantFrom('12', ' ', 'mars', '2024', '000', ',', '5', 'bis', 'Con', 'seil', '\u00a0', '’', 'é', '❤', '\ufe0f', ...invisible)
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('')
        const tokens = tokenize(text)
        expect(tokens.join('')).toBe(text)
        // Without its invisible characters, each token is a token of the text as a reader sees it (white space aside,
        // which an invisible character still cuts: nobody counts spaces).
        const seen = (value: string) => value.replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
        const counted = (values: string[]) => values.filter((value) => value !== '' && !/^\s+$/u.test(value))
        expect(counted(tokens.map(seen))).toEqual(counted(tokenize(seen(text))))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('one word written in runs of different formatting', () => {
  it('is a conflict when both amendments change it: "1 **000** 000" made 2 000 000 and 1 000 500', () => {
    const base: Run[] = [{ text: 'soit 1 ' }, { text: '000', bold: true }, { text: ' 000 euros' }]
    const one: Run[] = [{ text: 'soit 2 ' }, { text: '000', bold: true }, { text: ' 000 euros' }]
    const other: Run[] = [{ text: 'soit 1 ' }, { text: '000', bold: true }, { text: ' 500 euros' }]
    // It merged into "soit 2 000 500 euros".
    expect(merge(base, one, other)).toBeNull()
    expect(merge(base, other, one)).toBeNull()
  })

  it('is a conflict when both amendments change it: "dé*velopp*ement" capitalised by one, made plural by the other', () => {
    const base: Run[] = [{ text: 'le dé' }, { text: 'velopp', italic: true }, { text: 'ement durable' }]
    const one: Run[] = [{ text: 'le Dé' }, { text: 'velopp', italic: true }, { text: 'ement durable' }]
    const other: Run[] = [{ text: 'le dé' }, { text: 'velopp', italic: true }, { text: 'ements durable' }]
    expect(merge(base, one, other)).toBeNull()
  })

  it('is a conflict whichever of its characters are bold or italic, however the figure is grouped', () => {
    const separator = fc.constantFrom(' ', '\u00a0', '\u202f', '.', ',')
    const figure = fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(separator, fc.integer({ min: 0, max: 999 })), { minLength: 2, maxLength: 4 }))
      .map(([head, groups]) => `${head}${groups.map(([sep, group]) => `${sep}${String(group).padStart(3, '0')}`).join('')}`)
    // Where the runs change formatting, as offsets into the figure.
    const cuts = fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean()), { maxLength: 4 })
    fc.assert(
      fc.property(figure, cuts, (number, cutList) => {
        const runsOf = (value: string): Run[] => {
          const at = [...new Set(cutList.map(([offset]) => 5 + (offset % number.length)))].sort((a, b) => a - b)
          const bounds = [0, ...at, value.length]
          // As the editor stores them: runs of the same formatting are one.
          return normalizeRuns(
            bounds.slice(1).map((end, i) => {
              const [, bold, italic] = cutList[i - 1] ?? [0, false, false]
              return { text: value.slice(bounds[i], end), ...(bold ? { bold: true as const } : {}), ...(italic ? { italic: true as const } : {}) }
            }),
          )
        }
        const head = number.slice(0, 1)
        const one = `${String(Number(head) + 1)}${number.slice(1)}`
        const other = `${number.slice(0, -1)}${(Number(number.slice(-1)) + 1) % 10}`
        const base = `soit ${number} euros`
        expect(merge(runsOf(base), runsOf(`soit ${one} euros`), runsOf(`soit ${other} euros`))).toBeNull()
      }),
      { numRuns: 300 },
    )
  })
})

describe('a paragraph as a reader tells it from another', () => {
  it('does not see how wide, how many or how formatted the spaces in a figure are', () => {
    const plain = paragraphAsRead([{ text: 'Demande 1 000 pages.' }])
    expect(paragraphAsRead([{ text: 'Demande 1  000 pages.' }])).toBe(plain)
    expect(paragraphAsRead([{ text: 'Demande 1\u202f000 pages.' }])).toBe(plain)
    expect(paragraphAsRead([{ text: 'Demande 1' }, { text: ' ', bold: true }, { text: '000 pages.' }])).toBe(plain)
    expect(paragraphAsRead([{ text: 'Demande 1000 pages.' }])).not.toBe(plain)
    expect(paragraphAsRead([{ text: 'Demande 1 001 pages.' }])).not.toBe(plain)
  })
})

describe('the same figure or time written by both sides, spelt with another space', () => {
  it('is the same new word: written a word apart by both, a conflict, not written twice', () => {
    // Word types a narrow no-break space in "1 000", a keyboard a plain one; "10 h 30" and "10 h30" are one time.
    expect(merge(text('plafond : euros par an'), text('plafond : 1\u202f000 euros par an'), text('plafond : euros 1 000 par an'))).toBeNull()
    expect(merge(text('séance : ouverte le matin'), text('séance : 10 h 30 ouverte le matin'), text('séance : ouverte 10 h30 le matin'))).toBeNull()
    // The same spelling on both sides was, and stays, a conflict; another figure a word apart is no rival.
    expect(merge(text('plafond : euros par an'), text('plafond : 1 000 euros par an'), text('plafond : euros 1 000 par an'))).toBeNull()
    expect(merge(text('plafond : euros par an'), text('plafond : 1 000 euros par an'), text('plafond : euros 2 500 par an'))).toBe('plafond : 1 000 euros 2 500 par an')
    // Nor is a space left out: "1000" and "1 000", "10h30" and "10 h 30" are one figure, one time.
    expect(merge(text('un plafond fixé par décret'), text('un plafond de 1000 fixé par décret'), text('un plafond fixé à 1 000 par décret'))).toBeNull()
    expect(merge(text('la séance ouvre demain'), text('la séance à 10h30 ouvre demain'), text('la séance ouvre vers 10 h 30 demain'))).toBeNull()
  })
})
