import {
  type Attribution,
  buildRedlineModel,
  computeRedline,
  delegationName,
  type IdRun,
  modelBlocks,
  type RedlineBlock,
  type RedlineModel,
  type VersionFacts,
  type VersionText,
  VOCABULARY,
} from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import { BLOCK_ID, bodyOf, type FrozenNumbering, LINE_WIDTH, readBody } from '@hemicycle/schema'
import * as Y from 'yjs'
import { type AmendmentRow, amendmentRows, directory } from '../amendments/repository.ts'
import type { Queryable } from '../db/database.ts'
import type { Services } from '../http/env.ts'
import { numberingAt, type StoredResolution } from '../resolutions/repository.ts'
import { eachLogPage, LOG_ROWS_PER_READ, type LoggedMove, readDocumentUpdates } from '../collab/storage.ts'
import { docFromUpdates, metaAt, versionText } from './exportModel.ts'
import { type PackedLogPage, packLogPage, unpackLog } from './packedLog.ts'
import { RangeIndex } from './rangeIndex.ts'

/**
 * Who changed what between two saved versions. Versions are full Yjs
 * states, so every character of both texts still has the Yjs id it was
 * typed with; the update log records, per stored update, which ids it
 * inserted and deleted and who sent it (a person over a connection, or an
 * accepted amendment). A character that is new in the later version is
 * attributed to the update that inserted it, one that is gone to the update
 * that deleted it. Where that cannot be read (a block whose characters do
 * not line up with its text, an update the log does not describe), the
 * change falls back to everyone whose updates touched the block between the
 * two versions' timestamps. Words a row moved (a paragraph split in its
 * middle, see `movedWords`) are read through the move: new characters that
 * stand for old ones.
 */
type Range = [client: number, from: number, to: number]

type LoggedIds = Array<[number, number, number]>

/** One row of the update log: who sent it, and the Yjs ids it inserted ([client, from, to)) and deleted ([client, clock, length]). */
export interface LogRow {
  id: number
  origin: 'connection' | 'amendment' | 'server'
  amendment_id: string | null
  person_id: string | null
  /** The sender's delegation when it was sent (a person may have moved since). */
  delegation_id: string | null
  /** For a decision's row: an acceptance's, or a reset's (which took the amendment's words back). */
  decision: 'accepted' | 'reset' | null
  inserts: LoggedIds
  deletes: LoggedIds
  /** Words the row moved (a paragraph split in its middle): [new client, new clock, old client, old clock, length]. */
  moves?: LoggedMove[]
  created_at: Date
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

/** Every textblock of a version: its visible characters' ids, and all the id ranges it is made of (deleted ones too). */
function blockIds(doc: Y.Doc): { chars: Map<string, IdRun[]>; ranges: Map<string, Range[]> } {
  const chars = new Map<string, IdRun[]>()
  const ranges = new Map<string, Range[]>()
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
    if (!(node instanceof Y.XmlElement)) return
    const id = node.getAttribute(BLOCK_ID)
    const children = node.toArray()
    // Only textblocks carry an id; lists, items and quotes are walked through.
    if (typeof id !== 'string') {
      children.forEach(visit)
      return
    }
    const visible: IdRun[] = []
    const own: Range[] = []
    if (node._item) own.push([node._item.id.client, node._item.id.clock, node._item.id.clock + 1])
    for (const child of children) {
      if (!(child instanceof Y.XmlText)) continue
      if (child._item) own.push([child._item.id.client, child._item.id.clock, child._item.id.clock + 1])
      for (let item = child._start; item !== null; item = item.right) {
        own.push([item.id.client, item.id.clock, item.id.clock + item.length])
        if (item.deleted || !item.countable || !(item.content instanceof Y.ContentString)) continue
        const last = visible[visible.length - 1]
        // Yjs splits a run of typing into several items (formatting, a later insertion inside it); their ids still follow on.
        if (last && last.client === item.id.client && last.clock + last.length === item.id.clock) last.length += item.length
        else visible.push({ client: item.id.client, clock: item.id.clock, length: item.length })
      }
    }
    chars.set(id, visible)
    ranges.set(id, own)
  }
  bodyOf(doc).toArray().forEach(visit)
  return { chars, ranges }
}

/** Each side's § numbers: frozen when its round of amendments opened, while in force for it (`TextAt.numbering`); null as it stands. */
export interface SideNumbering {
  from: FrozenNumbering | null
  to: FrozenNumbering | null
}

const AS_THEY_STAND: SideNumbering = { from: null, to: null }

/**
 * What the redline is computed from, read from the two sides' Yjs states and
 * the document's update log (oldest first), `between` the two sides'
 * moments: all of the redline that needs no database, so it can be checked
 * and measured alone.
 */
export function redlineInputs(
  fromDoc: Y.Doc,
  toDoc: Y.Doc,
  rows: readonly LogRow[],
  [earlier, later]: readonly [Date, Date],
  numbering: SideNumbering = AS_THEY_STAND,
): { from: VersionText; to: VersionText; attribution: Attribution } {
  const fromBlocks = modelBlocks(readBody(fromDoc), LINE_WIDTH, null, numbering.from)
  const toBlocks = modelBlocks(readBody(toDoc), LINE_WIDTH, null, numbering.to)
  const fromIds = blockIds(fromDoc)
  const toIds = blockIds(toDoc)
  // A block whose characters do not line up with its text is left to the fallback rather than misattributed.
  const aligned = (blocks: typeof fromBlocks, chars: Map<string, IdRun[]>) =>
    new Map(
      blocks.flatMap((block) => {
        const ids = block.id ? chars.get(block.id) : undefined
        const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
        return block.id && ids && ids.reduce((sum, run) => sum + run.length, 0) === length ? [[block.id, ids] as const] : []
      }),
    )

  const inserted = new RangeIndex()
  const deleted = new RangeIndex()
  // Each move twice, by its new characters and by its old ones: the index of the move in `moves`.
  const moves = rows.flatMap((row) => row.moves ?? [])
  const movedTo = new RangeIndex()
  const movedFrom = new RangeIndex()
  rows.forEach((row, index) => {
    for (const [client, start, end] of row.inserts) inserted.add(client, start, end, index)
    for (const [client, clock, length] of row.deletes) deleted.add(client, clock, clock + length, index)
  })
  moves.forEach(([toClient, toClock, fromClient, fromClock, length], index) => {
    movedTo.add(toClient, toClock, toClock + length, index)
    movedFrom.add(fromClient, fromClock, fromClock + length, index)
  })
  const keyOf = (row: LogRow) => authorKey(row)

  const between = (row: LogRow) => row.created_at >= earlier && row.created_at <= later
  const touched = new Map<string, { keys: string[]; at: string | null }>()
  const touchOf = (blockId: string): { keys: string[]; at: string | null } => {
    const cached = touched.get(blockId)
    if (cached) return cached
    const ranges = [...(fromIds.ranges.get(blockId) ?? []), ...(toIds.ranges.get(blockId) ?? [])]
    const found = new Set<number>()
    for (const [client, start, end] of ranges) {
      for (const row of [...inserted.overlapping(client, start, end), ...deleted.overlapping(client, start, end)]) if (between(rows[row]!)) found.add(row)
    }
    const sorted = [...found].sort((a, b) => a - b)
    const latest = sorted.reduce<Date | null>((at, row) => (at === null || rows[row]!.created_at > at ? rows[row]!.created_at : at), null)
    const touch = { keys: [...new Set(sorted.map((row) => keyOf(rows[row]!)))], at: latest?.toISOString() ?? null }
    touched.set(blockId, touch)
    return touch
  }
  const touchedBy = (blockId: string): string[] => touchOf(blockId).keys
  const attribution: Attribution = {
    insertedBy: (client, clock) => {
      const row = inserted.at(client, clock)
      return row === null ? null : keyOf(rows[row]!)
    },
    deletedBy: (client, clock) => {
      const row = deleted.at(client, clock)
      return row === null ? null : keyOf(rows[row]!)
    },
    touchedBy,
    touchedAt: (blockId) => touchOf(blockId).at,
    changedAt: (client, clock, change) => {
      const row = (change === 'insert' ? inserted : deleted).at(client, clock)
      return row === null ? null : rows[row]!.created_at.toISOString()
    },
    movedFrom: (client, clock) => {
      const index = movedTo.at(client, clock)
      if (index === null) return null
      const [, toClock, fromClient, fromClock] = moves[index]!
      return { client: fromClient, clock: fromClock + (clock - toClock) }
    },
    movedTo: (client, clock) => {
      const index = movedFrom.at(client, clock)
      if (index === null) return null
      const [toClient, toClock, , fromClock] = moves[index]!
      return { client: toClient, clock: toClock + (clock - fromClock) }
    },
  }
  return { from: { blocks: fromBlocks, charIds: aligned(fromBlocks, fromIds.chars) }, to: { blocks: toBlocks, charIds: aligned(toBlocks, toIds.chars) }, attribution }
}

export function redlineBlocks(...args: Parameters<typeof redlineInputs>): RedlineBlock[] {
  const { from, to, attribution } = redlineInputs(...args)
  return computeRedline(from, to, attribution)
}

export interface RedlineSources {
  model: RedlineModel
  /** When the later side was saved (or now, for the text as it stands): the date of a change whose own moment is unknown. */
  date: Date
}

/**
 * Everything a redline is computed from, as read from the database: plain
 * data (Yjs updates, log rows, names), so it can be sent to the export
 * thread (`exportWriter.ts`) and computed there (`computeRedlineSources`).
 */
export interface RedlineReading {
  /** Each side's text as Yjs updates, applied in order. */
  from: Uint8Array[]
  to: Uint8Array[]
  rows: PackedLogPage[]
  /** The two sides' moments, earlier first. */
  between: [Date, Date]
  header: { title: string; organisation: string; language: StoredResolution['language']; timeZone: string }
  sides: { from: VersionFacts; to: VersionFacts }
  numbering: SideNumbering
  authors: Map<string, string>
  date: Date
}

/** One side of a redline: a saved version, or (`version` null) the text as it stands. */
interface Side {
  updates: Uint8Array[]
  version: { id: number; label: string; stage: string } | null
  at: Date
  numbering: FrozenNumbering | null
}

async function side(services: Pick<Services, 'db' | 'collab' | 'now'>, resolution: StoredResolution, which: number | 'current'): Promise<Side> {
  if (which === 'current') {
    // The text as stored, not as held here: who made each change is read from the log, and the live text is up to
    // PERSIST_INTERVAL_MS ahead of it (words typed meanwhile came out unattributed). What this instance holds is
    // stored first, so a change typed a moment ago is in; the log, read after the text, then covers every character.
    const live = services.collab.peek(resolution.id)
    if (live) await services.collab.store(live)
    return { updates: await readDocumentUpdates(services.db, resolution.id), version: null, at: services.now(), numbering: numberingAt(resolution, resolution.stage) }
  }
  const { row, state, numbering } = await versionText(services.db, resolution, which)
  return { updates: [state], version: row, at: row.created_at, numbering }
}

/** The original's update log, in order, read a page at a time (`LOG_ROWS_PER_READ`) and packed for the export thread. */
async function logPages(db: Queryable, resolutionId: string, signal: AbortSignal | undefined, senders: Map<string, Sender>): Promise<PackedLogPage[]> {
  const pages: PackedLogPage[] = []
  // A client gone has given its place in the export line back at once: its reading stops too, not 300 pages later.
  await eachLogPage(async (after) => {
    const page = await db.query<LogRow & { inserts: LoggedIds | string; deletes: LoggedIds | string; moves: LoggedMove[] | string }>(
      `select id, origin, amendment_id, person_id, delegation_id, watch->>'decision' as decision, inserts, deletes, moves, created_at from doc_updates
       where resolution_id = $1 and document = 'original' and id > $2 order by id limit ${LOG_ROWS_PER_READ}`,
      [resolutionId, after],
    )
    pages.push(packLogPage(page.map((row) => ({ ...row, inserts: json(row.inserts), deletes: json(row.deletes), moves: json(row.moves) }))))
    // Who sent them, gathered as the pages go by: a query of its own scanned the whole log at once (150,000 rows held
    // the embedded database's event loop past 300 ms).
    for (const row of page) {
      const key = row.person_id ? authorKey(row) : null
      if (key !== null && !senders.has(key)) senders.set(key, row)
    }
    return page.length < LOG_ROWS_PER_READ ? null : page[page.length - 1]!.id
  }, signal)
  return pages
}

/** What the redline from a saved version to another, or to the text as it stands (`'current'`), is computed from: a chair can print "PROJET against now" without saving a version. */
export async function readRedline(
  services: Pick<Services, 'db' | 'collab' | 'now'>,
  resolution: StoredResolution,
  fromId: number,
  toId: number | 'current',
  signal?: AbortSignal,
): Promise<RedlineReading> {
  const { db } = services
  const from = await side(services, resolution, fromId)
  const to = await side(services, resolution, toId)
  const senders = new Map<string, Sender>()
  const rows = await logPages(db, resolution.id, signal, senders)
  return {
    from: from.updates,
    to: to.updates,
    rows,
    between: from.at <= to.at ? [from.at, to.at] : [to.at, from.at],
    header: { title: resolution.title, organisation: resolution.organisation, language: resolution.language, timeZone: resolution.timeZone },
    sides: { from: facts(resolution, from), to: facts(resolution, to) },
    numbering: { from: from.numbering, to: to.numbering },
    authors: await authorNames(db, resolution.id, resolution.language, senders.values()),
    date: to.at,
  }
}

/** The redline computed from what was read: the computation, without the database (on the export thread). */
export function computeRedlineSources(reading: RedlineReading): RedlineSources {
  const from = docFromUpdates(reading.from)
  const to = docFromUpdates(reading.to)
  try {
    const blocks = redlineBlocks(from, to, unpackLog(reading.rows), reading.between, reading.numbering)
    return { model: buildRedlineModel(reading.header, reading.sides, blocks, reading.authors), date: reading.date }
  } finally {
    from.destroy()
    to.destroy()
  }
}

/** The redline from a saved version to another, or to the text as it stands, read and computed here (routes compute it on the export thread). */
export async function buildRedline(
  services: Pick<Services, 'db' | 'collab' | 'now'>,
  resolution: StoredResolution,
  fromId: number,
  toId: number | 'current',
): Promise<RedlineSources> {
  return computeRedlineSources(await readRedline(services, resolution, fromId, toId))
}

function facts(resolution: StoredResolution, { version, at }: Side): VersionFacts {
  return {
    id: version?.id ?? null,
    label: version?.label ?? null,
    stamp: metaAt(resolution, version?.stage ?? resolution.stage).stamp,
    createdAt: at.toISOString(),
  }
}

/**
 * Who a log row's change is credited to: an acceptance to its amendment; a decision taken back to the person who took it
 * back (the amendment's delegation did not take its own words out); anyone else to the person with the delegation they
 * sent it for, as the log kept it (a person moved since to another delegation is not credited for the old one's work).
 */
export function authorKey(row: Pick<LogRow, 'origin' | 'amendment_id' | 'person_id' | 'delegation_id' | 'decision'>): string {
  if (row.origin === 'amendment' && row.amendment_id && !(row.decision === 'reset' && row.person_id)) return `amendment:${row.amendment_id}`
  if (!row.person_id) return 'server'
  const person = `person:${row.person_id}:${row.delegation_id ?? ''}`
  return row.origin === 'amendment' && row.amendment_id ? `reset:${row.amendment_id}:${person}` : person
}

/**
 * The amendments each compromise merged, as the log recorded them when it was made: withdrawing a compromise gives
 * them back (their `merged_into` is cleared), and a redline between two versions saved before must still name them.
 * A compromise the log does not describe is read from `merged_into`.
 */
async function compromiseMerges(db: Queryable, resolutionId: string, rows: readonly AmendmentRow[]): Promise<Map<string, AmendmentRow[]>> {
  const byNumber = new Map(rows.map((row) => [`A${row.number}`, row]))
  const recorded = await db.query<{ id: string; merged: string[] }>(
    `select detail->>'amendmentId' as id, detail->'merged' as merged from audit_log where resolution_id = $1 and action = 'compromise' and detail ? 'amendmentId'`,
    [resolutionId],
  )
  const merges = new Map<string, AmendmentRow[]>()
  for (const { id, merged } of recorded) {
    const found = (Array.isArray(merged) ? merged : []).flatMap((number) => byNumber.get(String(number)) ?? [])
    merges.set(id, found.sort((a, b) => a.number - b.number))
  }
  for (const row of rows) {
    if (!row.compromise || merges.has(row.id)) continue
    merges.set(row.id, rows.filter((other) => other.merged_into === row.id).sort((a, b) => a.number - b.number))
  }
  return merges
}

/** What names a row's sender (`authorKey`). */
type Sender = Pick<LogRow, 'origin' | 'amendment_id' | 'person_id' | 'delegation_id' | 'decision'>

/** How a redline names its authors (`authorKey`): an amendment by its number and delegation, a person by delegation and name. */
async function authorNames(db: Queryable, resolutionId: string, language: Language, senders: Iterable<Sender>): Promise<Map<string, string>> {
  const dir = await directory(db)
  const names = new Map<string, string>([['server', 'Hemicycle']])
  const numbers = new Map<string, string>()
  const rows = await amendmentRows(db, resolutionId)
  const merges = await compromiseMerges(db, resolutionId, rows)
  // A compromise's delegations are those of the amendments it merged, through compromises it merged too.
  const delegationsOf = (row: AmendmentRow, seen = new Set<string>()): string[] => {
    if (seen.has(row.id)) return []
    seen.add(row.id)
    if (!row.compromise) return row.delegation_id ? [row.delegation_id] : []
    return (merges.get(row.id) ?? []).flatMap((merged) => delegationsOf(merged, seen))
  }
  for (const row of rows) {
    numbers.set(row.id, `A${row.number}`)
    if (!row.compromise) {
      names.set(`amendment:${row.id}`, `A${row.number} · ${row.delegation_id ? delegationName(dir.delegation(row.delegation_id), language) : dir.person(row.tabled_by).name}`)
      continue
    }
    // A chair tables a compromise for nobody's delegation: its words are the merged amendments' delegations', put
    // together by the chair, and the redline says both.
    const merged = merges.get(row.id) ?? []
    const label = merged.length > 0 ? VOCABULARY[language].compromiseOf(`A${row.number}`, merged.map((other) => `A${other.number}`).join(', ')) : `A${row.number}`
    const delegations = [...new Set(delegationsOf(row))].map((id) => delegationName(dir.delegation(id), language))
    names.set(`amendment:${row.id}`, [label, ...(delegations.length > 0 ? [delegations.join(', ')] : []), dir.person(row.tabled_by).name].join(' · '))
  }
  const personName = (personId: string, delegationId: string | null) => {
    const person = dir.person(personId)
    return delegationId ? `${delegationName(dir.delegation(delegationId), language)} · ${person.name}` : person.name
  }
  for (const sender of senders) {
    const key = authorKey(sender)
    if (key.startsWith('amendment:')) continue
    const name = personName(sender.person_id!, sender.delegation_id)
    const reset = sender.origin === 'amendment' && sender.amendment_id ? VOCABULARY[language].takenBack(numbers.get(sender.amendment_id) ?? '?') : null
    names.set(key, reset ? `${reset} · ${name}` : name)
  }
  return names
}
