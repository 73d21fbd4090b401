import * as Y from 'yjs'
import type { Awaited } from './updateGate.ts'

/** How long a tab may show other people's changes the server lacks before it is told to open the text afresh. */
export const LOST_CHANGES_GRACE_MS = 30_000

/** Of the ids a person's copy shows lost changes under, this many are followed (an honest copy heard a few people). */
const MAX_IDS_PER_PERSON = 64

/** People (in a text) followed at once on an instance; the longest followed are forgotten first. */
const MAX_PEOPLE = 10_000

/**
 * Other people's changes a person's tab shows that the server does not have, per person in a text (`key`), kept by the
 * collaboration server across the text's unloads (a tab closed with 4208 leaves the text with nobody, and it unloads): after an instance died, a tab
 * may hold typing it heard there that was never stored. The gate leaves such changes out of the tab's answer (not its
 * to bring); their authors' tabs bring them back when they reconnect. One that never does (closed, its typing lost)
 * leaves the tab showing words that are in no one else's text, for good. Each is followed from when it was first seen,
 * across the person's reconnections (a tab whose own typing stands on such words is closed with 4208 and comes back,
 * again and again), until the server holds it; one still missing after the grace makes the tab open the text afresh
 * (4411), where the web client offers back what it showed that the text lacks.
 */
export class LostChanges {
  /** Per person, per client id: the clock the server must reach, and when it was first seen missing (ms). */
  private readonly byPerson = new Map<string, Map<number, { end: number; since: number }>>()

  constructor(private readonly now: () => number = Date.now) {}

  /** A person's answer showed others' changes the server lacks, up to these clocks. */
  note(key: string, shown: Awaited): void {
    const ids = this.byPerson.get(key) ?? new Map<number, { end: number; since: number }>()
    for (const [client, end] of shown) {
      const held = ids.get(client)
      if (held) held.end = Math.max(held.end, end)
      else if (ids.size < MAX_IDS_PER_PERSON) ids.set(client, { end, since: this.now() })
    }
    if (ids.size === 0 || this.byPerson.has(key)) return
    this.byPerson.set(key, ids)
    if (this.byPerson.size > MAX_PEOPLE) this.byPerson.delete(this.byPerson.keys().next().value!)
  }

  /**
   * Of the changes under `clients` a tab shows: 'late' when one has been missing for at least `graceMs` since the
   * person's tabs first showed it, 'waiting' when some are missing, 'held' when the server holds them all (those it
   * holds are forgotten).
   */
  standing(key: string, clients: Iterable<number>, doc: Y.Doc, graceMs: number): 'late' | 'waiting' | 'held' {
    const ids = this.byPerson.get(key)
    if (!ids) return 'held'
    const now = this.now()
    let standing: 'late' | 'waiting' | 'held' = 'held'
    for (const client of clients) {
      const entry = ids.get(client)
      if (!entry) continue
      if (Y.getState(doc.store, client) >= entry.end) ids.delete(client)
      else if (now - entry.since >= graceMs) standing = 'late'
      else if (standing === 'held') standing = 'waiting'
    }
    if (ids.size === 0) this.byPerson.delete(key)
    return standing
  }
}
