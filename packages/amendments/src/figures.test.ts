import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
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
