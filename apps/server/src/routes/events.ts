import type { LiveEvent } from '@hemicycle/protocol'
import { readOnlyReason, versionReadOnlyReason } from '@hemicycle/rules'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../http/env.ts'
import { notFound } from '../http/errors.ts'
import { requirePerson } from '../http/session.ts'
import { findResolution } from '../resolutions/repository.ts'

/**
 * `GET /api/resolutions/<id>/events`: server-sent events of one resolution
 * (amendments, stage, saving), and for this person `rights` (the original's
 * and the language versions'), sent at once and again whenever a stage
 * change alters what they may do in either; whether saving is delayed here,
 * at once.
 */
export function eventRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  app.get('/resolutions/:id/events', requirePerson(services), async (c) => {
    const resolution = await findResolution(services.db, c.req.param('id'))
    if (!resolution) throw notFound('resolution', c.req.param('id'))
    const person = c.get('person')
    const rightsOf = (stage: typeof resolution.stage): LiveEvent => {
      const reason = readOnlyReason(stage, person.role)
      const versions = versionReadOnlyReason(stage, person.role)
      return { type: 'rights', mayEdit: reason === null, reason, versions: { mayEdit: versions === null, reason: versions } }
    }
    const changes = (from: typeof resolution.stage, to: typeof resolution.stage) =>
      readOnlyReason(from, person.role) !== readOnlyReason(to, person.role) || versionReadOnlyReason(from, person.role) !== versionReadOnlyReason(to, person.role)
    // Logging out or expiring ends the stream: the browser's next attempt is refused (401). A changed role reopens it, with the rights it now has.
    // The saving state too: a stream down while saving recovered missed the event that said so.
    const opening: LiveEvent[] = [rightsOf(resolution.stage), { type: 'saving', state: services.savingHealth.of(resolution.id) }]
    return services.streams.open<LiveEvent>(c, opening, (push) =>
      services.events.subscribe(resolution.id, (event, frame) => {
        push(event, frame)
        if (event.type === 'stage' && changes(event.from, event.resolution.stage)) {
          push(rightsOf(event.resolution.stage))
        }
      }),
    )
  })
  return app
}
