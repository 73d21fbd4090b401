import { createHash, randomBytes } from 'node:crypto'
import type { Person } from '@hemicycle/protocol'
import type { Database } from '../db/database.ts'
import { findPersonById } from './people.ts'

/** A session ends after this long without use (CONTRACT.md: 12 hours of inactivity). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000
/** `last_seen_at` is refreshed at most this often, so reading a page is not a write. */
const TOUCH_EVERY_MS = 60 * 1000

export const SESSION_COOKIE = 'hemicycle_session'

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

export interface Sessions {
  open(personId: string): Promise<string>
  /** The person behind a token, or null when it is unknown or expired (an expired one is removed). */
  resolve(token: string | undefined | null): Promise<Person | null>
  close(token: string): Promise<void>
}

export function sessions(db: Database, now: () => Date = () => new Date()): Sessions {
  return {
    async open(personId) {
      const token = randomBytes(32).toString('base64url')
      const at = now()
      await db.query('insert into sessions (token_hash, person_id, created_at, last_seen_at) values ($1, $2, $3, $3)', [
        digest(token),
        personId,
        at,
      ])
      return token
    },

    async resolve(token) {
      if (!token || token.length > 200) return null
      const hash = digest(token)
      const [row] = await db.query<{ person_id: string; last_seen_at: Date }>(
        'select person_id, last_seen_at from sessions where token_hash = $1',
        [hash],
      )
      if (!row) return null
      const at = now()
      const idle = at.getTime() - row.last_seen_at.getTime()
      if (idle > SESSION_IDLE_MS) {
        await db.query('delete from sessions where token_hash = $1', [hash])
        return null
      }
      if (idle > TOUCH_EVERY_MS) await db.query('update sessions set last_seen_at = $2 where token_hash = $1', [hash, at])
      return findPersonById(db, row.person_id)
    },

    async close(token) {
      await db.query('delete from sessions where token_hash = $1', [digest(token)])
    },
  }
}
