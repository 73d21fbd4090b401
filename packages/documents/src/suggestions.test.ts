import fc from 'fast-check'
import type { Run } from '@hemicycle/amendments'
import { describe, expect, it } from 'vitest'
import { type Suggestion, suggestions } from './suggestions.ts'

const text = (runs: readonly Run[]) => runs.map((run) => run.text).join('')
const word = fc.constantFrom('le', 'progrès', 'social', 'nous', 'devons', 'cohésion', 'l’Alliance', ',', '.')
const runs = fc.array(
  fc.record({ text: fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => `${words.join(' ')} `), italic: fc.option(fc.constant(true as const), { nil: undefined }) }),
  { maxLength: 5 },
)

/** The paragraph with every suggestion taken: what accepting the change would leave. */
function taken(current: string, list: readonly Suggestion[]): string {
  let out = ''
  let at = 0
  for (const suggestion of list) {
    if (suggestion.kind === 'insert') {
      out += current.slice(at, suggestion.at) + text(suggestion.runs)
      at = suggestion.at
    } else {
      out += current.slice(at, suggestion.from)
      at = suggestion.to
    }
  }
  return out + current.slice(at)
}

describe('suggestions', () => {
  it('are placed in reading order inside the paragraph, and taking them all gives the proposed wording', () => {
    fc.assert(
      fc.property(runs, runs, (current, proposed) => {
        const list = suggestions(current, proposed)
        const points = list.flatMap((s) => (s.kind === 'insert' ? [s.at, s.at] : [s.from, s.to]))
        expect(points).toEqual([...points].sort((a, b) => a - b))
        expect(points.every((point) => point >= 0 && point <= text(current).length)).toBe(true)
        expect(taken(text(current), list)).toBe(text(proposed))
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
})
