import { type BookletModel, buildBooklet } from '@hemicycle/documents'
import { type Delegation, AmendmentStatus } from '@hemicycle/protocol'
import type { Services } from '../http/env.ts'
import { badRequest, notFound } from '../http/errors.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { metaAt } from './exportModel.ts'

/**
 * The amendments booklet of a resolution, as the amendments API sees them
 * (numbers, § and line as frozen when amendments opened, decisions).
 * Filtering by delegation keeps the amendments it tabled and those it
 * co-sponsors: the booklet a delegation takes to the meeting.
 */
export interface BookletQuery {
  status?: string | undefined
  delegation?: string | undefined
}

export async function loadBooklet(services: Services, resolution: StoredResolution, query: BookletQuery): Promise<BookletModel> {
  let status: AmendmentStatus | undefined
  if (query.status) {
    const parsed = AmendmentStatus.safeParse(query.status)
    if (!parsed.success) throw badRequest('invalid_status', `"${query.status}" is not an amendment status (${AmendmentStatus.options.join(', ')}).`)
    status = parsed.data
  }
  let delegation: Delegation | undefined
  if (query.delegation) {
    const [row] = await services.db.query<Delegation>('select id, party, country from delegations where id = $1', [query.delegation])
    if (!row) throw notFound('delegation', query.delegation)
    delegation = row
  }
  const amendments = (await services.amendments.list(resolution.id, status ? { status } : {})).filter(
    (amendment) => !delegation || amendment.delegation?.id === delegation.id || amendment.cosponsors.some((cosponsor) => cosponsor.id === delegation.id),
  )
  return buildBooklet(amendments, metaAt(resolution, resolution.stage), { status, delegation })
}
