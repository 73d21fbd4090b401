import { type BookletFilters, bookletAmendments, type BookletModel, buildBooklet, type DocumentMeta } from '@hemicycle/documents'
import { type Amendment, type Delegation, AmendmentStatus, type Language } from '@hemicycle/protocol'
import { alignedBlocks } from '@hemicycle/translations'
import { documentName } from '../collab/documentKey.ts'
import { versionExists } from '../translations/repository.ts'
import type { Services } from '../http/env.ts'
import { badRequest, notFound } from '../http/errors.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { bodyFromUpdates, currentUpdates, metaAt } from './exportModel.ts'

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

/**
 * What a booklet is made of, as plain data for the export thread: the
 * amendments, and for `beside` the two texts as Yjs updates. Building the
 * booklet (a diff per amendment) and pairing a version's blocks with the
 * original's held the event loop ~0.5 s for 8,000 paragraphs; it is done
 * on the thread (`bookletOf`).
 */
export interface BookletReading {
  amendments: Amendment[]
  meta: DocumentMeta
  filters: BookletFilters
  beside: { language: Language; original: Uint8Array[]; version: Uint8Array[] } | null
}

export async function readBooklet(services: Services, resolution: StoredResolution, query: BookletQuery): Promise<BookletReading> {
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
  let beside: BookletReading['beside'] = null
  if (query.beside && query.beside !== resolution.language) {
    if (!(await versionExists(services.db, resolution.id, query.beside))) throw notFound(`${query.beside} version of this resolution`, resolution.id)
    const [original, version] = await Promise.all([currentUpdates(services, resolution.id), currentUpdates(services, documentName({ resolutionId: resolution.id, language: query.beside }))])
    beside = { language: query.beside, original, version }
  }
  return { amendments, meta: metaAt(resolution, resolution.stage), filters: { status, delegation }, beside }
}

/** The booklet of what `readBooklet` read: each amendment's paragraph beside it as the version has it now (`readVersion`'s pairing). */
export function bookletOf({ amendments, meta, filters, beside }: BookletReading): BookletModel {
  if (!beside) return buildBooklet(amendments, meta, filters, null)
  const blocks = alignedBlocks(bodyFromUpdates(beside.original), bodyFromUpdates(beside.version))
  const runs = new Map(blocks.map((block) => [block.sourceId, block.translation?.runs ?? []]))
  return buildBooklet(amendments, meta, filters, { language: beside.language, runsOf: (blockId) => runs.get(blockId) ?? null })
}

