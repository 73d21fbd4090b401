import { setImmediate as nextTurn } from 'node:timers/promises'
import * as Y from 'yjs'
import { WalkTooLong, withWalkLimits } from './conflictWalk.ts'

export interface SliceOptions {
  /** Throw `WalkTooLong` before an update's walk among rival items passes the gate's limits (`conflictWalk.ts`), leaving `doc` partly changed. */
  walkLimited?: boolean
  /** How long one slice may hold the event loop. */
  sliceMs?: number
  now?: () => number
  /** Gives the event loop back between slices. */
  pause?: () => Promise<unknown>
}

/**
 * Applies `updates` to `doc` in order, a slice at a time, giving the event
 * loop back between slices. Folding a long log (hundreds of rows) in one
 * go held the server for tens of milliseconds, during which nobody's typing
 * was relayed; in slices, the typing goes out between them.
 */
export async function applyInSlices(doc: Y.Doc, updates: readonly Uint8Array[], { sliceMs = 4, now = () => performance.now(), pause = () => nextTurn(), walkLimited = false }: SliceOptions = {}): Promise<void> {
  let sliceStarted = now()
  for (const [index, update] of updates.entries()) {
    if (walkLimited) withWalkLimits(doc, () => Y.applyUpdate(doc, update))
    else Y.applyUpdate(doc, update)
    if (index < updates.length - 1 && now() - sliceStarted >= sliceMs) {
      await pause()
      sliceStarted = now()
    }
  }
}

/**
 * A new document holding `snapshot` and the `rows` stored after it, the
 * rows replayed in the order they were stored, a slice at a time. Each row
 * passed the gate's walk limits on the instance that took it, but two
 * instances each took one of two rows that walk far only in the order they
 * were stored (a chain of deleted items from one, the rivals that enclose
 * it from the other: 6 s to load). Yjs reaches the same text in any order:
 * such rows are replayed once more, all merged, in Yjs's own order (each
 * client's changes in turn, the highest id first), where those rivals come
 * before the chain and walk none of it. A snapshot is one update, applied
 * in that order already.
 */
export async function replayed(snapshot: Uint8Array | null, rows: readonly Uint8Array[], { gc = true, ...options }: SliceOptions & { gc?: boolean } = {}): Promise<Y.Doc> {
  const doc = new Y.Doc({ gc })
  try {
    if (snapshot) Y.applyUpdate(doc, snapshot)
    await applyInSlices(doc, rows, { ...options, walkLimited: true })
    return doc
  } catch (error) {
    doc.destroy()
    if (!(error instanceof WalkTooLong)) throw error
  }
  const all = [...(snapshot ? [snapshot] : []), ...rows]
  const merged = inYjsOrder(all, gc)
  if (merged) return merged
  const inOrder = new Y.Doc({ gc })
  if (snapshot) Y.applyUpdate(inOrder, snapshot)
  await applyInSlices(inOrder, rows, options)
  return inOrder
}

/**
 * `replayed` in one go, for readers off the event loop or of a few rows
 * (exports, on their own thread; the stored text a page reads): `updates`
 * (the first a snapshot, or a state alone) in the order stored, the rows
 * after the first under the walk limits, or else in Yjs's own order.
 */
export function replayedAtOnce(updates: readonly Uint8Array[], { gc = true }: { gc?: boolean } = {}): Y.Doc {
  const doc = new Y.Doc({ gc })
  try {
    for (const [index, update] of updates.entries()) {
      if (index === 0) Y.applyUpdate(doc, update)
      else withWalkLimits(doc, () => Y.applyUpdate(doc, update))
    }
    return doc
  } catch (error) {
    doc.destroy()
    if (!(error instanceof WalkTooLong)) throw error
  }
  const merged = inYjsOrder(updates, gc)
  if (merged) return merged
  const inOrder = new Y.Doc({ gc })
  for (const update of updates) Y.applyUpdate(inOrder, update)
  return inOrder
}

/**
 * All `updates` merged into one and applied at once, in Yjs's own order;
 * null when the result lacks a change of theirs: Yjs merges what it encoded
 * itself, and what it cannot merge whole is replayed as stored, however
 * long that walks.
 */
function inYjsOrder(updates: readonly Uint8Array[], gc: boolean): Y.Doc | null {
  const merged = new Y.Doc({ gc })
  Y.applyUpdate(merged, Y.mergeUpdates(updates as Uint8Array[]))
  if (holdsAll(merged, updates)) return merged
  merged.destroy()
  return null
}

/** Whether `doc` holds every change of `updates`, nothing waiting. */
function holdsAll(doc: Y.Doc, updates: readonly Uint8Array[]): boolean {
  if (doc.store.pendingStructs || doc.store.pendingDs) return false
  for (const update of updates) for (const [client, clock] of Y.parseUpdateMeta(update).to) if (Y.getState(doc.store, client) < clock) return false
  return true
}
