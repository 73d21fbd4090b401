import type * as Y from 'yjs'
import { blindTo, type DecisionTrace, type DeleteRanges, gapKey } from './lateTyping.ts'

/**
 * A decision trace as plain data, stored with the decision's change so the
 * watch outlives the process: deleted ranges as [client, clock, length].
 */
export interface TraceData {
  client: number
  deleted: Array<[number, number, number]>
  gaps: string[]
  clients: number[]
}

export function traceData(trace: DecisionTrace): TraceData {
  return {
    client: trace.client,
    deleted: [...trace.deleted].flatMap(([client, ranges]) => ranges.map(({ clock, len }): [number, number, number] => [client, clock, len])),
    gaps: [...trace.gaps],
    clients: [...trace.clients],
  }
}

export function traceOfData(data: TraceData): DecisionTrace {
  const deleted = new Map<number, Array<{ clock: number; len: number }>>()
  for (const [client, clock, len] of data.deleted) {
    const ranges = deleted.get(client)
    if (ranges) ranges.push({ clock, len })
    else deleted.set(client, [{ clock, len }])
  }
  for (const ranges of deleted.values()) ranges.sort((a, b) => a.clock - b.clock)
  return { client: data.client, deleted, gaps: new Set(data.gaps), clients: new Set(data.clients) }
}

/** One client's deleted ranges across decisions, by start, with the furthest end reached so far: an interval search without a tree. */
interface Ranges<T> {
  starts: number[]
  ends: number[]
  owners: T[]
  /** `reach[i]`: the largest end among ranges 0..i. */
  reach: number[]
}

/**
 * Every decision a document's text is watched for, indexed so that an item,
 * or a deletion, finds the decisions it concerns at the cost of a lookup
 * and a binary search, however many there are: a resolution may take
 * hundreds of decisions, all deleting words of the same author, and each
 * typed update is checked against them. The answers are those of
 * `blindTo` and `deletesDecided` asked of each decision in turn.
 */
export class WatchedDecisions<T extends { readonly trace: DecisionTrace }> {
  readonly list: readonly T[]
  private readonly gaps = new Map<string, T[]>()
  private readonly deleted = new Map<number, Ranges<T>>()
  private readonly byClient = new Map<number, T>()

  constructor(list: readonly T[]) {
    this.list = list
    const pending = new Map<number, Array<{ clock: number; end: number; owner: T }>>()
    for (const entry of list) {
      // A decision that only deleted wrote under no client (-1): none of its own items to recognise.
      if (entry.trace.client >= 0) this.byClient.set(entry.trace.client, entry)
      for (const gap of entry.trace.gaps) {
        const entries = this.gaps.get(gap)
        if (entries) entries.push(entry)
        else this.gaps.set(gap, [entry])
      }
      for (const [client, ranges] of entry.trace.deleted) {
        const into = pending.get(client) ?? []
        for (const { clock, len } of ranges) into.push({ clock, end: clock + len, owner: entry })
        pending.set(client, into)
      }
    }
    for (const [client, ranges] of pending) {
      ranges.sort((a, b) => a.clock - b.clock)
      let reach = Number.NEGATIVE_INFINITY
      this.deleted.set(client, {
        starts: ranges.map((range) => range.clock),
        ends: ranges.map((range) => range.end),
        owners: ranges.map((range) => range.owner),
        reach: ranges.map((range) => (reach = Math.max(reach, range.end))),
      })
    }
  }

  /** The decisions whose deleted ranges meet [from, to) of `client`. */
  private meeting(client: number, from: number, to: number, into: Set<T>): void {
    const ranges = this.deleted.get(client)
    if (!ranges) return
    // The last range starting before `to`; ranges before it may still reach past `from`, which `reach` bounds.
    let low = 0
    let high = ranges.starts.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (ranges.starts[middle]! < to) low = middle + 1
      else high = middle
    }
    for (let at = low - 1; at >= 0 && ranges.reach[at]! > from; at--) if (ranges.ends[at]! > from) into.add(ranges.owners[at]!)
  }

  /** The decisions an item (as an update carries it) was made without, in their words (see `blindTo`); none it was written under. */
  blindTo(item: Pick<Y.Item, 'id' | 'origin' | 'rightOrigin' | 'parent' | 'content'>): T[] {
    const found = new Set<T>()
    if (item.rightOrigin) this.meeting(item.rightOrigin.client, item.rightOrigin.clock, item.rightOrigin.clock + 1, found)
    for (const entry of this.gaps.get(gapKey(item.origin, item.rightOrigin, item.parent)) ?? []) found.add(entry)
    return [...found].filter((entry) => entry.trace.client !== item.id.client && blindTo(entry.trace, item))
  }

  /** The decisions whose deletions an update's delete set, as sent, deletes again (see `deletesDecided`). */
  deletedAgain(ds: DeleteRanges): T[] {
    const found = new Set<T>()
    for (const [client, ranges] of ds.clients) for (const { clock, len } of ranges) this.meeting(client, clock, clock + len, found)
    return [...found]
  }

  /** The decision written under `client`, if one is watched. */
  writtenBy(client: number): T | undefined {
    return this.byClient.get(client)
  }
}
