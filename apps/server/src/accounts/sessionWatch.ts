import type { Logger } from '../logger.ts'
import { SESSION_IDLE_MS, type Sessions, TOUCH_EVERY_MS } from './sessions.ts'

/** How often open sockets and event streams are checked against their sessions (logout elsewhere, expiry). */
export const SESSION_SWEEP_MS = 500

export type SessionEnd = 'logout' | 'expired'

/**
 * What a session keeps open (websockets, event streams) ends with it: at
 * once when it is closed here, within `SESSION_SWEEP_MS` when it was closed
 * on another instance or has expired. Use over an open socket counts as use
 * of the session, as a request does.
 */
export interface SessionWatch {
  /** Calls `end` when the session ends; returns the function that stops watching. */
  watch(sessionId: string, end: (reason: SessionEnd) => void): () => void
  /** The session was used over an open socket. */
  used(sessionId: string): void
  /** The session was closed here. */
  ended(sessionId: string, reason: SessionEnd): void
  close(): void
}

export function sessionWatch({
  sessions,
  now,
  logger,
  sweepMs = SESSION_SWEEP_MS,
}: {
  sessions: Sessions
  now: () => Date
  logger: Logger
  sweepMs?: number
}): SessionWatch {
  const watchers = new Map<string, Set<(reason: SessionEnd) => void>>()
  /** When (real time) each session was last written as used from here, so a busy socket writes once a minute. */
  const touched = new Map<string, number>()
  let sweeping = false

  const end = (sessionId: string, reason: SessionEnd) => {
    const ends = watchers.get(sessionId)
    watchers.delete(sessionId)
    touched.delete(sessionId)
    for (const finish of ends ?? []) {
      try {
        finish(reason)
      } catch (error) {
        logger.error('closing what a session kept open failed', { error })
      }
    }
  }

  const sweep = async () => {
    if (sweeping || watchers.size === 0) return
    sweeping = true
    try {
      const ids = [...watchers.keys()]
      const seen = await sessions.lastSeen(ids)
      const at = now().getTime()
      for (const id of ids) {
        const last = seen.get(id)
        if (!last) {
          end(id, 'logout')
        } else if (at - last.getTime() > SESSION_IDLE_MS) {
          await sessions.end(id)
          end(id, 'expired')
        }
      }
    } catch (error) {
      logger.warn('open sessions could not be checked', { error })
    } finally {
      sweeping = false
    }
  }
  const timer = setInterval(() => void sweep(), sweepMs)
  timer.unref()

  return {
    watch(sessionId, finish) {
      let ends = watchers.get(sessionId)
      if (!ends) {
        ends = new Set()
        watchers.set(sessionId, ends)
      }
      ends.add(finish)
      return () => {
        const current = watchers.get(sessionId)
        current?.delete(finish)
        if (current?.size === 0) {
          watchers.delete(sessionId)
          touched.delete(sessionId)
        }
      }
    },
    used(sessionId) {
      const at = performance.now()
      if (at - (touched.get(sessionId) ?? Number.NEGATIVE_INFINITY) < TOUCH_EVERY_MS) return
      touched.set(sessionId, at)
      sessions.touch(sessionId).catch((error: unknown) => logger.warn('session use could not be recorded', { error }))
    },
    ended(sessionId, reason) {
      end(sessionId, reason)
    },
    close() {
      clearInterval(timer)
    },
  }
}
