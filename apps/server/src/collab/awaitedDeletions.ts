import * as Y from 'yjs'
import type { Awaited } from './updateGate.ts'

/**
 * Of the deletions a person's answers made of others' content the server lacked (`Awaited`), those of this many ids
 * are waited for, over all their connections to a text: an honest answer reaches the content of a few people, and
 * each of the text's changes, anyone's, looks at them (a hostile review: 1,000 sockets waiting on 64 ids each added
 * 2.4 µs a socket to every change).
 */
export const MAX_AWAITED_IDS_PER_PERSON = 64

/**
 * The deletions one connection's answers to the sync request made of others' content the server lacked, left out
 * with that content (`UpdateGate.admit`'s `awaiting`): per client id, the clock the server must reach. Once it holds
 * that much under some id, `held` is called (the connection asks the client for its state again, and the answer
 * brings the deletions). Dropped, the client's copy went on without words the text kept, and nobody was told.
 */
export class AwaitedDeletions {
  private readonly ends = new Map<number, number>()
  private watching: (() => void) | null = null

  constructor(
    private readonly doc: Y.Doc,
    /** How many ids each person's connections to the text wait on, by person id (`LiveDocument.awaitedIds`). */
    private readonly counts: Map<string, number>,
    private readonly personId: string,
    private readonly held: () => void,
  ) {}

  add(awaiting: Awaited): void {
    for (const [client, end] of awaiting) {
      if (!this.ends.has(client)) {
        const count = this.counts.get(this.personId) ?? 0
        if (count >= MAX_AWAITED_IDS_PER_PERSON) continue
        this.counts.set(this.personId, count + 1)
      }
      this.ends.set(client, Math.max(end, this.ends.get(client) ?? 0))
    }
    if (this.watching || this.ends.size === 0) return
    this.watching = () => this.look()
    this.doc.on('update', this.watching)
  }

  /** The connection closed: nothing is waited for any more. */
  stop(): void {
    if (this.watching) this.doc.off('update', this.watching)
    this.watching = null
    for (const client of [...this.ends.keys()]) this.forget(client)
  }

  private look(): void {
    let held = false
    for (const [client, end] of this.ends) {
      if (Y.getState(this.doc.store, client) < end) continue
      this.forget(client)
      held = true
    }
    if (this.ends.size === 0) this.stop()
    if (held) this.held()
  }

  private forget(client: number): void {
    if (!this.ends.delete(client)) return
    const count = (this.counts.get(this.personId) ?? 1) - 1
    if (count > 0) this.counts.set(this.personId, count)
    else this.counts.delete(this.personId)
  }
}
