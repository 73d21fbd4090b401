import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packLogPage, unpackLog } from './packedLog.ts'
import type { LogRow } from './redline.ts'

const run = (width: number) => fc.array(fc.oneof(fc.nat(), fc.constant(4_294_967_295), fc.constant(0)), { minLength: width, maxLength: width })
const row: fc.Arbitrary<LogRow> = fc.record({
  id: fc.nat(),
  origin: fc.constantFrom('connection', 'amendment', 'server'),
  amendment_id: fc.option(fc.string(), { nil: null }),
  person_id: fc.option(fc.constantFrom('p-claire', 'p-ingrid', ''), { nil: null }),
  delegation_id: fc.option(fc.constantFrom('fr-pp', 'se-sap'), { nil: null }),
  decision: fc.constantFrom('accepted', 'reset', null),
  inserts: fc.array(run(3) as fc.Arbitrary<[number, number, number]>, { maxLength: 4 }),
  deletes: fc.array(run(3) as fc.Arbitrary<[number, number, number]>, { maxLength: 4 }),
  moves: fc.array(run(5) as fc.Arbitrary<[number, number, number, number, number]>, { maxLength: 3 }),
  created_at: fc.date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
})

describe('a packed page of the update log', () => {
  it('unpacks to the rows it was packed from, page after page, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 8 }), { maxLength: 4 }), (pages) => {
        expect(unpackLog(pages.map(packLogPage))).toEqual(pages.flat())
      }),
    )
  })

  it('goes to another thread as it is: a copy of typed arrays and a few strings', () => {
    const page = packLogPage([{ id: 7, origin: 'connection', amendment_id: null, person_id: 'p-claire', delegation_id: 'fr-pp', decision: null, inserts: [[3, 0, 5]], deletes: [], moves: [[3, 5, 2, 0, 4]], created_at: new Date('2026-12-02T08:00:00Z') }])
    expect(unpackLog([structuredClone(page)])).toEqual(unpackLog([page]))
    expect(page.strings).toEqual(['connection', 'p-claire', 'fr-pp'])
  })
})

describe('a log row whose run has the wrong width', () => {
  it('is refused by name, not read shifted into the rows after it', () => {
    const good = { id: 1, origin: 'connection' as const, amendment_id: null, person_id: 'p-claire', delegation_id: null, decision: null, inserts: [[3, 0, 5]] as [number, number, number][], deletes: [], moves: [], created_at: new Date(0) }
    const short = { ...good, id: 2, inserts: [[3, 0]] as unknown as [number, number, number][] }
    const long = { ...good, id: 3, moves: [[1, 2, 3, 4, 5, 6]] as unknown as [number, number, number, number, number][] }
    expect(() => packLogPage([good, short, good])).toThrow('log row 2 has a run of 2 numbers where 3 were expected')
    expect(() => packLogPage([long])).toThrow('log row 3 has a run of 6 numbers where 5 were expected')
  })
})
