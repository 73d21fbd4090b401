import fc from 'fast-check'
import { normalizeRuns, type Run } from '@hemicycle/amendments'
import { describe, expect, it } from 'vitest'
import { sliceRuns } from './changes.ts'
import { type Suggestion, suggestions } from './suggestions.ts'

const text = (runs: readonly Run[]) => runs.map((run) => run.text).join('')
const word = fc.constantFrom('le', 'progrès', 'social', 'nous', 'devons', 'cohésion', 'l’Alliance', ',', '.')
const runs = fc.array(
  fc.record({
    text: fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => `${words.join(' ')} `),
    italic: fc.option(fc.constant(true as const), { nil: undefined }),
    bold: fc.option(fc.constant(true as const), { nil: undefined }),
  }),
  { maxLength: 5 },
)

/** The paragraph with every suggestion taken, formatting included: what accepting the change would leave. */
function taken(current: readonly Run[], list: readonly Suggestion[]): Run[] {
  const length = text(current).length
  const out: Run[] = []
  let at = 0
  const keep = (to: number) => out.push(...sliceRuns(current, at, to))
  for (const suggestion of list) {
    if (suggestion.kind === 'insert') {
      keep(suggestion.at)
      out.push(...suggestion.runs)
      at = suggestion.at
    } else if (suggestion.kind === 'delete') {
      keep(suggestion.from)
      at = suggestion.to
    } else {
      keep(suggestion.from)
      const { bold, italic } = suggestion
      out.push({ text: text(sliceRuns(current, suggestion.from, suggestion.to)), ...(bold ? { bold } : {}), ...(italic ? { italic } : {}) })
      at = suggestion.to
    }
  }
  keep(length)
  return normalizeRuns(out)
}

describe('suggestions', () => {
  it('are placed in reading order inside the paragraph, and taking them all gives the proposed wording, bold and italic included', () => {
    fc.assert(
      fc.property(runs, runs, (current, proposed) => {
        const list = suggestions(current, proposed)
        const points = list.flatMap((s) => (s.kind === 'insert' ? [s.at, s.at] : [s.from, s.to]))
        expect(points).toEqual([...points].sort((a, b) => a - b))
        expect(points.every((point) => point >= 0 && point <= text(current).length)).toBe(true)
        expect(taken(current, list)).toEqual(normalizeRuns(proposed))
      }),
    )
  })

  it('names the words added and the stretch removed, with the added words’ formatting', () => {
    expect(suggestions([{ text: 'investir dans les têtes' }], [{ text: 'investir ' }, { text: 'davantage', italic: true }, { text: ' dans les écoles' }])).toEqual([
      { kind: 'insert', at: 9, runs: [{ text: 'davantage', italic: true }, { text: ' ' }] },
      { kind: 'delete', from: 18, to: 23 },
      { kind: 'insert', at: 23, runs: [{ text: 'écoles' }] },
    ])
  })

  it('names kept words the change sets in another formatting, with the formatting it gives them', () => {
    expect(suggestions([{ text: 'le progrès ' }, { text: 'social', bold: true }], [{ text: 'le ' }, { text: 'progrès', bold: true }, { text: ' social' }])).toEqual([
      { kind: 'format', from: 3, to: 10, bold: true, italic: false },
      { kind: 'format', from: 11, to: 17, bold: false, italic: false },
    ])
  })
})
