import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LostChanges } from './lostChanges.ts'

/** A document holding `clocks` items under client 7 (a paragraph's letters). */
function holding(clocks: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 7
  if (clocks > 0) doc.getText('t').insert(0, 'x'.repeat(clocks))
  return doc
}

describe('lost changes a tab shows', () => {
  it('are late once the grace has passed since the person first showed them, across their tabs', () => {
    let now = 1_000
    const lost = new LostChanges(() => now)
    lost.note('text\nlucia', new Map([[7, 5]]))
    expect(lost.standing('text\nlucia', [7], holding(0), 30_000)).toBe('waiting')
    now += 20_000
    // A later answer of the same person (a tab back after 4208) keeps the first time.
    lost.note('text\nlucia', new Map([[7, 6]]))
    now += 10_000
    expect(lost.standing('text\nlucia', [7], holding(0), 30_000)).toBe('late')
    // Another person, or other ids, are not concerned.
    expect(lost.standing('text\nkwame', [7], holding(0), 30_000)).toBe('held')
    expect(lost.standing('text\nlucia', [8], holding(0), 30_000)).toBe('held')
  })

  it('are forgotten once the server holds them, to the last clock any answer showed', () => {
    const lost = new LostChanges(() => 0)
    lost.note('text\nlucia', new Map([[7, 5]]))
    lost.note('text\nlucia', new Map([[7, 9]]))
    expect(lost.standing('text\nlucia', [7], holding(5), 0)).toBe('late')
    expect(lost.standing('text\nlucia', [7], holding(9), 0)).toBe('held')
    // Forgotten: shown again later, they count from then.
    expect(lost.standing('text\nlucia', [7], holding(0), 0)).toBe('held')
  })
})
