import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendUpdates, compactDocument } from '../src/collab/storage.ts'
import { FIXTURE_PATH } from '../src/config.ts'
import type { Database, Queryable } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { InProcessFanout } from '../src/collab/fanout.ts'
import { importMarkdown } from '../src/documents/markdownImport.ts'
import { storedBody } from '../src/resolutions/documents.ts'
import { ENGINES, freshPostgresUrl, memoryDatabase, slowed, startTestServer, type TestServer } from './harness.ts'

/**
 * Stage moves racing on a database that answers every query 300 ms late
 * (as a networked PostgreSQL under load might): the real engine underneath,
 * only slower. Two server instances share it, so nothing in one process
 * can serialise the moves; the database must.
 */
const servers: TestServer[] = []
const databases: Database[] = []
afterAll(async () => {
  for (const server of servers) await server.close()
  for (const db of databases) await db.close()
})

describe.each(ENGINES)('stage moves on %s, every query 300 ms late', (engine) => {
  it('of an adoption and a reopening racing on two instances, exactly one wins, and an adopted resolution is hashed', async () => {
    const db = slowed(await (engine === 'postgres' ? openDatabase({ url: await freshPostgresUrl(), dataDir: '' }) : memoryDatabase()))
    databases.push(db)
    const fanout = new InProcessFanout()
    const one = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout })
    const two = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout })
    servers.push(one, two)
    const id = one.resolutionId
    const move = (server: TestServer, token: string, body: Record<string, unknown>) =>
      server.api(`/api/resolutions/${id}/stage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })
    const [secretariat, mateo] = [await one.login('secretariat'), await two.login('mateo')]
    expect((await move(one, secretariat, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' })).status).toBe(200)
    expect((await move(one, secretariat, { to: 'consolidation' })).status).toBe(200)
    expect((await move(one, mateo, { to: 'final', confirm: true })).status).toBe(200)

    db.delayMs = 300
    const [adopt, reopen] = await Promise.all([
      move(one, secretariat, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-11-30' }),
      move(two, mateo, { to: 'consolidation', reason: 'One more round.' }),
    ])
    db.delayMs = 0
    const statuses = [adopt.status, reopen.status]
    expect(statuses.sort()).toEqual([200, 409])
    const loser = adopt.status === 409 ? adopt : reopen
    expect(await loser.json()).toMatchObject({ error: { code: expect.stringMatching(/stage_changed|invalid_transition/) } })

    const [row] = await db.query<{ stage: string; locked_hash: string | null }>('select stage, locked_hash from resolutions where id = $1', [id])
    expect(row!.stage).toBe(adopt.status === 200 ? 'adopted' : 'consolidation')
    expect(row!.locked_hash === null).toBe(row!.stage !== 'adopted')
    const verify = (await (await one.api(`/api/resolutions/${id}/verify`)).json()) as { stage: string; matches: boolean | null }
    expect(verify).toEqual(expect.objectContaining({ stage: row!.stage, matches: row!.stage === 'adopted' ? true : null }))
    // Both instances' live documents follow the stage that won.
    for (const server of [one, two]) {
      const live = server.hemicycle.services.collab.peek(id)
      if (live) expect(live.stage).toBe(row!.stage)
    }
  }, 120_000)
})

describe('loading a document while another instance compacts it (PostgreSQL)', () => {
  it('reads the snapshot and the log as of one instant, so a compaction in between drops nothing', async () => {
    const db = await openDatabase({ url: await freshPostgresUrl(), dataDir: '' })
    databases.push(db)
    const { resolution } = await importMarkdown(db, readFileSync(FIXTURE_PATH, 'utf8'), { by: null, now: new Date() })
    // A change in the log, not yet folded into the snapshot.
    const doc = new Y.Doc()
    const [snapshot] = await db.query<{ state: Uint8Array }>('select state from doc_snapshots where resolution_id = $1', [resolution.id])
    Y.applyUpdate(doc, snapshot!.state)
    const before = Y.encodeStateVector(doc)
    const first = doc.getXmlFragment('body').get(0) as Y.XmlElement
    ;(first.get(0) as Y.XmlText).insert(0, 'Logged, not yet compacted. ')
    await appendUpdates(db, resolution.id, [{ update: Y.encodeStateAsUpdate(doc, before), origin: { kind: 'server' }, at: new Date() }])

    // Right after the snapshot is read, another instance folds the log into a new snapshot and clears the payloads.
    let armed = true
    const afterSnapshotRead = async (sql: string) => {
      if (!armed || !sql.includes('from doc_snapshots')) return
      armed = false
      await db.transaction((tx) => compactDocument(tx, resolution.id))
    }
    const intercepted = (target: Queryable): Queryable => ({
      async query<Row>(sql: string, params?: readonly unknown[]) {
        const rows = await target.query<Row>(sql, params)
        await afterSnapshotRead(sql)
        return rows
      },
    })
    const loading: Database = { ...db, query: intercepted(db).query, transaction: (work) => db.transaction((tx) => work(intercepted(tx))) }
    const body = await storedBody(loading, resolution.id)
    expect(armed).toBe(false)
    expect(body.firstChild?.textContent).toMatch(/^Logged, not yet compacted\. Nous vivons/)
  })
})

describe.each(ENGINES)('a lock and an acceptance racing on %s, every query 300 ms late', (engine) => {
  it('end in exactly one order: the amendment in the locked text, or refused; the hash always matches', async () => {
    const db = slowed(await (engine === 'postgres' ? openDatabase({ url: await freshPostgresUrl(), dataDir: '' }) : memoryDatabase()))
    databases.push(db)
    const server = await startTestServer({ LOG_LEVEL: 'silent' }, { db })
    servers.push(server)
    const id = server.resolutionId
    const call = (path: string, token: string, body: Record<string, unknown>) =>
      server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })
    const [secretariat, mateo, claire, ingrid] = [await server.login('secretariat'), await server.login('mateo'), await server.login('claire'), await server.login('ingrid')]
    expect((await call(`/api/resolutions/${id}/stage`, secretariat, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' })).status).toBe(200)
    const tabled = await call(`/api/resolutions/${id}/amendments`, claire, { kind: 'insertAfter', blockId: null, text: 'Ajout déposé pour la course.', justification: 'Test.' })
    expect(tabled.status).toBe(201)
    const amendmentId = ((await tabled.json()) as { id: string }).id
    expect((await call(`/api/resolutions/${id}/stage`, secretariat, { to: 'consolidation' })).status).toBe(200)

    db.delayMs = 300
    const [accept, lock] = await Promise.all([
      call(`/api/amendments/${amendmentId}/decision`, ingrid, { decision: 'accept' }),
      // Over the outstanding amendment, so the lock goes through in either order: first, it lapses the amendment.
      call(`/api/resolutions/${id}/stage`, mateo, { to: 'final', confirm: true, acceptOutstandingAmendments: true }),
    ])
    db.delayMs = 0
    expect(lock.status).toBe(200)
    expect([200, 409]).toContain(accept.status)
    const [row] = await db.query<{ status: string }>('select status from amendments where id = $1', [amendmentId])
    expect(row!.status).toBe(accept.status === 200 ? 'accepted' : 'lapsed')
    const body = await storedBody(db, id)
    expect(body.textContent.includes('Ajout déposé pour la course.')).toBe(accept.status === 200)
    const verify = (await (await server.api(`/api/resolutions/${id}/verify`)).json()) as { stage: string; matches: boolean }
    expect(verify).toEqual(expect.objectContaining({ stage: 'final', matches: true }))
  }, 120_000)
})
