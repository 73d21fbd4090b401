import type { AuditEntry } from '@hemicycle/protocol'
import type { Queryable } from './db/database.ts'

/**
 * Reading the audit log. It only grows (every login, ballot and decision,
 * for years), so it is never read whole into memory: it is read a page at
 * a time, in order, and written out as it is read. A download is the log as
 * it stood when it was asked for: entries added meanwhile wait for the next.
 */

/** Entries read at a time: a few hundred KiB, whatever the length of the log. */
export const AUDIT_PAGE = 1_000

interface AuditRow {
  id: number
  at: Date
  person_id: string | null
  delegation_id: string | null
  action: string
  resolution_id: string | null
  detail: Record<string, unknown>
}

const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at.toISOString(),
  person: row.person_id,
  delegation: row.delegation_id,
  action: row.action,
  resolutionId: row.resolution_id,
  detail: row.detail,
})

/** The log's entries, oldest first, a page at a time; of one resolution when `resolutionId` is given. */
export async function* auditPages(db: Queryable, resolutionId: string | null, pageSize = AUDIT_PAGE): AsyncGenerator<AuditEntry[]> {
  const scope = resolutionId === null ? '' : 'and resolution_id = $4'
  const scoped = resolutionId === null ? [] : [resolutionId]
  const [{ last } = { last: null }] = await db.query<{ last: number | null }>(
    `select max(id) as last from audit_log ${resolutionId === null ? '' : 'where resolution_id = $1'}`,
    scoped,
  )
  if (last === null) return
  let after = 0
  for (;;) {
    const rows = await db.query<AuditRow>(`select * from audit_log where id > $1 and id <= $2 ${scope} order by id limit $3`, [after, last, pageSize, ...scoped])
    if (rows.length === 0) return
    yield rows.map(toAuditEntry)
    after = rows.at(-1)!.id
  }
}

/** A spreadsheet cell: text as it is, anything else as JSON, quoted when it holds a quote, comma or line break. */
const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const CSV_HEADER = 'id,at,person,delegation,action,resolution,detail'

/** The pages as the text of one JSON array. */
export async function* asJson(pages: AsyncIterable<AuditEntry[]>): AsyncGenerator<string> {
  let first = true
  yield '['
  for await (const entries of pages) {
    if (entries.length === 0) continue
    yield `${first ? '' : ','}${entries.map((entry) => JSON.stringify(entry)).join(',')}`
    first = false
  }
  yield ']'
}

/** The pages as CSV, a header line first, lines ending in CRLF. */
export async function* asCsv(pages: AsyncIterable<AuditEntry[]>): AsyncGenerator<string> {
  yield `${CSV_HEADER}\r\n`
  for await (const entries of pages) {
    yield entries.map((entry) => `${[entry.id, entry.at, entry.person, entry.delegation, entry.action, entry.resolutionId, entry.detail].map(csvCell).join(',')}\r\n`).join('')
  }
}

/**
 * Text written as it is made, no faster than the client reads it: the next
 * part is asked for only when the last has gone out, so a client that reads
 * slowly (or not at all) holds one page on the server, not the log.
 */
export function textStream(parts: AsyncIterator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await parts.next()
        if (next.done) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      },
      async cancel() {
        await parts.return?.(undefined)
      },
    },
    { highWaterMark: 0 },
  )
}
