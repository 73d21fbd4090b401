import type { Amendment } from '@hemicycle/protocol'
import { freezeNumbering, numberBlocks, schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { panelPlaces } from './panelPlaces.ts'

const amendment = (number: number, blockId: string | null, paragraph: number, line = paragraph) =>
  ({ id: `a${number}`, number: `A${number}`, blockId, paragraph, line }) as Amendment
const paragraph = (id: string) => schema.node('paragraph', { id }, [schema.text(`Le paragraphe ${id}.`)])
const text = (ids: readonly string[]) => schema.node('doc', null, ids.map(paragraph))
const numbers = (list: readonly Amendment[]) => list.map((a) => a.number)

describe('panelPlaces', () => {
  // Round one froze p1…p5 as §1…§5; an insertion after §2 was accepted and amendments reopened, freezing the text afresh:
  // p4 is §5 now, p5 §6. A2 was tabled at "§5" in round one (p5), A3 at "§5" in round two (p4).
  const now = text(['p1', 'p2', 'new', 'p3', 'p4', 'p5'])
  const blocks = numberBlocks(now, 80, freezeNumbering(now))
  const list = [amendment(2, 'p5', 5), amendment(3, 'p4', 5), amendment(1, 'p2', 2), amendment(4, 'vanished', 1), amendment(5, null, 0)]

  it('files each amendment where its paragraph stands now: one choice per paragraph, in the order of the text', () => {
    const { amendments, places, placeOf } = panelPlaces(list, blocks)
    expect(numbers(amendments)).toEqual(['A5', 'A1', 'A3', 'A2', 'A4'])
    expect(places.map((place) => (place.kind === 'block' ? `§${place.block.label}` : place.kind))).toEqual(['start', '§2', '§5', '§6', 'gone'])
    // The two amendments tabled at "§5" are two paragraphs' amendments, each under the § it has now.
    expect(placeOf(list[0]!)).not.toBe(placeOf(list[1]!))
    for (const place of places) expect(numbers(amendments.filter((a) => placeOf(a) === place.key)).length).toBe(1)
  })

  it('keeps a block whose id reads "start" or "gone" apart from the start of the text and from paragraphs gone', () => {
    const named = text(['start', 'gone'])
    const { places } = panelPlaces([amendment(1, null, 0), amendment(2, 'start', 1), amendment(3, 'gone', 2), amendment(4, 'elsewhere', 3)], numberBlocks(named))
    expect(new Set(places.map((place) => place.key)).size).toBe(4)
  })

  it('lists the amendments as tabled, with nothing to filter by, until the numbers in force are known', () => {
    const { amendments, places, placeOf } = panelPlaces(list, null)
    expect(numbers(amendments)).toEqual(['A5', 'A4', 'A1', 'A2', 'A3'])
    expect(places).toEqual([])
    expect(placeOf(list[0]!)).toBeNull()
  })
})
