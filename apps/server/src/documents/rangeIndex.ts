/**
 * Ranges of Yjs ids per client, each pointing at the update log row that
 * owns it, for the redline to ask who inserted or deleted an id. Looked up
 * once per range of every block: scanned from end to end, a text changed in
 * each of its 20,000 paragraphs took 20,000 × 20,000 comparisons (12 of the
 * 40 s of its redline's PDF). Each client's ranges are sorted by start once
 * they are all added, with the furthest end reached so far beside each, so a
 * lookup walks back from the last range starting before it only as far as a
 * range can still reach it.
 */
interface Ranges {
  from: number[]
  to: number[]
  row: number[]
  /** The largest `to` among this range and those sorted before it. */
  reach: number[]
}

export class RangeIndex {
  private readonly added = new Map<number, Array<{ from: number; to: number; row: number }>>()
  private sorted: Map<number, Ranges> | null = null

  add(client: number, from: number, to: number, row: number): void {
    this.sorted = null
    const list = this.added.get(client)
    if (list) list.push({ from, to, row })
    else this.added.set(client, [{ from, to, row }])
  }

  /** The rows owning any id in [from, to) of `client`, each once per range (in no particular order). */
  overlapping(client: number, from: number, to: number): number[] {
    const rows: number[] = []
    this.reaching(client, to, from, (row) => rows.push(row))
    return rows
  }

  /** The latest row owning `clock` of `client`: a re-sent update never moves an id to someone else, but the newest record is the likeliest exact one. */
  at(client: number, clock: number): number | null {
    let latest: number | null = null
    this.reaching(client, clock + 1, clock, (row) => (latest = latest === null ? row : Math.max(latest, row)))
    return latest
  }

  /** Calls `found` with the row of each range of `client` starting before `before` and ending after `after`. */
  private reaching(client: number, before: number, after: number, found: (row: number) => void): void {
    const ranges = this.index().get(client)
    if (!ranges) return
    const { from, to, row, reach } = ranges
    for (let index = firstAtOrAfter(from, before) - 1; index >= 0 && reach[index]! > after; index--) {
      if (to[index]! > after) found(row[index]!)
    }
  }

  private index(): Map<number, Ranges> {
    if (this.sorted) return this.sorted
    this.sorted = new Map()
    for (const [client, list] of this.added) {
      const order = [...list].sort((a, b) => a.from - b.from)
      let furthest = -Infinity
      const reach = order.map((range) => (furthest = Math.max(furthest, range.to)))
      this.sorted.set(client, { from: order.map((range) => range.from), to: order.map((range) => range.to), row: order.map((range) => range.row), reach })
    }
    return this.sorted
  }
}

/** The index of the first value of ascending `values` at or after `value` (`values.length` if none). */
function firstAtOrAfter(values: readonly number[], value: number): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (values[middle]! < value) low = middle + 1
    else high = middle
  }
  return low
}
