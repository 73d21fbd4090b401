import type { Person } from '@hemicycle/protocol'
import { checkDeadlineChange } from '@hemicycle/rules'
import { audit } from '../audit.ts'
import type { Services } from '../http/env.ts'
import { ApiError, conflict, notFound } from '../http/errors.ts'
import { findResolution, publicResolution, type StoredResolution } from './repository.ts'

/**
 * The secretariat sets or extends the deadline for amendments while they
 * are open: stored as an instant, in the resolution's turn (so a tabling
 * checked against the old deadline is never recorded after the new one),
 * audited with both instants, everyone told live.
 */
export function changeDeadline(
  services: Pick<Services, 'db' | 'events' | 'now' | 'turns' | 'notifications'>,
  resolutionId: string,
  person: Person,
  deadline: string,
): Promise<StoredResolution> {
  return services.turns.run(resolutionId, async () => {
    const now = services.now()
    const resolution = await findResolution(services.db, resolutionId)
    if (!resolution) throw notFound('resolution', resolutionId)
    const refusal = checkDeadlineChange(person.role, resolution.stage, deadline, now)
    if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
    const instant = new Date(deadline)
    const notice = await services.db.transaction(async (tx) => {
      const moved = await tx.query(`update resolutions set amendment_deadline = $2, updated_at = $3 where id = $1 and stage = 'amendments' returning id`, [resolutionId, instant, now])
      if (moved.length === 0) throw conflict('stage_changed', 'The resolution moved to another stage meanwhile; nothing was changed.')
      await audit(tx, { person, action: 'deadline', resolutionId, detail: { from: resolution.deadline, to: instant.toISOString() } })
      return services.notifications.record(tx, {
        resolutionId,
        actor: person,
        subject: { kind: 'deadline', deadline: instant.toISOString(), previous: resolution.deadline, by: person.name },
      })
    })
    services.notifications.send([notice])
    const updated = (await findResolution(services.db, resolutionId))!
    services.events.publish(resolutionId, { type: 'deadline', resolution: publicResolution(updated, now), previous: resolution.deadline, by: person.name })
    return updated
  })
}
