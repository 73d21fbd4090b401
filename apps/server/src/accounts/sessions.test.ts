import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { openDatabase } from '../db/open.ts'
import { insertPerson } from './people.ts'
import { type Sessions, sessions as createSessions } from './sessions.ts'

let db: Database
let sessions: Sessions

beforeEach(async () => {
  db = await openDatabase({ dataDir: 'memory://' })
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
