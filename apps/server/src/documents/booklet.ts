import { type BookletFilters, bookletAmendments, type BookletModel, buildBooklet, type DocumentMeta, numberedPlaces, readAgainstText } from '@hemicycle/documents'
import { type Delegation, AmendmentStatus, type Language } from '@hemicycle/protocol'
import { LINE_WIDTH, numberBlocks, readBody } from '@hemicycle/schema'
import { alignedBlocks, type ConfirmedWording, pendingTranslations } from '@hemicycle/translations'
import { readAsOfOneMoment } from '../amendments/asOfOneMoment.ts'
import type { UnreadAmendments } from '../amendments/service.ts'
import { documentName } from '../collab/documentKey.ts'
import { confirmationsOf, versionExists } from '../translations/repository.ts'
import type { Services } from '../http/env.ts'
import { badRequest, notFound } from '../http/errors.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { bodyFromUpdates, currentUpdates, docFromUpdates, metaAt } from './exportModel.ts'

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
 * amendments as the database holds them, the text as Yjs updates when
 * tabled ones are to be read against it, and for `beside` the version's.
 * Loading the text to read them, building the booklet (a diff per
 * amendment) and pairing a version's blocks with the original's held the
 * event loop ~0.3-0.5 s for 8,000 paragraphs; it is done on the thread
 * (`bookletOf`).
 */
export interface BookletReading {
  unread: UnreadAmendments
  /** The text as it stands: tabled amendments are read against it, each entry cited where its paragraph stands. */
  text: Uint8Array[]
  meta: DocumentMeta
  filters: BookletFilters
  /** The version's text and its confirmations, which say whether each block's translation is pending. */
  beside: { language: Language; version: Uint8Array[]; confirmations: ReadonlyMap<string, ConfirmedWording> } | null
}

/** What `bookletOf` builds from, the rows and the text read as of one moment (`readAsOfOneMoment`). */
export async function readBooklet(services: Services, resolution: StoredResolution, query: BookletQuery): Promise<BookletReading> {
  return readAsOfOneMoment(async () => {
    const reading = await readBookletOnce(services, resolution, query)
    return { value: reading, stamp: reading.unread.stamp }
  }, () => services.amendments.rowsStamp(resolution.id))
}

async function readBookletOnce(services: Services, resolution: StoredResolution, query: BookletQuery): Promise<BookletReading> {
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
  const unread = await services.amendments.listUnread(resolution.id, {})
  let beside: BookletReading['beside'] = null
  if (query.beside && query.beside !== resolution.language) {
    if (!(await versionExists(services.db, resolution.id, query.beside))) throw notFound(`${query.beside} version of this resolution`, resolution.id)
    const [version, confirmations] = await Promise.all([
      currentUpdates(services, documentName({ resolutionId: resolution.id, language: query.beside })),
      confirmationsOf(services.db, resolution.id, query.beside),
    ])
    beside = { language: query.beside, version, confirmations }
  }
  // Always: each amendment is placed and cited where its paragraph stands now (`BookletPlaces`).
  const text = await currentUpdates(services, resolution.id)
  return { unread, text, meta: metaAt(resolution, resolution.stage), filters: { status, delegation }, beside }
}

/**
 * The booklet of what `readBooklet` read: the tabled amendments read against
 * the text as `AmendmentService.list` reads them, then filtered (a status
 * as read: obsolete), and each one's paragraph beside it as the version has
 * it now (`readVersion`'s pairing).
 */
export function bookletOf({ unread, text, meta, filters, beside }: BookletReading): BookletModel {
  const doc = docFromUpdates(text)
  try {
    const read = readAgainstText(unread.amendments, unread.tabled, doc, unread.inserted)
    const amendments = bookletAmendments(read, { status: filters.status, delegationId: filters.delegation?.id })
    const original = readBody(doc)
    // Cited as numbered in force: the § each block belongs to, its first line.
    const places = numberedPlaces(numberBlocks(original, LINE_WIDTH, meta.numbering ?? null))
    if (!beside) return buildBooklet(amendments, meta, filters, null, places)
    const version = bodyFromUpdates(beside.version)
    const pending = pendingTranslations(original, version, beside.confirmations)
    const blocks = new Map(
      alignedBlocks(original, version, meta.numbering ?? null).map((block) => [
        block.sourceId,
        { runs: block.translation?.runs ?? [], pending: pending.get(block.sourceId) ?? null, numbered: block.numbered, section: block.section },
      ]),
    )
    return buildBooklet(amendments, meta, filters, { language: beside.language, blockOf: (blockId) => blocks.get(blockId) ?? null }, places)
  } finally {
    doc.destroy()
  }
}
