import * as Y from 'yjs'
import type { Awaited } from './updateGate.ts'

/** How long a tab may show other people's changes the server lacks before it is told to open the text afresh. */
export const LOST_CHANGES_GRACE_MS = 30_000

/** Of the ids a person's copy shows lost changes under, this many are followed (an honest copy heard a few people). */
export const MAX_LOST_IDS_PER_PERSON = 64

/** People (in a text) followed at once on an instance; those followed longest without news are forgotten first. */
const MAX_PEOPLE = 10_000

/** Where a tab's lost changes stand: late (past the grace), held (the server has them all), or late in so many ms. */
export type LostStanding = 'late' | 'held' | number

/**
 * Other people's changes a person's tab shows that the server does not have, per person in a text (`key`), kept by the
 * collaboration server across the text's unloads (a tab closed with 4208 leaves the text with nobody, and it unloads):
 * after an instance died, a tab may hold typing it heard there that was never stored. The gate leaves such changes out
 * of the tab's answer (not its to bring); their authors' tabs bring them back when they reconnect. One that never does
 * (closed, its typing lost) leaves the tab showing words that are in no one else's text, for good. Each is followed
 * from when it was first seen, across the person's reconnections (a tab whose own typing stands on such words is closed
 * with 4208 and comes back, again and again), until the server holds it; one still missing after the grace makes the
 * tab open the text afresh (4411), where the web client offers back what it showed that the text lacks. Kept on each
 * instance for its own connections: a tab moving between instances starts the grace again on each.
 */
export class LostChanges {
  /** Per person, per client id: the clock the server must reach, and when it was first seen missing (ms). */
  private readonly byPerson = new Map<string, Map<number, { end: number; since: number }>>()

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * A person's answer showed others' changes the server lacks, up to these clocks. Those the server held already when
   * seen again are a new loss (a second instance death), counted from now. The ids followed, of those shown.
   */
  note(key: string, shown: Awaited, doc: Y.Doc): number[] {
    const ids = this.byPerson.get(key) ?? new Map<number, { end: number; since: number }>()
    this.forgetHeld(ids, doc)
    const followed: number[] = []
    for (const [client, end] of shown) {
      const entry = ids.get(client)
      if (entry) entry.end = Math.max(entry.end, end)
      else if (ids.size < MAX_LOST_IDS_PER_PERSON) ids.set(client, { end, since: this.now() })
      else continue
      followed.push(client)
    }
    // Moved to the back: the people forgotten first are those with no news for longest.
    this.byPerson.delete(key)
    if (ids.size > 0) this.byPerson.set(key, ids)
    if (this.byPerson.size > MAX_PEOPLE) this.byPerson.delete(this.byPerson.keys().next().value!)
    return followed
  }

  /**
   * Of the changes under `clients` a tab shows: 'late' when one has been missing for at least `graceMs` since the
   * person's tabs first showed it, 'held' when the server holds them all, else in how many ms the first will be late.
   */
  standing(key: string, clients: Iterable<number>, doc: Y.Doc, graceMs: number): LostStanding {
    const ids = this.byPerson.get(key)
    if (!ids) return 'held'
    this.forgetHeld(ids, doc)
    if (ids.size === 0) this.byPerson.delete(key)
    const now = this.now()
    let soonest: LostStanding = 'held'
    for (const client of clients) {
      const entry = ids.get(client)
      if (!entry) continue
      const left = entry.since + graceMs - now
      if (left <= 0) return 'late'
      soonest = soonest === 'held' ? left : Math.min(soonest as number, left)
    }
    return soonest
  }

  /** Forgets the changes the server now holds: seen missing again later, they are a new loss. */
  private forgetHeld(ids: Map<number, { end: number; since: number }>, doc: Y.Doc): void {
    for (const [client, { end }] of ids) if (Y.getState(doc.store, client) >= end) ids.delete(client)
  }
}
