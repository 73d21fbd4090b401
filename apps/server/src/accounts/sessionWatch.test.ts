import type { Person } from '@hemicycle/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InProcessFanout } from '../collab/fanout.ts'
import type { Database } from '../db/database.ts'
import { createLogger } from '../logger.ts'
import { insertDelegation, insertPerson } from './people.ts'
import { FULL_READ_AT_LEAST_EVERY_MS, type SessionEnd, type SessionWatch, sessionWatch } from './sessionWatch.ts'
import { SESSION_IDLE_MS, type Sessions, sessionIdOf, sessions as createSessions, standingOf } from './sessions.ts'
import { memoryDatabase } from '../../test/harness.ts'

const SWEEP_MS = 20

let db: Database
let sessions: Sessions
let watch: SessionWatch
/** The sessions as the watch reads them, the next read held when `hold` is set. */
let heldSessions: Sessions
/** While set, a sweep's read of the sessions waits for it after reading, as a slow answer would. */
let hold: { read: () => void; release: Promise<void> } | null = null

beforeEach(async () => {
  db = await memoryDatabase()
  await insertDelegation(db, { id: 'fr-pp', party: 'Parti progressiste', country: 'France' })
  await insertPerson(db, { id: 'p1', username: 'claire', name: 'Claire Martin', role: 'delegate', delegationId: 'fr-pp', gender: 'f', passwordHash: 'unused' })
  sessions = createSessions(db)
  const held: Sessions = {
    ...sessions,
    async lastSeen(ids) {
      const seen = await sessions.lastSeen(ids)
      const waiting = hold
      if (waiting) {
        hold = null
        waiting.read()
        await waiting.release
      }
      return seen
    },
  }
  heldSessions = held
  watch = sessionWatch({ sessions: held, now: () => new Date(), logger: createLogger('silent'), sweepMs: SWEEP_MS })
})

afterEach(async () => {
  watch.close()
  await db.close()
})

/** What a socket opened now with `token` would be opened for, as the authenticate hook reads it. */
const personNow = async (token: string): Promise<Person> => (await sessions.resolveSession(token))!.person

/** Watches as a socket would, recording how (and whether) it was ended. */
function open(sessionId: string, person: Person) {
  const ended: SessionEnd[] = []
  watch.watch(sessionId, person, (reason) => ended.push(reason))
  return ended
}

const sweeps = (count: number) => new Promise((resolve) => setTimeout(resolve, count * SWEEP_MS))

/** Holds the next sweep just after it read the sessions; resolves with the function that lets it go on. */
function holdNextSweep(): Promise<() => void> {
  let release = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  return new Promise((resolve) => {
    hold = { read: () => resolve(release), release: released }
  })
}

/** Replaces the watch with one on the clock `now` whose reads of the sessions are counted; returns the count so far. */
function countingWatch(now: () => Date = () => new Date()): () => number {
  watch.close()
  let reads = 0
  const counted: Sessions = {
    ...sessions,
    async lastSeen(ids) {
      reads++
      return sessions.lastSeen(ids)
    },
  }
  watch = sessionWatch({ sessions: counted, now, logger: createLogger('silent'), sweepMs: SWEEP_MS })
  return () => reads
}

describe('the session watch', () => {
  it('reads the same standing from the database as from a person in hand, with a delegation and without one', async () => {
    await insertPerson(db, { id: 'p2', username: 'amina', name: 'Amina Diallo', role: 'secretariat', delegationId: null, gender: 'f', passwordHash: 'unused' })
    for (const personId of ['p1', 'p2']) {
      const token = (await sessions.open(personId, 'unused'))!
      const read = (await sessions.lastSeen([sessionIdOf(token)])).get(sessionIdOf(token))
      expect(read?.standing).toBe(standingOf(await personNow(token)))
    }
    await db.query(`update delegations set country = 'France (métropole)' where id = 'fr-pp'`)
    const token = (await sessions.open('p1', 'unused'))!
    expect((await sessions.lastSeen([sessionIdOf(token)])).get(sessionIdOf(token))?.standing).toBe(standingOf(await personNow(token)))
  })

  it('closes a socket opened under the old standing, not one opened under the new while a sweep was reading', async () => {
    const token = (await sessions.open('p1', 'unused'))!
    const id = sessionIdOf(token)
    const before = open(id, await personNow(token))
    const release = await holdNextSweep()
    // The sweep has read "delegate"; the secretariat makes Claire an observer, and her browser reconnects as one.
    await db.query(`update people set role = 'observer' where id = 'p1'`)
    const after = open(id, await personNow(token))
    release()
    await sweeps(5)
    expect(before).toEqual(['changed'])
    expect(after).toEqual([])
  })

  it('keeps a socket through a change undone before any sweep read it, and closes one opened in between', async () => {
    const token = (await sessions.open('p1', 'unused'))!
    const id = sessionIdOf(token)
    const first = open(id, await personNow(token))
    // No sweep reads while the delegation is renamed and renamed back.
    const release = await holdNextSweep()
    await db.query(`update delegations set party = 'Parti progressiste (renommé)' where id = 'fr-pp'`)
    const between = open(id, await personNow(token))
    await db.query(`update delegations set party = 'Parti progressiste' where id = 'fr-pp'`)
    release()
    await sweeps(5)
    expect(first).toEqual([])
    expect(between).toEqual(['changed'])
  })

  it('checks at once when asked, not at the next sweep, and once more when asked while a sweep was reading', async () => {
    watch.close()
    // A sweep a minute away: only a recheck can end anything within this test.
    watch = sessionWatch({ sessions: heldSessions, now: () => new Date(), logger: createLogger('silent'), sweepMs: 60_000 })
    const token = (await sessions.open('p1', 'unused'))!
    const id = sessionIdOf(token)
    const first = open(id, await personNow(token))
    await db.query(`update people set role = 'observer' where id = 'p1'`)
    watch.recheck()
    await expect.poll(() => first, { timeout: 1000 }).toEqual(['changed'])

    const second = open(id, await personNow(token))
    const held = holdNextSweep()
    watch.recheck()
    const release = await held
    // The sweep has read "observer"; the role changes again and a recheck is asked for while it is under way.
    await db.query(`update people set role = 'delegate' where id = 'p1'`)
    watch.recheck()
    release()
    await expect.poll(() => second, { timeout: 1000 }).toEqual(['changed'])
  })

  it('tells the other instances to check at once: a standing changed or a session closed on one ends what another holds, with its sweep a minute away', async () => {
    watch.close()
    const bus = new InProcessFanout()
    const quiet = { sessions, now: () => new Date(), logger: createLogger('silent'), sweepMs: 60_000, bus }
    const here = sessionWatch(quiet)
    const there = sessionWatch(quiet)
    watch = { ...here, close: () => [here, there].forEach((instance) => instance.close()) }
    const token = (await sessions.open('p1', 'unused'))!
    const id = sessionIdOf(token)
    const elsewhere = [] as SessionEnd[]
    there.watch(id, await personNow(token), (reason) => elsewhere.push(reason))
    await db.query(`update people set role = 'observer' where id = 'p1'`)
    here.recheck()
    await expect.poll(() => elsewhere, { timeout: 1000 }).toEqual(['changed'])

    const reopened = [] as SessionEnd[]
    there.watch(id, await personNow(token), (reason) => reopened.push(reason))
    await sessions.end(id)
    here.ended(id, 'logout')
    await expect.poll(() => reopened, { timeout: 1000 }).toEqual(['logout'])
  })

  it('reads the sessions again only when the database says something moved, and so misses nothing made elsewhere', async () => {
    const reads = countingWatch()
    await insertPerson(db, { id: 'p2', username: 'amina', name: 'Amina Diallo', role: 'delegate', delegationId: 'fr-pp', gender: 'f', passwordHash: 'unused' })
    const tokens = [(await sessions.open('p1', 'unused'))!, (await sessions.open('p2', 'unused'))!, (await sessions.open('p1', 'unused'))!]
    const ended = await Promise.all(tokens.map(async (token) => open(sessionIdOf(token), await personNow(token))))
    await expect.poll(reads).toBeGreaterThan(0)
    // Nothing moves, and a session's use is recorded (by another instance, say): the sessions are not read again.
    const settled = reads()
    await db.query('update sessions set last_seen_at = now() where token_hash = $1', [sessionIdOf(tokens[0]!)])
    await sweeps(10)
    expect(reads()).toBe(settled)
    // Changes made straight in the database (another instance, an operator's tool), with nobody telling this one.
    await db.query(`update people set role = 'observer' where id = 'p2'`)
    await expect.poll(() => ended[1], { timeout: 1000 }).toEqual(['changed'])
    await db.query('delete from sessions where token_hash = $1', [sessionIdOf(tokens[2]!)])
    await expect.poll(() => ended[2], { timeout: 1000 }).toEqual(['logout'])
    expect(ended[0]).toEqual([])
    // Emptied in one statement (row triggers do not fire on truncate): every socket of the table's sessions ends.
    const more = [(await sessions.open('p1', 'unused'))!, (await sessions.open('p1', 'unused'))!]
    const endedMore = await Promise.all(more.map(async (token) => open(sessionIdOf(token), await personNow(token))))
    await expect.poll(reads).toBeGreaterThan(settled + 2)
    await sweeps(3)
    await db.query('truncate sessions')
    await expect.poll(() => endedMore, { timeout: 1000 }).toEqual([['logout'], ['logout']])
    expect(ended[0]).toEqual(['logout'])
  })

  it('reads the sessions again for the time alone: an expiry, and at least every FULL_READ_AT_LEAST_EVERY_MS', async () => {
    let clock = Date.now()
    const reads = countingWatch(() => new Date(clock))
    const token = (await sessions.open('p1', 'unused'))!
    const ended = open(sessionIdOf(token), await personNow(token))
    await expect.poll(reads).toBe(1)
    await sweeps(5)
    expect(reads()).toBe(1)
    clock += FULL_READ_AT_LEAST_EVERY_MS
    await expect.poll(reads).toBe(2)
    // Twelve hours without use (the database's record of it set back, as the clock here moves on).
    clock += SESSION_IDLE_MS + 60_000
    await expect.poll(() => ended, { timeout: 1000 }).toEqual(['expired'])
  })
})
