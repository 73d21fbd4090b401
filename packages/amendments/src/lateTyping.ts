import * as Y from 'yjs'

/**
 * Typing made without a decision that lands in the words it changed.
 *
 * An accepted amendment reaches the text as one Yjs update made under a
 * client id of its own. Someone typing at that moment, whose editor has not
 * received it, types in the words as they were; Yjs merges both, and the
 * paragraph may read what nobody wrote ("vite" → "rapidement", with an "s"
 * typed after "vite": "rapidements"). Yjs cannot be asked whether an edit's
 * author had seen the decision, but the edit's own items say it.
 *
 * Every item records its neighbours as its author saw them: `origin` (the
 * left one) and `rightOrigin`. A Yjs text places an insertion after every
 * deleted item that follows its left neighbour (`minimizeAttributeChanges`
 * in YText), so an editor that has the decision never names an item the
 * decision deleted as `rightOrigin`, and, where the decision inserted words
 * after what it deleted (`planDelta` deletes, then inserts), it lands beside
 * them and names one of them. So an item that names none of the decision's
 * insertions is blind to the decision when
 * - its `rightOrigin` is an item the decision deleted: typed in, or right
 *   before, the words it took out; or
 * - its neighbours are exactly those the decision inserted between: typed
 *   in the gap where the decision wrote, at the end of the old words or
 *   where a pure insertion went ("vite" → "vitesse").
 *
 * Not caught, because an editor that had the decision would have made the
 * very same item: typing at the seam a pure deletion left ("très vite" →
 * "vite", typed before "vite"), and typing inside a word the decision
 * changed only in part, among the characters it kept ("nous" → "Nous",
 * typed between "o" and "u").
 *
 * Deletions say it too (`deletesDecided`): Yjs deletes an item once, and an
 * edit's update carries only what its transaction deleted, so an editor
 * that has the decision never deletes what the decision deleted. One
 * without it that does deleted in the decided words as they were: "agir
 * vite " taken out while "vite" became "rapidement" leaves "rapidementpour";
 * a paragraph joined, moved or split deletes its old text to write it
 * anew, which drops or doubles the decided words. Deleting next to them is
 * editing, and is not news.
 */
export interface DecisionTrace {
  /** The client id the decision was written under: everything it inserted, and nothing else. */
  readonly client: number
  /** What it deleted, per client: sorted, disjoint [clock, clock + len) ranges. */
  readonly deleted: ReadonlyMap<number, ReadonlyArray<{ readonly clock: number; readonly len: number }>>
  /** Where its insertions went, as `gapKey`s. */
  readonly gaps: ReadonlySet<string>
  /** The clients of every item it deleted or inserted beside: an item naming none of them as a neighbour or parent cannot be blind to it. */
  readonly clients: ReadonlySet<number>
}

type Id = { client: number; clock: number } | null

const idKey = (id: Id) => (id === null ? '-' : `${id.client}:${id.clock}`)

/**
 * One key per place an insertion was made: between two neighbours, or, in
 * a text that was empty, in that text (its parent, as an update names it:
 * the id of the item holding it, or a root's name). Without the parent,
 * every first character of every empty paragraph would be in one place.
 */
export function gapKey(origin: Id, rightOrigin: Id, parent: unknown): string {
  if (origin !== null || rightOrigin !== null) return `${idKey(origin)}|${idKey(rightOrigin)}`
  return parent instanceof Y.ID ? `in ${idKey(parent)}` : typeof parent === 'string' ? `in root ${parent}` : 'in ?'
}

/**
 * What a decision's update (made under a client id used for nothing else)
 * inserted and deleted; null if it cannot be read, or if no typing made
 * without it could land in its words (it only added paragraphs).
 */
export function traceOf(change: Uint8Array): DecisionTrace | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(change)
  } catch {
    return null
  }
  const items = decoded.structs.filter((struct): struct is Y.Item => struct instanceof Y.Item)
  const client = items[0]?.id.client ?? -1
  const deleted = new Map<number, Array<{ clock: number; len: number }>>()
  const clients = new Set<number>()
  for (const [owner, ranges] of decoded.ds.clients) {
    const sorted = ranges.map(({ clock, len }) => ({ clock, len })).sort((a, b) => a.clock - b.clock)
    deleted.set(owner, sorted)
    clients.add(owner)
  }
  const gaps = new Set<string>()
  for (const { content, origin, rightOrigin, parent } of items) {
    // Elements placed among blocks are no words: a paragraph added beside another typed at the same moment is ordinary editing.
    if (content instanceof Y.ContentType) continue
    const named = origin ?? rightOrigin ?? (parent instanceof Y.ID ? parent : null)
    // A place only the decision's own items mark (inside a paragraph it added) is one nobody without it can type in.
    if (named === null || [origin, rightOrigin, named].some((id) => id?.client === client)) continue
    gaps.add(gapKey(origin, rightOrigin, parent))
    for (const id of [origin, rightOrigin, named]) if (id) clients.add(id.client)
  }
  return deleted.size === 0 && gaps.size === 0 ? null : { client, deleted, gaps, clients }
}

/**
 * The trace of a decision's change as the text takes it: what it deleted
 * that the text had deleted already (`deleted`, others' deletions that
 * reached the text while the decision was being stored) left out, as Yjs
 * leaves it out of the change it applies. The trace of the change as made
 * named them: an editor holding those deletions, without the decision,
 * would have been reported for sending them back.
 */
export function asTaken(trace: DecisionTrace, deleted: DeleteRanges): DecisionTrace | null {
  const kept = new Map<number, Array<{ clock: number; len: number }>>()
  for (const [client, ranges] of trace.deleted) {
    const gone = [...(deleted.clients.get(client) ?? [])].sort((a, b) => a.clock - b.clock)
    const left: Array<{ clock: number; len: number }> = []
    for (const { clock, len } of ranges) {
      let from = clock
      const to = clock + len
      for (const cut of gone) {
        if (cut.clock + cut.len <= from) continue
        if (cut.clock >= to) break
        if (cut.clock > from) left.push({ clock: from, len: cut.clock - from })
        from = Math.max(from, cut.clock + cut.len)
        if (from >= to) break
      }
      if (from < to) left.push({ clock: from, len: to - from })
    }
    if (left.length > 0) kept.set(client, left)
  }
  if (kept.size === 0 && trace.gaps.size === 0) return null
  return { ...trace, deleted: kept }
}

/** Whether the decision deleted the item with this id. */
export function deletedBy(trace: DecisionTrace, id: Id): boolean {
  if (id === null) return false
  const ranges = trace.deleted.get(id.client)
  if (!ranges) return false
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const range = ranges[middle]!
    if (id.clock < range.clock) high = middle - 1
    else if (id.clock >= range.clock + range.len) low = middle + 1
    else return true
  }
  return false
}

/**
 * Whether an item (as an update carries it) was made by someone who had not
 * seen the decision, in the words it changed (see above). Words only: an
 * editor adding a paragraph names the next one as its right neighbour,
 * deleted or not (a list of blocks skips nothing), and marking words bold
 * writes marks that may do the same.
 */
export function blindTo(trace: DecisionTrace, { origin, rightOrigin, parent, content }: Pick<Y.Item, 'origin' | 'rightOrigin' | 'parent' | 'content'>): boolean {
  if (!(content instanceof Y.ContentString)) return false
  if (origin?.client === trace.client || rightOrigin?.client === trace.client) return false
  return deletedBy(trace, rightOrigin) || (trace.gaps.size > 0 && trace.gaps.has(gapKey(origin, rightOrigin, parent)))
}

/** Whether any item an update inserts is blind to the decision; `structs` as `Y.decodeUpdate` reads them. */
export function typedBlind(trace: DecisionTrace, structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): boolean {
  for (const struct of structs) {
    if (struct instanceof Y.Item && struct.id.client !== trace.client && blindTo(trace, struct)) return true
  }
  return false
}

/** A delete set as `Y.decodeUpdate` reads it: per client, [clock, clock + len) ranges. */
export interface DeleteRanges {
  readonly clients: ReadonlyMap<number, ReadonlyArray<{ readonly clock: number; readonly len: number }>>
}

/**
 * Whether an update's own delete set (as its sender sent it, before Yjs
 * leaves out what the text had deleted already) deletes something the
 * decision deleted: made without it (see above), when the update carries
 * only what its transaction deleted. A client's reply to a sync request
 * carries every deletion its text holds: there it says so only of a client
 * that had not the decision, which its caller must know.
 */
export function deletesDecided(trace: DecisionTrace, ds: DeleteRanges): boolean {
  for (const [client, ranges] of ds.clients) {
    const decided = trace.deleted.get(client)
    if (!decided) continue
    for (const { clock, len } of ranges) if (overlaps(decided, clock, clock + len)) return true
  }
  return false
}

/**
 * Whether an update deleted words the decision wrote without naming them:
 * `applied`, the deletions it made once applied, takes some of the
 * decision's own items, and `sent`, its delete set as sent, names none. The
 * editor deleted what held them (their paragraph, joined into another or
 * moved) without having received them; one that had them names each.
 */
export function deletesUnseen(trace: DecisionTrace, sent: DeleteRanges, applied: DeleteRanges): boolean {
  return trace.client >= 0 && (applied.clients.get(trace.client)?.length ?? 0) > 0 && (sent.clients.get(trace.client)?.length ?? 0) === 0
}

/** Whether sorted, disjoint `ranges` meet [from, to). */
function overlaps(ranges: ReadonlyArray<{ readonly clock: number; readonly len: number }>, from: number, to: number): boolean {
  // The first range ending after `from`: the only one that can start before `to` without the ones after it doing so first.
  let low = 0
  let high = ranges.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (ranges[middle]!.clock + ranges[middle]!.len <= from) low = middle + 1
    else high = middle
  }
  return low < ranges.length && ranges[low]!.clock < to
}
