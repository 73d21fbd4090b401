import { createHash, randomBytes } from 'node:crypto'
import type { Person } from '@hemicycle/protocol'
import type { Database } from '../db/database.ts'
import { findActivePerson } from './people.ts'

/** A session ends after this long without use (CONTRACT.md: 12 hours of inactivity). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000
/** `last_seen_at` is refreshed at most this often, so reading a page is not a write. */
export const TOUCH_EVERY_MS = 60 * 1000

export const SESSION_COOKIE = 'hemicycle_session'

/** Sessions one person may hold (browsers, phones, tabs of a private window): a login past it ends the least recently used. */
export const MAX_SESSIONS_PER_PERSON = 50

/** A session's id: the hash of its token, as stored. Safe to keep in memory and logs; it opens nothing. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex')
const digest = sessionIdOf

export interface Session {
  id: string
  person: Person
}

/**
 * What decides a person's rights and how their work is attributed and shown:
 * role, name, delegation and its names. A socket opened under other values
 * must not go on under them. Written once in SQL, for the watch to read many
 * sessions' in one cheap column, and once here for a person in hand; fields
 * are joined by a control character, which names never hold.
 */
export const standingOf = (person: Person): string =>
  [person.role, person.name, person.delegation?.id ?? '', person.delegation?.party ?? '', person.delegation?.country ?? ''].join('\u001f')
const STANDING_SQL = `concat_ws(chr(31), p.role, p.name, coalesce(p.delegation_id, ''), coalesce(d.party, ''), coalesce(d.country, ''))`

export interface SessionState {
  lastSeen: Date
  /** As `standingOf` gives it. */
  standing: string
}

export interface Sessions {
  /**
   * Opens a session for a person whose password was just checked against
   * `passwordHash`: only if the account is still active and its password
   * still that one (else null), so a login racing a password reset or a
   * deactivation cannot open a session after that ended the others.
   */
  open(personId: string, passwordHash: string): Promise<string | null>
  /** The person behind a token, or null when it is unknown or expired (an expired one is removed). */
  resolve(token: string | undefined | null): Promise<Person | null>
  /** The session behind a token, as `resolve`. */
  resolveSession(token: string | undefined | null): Promise<Session | null>
  /** Records use of a session over an open socket (at most once a minute writes). */
  touch(sessionId: string): Promise<void>
  /**
   * When each of these sessions was last used, and its person's standing now;
   * a session missing from the answer has ended, as has one whose account was
   * deactivated.
   */
  lastSeen(sessionIds: readonly string[]): Promise<Map<string, SessionState>>
  /**
   * A value every change that can end a session or alter a standing moves on
   * (in the database, whoever makes it), and last use does not: while it
   * holds, `lastSeen` would read what it read, but for the time passed.
   */
  watchVersion(): Promise<string | null>
  /** Ends a session by its id (expiry). */
  end(sessionId: string): Promise<void>
  /** Ends every session of a person but `except` (a deactivated account, a password reset); returns the ids ended. */
  endAllOf(personId: string, except?: string): Promise<string[]>
  close(token: string): Promise<void>
}

export function sessions(db: Database, now: () => Date = () => new Date()): Sessions {
  const api: Sessions = {
    async open(personId, passwordHash) {
      const token = randomBytes(32).toString('base64url')
      // One statement, the person's row held while it inserts: a reset or a deactivation either commits first (and nothing opens)
      // or waits for the session to be stored, which the sessions it then ends include.
      const opened = await db.query(
        `insert into sessions (token_hash, person_id, created_at, last_seen_at)
         select $1, id, $3, $3 from people where id = $2 and active and password_hash = $4 for share
         returning token_hash`,
        [digest(token), personId, now(), passwordHash],
      )
      if (opened.length === 0) return null
      // Each login adds a session and an abandoned one is only removed when presented: the person's expired ones go now, and
      // beyond the newest MAX_SESSIONS_PER_PERSON the oldest, so logging in again and again cannot grow the table without bound.
      await db.query(
        `delete from sessions where person_id = $1 and (last_seen_at < $2 or token_hash in (
           select token_hash from sessions where person_id = $1 order by last_seen_at desc, created_at desc offset $3))`,
        [personId, new Date(now().getTime() - SESSION_IDLE_MS), MAX_SESSIONS_PER_PERSON],
      )
      return token
    },

    async resolve(token) {
      return (await api.resolveSession(token))?.person ?? null
    },

    async resolveSession(token) {
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
      const person = await findActivePerson(db, row.person_id)
      if (!person) {
        await db.query('delete from sessions where token_hash = $1', [hash])
        return null
      }
      return { id: hash, person }
    },

    async touch(sessionId) {
      const at = now().getTime()
      // An expired session stays expired: using its socket does not bring it back.
      await db.query('update sessions set last_seen_at = $2 where token_hash = $1 and last_seen_at between $3 and $4', [
        sessionId,
        new Date(at),
        new Date(at - SESSION_IDLE_MS),
        new Date(at - TOUCH_EVERY_MS),
      ])
    },

    async lastSeen(sessionIds) {
      if (sessionIds.length === 0) return new Map()
      const rows = await db.query<{ token_hash: string; last_seen_at: Date; standing: string }>(
        `select s.token_hash, s.last_seen_at, ${STANDING_SQL} as standing
         from sessions s join people p on p.id = s.person_id and p.active left join delegations d on d.id = p.delegation_id
         where s.token_hash = any($1::text[])`,
        [[...sessionIds]],
      )
      return new Map(rows.map((row) => [row.token_hash, { lastSeen: row.last_seen_at, standing: row.standing }]))
    },

    async watchVersion() {
      const [row] = await db.query<{ version: string }>('select version::text as version from session_watch_version')
      return row?.version ?? null
    },

    async end(sessionId) {
      await db.query('delete from sessions where token_hash = $1', [sessionId])
    },

    async endAllOf(personId, except) {
      const rows = await db.query<{ token_hash: string }>('delete from sessions where person_id = $1 and token_hash <> $2 returning token_hash', [personId, except ?? ''])
      return rows.map((row) => row.token_hash)
    },

    async close(token) {
      await db.query('delete from sessions where token_hash = $1', [digest(token)])
    },
  }
  return api
}
