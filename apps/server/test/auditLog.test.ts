import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_PAGE } from '../src/auditLog.ts'
import { sleep, startTestServer, type TestServer } from './harness.ts'

/**
 * The audit log only grows (every login, ballot and decision, for years): it
 * is downloaded as it is read, a page at a time, never read whole into the
 * server's memory, and no faster than the client takes it.
 */
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-audit-log-'))
let server: TestServer
let secretariat: string
/** What each read of the log returned, in rows: spied on the server's own database. */
let reads: number[] = []
/** Set to make the next read of the log fail, as a database gone away would. */
let failNextRead = false

/** Entries as a busy year leaves them: logins and decisions with a detail of some length. */
async function addEntries(count: number, resolutionId: string | null = null) {
  await server.hemicycle.services.db.query(
    `insert into audit_log (action, resolution_id, detail)
     select 'login', $2::text, jsonb_build_object('n', n, 'note', repeat('Le Conseil décide, à l’unanimité, ', 8)) from generate_series(1, $1::int) as n`,
    [count, resolutionId],
  )
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: join(workdir, 'data') })
  secretariat = await server.login('secretariat')
  const db = server.hemicycle.services.db
  const query = db.query.bind(db)
  db.query = (async (sql: string, params?: readonly unknown[]) => {
    if (failNextRead && /^\s*select \* from audit_log/.test(sql)) {
      failNextRead = false
      throw new Error('the database went away')
    }
    const rows = await query(sql, params)
    if (/^\s*select \* from audit_log/.test(sql)) reads.push(rows.length)
    return rows
  }) as typeof db.query
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

describe('downloading the audit log', () => {
  it('gives every entry, oldest first, in JSON and CSV, reading at most a page at a time', { timeout: 60_000 }, async () => {
    await addEntries(2 * AUDIT_PAGE + 500)
    await addEntries(700, server.resolutionId)
    const stored = await server.hemicycle.services.db.query<{ id: number; resolution_id: string | null }>('select id, resolution_id from audit_log order by id')

    reads = []
    const json = (await (await server.api('/api/audit', { token: secretariat })).json()) as Array<{ id: number; action: string; detail: { n?: number } }>
    expect(json.map((entry) => entry.id)).toEqual(stored.map((row) => row.id))
    expect(json.at(-1)!.detail.n).toBe(700)
    expect(Math.max(...reads)).toBeLessThanOrEqual(AUDIT_PAGE)
    expect(reads.length).toBeGreaterThan(2)

    reads = []
    const csv = await (await server.api('/api/audit?format=csv', { token: secretariat })).text()
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('id,at,person,delegation,action,resolution,detail')
    expect(lines.at(-1)).toBe('')
    expect(lines.slice(1, -1).map((line) => Number(line.split(',')[0]))).toEqual(stored.map((row) => row.id))
    expect(Math.max(...reads)).toBeLessThanOrEqual(AUDIT_PAGE)

    const own = (await (await server.api(`/api/resolutions/${server.resolutionId}/audit`, { token: secretariat })).json()) as Array<{ id: number }>
    expect(own.map((entry) => entry.id)).toEqual(stored.filter((row) => row.resolution_id === server.resolutionId).map((row) => row.id))
  })

  it('reads no further than the client takes it, and stops when the client goes', { timeout: 120_000 }, async () => {
    await addEntries(60 * AUDIT_PAGE)
    reads = []
    const abort = new AbortController()
    const response = await server.api('/api/audit?format=csv', { token: secretariat, signal: abort.signal })
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    await reader.read()
    // The client reads nothing more: the server waits for it, with what the connection's buffers hold.
    await sleep(1_000)
    const rowsRead = () => reads.reduce((sum, rows) => sum + rows, 0)
    const whileWaiting = rowsRead()
    console.log(`a client that stopped reading: ${reads.length} pages, ${whileWaiting} entries read of more than ${60 * AUDIT_PAGE}`)
    expect(whileWaiting).toBeLessThan(30 * AUDIT_PAGE)
    abort.abort()
    await sleep(500)
    expect(rowsRead()).toBeLessThan(whileWaiting + 3 * AUDIT_PAGE)
  })

  it('is the log as it stood when asked: entries added during a download wait for the next', { timeout: 60_000 }, async () => {
    const before = await server.hemicycle.services.db.query<{ last: number }>('select max(id) as last from audit_log')
    const response = await server.api('/api/audit?format=csv', { token: secretariat })
    const reader = response.body!.getReader()
    await reader.read()
    await addEntries(10)
    let text = ''
    const decoder = new TextDecoder()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true })
    const last = Number(text.trimEnd().split('\r\n').at(-1)!.split(',')[0])
    expect(last).toBe(before[0]!.last)
  })

  it('ends a download cut short without the response’s end, never as a shorter log that looks whole', { timeout: 60_000 }, async () => {
    // Longer than the connection's buffers hold, so the server is still reading the log when the database fails.
    await addEntries(60 * AUDIT_PAGE)
    for (const path of ['/api/audit?format=csv', '/api/audit']) {
      const response = await server.api(path, { token: secretariat })
      const reader = response.body!.getReader()
      await reader.read()
      failNextRead = true
      const outcome = await (async () => {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
      })().then(
        () => 'ended as if whole',
        () => 'cut',
      )
      expect(failNextRead, `${path}: the server had read the whole log before the failure`).toBe(false)
      expect(outcome, path).toBe('cut')
    }
  })
})
