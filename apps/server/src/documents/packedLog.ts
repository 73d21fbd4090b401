import type { LoggedMove } from '../collab/storage.ts'
import type { LogRow } from './redline.ts'

/**
 * Rows of the update log packed into a few typed arrays, to be sent to the
 * export thread: a redline reads the whole log, and 150,000 rows sent as
 * objects held the event loop 0.7 s while they were copied (a typed array is
 * copied at memory speed). Each page of the log is packed as it is read, so
 * no one turn of the event loop packs more than a page.
 */
export interface PackedLogPage {
  /** Per row: its id and its time (ms since the epoch). */
  numbers: Float64Array
  /** Per row: its origin, amendment, person, delegation and decision, as indexes into `strings` (-1 for none). */
  refs: Int32Array
  strings: string[]
  /** Per row: how many inserted runs, deleted runs and moves it has. */
  counts: Uint32Array
  /** Every row's inserted runs and deleted runs (3 numbers each) and moves (5 each), in row order. */
  ids: Float64Array
}

/** Strings per row in `refs`. */
const REFS = 5

const ORIGINS: ReadonlySet<string> = new Set<LogRow['origin']>(['connection', 'amendment', 'server'])

export function packLogPage(rows: readonly LogRow[]): PackedLogPage {
  const strings: string[] = []
  const indexes = new Map<string, number>()
  const ref = (value: string | null) => {
    if (value === null) return -1
    let index = indexes.get(value)
    if (index === undefined) {
      index = strings.push(value) - 1
      indexes.set(value, index)
    }
    return index
  }
  const numbers = new Float64Array(rows.length * 2)
  const refs = new Int32Array(rows.length * REFS)
  const counts = new Uint32Array(rows.length * 3)
  let length = 0
  for (const row of rows) length += (row.inserts.length + row.deletes.length) * 3 + (row.moves?.length ?? 0) * 5
  const ids = new Float64Array(length)
  let at = 0
  rows.forEach((row, index) => {
    numbers[index * 2] = row.id
    numbers[index * 2 + 1] = row.created_at.getTime()
    refs[index * REFS] = ref(row.origin)
    refs[index * REFS + 1] = ref(row.amendment_id)
    refs[index * REFS + 2] = ref(row.person_id)
    refs[index * REFS + 3] = ref(row.delegation_id)
    refs[index * REFS + 4] = ref(row.decision)
    const moves = row.moves ?? []
    counts[index * 3] = row.inserts.length
    counts[index * 3 + 1] = row.deletes.length
    counts[index * 3 + 2] = moves.length
    for (const [runs, width] of [[row.inserts, 3], [row.deletes, 3], [moves, 5]] as const) {
      for (const run of runs) {
        // Every later row of the page would be read shifted, and credited to the wrong people, without a word.
        if (run.length !== width) throw new Error(`log row ${row.id} has a run of ${run.length} numbers where ${width} were expected`)
        ids.set(run, at)
        at += width
      }
    }
  })
  return { numbers, refs, strings, counts, ids }
}

export function unpackLog(pages: readonly PackedLogPage[]): LogRow[] {
  const rows: LogRow[] = []
  for (const { numbers, refs, strings, counts, ids } of pages) {
    const string = (index: number) => (index < 0 ? null : strings[index]!)
    let at = 0
    const take = <T extends number[]>(width: number, count: number): T[] => {
      const runs: T[] = []
      for (let run = 0; run < count; run++, at += width) runs.push(Array.from(ids.subarray(at, at + width)) as T)
      return runs
    }
    for (let index = 0; index < numbers.length / 2; index++) {
      const origin = string(refs[index * REFS]!)
      if (origin === null || !ORIGINS.has(origin)) throw new Error(`a log row of unknown origin ${origin}`)
      rows.push({
        id: numbers[index * 2]!,
        created_at: new Date(numbers[index * 2 + 1]!),
        origin: origin as LogRow['origin'],
        amendment_id: string(refs[index * REFS + 1]!),
        person_id: string(refs[index * REFS + 2]!),
        delegation_id: string(refs[index * REFS + 3]!),
        decision: string(refs[index * REFS + 4]!) as LogRow['decision'],
        inserts: take<[number, number, number]>(3, counts[index * 3]!),
        deletes: take<[number, number, number]>(3, counts[index * 3 + 1]!),
        moves: take<LoggedMove>(5, counts[index * 3 + 2]!),
      })
    }
  }
  return rows
}
