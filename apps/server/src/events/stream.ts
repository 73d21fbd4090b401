import { MAX_UNREAD_BYTES } from '@hemicycle/protocol'
import type { Context } from 'hono'
import type { SessionWatch } from '../accounts/sessionWatch.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import type { Logger } from '../logger.ts'

/** Sent every so often so proxies keep the stream open. */
const KEEP_ALIVE_MS = 20_000
const KEEP_ALIVE = new TextEncoder().encode(': keep-alive\n\n')

/**
 * How many event streams one session may hold open on an instance. A tab
 * opens up to three (its resolution's or meeting's, and notifications), so
 * this is a dozen tabs; a hand-written client opening thousands is refused.
 */
export const MAX_STREAMS_PER_SESSION = 32

export interface EventStreamOptions {
  sessionWatch: Pick<SessionWatch, 'watch'>
  logger: Logger
  maxPerSession?: number
  /** What a stream may leave unsent before it is dropped; as for a websocket (MAX_UNREAD_BYTES). */
  maxUnreadBytes?: number
  keepAliveMs?: number
}

/**
 * Sends an event down a stream; with `frame`, the event as a server-sent
 * event already (`sseFrame`, shared by every stream it goes to), sent as it is.
 */
export type Push<Event> = (event: Event, frame?: Uint8Array | null) => void

/** The server-sent event streams of one instance, counted per session. */
export interface EventStreams {
  /**
   * Streams events as server-sent events (the event name is `type`): first
   * `initial`, then whatever `subscribe` pushes, in order, until the client
   * goes away or the request's session ends (logout, expiry, a changed
   * role: the stream ends, and what reopens is decided afresh). Refused with
   * 429 `too_many_streams` when the session already holds its share.
   */
  open<Event extends { type: string }>(c: Context<AppEnv>, initial: readonly Event[], subscribe: (push: Push<Event>) => () => void): Response
}

/**
 * A client that never reads would have the server keep every event for it:
 * what is waiting for the network is counted, and past `maxUnreadBytes` the
 * connection is dropped at once, without waiting behind what is unread (an
 * EventSource reconnects and starts afresh), as a websocket is.
 */
export function eventStreams(options: EventStreamOptions): EventStreams {
  const { sessionWatch, logger, maxPerSession, maxUnreadBytes, keepAliveMs } = {
    maxPerSession: MAX_STREAMS_PER_SESSION,
    maxUnreadBytes: MAX_UNREAD_BYTES,
    keepAliveMs: KEEP_ALIVE_MS,
    ...options,
  } satisfies Required<EventStreamOptions>
  const openBySession = new Map<string, number>()
  const encoder = new TextEncoder()

  return {
    open(c, initial, subscribe) {
      const sessionId = c.get('sessionId')
      const held = openBySession.get(sessionId) ?? 0
      if (held >= maxPerSession) {
        throw new ApiError(429, 'too_many_streams', `This session already holds ${maxPerSession} event streams open; close some (other tabs or windows) first.`)
      }
      openBySession.set(sessionId, held + 1)

      let finished = false
      let stopWatching = () => {}
      let unsubscribe = () => {}
      let keepAlive: ReturnType<typeof setInterval> | undefined
      /** Stops everything the stream holds; true the first time. */
      const finish = (): boolean => {
        if (finished) return false
        finished = true
        clearInterval(keepAlive)
        unsubscribe()
        stopWatching()
        const left = (openBySession.get(sessionId) ?? 1) - 1
        if (left > 0) openBySession.set(sessionId, left)
        else openBySession.delete(sessionId)
        return true
      }

      const body = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            const send = (bytes: Uint8Array) => {
              if (finished) return
              controller.enqueue(bytes)
              // The queue holds what the network has not taken: the connection writes one chunk at a time, as the client reads.
              if ((controller.desiredSize ?? 0) >= 0) return
              const unread = maxUnreadBytes - (controller.desiredSize ?? 0)
              finish()
              logger.warn('an event stream’s client left too much unread; its connection is dropped', { path: c.req.path, unread })
              // Dropping the socket cancels the stream, and with it the queue; without one (an in-process request), the stream fails.
              const outgoing = c.env?.outgoing
              if (outgoing) outgoing.destroy()
              else controller.error(new Error('the client left too much unread'))
            }
            const push = (event: { type: string }, frame?: Uint8Array | null) => send(frame ?? encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`))
            for (const event of initial) push(event)
            if (finished) return
            unsubscribe = subscribe(push)
            stopWatching = sessionWatch.watch(sessionId, c.get('person'), () => {
              if (finish()) controller.close()
            })
            keepAlive = setInterval(() => send(KEEP_ALIVE), keepAliveMs)
            keepAlive.unref()
          },
          cancel() {
            finish()
          },
        },
        new ByteLengthQueuingStrategy({ highWaterMark: maxUnreadBytes }),
      )
      return c.body(body, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'Transfer-Encoding': 'chunked' })
    },
  }
}
