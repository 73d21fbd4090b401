import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keepFormatCharacters } from './formatCharacters.ts'
import type { Run } from './inline.ts'
import { normalizeParagraph, type Wording } from './wording.ts'

const withoutFormat = (text: string) => text.replace(/\p{Cf}/gu, '')
const stripped = (runs: readonly Run[]): Run[] => normalizeParagraph(runs.map((run) => ({ ...run, text: withoutFormat(run.text) })))
const shown = (wording: Wording) => wording.map((runs) => withoutFormat(runs.map((run) => run.text).join('')))

const JUDGE = '👩\u200d⚖\ufe0f'
const SCOTLAND = '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}'

describe('format characters of the paragraph an amendment rewrites', () => {
  it('stay where the words around them are unchanged: an emoji’s joiner, a soft hyphen, a flag’s tags', () => {
    const base: Run[] = [{ text: `La juge ${JUDGE} défend la coopération inter\u00adnationale ` }, { text: `en ${SCOTLAND} Écosse`, bold: true }, { text: '.' }]
    const wording: Wording = [[{ text: `La juge ${withoutFormat(JUDGE)} soutient la coopération internationale ` }, { text: `en ${withoutFormat(SCOTLAND)} Écosse`, bold: true }, { text: '.' }]]
    expect(keepFormatCharacters(wording, base)).toEqual([
      [{ text: `La juge ${JUDGE} soutient la coopération inter\u00adnationale ` }, { text: `en ${SCOTLAND} Écosse`, bold: true }, { text: '.' }],
    ])
  })

  it('go with the words they stood in when those are rewritten, and stay at the ends of a paragraph kept there', () => {
    const base: Run[] = [{ text: '\u200bla coopération inter\u00adnationale\u200b' }]
    expect(keepFormatCharacters([[{ text: 'la coopération mondiale de tous' }]], base)).toEqual([[{ text: '\u200bla coopération mondiale de tous' }]])
    expect(keepFormatCharacters([[{ text: 'la coopération internationale' }], [{ text: 'Suite.' }]], base)).toEqual([
      [{ text: '\u200bla coopération inter\u00adnationale\u200b' }],
      [{ text: 'Suite.' }],
    ])
  })

  it('give back the paragraph exactly when the wording changes nothing visible, and never change what a wording shows', () => {
    const character = fc.constantFrom('a', 'é', ' ', '.', '👩', '⚖', '\ufe0f', '\u200d', '\u00ad', '\u200b', '\u2060', '\u{e0067}', '🏴')
    const run = fc.record({ text: fc.array(character, { maxLength: 8 }).map((cs) => cs.join('')), bold: fc.constantFrom(true, undefined) }).map(({ text, bold }) => (bold ? { text, bold } : { text }) as Run)
    const runs = fc.array(run, { maxLength: 4 })
    fc.assert(
      fc.property(runs, (base) => {
        fc.pre(withoutFormat(base.map((run) => run.text).join('')).length > 0)
        // The same characters; which run an invisible one at a change of formatting falls in is not seen.
        const same = keepFormatCharacters([stripped(base)], base)
        expect(same.map((runs) => runs.map((run) => run.text).join(''))).toEqual([base.map((run) => run.text).join('').normalize('NFC')])
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(runs, fc.array(runs, { minLength: 1, maxLength: 3 }), (base, other) => {
        const wording = other.map(stripped)
        expect(shown(keepFormatCharacters(wording, base))).toEqual(shown(wording))
      }),
      { numRuns: 500 },
    )
  })
})
