import { setImmediate as nextTurn } from 'node:timers/promises'
import * as Y from 'yjs'

export interface SliceOptions {
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
export async function applyInSlices(doc: Y.Doc, updates: readonly Uint8Array[], { sliceMs = 4, now = () => performance.now(), pause = () => nextTurn() }: SliceOptions = {}): Promise<void> {
  let sliceStarted = now()
  for (const [index, update] of updates.entries()) {
    Y.applyUpdate(doc, update)
    if (index < updates.length - 1 && now() - sliceStarted >= sliceMs) {
      await pause()
      sliceStarted = now()
    }
  }
}
