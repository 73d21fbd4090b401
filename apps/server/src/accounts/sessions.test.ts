import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { insertPerson } from './people.ts'
import { MAX_SESSIONS_PER_PERSON, SESSION_IDLE_MS, type Sessions, sessions as createSessions } from './sessions.ts'
import { memoryDatabase } from '../../test/harness.ts'

let db: Database
let sessions: Sessions

beforeEach(async () => {
  db = await memoryDatabase()
  await insertPerson(db, { id: 'p1', username: 'claire', name: 'Claire Martin', role: 'observer', delegationId: null, gender: null, passwordHash: 'checked' })
  sessions = createSessions(db)
})

afterEach(() => db.close())

describe('opening a session', () => {
  it('opens one for an active account whose password is still the one checked', async () => {
    const token = await sessions.open('p1', 'checked')
    expect(token).not.toBeNull()
    expect((await sessions.resolve(token))?.id).toBe('p1')
  })

  it('opens none once the password was set anew, or the account deactivated, while it was checked', async () => {
    await db.query(`update people set password_hash = 'set anew' where id = 'p1'`)
    expect(await sessions.open('p1', 'checked')).toBeNull()
    await db.query(`update people set password_hash = 'checked', active = false where id = 'p1'`)
    expect(await sessions.open('p1', 'checked')).toBeNull()
    expect(await db.query('select 1 from sessions')).toEqual([])
  })
})

describe('the sessions a person holds', () => {
  it('are at most MAX_SESSIONS_PER_PERSON: a login past it ends the least recently used, and expired ones go at the next login', async () => {
    let clock = Date.parse('2026-11-29T08:00:00Z')
    const timed = createSessions(db, () => new Date(clock))
    const tokens: string[] = []
    for (let i = 0; i < MAX_SESSIONS_PER_PERSON + 10; i++) {
      clock += 1000
      tokens.push((await timed.open('p1', 'checked'))!)
    }
    expect(await db.query('select 1 from sessions')).toHaveLength(MAX_SESSIONS_PER_PERSON)
    expect(await timed.resolve(tokens[9])).toBeNull()
    expect((await timed.resolve(tokens[10]))?.id).toBe('p1')
    clock += SESSION_IDLE_MS + 2 * 60_000
    const fresh = (await timed.open('p1', 'checked'))!
    expect(await db.query('select 1 from sessions')).toHaveLength(1)
    expect((await timed.resolve(fresh))?.id).toBe('p1')
  })
})
