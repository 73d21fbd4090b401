import * as Y from 'yjs'

/**
 * To place an item among rival insertions, Yjs walks the items between the
 * item's left neighbour and its right one, and goes on while each was itself
 * written after the origin or after an item already passed. Nothing bounds
 * that walk but the document's shape: a delegate can write a long chain of
 * deleted items, each hung on the one before and all pointing at one
 * character as their right (no text, nothing the per-place count sees), and
 * then items whose left and right enclose the whole chain; each walks all of
 * it. 70,000 such items and 256 rivals held the event loop 13 s, from a
 * 3.3 KB frame, and again at every load. A person's own insertion has
 * nothing between its neighbours but what others wrote there meanwhile,
 * unseen: a handful of runs.
 */
export const MAX_WALK_PER_ITEM = 5_000
/**
 * Steps for all the items of one update. People pressing Home before each
 * letter while offline make long walks that Yjs does make: two of them,
 * 230 letters each, walk 105,000 steps when the second comes back.
 */
export const MAX_WALK_PER_UPDATE = 150_000

export class WalkTooLong extends Error {}

/**
 * How many items Yjs steps over to place `item`, as the document stands the
 * moment it integrates it (`Item.integrate`), counted the way Yjs walks, and
 * no further than `cap + 1`. `offset`: how much of the item's start the
 * document has already (Yjs then hangs the rest on that part).
 */
export function walkLength(item: Y.Item, store: Y.Doc['store'], offset: number, cap: number): number {
  const parent = item.parent
  if (!(parent instanceof Y.AbstractType)) return 0
  const origin = offset > 0 ? Y.createID(item.id.client, item.id.clock + offset - 1) : item.origin
  const left = offset > 0 ? Y.getItem(store, origin!) : item.left
  const right = item.right
  const conflicts = left === null ? right === null || right.left !== null : left.right !== right
  if (!conflicts) return 0
  let steps = 0
  let o: Y.Item | null
  if (left !== null) o = left.right
  else if (item.parentSub !== null) {
    o = parent._map.get(item.parentSub) ?? null
    while (o !== null && o.left !== null && steps <= cap) {
      o = o.left
      steps += 1
    }
  } else o = parent._start
  const passed = new Set<Y.Item | Y.GC>()
  while (o !== null && o !== right && steps <= cap) {
    steps += 1
    passed.add(o)
    if (Y.compareIDs(origin, o.origin)) {
      if (o.id.client >= item.id.client && Y.compareIDs(item.rightOrigin, o.rightOrigin)) break
    } else if (o.origin === null || !passed.has(Y.getItem(store, o.origin))) break
    o = o.right
  }
  return steps
}

/**
 * Runs `apply` (which applies an update to `doc`) with every item's walk
 * counted before Yjs makes it: throws `WalkTooLong` before the first walk
 * past a limit, leaving `doc` partly changed (the caller throws it away).
 * Yjs integrates every struct of an update inside one synchronous call, the
 * items of the update itself among them, so only the moment before each
 * integration shows the list as Yjs will walk it: `Item.integrate` is
 * wrapped for the duration of the call, for this document alone.
 */
export function withWalkLimits<T>(doc: Y.Doc, apply: () => T): T {
  const prototype = Y.Item.prototype
  const integrate = prototype.integrate
  let total = 0
  prototype.integrate = function (this: Y.Item, transaction: Y.Transaction, offset: number) {
    if (transaction.doc === doc) {
      const steps = walkLength(this, transaction.doc.store, offset, MAX_WALK_PER_ITEM)
      if (steps > MAX_WALK_PER_ITEM) throw new WalkTooLong(`the update places an item among more than ${MAX_WALK_PER_ITEM} rival items`)
      total += steps
      if (total > MAX_WALK_PER_UPDATE) throw new WalkTooLong(`the update's items are placed among more than ${MAX_WALK_PER_UPDATE} rival items in all`)
    }
    integrate.call(this, transaction, offset)
  }
  try {
    return apply()
  } finally {
    prototype.integrate = integrate
  }
}
