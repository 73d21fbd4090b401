import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LostChanges, MAX_LOST_IDS_PER_PERSON } from './lostChanges.ts'

/** A document holding `clocks` items under client 7 (a paragraph's letters). */
function holding(clocks: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 7
  if (clocks > 0) doc.getText('t').insert(0, 'x'.repeat(clocks))
  return doc
}

const key = 'text\nlucia'

describe('lost changes a tab shows', () => {
  it('are late once the grace has passed since the person first showed them, across their tabs', () => {
    let now = 1_000
    const lost = new LostChanges(() => now)
    expect(lost.note(key, new Map([[7, 5]]), holding(0))).toEqual([7])
    expect(lost.standing(key, [7], holding(0), 30_000)).toBe(30_000)
    now += 20_000
    // A later answer of the same person (a tab back after 4208) keeps the first time.
    lost.note(key, new Map([[7, 6]]), holding(0))
    expect(lost.standing(key, [7], holding(0), 30_000)).toBe(10_000)
    now += 10_000
    expect(lost.standing(key, [7], holding(0), 30_000)).toBe('late')
    // Another person, or other ids, are not concerned.
    expect(lost.standing('text\nkwame', [7], holding(0), 30_000)).toBe('held')
    expect(lost.standing(key, [8], holding(0), 30_000)).toBe('held')
  })

  it('are forgotten once the server holds them, to the last clock any answer showed', () => {
    const lost = new LostChanges(() => 0)
    lost.note(key, new Map([[7, 5]]), holding(0))
    lost.note(key, new Map([[7, 9]]), holding(0))
    expect(lost.standing(key, [7], holding(5), 0)).toBe('late')
    expect(lost.standing(key, [7], holding(9), 0)).toBe('held')
    // Forgotten: shown again later, they count from then.
    expect(lost.standing(key, [7], holding(0), 0)).toBe('held')
  })

  it('count a loss the server made good as over when the same author is lost again later (a second instance death)', () => {
    let now = 0
    const lost = new LostChanges(() => now)
    lost.note(key, new Map([[7, 5]]), holding(0))
    // The tab closed before anyone asked; the author brought the words back meanwhile.
    now += 60_000
    lost.note(key, new Map([[7, 12]]), holding(5))
    expect(lost.standing(key, [7], holding(5), 30_000)).toBe(30_000)
  })

  it('follow at most MAX_LOST_IDS_PER_PERSON ids a person, and say which', () => {
    const lost = new LostChanges(() => 0)
    const shown = new Map(Array.from({ length: MAX_LOST_IDS_PER_PERSON + 10 }, (_, index): [number, number] => [100 + index, 1]))
    expect(lost.note(key, shown, holding(0))).toHaveLength(MAX_LOST_IDS_PER_PERSON)
    expect(lost.note(key, new Map([[5_000, 1]]), holding(0))).toEqual([])
  })
})
