import { type BesideText, bookletAmendments, type BookletModel, buildBooklet } from '@hemicycle/documents'
import { type Delegation, AmendmentStatus, type Language } from '@hemicycle/protocol'
import { versionExists } from '../translations/repository.ts'
import { readVersion } from '../translations/texts.ts'
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
  /** A language version whose text of each amendment's paragraph is printed beside it. */
  beside?: Language | undefined
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
  const amendments = bookletAmendments(await services.amendments.list(resolution.id, status ? { status } : {}), { delegationId: delegation?.id })
  let beside: BesideText | null = null
  if (query.beside && query.beside !== resolution.language) {
    if (!(await versionExists(services.db, resolution.id, query.beside))) throw notFound(`${query.beside} version of this resolution`, resolution.id)
    const blocks = await readVersion(services, resolution.id, query.beside)
    const runs = new Map(blocks.map((block) => [block.sourceId, block.translation?.runs ?? []]))
    beside = { language: query.beside, runsOf: (blockId) => runs.get(blockId) ?? null }
  }
  return buildBooklet(amendments, metaAt(resolution, resolution.stage), { status, delegation }, beside)
}
