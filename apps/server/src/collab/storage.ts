import { asTaken, type DecisionTrace, traceData, traceOf, traceOfData } from '@hemicycle/amendments'
import { type DocumentNode, type MovedRun, readBody } from '@hemicycle/schema'
import { setImmediate as nextTurn } from 'node:timers/promises'
import * as Y from 'yjs'
import { z } from 'zod'
import type { Database, Queryable, Statement } from '../db/database.ts'
import type { OwnerKey } from './clientIds.ts'
import { documentKey, storedDocument } from './documentKey.ts'
import type { UpdateOrigin } from './origin.ts'
import { replayed } from './slicedApply.ts'

/**
 * How a document's Yjs state lives in the database: a snapshot plus the
 * updates logged since. Compaction folds the log into the snapshot but keeps
 * every log row's attribution (who inserted or deleted which Yjs ids).
 * Documents are named as their rooms are (`documentKey.ts`): a resolution's
 * id names its original, `<id>/<language>` one of its versions.
 */
export interface LoggedUpdate {
  update: Uint8Array
  origin: Extract<UpdateOrigin, { kind: 'connection' | 'amendment' | 'server' }>
  at: Date
  /** Words the update moved (a paragraph split in its middle): whose characters its new ones are (see `movedWords`). */
  moves?: MovedRun[]
  /** The update is a decision's (an acceptance, or a reset), whose words are watched for typing made without it (see `decisionWatch`). */
  watch?: DecisionWatch
}

/** A move as the log keeps it: [new client, new clock, old client, old clock, length]. */
export type LoggedMove = [number, number, number, number, number]

const loggedMoves = (moves: readonly MovedRun[] = []): LoggedMove[] => moves.map(({ to, from, length }) => [to.client, to.clock, from.client, from.clock, length])

/** The Yjs ids an update inserts, per client, as [client, fromClock, toClock) triples. */
export function insertedRanges(update: Uint8Array): Array<[number, number, number]> {
  const { from, to } = Y.parseUpdateMeta(update)
  return [...to].map(([client, end]) => [client, from.get(client) ?? 0, end])
}

/** The Yjs ids an update deletes, as [client, clock, length] triples. */
export function deletedRanges(update: Uint8Array): Array<[number, number, number]> {
  const { ds } = Y.decodeUpdate(update)
  return [...ds.clients].flatMap(([client, ranges]) => ranges.map(({ clock, len }): [number, number, number] => [client, clock, len]))
}

/** The query parameters naming a document's rows: its resolution and which of its documents. */
const rowsOf = (name: string) => {
  const key = documentKey(name)
  return [key.resolutionId, storedDocument(key)]
}

/**
 * The snapshot and every payload not yet folded into it, read as of one
 * instant: a compaction committing between the two reads would otherwise
 * leave payloads that are in neither. Yjs updates are idempotent, so a
 * payload that is also in the snapshot does no harm.
 */

export async function readDocumentUpdates(db: Database, name: string): Promise<Uint8Array[]> {
  const { snapshot, rows } = await readStoredLog(db, name)
  return [...(snapshot ? [snapshot] : []), ...rows]
}

/** `readDocumentUpdates`, the snapshot apart from the rows stored after it. */
export async function readStoredLog(db: Database, name: string): Promise<{ snapshot: Uint8Array | null; rows: Uint8Array[] }> {
  return db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read')
    const [snapshot] = await tx.query<{ state: Uint8Array }>('select state from doc_snapshots where resolution_id = $1 and document = $2', rowsOf(name))
    const rows = await tx.query<{ payload: Uint8Array }>(
      'select payload from doc_updates where resolution_id = $1 and document = $2 and payload is not null order by id',
      rowsOf(name),
    )
    return { snapshot: snapshot?.state ?? null, rows: rows.map((row) => row.payload) }
  })
}

/** The decisions' rows of the log (acceptances and decisions taken back): each one's update, unless compacted, and the Yjs ids it inserted. */
export async function readDecisionUpdates(db: Queryable, name: string): Promise<Array<{ payload: Uint8Array | null; inserts: Array<[number, number, number]> }>> {
  return db.query(`select payload, inserts from doc_updates where resolution_id = $1 and document = $2 and origin = 'amendment' order by id`, rowsOf(name))
}

const WatchRow = z.object({
  decision: z.enum(['accepted', 'reset']),
  /** -1: a decision that only deleted. */
  client: z.number().int().min(-1),
  deleted: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().positive()])),
  gaps: z.array(z.string()),
  clients: z.array(z.number().int().nonnegative()),
})

/** What a decision's row keeps for the watch on its words (`doc_updates.watch`): its trace, null when nothing can be typed in them (it only added paragraphs). */
export interface DecisionWatch {
  decision: 'accepted' | 'reset'
  trace: DecisionTrace | null
}

/**
 * The watch on a decision's change as `doc` (the live text) will take it,
 * what it deleted that the text deleted meanwhile left out (`asTaken`): as
 * the watch reads the change it applies, after a reload too.
 */
export function decisionWatch(change: Uint8Array, doc: Y.Doc, decision: DecisionWatch['decision']): DecisionWatch {
  const trace = traceOf(change)
  return { decision, trace: trace && asTaken(trace, Y.createDeleteSetFromStructStore(doc.store)) }
}

/** A decision the log holds, as the late-typing watch needs it: the amendment, who took it back (a reset), and its trace. */
export interface StoredDecision {
  amendmentId: string
  resetBy?: string
  trace: DecisionTrace
}

/**
 * The decisions whose words the document's text is watched for, oldest
 * first: every acceptance and reset in its log, compacted or not. A row
 * that does not read as one is left out (no warning without a reason).
 */
export async function readDecisionWatch(db: Queryable, name: string): Promise<StoredDecision[]> {
  const rows = await db.query<{ amendment_id: string | null; person_id: string | null; watch: unknown }>(
    'select amendment_id, person_id, watch from doc_updates where resolution_id = $1 and document = $2 and watch is not null order by id',
    rowsOf(name),
  )
  return rows.flatMap(({ amendment_id, person_id, watch }) => {
    const parsed = WatchRow.safeParse(watch)
    if (!parsed.success || amendment_id === null) return []
    const { decision, ...data } = parsed.data
    return [{ amendmentId: amendment_id, ...(decision === 'reset' && person_id ? { resetBy: person_id } : {}), trace: traceOfData(data) }]
  })
}

/**
 * The text as stored, read inside the caller's transaction: the snapshot's
 * row is locked first, so no compaction folds rows between the two reads.
 * The rows are applied a slice at a time, giving the event loop back.
 * Returns the body and the whole state.
 */
export async function storedText(tx: Queryable, name: string): Promise<{ body: DocumentNode; state: Uint8Array }> {
  const [snapshot] = await tx.query<{ state: Uint8Array }>('select state from doc_snapshots where resolution_id = $1 and document = $2 for update', rowsOf(name))
  const rows = await tx.query<{ payload: Uint8Array }>('select payload from doc_updates where resolution_id = $1 and document = $2 and payload is not null order by id', rowsOf(name))
  // Each row is an update the gate admitted, its Yjs work bounded; a log of them all at once is not (`conflictWalk.ts`).
  const doc = await replayed(snapshot?.state ?? null, rows.map((row) => row.payload))
  try {
    return { body: readBody(doc), state: Y.encodeStateAsUpdate(doc) }
  } finally {
    doc.destroy()
  }
}

/**
 * Rows of the update log read at most this many at a time, a turn of the event loop between two reads: months of
 * typing make a log of 100,000 rows and more, and one read of them all held the embedded database, and so every
 * socket, for seconds (`test/longLog.test.ts`).
 */
export const LOG_ROWS_PER_READ = 500

/**
 * Walks the update log in id order, a page at a time, with a turn of the event loop between two pages:
 * `readPage(after)` reads the rows after that id and says the last one it read, or null once it read the last page.
 * A reading for a client gone stops at the next page (`signal`).
 */
export async function eachLogPage(readPage: (after: number) => Promise<number | null>, signal?: AbortSignal): Promise<void> {
  for (let after: number | null = 0; after !== null; await nextTurn()) {
    signal?.throwIfAborted()
    after = await readPage(after)
  }
}

/**
 * Who owns each Yjs client id the update log records: the first row that
 * inserted under it. A person's row makes it that person's; rows the server
 * wrote (its own changes and accepted amendments) make it the server's.
 */
export async function readClientOwners(db: Queryable, name: string, { pageRows = LOG_ROWS_PER_READ } = {}): Promise<Map<number, OwnerKey>> {
  const owners = new Map<number, OwnerKey>()
  await eachLogPage(async (after) => {
    // One statement a page (a round trip each on a PostgreSQL server): the page's bounds on every row, and a row of
    // nulls for a page whose rows inserted nothing.
    const rows = await db.query<{ last: number | null; rows: number; client: number | null; origin: LoggedUpdate['origin']['kind'] | null; person_id: string | null }>(
      `with page as (
         select id, origin, person_id, inserts from doc_updates where resolution_id = $1 and document = $2 and id > $3 order by id limit ${pageRows}
       )
       select (select max(id) from page) as last, (select count(*)::int from page) as rows, owned.client, owned.origin, owned.person_id
       from (select 1) as one left join lateral (
         select distinct on (client) (inserted->>0)::float8 as client, page.origin, page.person_id
         from page cross join lateral jsonb_array_elements(page.inserts) as inserted
         order by client, page.id
       ) as owned on true`,
      [...rowsOf(name), after],
    )
    const [page] = rows
    if (!page || page.last === null) return null
    // Pages come in the log's order: an id first seen on an earlier page is owned by that page's row.
    for (const row of rows) {
      if (row.client !== null && !owners.has(row.client)) owners.set(row.client, row.origin === 'connection' && row.person_id ? `person:${row.person_id}` : 'server')
    }
    return page.rows < pageRows ? null : page.last
  })
  return owners
}

/** When each person first wrote under an id new to the document, since `since`, by person id (ms since the epoch). */
export async function readClientIdsWrittenSince(db: Queryable, name: string, since: Date): Promise<Map<string, number[]>> {
  const rows = await db.query<{ person_id: string; written_at: Date | string }>(
    'select person_id, written_at from client_ids_written where resolution_id = $1 and document = $2 and written_at > $3',
    [...rowsOf(name), since],
  )
  const byPerson = new Map<string, number[]>()
  for (const row of rows) {
    const times = byPerson.get(row.person_id) ?? []
    times.push(new Date(row.written_at).getTime())
    byPerson.set(row.person_id, times)
  }
  return byPerson
}

/** Records that `personId` first wrote under `clients`, ids new to the document (`UpdateGate.onNewIds`). */
export async function recordClientIdsWritten(db: Queryable, name: string, clients: readonly number[], personId: string): Promise<void> {
  await db.query(
    'insert into client_ids_written (resolution_id, document, client, person_id) select $1, $2, client, $4 from unnest($3::float8[]) as client on conflict do nothing',
    [...rowsOf(name), clients, personId],
  )
}

/** Forgets the rows written before `before`: they count no more. */
export async function forgetClientIdsWrittenBefore(db: Queryable, name: string, before: Date): Promise<void> {
  await db.query('delete from client_ids_written where resolution_id = $1 and document = $2 and written_at <= $3', [...rowsOf(name), before])
}

/** A recorded claim (`client_claims`): the person who first introduced an id, and when. */
export interface ClientClaim {
  client: number
  owner: OwnerKey
  claimedAt: Date
}

export async function readClientClaims(db: Queryable, name: string): Promise<ClientClaim[]> {
  const rows = await db.query<{ client: number; person_id: string; claimed_at: Date | string }>(
    'select client, person_id, claimed_at from client_claims where resolution_id = $1 and document = $2',
    rowsOf(name),
  )
  return rows.map((row) => ({ client: Number(row.client), owner: `person:${row.person_id}`, claimedAt: new Date(row.claimed_at) }))
}

export async function forgetClientClaims(db: Queryable, name: string, clients: readonly number[]): Promise<void> {
  await db.query('delete from client_claims where resolution_id = $1 and document = $2 and client = any($3::float8[])', [...rowsOf(name), clients])
}

/** Records that `personId` first introduced `client`; an id already recorded keeps its first claimant. */
export async function recordClientClaim(db: Queryable, name: string, client: number, personId: string): Promise<void> {
  await db.query('insert into client_claims (resolution_id, document, client, person_id) values ($1, $2, $3, $4) on conflict do nothing', [...rowsOf(name), client, personId])
}

export async function writeSnapshot(db: Queryable, name: string, state: Uint8Array, throughUpdate = 0): Promise<void> {
  await db.query(
    `insert into doc_snapshots (resolution_id, document, state, through_update, updated_at) values ($1, $2, $3, $4, now())
     on conflict (resolution_id, document) do update set state = excluded.state, through_update = excluded.through_update, updated_at = now()`,
    [...rowsOf(name), state, throughUpdate],
  )
}

/** The types of one log row's parameters, in the order `logRowParams` gives them. */
const LOG_ROW_TYPES = ['bytea', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'text'] as const

function logRowParams({ update, origin, at, moves, watch }: LoggedUpdate): unknown[] {
  const person = origin.kind === 'server' ? null : origin.person
  return [
    update,
    origin.kind,
    origin.kind === 'amendment' ? origin.amendmentId : null,
    person?.id ?? null,
    person?.delegation?.id ?? null,
    JSON.stringify(insertedRanges(update)),
    JSON.stringify(deletedRanges(update)),
    JSON.stringify(loggedMoves(moves)),
    at,
    watch?.trace ? JSON.stringify({ decision: watch.decision, ...traceData(watch.trace) }) : null,
  ]
}

/** The guard of `appendUpdatesAtStage`: its one parameter, the stage, follows the document's two. */
const AT_STAGE = 'exists (select 1 from resolutions where id = $1 and stage = $3 for share)'

/**
 * One multi-row insert of `rows` log rows, in order, if `guard` holds (always without one), the ids of the rows
 * inserted coming back: its SQL and its parameters' types, the document's two first, then the guard's.
 */
function insertStatement(rows: number, guard: { sql: string; types: readonly string[] } | null): Statement {
  const types: string[] = ['text', 'text', ...(guard?.types ?? [])]
  const values: string[] = []
  for (let row = 0; row < rows; row++) {
    const first = types.length + 1
    values.push(`(${LOG_ROW_TYPES.map((type, index) => `$${first + index}::${type}`).join(', ')})`)
    types.push(...LOG_ROW_TYPES)
  }
  const sql = `insert into doc_updates (resolution_id, document, payload, origin, amendment_id, person_id, delegation_id, inserts, deletes, moves, created_at, watch)
     select $1, $2, v.payload, v.origin, v.amendment_id, v.person_id, v.delegation_id, v.inserts::jsonb, v.deletes::jsonb, v.moves::jsonb, v.created_at, v.watch::jsonb
     from (values ${values.join(', ')}) as v (payload, origin, amendment_id, person_id, delegation_id, inserts, deletes, moves, created_at, watch)
     ${guard ? `where ${guard.sql}` : ''}
     returning id`
  return { name: `append_log_${rows}${guard ? '_at_stage' : ''}`, sql, types }
}

export async function appendUpdates(db: Queryable, name: string, entries: readonly LoggedUpdate[]): Promise<void> {
  if (entries.length === 0) return
  await db.query(insertStatement(entries.length, null).sql, [...rowsOf(name), ...entries.flatMap(logRowParams)])
}

/**
 * Log rows stored in one write are this many at most for a prepared statement (one for each count): a write
 * gathers what a document took in 200 ms, a few rows while people type; a longer one is parsed afresh.
 */
const PREPARED_ROWS = 8

/**
 * Appends the rows in one statement if the resolution is at `stage`, holding
 * its row under a share lock as a stage move would need it (the statement is
 * its own transaction): true if they were stored, false (nothing stored) if
 * the stage is another. One round trip instead of four for the common case,
 * a person writing at the stage the live document knows; a statement
 * prepared once, as it runs several times a second while people type.
 */
export async function appendUpdatesAtStage(db: Database, name: string, entries: readonly LoggedUpdate[], stage: string): Promise<boolean> {
  if (entries.length === 0) return true
  const statement = insertStatement(entries.length, { sql: AT_STAGE, types: ['text'] })
  const params = [...rowsOf(name), stage, ...entries.flatMap(logRowParams)]
  // The guard holds for every row or for none.
  const inserted = entries.length <= PREPARED_ROWS ? await db.run(statement, params) : await db.query(statement.sql, params)
  return inserted.length > 0
}

/** Folded rows whose payloads one statement clears: 500 in one statement held the embedded database, and so the event loop, 11-22 ms. */
export const CLEARED_PER_STATEMENT = 100

/**
 * Folds the logged updates into the snapshot, garbage-collecting deleted
 * content, and clears the folded payloads. Returns how many it folded.
 * Works from the database alone, so it is safe whatever is in memory.
 * On the embedded database every statement runs on the event loop, and
 * statements chained by await follow one another without letting a socket
 * in: so the event loop is given back (`pause`) between the reads, between
 * slices of the folding, before the snapshot is written and before each
 * slice of payloads is cleared, all in the caller's one transaction.
 */
export async function compactDocument(db: Queryable, name: string, { pause = () => nextTurn() }: { pause?: () => Promise<unknown> } = {}): Promise<number> {
  // One compaction of a document at a time, on every instance, whether or not it has a snapshot row to lock yet.
  await db.query('select pg_advisory_xact_lock(hashtext($1))', [`compact:${name}`])
  const [snapshot] = await db.query<{ state: Uint8Array }>(
    'select state from doc_snapshots where resolution_id = $1 and document = $2 for update',
    rowsOf(name),
  )
  await pause()
  const rows = await db.query<{ id: number; payload: Uint8Array }>(
    'select id, payload from doc_updates where resolution_id = $1 and document = $2 and payload is not null order by id',
    rowsOf(name),
  )
  if (rows.length === 0) return 0
  await pause()
  const doc = await replayed(snapshot?.state ?? null, rows.map((row) => row.payload), { pause })
  const folded = rows.map((row) => row.id)
  await pause()
  await writeSnapshot(db, name, Y.encodeStateAsUpdate(doc), folded[folded.length - 1])
  doc.destroy()
  for (let start = 0; start < folded.length; start += CLEARED_PER_STATEMENT) {
    await pause()
    await db.query('update doc_updates set payload = null where id = any($1::int[])', [folded.slice(start, start + CLEARED_PER_STATEMENT)])
  }
  return rows.length
}

/** A row of a document's log as a copy is compared with it: what it inserted and deleted, and what it was. */
export interface LoggedRow {
  id: number
  origin: LoggedUpdate['origin']['kind']
  amendmentId: string | null
  personId: string | null
  /** For a decision's row: an acceptance's or a reset's (its words watched for typing made without it). */
  decision: 'accepted' | 'reset' | null
  inserts: Array<[number, number, number]>
  deletes: Array<[number, number, number]>
}

/**
 * The rows of a document's log after row `after` (and stored after `since`, by the storing instance's clock; `except`
 * those ids), in the order stored, without their changes.
 */
export async function readLoggedRows(db: Queryable, name: string, after: number, since: Date | null = null, except: readonly number[] = []): Promise<LoggedRow[]> {
  const rows = await db.query<{
    id: number
    origin: LoggedRow['origin']
    amendment_id: string | null
    person_id: string | null
    decision: string | null
    inserts: Array<[number, number, number]>
    deletes: Array<[number, number, number]>
  }>(
    `select id, origin, amendment_id, person_id, watch->>'decision' as decision, inserts, deletes from doc_updates
     where resolution_id = $1 and document = $2 and id > $3 and ($4::timestamptz is null or created_at > $4) and not (id = any($5::int[])) order by id`,
    [...rowsOf(name), after, since, except],
  )
  return rows.map((row) => ({
    id: row.id,
    origin: row.origin,
    amendmentId: row.amendment_id,
    personId: row.person_id,
    decision: row.decision === 'accepted' || row.decision === 'reset' ? row.decision : null,
    inserts: row.inserts,
    deletes: row.deletes,
  }))
}

/** Logged rows' changes by id; null for one compacted into the snapshot since. */
export async function readLoggedPayloads(db: Queryable, ids: readonly number[]): Promise<Map<number, Uint8Array | null>> {
  const rows = await db.query<{ id: number; payload: Uint8Array | null }>('select id, payload from doc_updates where id = any($1::int[])', [ids])
  return new Map(rows.map((row) => [row.id, row.payload]))
}

/** The last row of a document's log (0 for none). */
export async function readLogTop(db: Queryable, name: string): Promise<number> {
  const [row] = await db.query<{ id: number | null }>('select max(id) as id from doc_updates where resolution_id = $1 and document = $2', rowsOf(name))
  return row?.id ?? 0
}

/**
 * The state vector of the document's log before row `id`: what had been stored when that row was. A decision's change
 * applied late (taken from the log, its instance gone before passing it on) was made from no more than this; whatever
 * the text holds beyond it was typed without the decision, or after it (`lateTyping`).
 */
export async function storedStateBefore(db: Queryable, name: string, id: number): Promise<Uint8Array> {
  const rows = await db.query<{ client: string; clock: string }>(
    `select (e->>0)::bigint as client, max((e->>2)::bigint) as clock
     from doc_updates u, jsonb_array_elements(u.inserts) e
     where u.resolution_id = $1 and u.document = $2 and u.id < $3 group by 1`,
    [...rowsOf(name), id],
  )
  return Y.encodeStateVector(new Map(rows.map((row) => [Number(row.client), Number(row.clock)])))
}
