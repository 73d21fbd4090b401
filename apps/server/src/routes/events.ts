import type { LiveEvent } from '@hemicycle/protocol'
import { readOnlyReason } from '@hemicycle/rules'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppEnv, Services } from '../http/env.ts'
import { notFound } from '../http/errors.ts'
import { requirePerson } from '../http/session.ts'
import { findResolution } from '../resolutions/repository.ts'

/** Sent every so often so proxies keep the stream open. */
const KEEP_ALIVE_MS = 20_000

/**
 * `GET /api/resolutions/<id>/events`: server-sent events of one resolution
 * (amendments, stage, saving), and for this person `rights`, sent at once
 * and again whenever a stage change alters what they may do.
 */
export function eventRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  app.get('/resolutions/:id/events', requirePerson(services), async (c) => {
    const resolution = await findResolution(services.db, c.req.param('id'))
    if (!resolution) throw notFound('resolution', c.req.param('id'))
    const person = c.get('person')
    const rightsOf = (stage: typeof resolution.stage): LiveEvent => {
      const reason = readOnlyReason(stage, person.role)
      return { type: 'rights', mayEdit: reason === null, reason }
    }
    return streamSSE(c, async (stream) => {
      const queue: LiveEvent[] = [rightsOf(resolution.stage)]
      let wake: (() => void) | null = null
      const unsubscribe = services.events.subscribe(resolution.id, (event) => {
        queue.push(event)
        if (event.type === 'stage' && readOnlyReason(event.from, person.role) !== readOnlyReason(event.resolution.stage, person.role)) {
          queue.push(rightsOf(event.resolution.stage))
        }
        wake?.()
      })
      let open = true
      const stop = () => {
        open = false
        unsubscribe()
        unwatch()
        wake?.()
      }
      // Logging out or expiring ends the stream: the browser's next attempt is refused (401).
      const unwatch = services.sessionWatch.watch(c.get('sessionId'), stop)
      stream.onAbort(stop)
      while (open) {
        while (queue.length > 0) {
          const event = queue.shift()!
          await stream.writeSSE({ event: event.type, data: JSON.stringify(event) })
        }
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, KEEP_ALIVE_MS).unref()
        })
        wake = null
        if (open && queue.length === 0) await stream.write(': keep-alive\n\n')
      }
    })
  })
  return app
}
