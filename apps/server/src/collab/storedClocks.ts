import * as Y from 'yjs'

/**
 * What is durably stored of each Yjs client's changes, as acknowledgements
 * state it: per client, the clock below which everything is stored. A
 * stored range that starts past that clock (a change stored while an
 * earlier one of the same client is still held for another instance) waits
 * aside until the gap is stored: an acknowledgement never covers a change
 * that is not in the database.
 */
export class StoredClocks {
  private readonly through = new Map<number, number>()
  private readonly ahead = new Map<number, Array<[number, number]>>()

  constructor(initial: ReadonlyMap<number, number> = new Map()) {
    for (const [client, clock] of initial) this.through.set(client, clock)
  }

  /** Everything `update` inserts is stored now. */
  add(update: Uint8Array): void {
    const { from, to } = Y.parseUpdateMeta(update)
    for (const [client, end] of to) this.addRange(client, from.get(client) ?? 0, end)
  }

  private addRange(client: number, start: number, end: number): void {
    this.ahead.set(client, [...(this.ahead.get(client) ?? []), [start, end]])
    this.absorb(client, this.through.get(client) ?? 0)
  }

  /** Moves the ranges that now join the stored prefix (which reaches `from`) into it. */
  private absorb(client: number, from: number): void {
    let reached = from
    const left: Array<[number, number]> = []
    for (const [start, end] of (this.ahead.get(client) ?? []).sort((x, y) => x[0] - y[0])) {
      if (start <= reached) reached = Math.max(reached, end)
      else left.push([start, end])
    }
    if (reached > (this.through.get(client) ?? 0)) this.through.set(client, reached)
    if (left.length > 0) this.ahead.set(client, left)
    else this.ahead.delete(client)
  }

  /** The acknowledgement: per client, the clock below which everything is stored, here or (`elsewhere`) by another instance. */
  stateVector(elsewhere: ReadonlyMap<number, number> = new Map()): Map<number, number> {
    // What another instance stored can close a gap before what was stored here.
    for (const [client, clock] of elsewhere) if (clock > (this.through.get(client) ?? 0)) this.absorb(client, clock)
    return new Map(this.through)
  }
}
