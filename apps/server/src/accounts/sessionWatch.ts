import { randomBytes } from 'node:crypto'
import type { Person } from '@hemicycle/protocol'
import type { Fanout } from '../collab/fanout.ts'
import type { Logger } from '../logger.ts'
import { SESSION_IDLE_MS, type Sessions, standingOf, TOUCH_EVERY_MS } from './sessions.ts'

/** How often open sockets and event streams are checked against their sessions (logout elsewhere, expiry, an account changed). */
export const SESSION_SWEEP_MS = 500

/**
 * The sessions are read at least this often even when the database's watch
 * version says nothing moved: a change its triggers cannot see (made with
 * triggers disabled, say) is then noticed within this, not never.
 */
export const FULL_READ_AT_LEAST_EVERY_MS = 30_000

/** Where instances tell each other to check their sessions now; each message is the teller's own id, so it does not check twice. */
export const RECHECK_CHANNEL = 'hemicycle:sessions:recheck'

/** `changed`: the session goes on, but its person's role, delegation or name is not what the socket was opened with. */
export type SessionEnd = 'logout' | 'expired' | 'changed'

/**
 * What a session keeps open (websockets, event streams) ends with it: at
 * once when it is closed here; when it was closed on another instance, as
 * soon as that instance's word arrives over the bus (`bus`), else within
 * `SESSION_SWEEP_MS`, which is also how an expiry is found. It also ends,
 * alone, when its person's standing changed since it opened (a delegate made
 * observer, moved to another delegation, a delegation renamed), on whichever
 * instance the change was made, as fast: what it holds was decided under the
 * old one, and reopening it decides afresh. Use over an open socket counts
 * as use of the session, as a request does.
 */
export interface SessionWatch {
  /** Calls `end` when the session ends or `person`, as the socket was opened for, no longer stands; returns the function that stops watching. */
  watch(sessionId: string, person: Person, end: (reason: SessionEnd) => void): () => void
  /** The session was used over an open socket. */
  used(sessionId: string): void
  /** The session was closed here (the other instances are told to check theirs now). */
  ended(sessionId: string, reason: SessionEnd): void
  /** A standing changed here: checks every session now rather than at the next sweep, and tells the other instances to. */
  recheck(): void
  close(): void
}

interface Watcher {
  standing: string
  /** In the order watching began: one that began after a sweep read the sessions is judged by the next sweep, not by that older read. */
  seq: number
  end: (reason: SessionEnd) => void
}

export function sessionWatch({
  sessions,
  now,
  logger,
  sweepMs = SESSION_SWEEP_MS,
  bus,
}: {
  sessions: Sessions
  now: () => Date
  logger: Logger
  sweepMs?: number
  /** The instances' bus: what changed on one is checked on every other at once, not at its next sweep. */
  bus?: Pick<Fanout, 'publish' | 'subscribe'>
}): SessionWatch {
  const watchers = new Map<string, Set<Watcher>>()
  /** When (real time) each session was last written as used from here, so a busy socket writes once a minute. */
  const touched = new Map<string, number>()
  let sweeping = false
  /** A recheck asked for while a sweep was reading: that read may predate the change, so another follows. */
  let sweepAgain = false
  let lastSeq = 0
  /**
   * What the last read of the sessions covered: the database's watch version
   * just before it, the last watcher it could judge, and when its earliest
   * session would expire unless used since. A sweep finding all three still
   * good reads one row, not the sessions (`sessions.watchVersion`).
   */
  let lastRead: { version: string; seq: number; expiresAt: number; at: number } | null = null
  /** Asked to check now (a change made here or told by another instance): the sessions are read whatever the version says. */
  let forced = false

  const end = (sessionId: string, reason: SessionEnd) => {
    const ends = watchers.get(sessionId)
    watchers.delete(sessionId)
    touched.delete(sessionId)
    for (const watcher of ends ?? []) finish(watcher, reason)
  }

  const finish = (watcher: Watcher, reason: SessionEnd) => {
    try {
      watcher.end(reason)
    } catch (error) {
      logger.error('closing what a session kept open failed', { error })
    }
  }

  /** Stops watching for one watcher, and for its session once none is left. */
  const forget = (sessionId: string, watcher: Watcher) => {
    const current = watchers.get(sessionId)
    current?.delete(watcher)
    if (current?.size === 0) {
      watchers.delete(sessionId)
      touched.delete(sessionId)
    }
  }

  /** Ends, alone, what was opened (by `lastBeforeRead`, the last watcher begun before the read) under a standing the person no longer has. */
  const endOutdated = (sessionId: string, standing: string, lastBeforeRead: number) => {
    for (const watcher of [...(watchers.get(sessionId) ?? [])]) {
      if (watcher.standing === standing || watcher.seq > lastBeforeRead) continue
      forget(sessionId, watcher)
      finish(watcher, 'changed')
    }
  }

  const sweep = async () => {
    if (sweeping || watchers.size === 0) return
    sweeping = true
    try {
      const ids = [...watchers.keys()]
      const lastBeforeRead = lastSeq
      const force = forced
      forced = false
      const version = await sessions.watchVersion()
      const readAt = now().getTime()
      if (
        !force &&
        version !== null &&
        lastRead?.version === version &&
        lastRead.seq === lastBeforeRead &&
        readAt < lastRead.expiresAt &&
        readAt - lastRead.at < FULL_READ_AT_LEAST_EVERY_MS
      ) {
        return
      }
      const seen = await sessions.lastSeen(ids)
      const at = now().getTime()
      let expiresAt = Number.POSITIVE_INFINITY
      for (const state of seen.values()) expiresAt = Math.min(expiresAt, state.lastSeen.getTime() + SESSION_IDLE_MS)
      lastRead = version === null ? null : { version, seq: lastBeforeRead, expiresAt, at: readAt }
      for (const id of ids) {
        const state = seen.get(id)
        if (!state) {
          end(id, 'logout')
        } else if (at - state.lastSeen.getTime() > SESSION_IDLE_MS) {
          await sessions.end(id)
          end(id, 'expired')
        } else {
          endOutdated(id, state.standing, lastBeforeRead)
        }
      }
    } catch (error) {
      lastRead = null
      logger.warn('open sessions could not be checked', { error })
    } finally {
      sweeping = false
      if (sweepAgain) {
        sweepAgain = false
        void sweep()
      }
    }
  }
  const sweepNow = () => {
    forced = true
    if (sweeping) sweepAgain = true
    else void sweep()
  }
  const timer = setInterval(() => void sweep(), sweepMs)
  timer.unref()

  const self = randomBytes(16)
  const subscription = bus?.subscribe(RECHECK_CHANNEL, (teller) => {
    if (!self.equals(teller)) sweepNow()
  })
  const tellOthers = () => bus?.publish(RECHECK_CHANNEL, self)

  return {
    watch(sessionId, person, end) {
      let ends = watchers.get(sessionId)
      if (!ends) {
        ends = new Set()
        watchers.set(sessionId, ends)
      }
      const watcher: Watcher = { standing: standingOf(person), seq: ++lastSeq, end }
      ends.add(watcher)
      return () => forget(sessionId, watcher)
    },
    used(sessionId) {
      const at = performance.now()
      if (at - (touched.get(sessionId) ?? Number.NEGATIVE_INFINITY) < TOUCH_EVERY_MS) return
      touched.set(sessionId, at)
      sessions.touch(sessionId).catch((error: unknown) => logger.warn('session use could not be recorded', { error }))
    },
    ended(sessionId, reason) {
      end(sessionId, reason)
      tellOthers()
    },
    recheck() {
      sweepNow()
      tellOthers()
    },
    close() {
      clearInterval(timer)
      subscription?.unsubscribe()
    },
  }
}
