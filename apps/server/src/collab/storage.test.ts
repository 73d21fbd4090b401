import { traceOf } from '@hemicycle/amendments'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { freshPostgresUrl, memoryDatabase } from '../../test/harness.ts'
import { openDatabase } from '../db/open.ts'
import { migrate } from '../db/migrations.ts'
import type { Database, Queryable } from '../db/database.ts'
import { appendUpdates, appendUpdatesAtStage, CLEARED_PER_STATEMENT, compactDocument, type LoggedUpdate, readClientOwners, readDecisionWatch, readDocumentUpdates, writeSnapshot } from './storage.ts'

/** Three typed changes from two people, as the live document logs them. */
function changes(): LoggedUpdate[] {
  const doc = new Y.Doc()
  const text = doc.getText('t')
  const person = (id: string) => ({ kind: 'connection' as const, connectionId: `c-${id}`, person: { id, username: id, name: id, role: 'chair' as const, delegation: null } })
  return (['p1', 'p2', 'p1'] as const).map((id, index) => {
    const before = Y.encodeStateVector(doc)
    text.insert(index, 'abc'[index]!)
    return { update: Y.encodeStateAsUpdate(doc, before), origin: person(id), at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)) } as LoggedUpdate
  })
}

/** A fresh database holding chairs p1 and p2 and resolution r1 at `stage`, closed once `run` is done. */
async function onResolution(engine: 'pglite' | 'postgres', stage: string, run: (db: Database) => Promise<void>): Promise<void> {
  const db = await (engine === 'postgres' ? openDatabase({ url: await freshPostgresUrl(), dataDir: 'memory://' }) : memoryDatabase())
  try {
    await migrate(db)
    await db.query(`insert into people (id, username, name, role, password_hash) values ('p1', 'p1', 'P1', 'chair', 'x'), ('p2', 'p2', 'P2', 'chair', 'x')`)
    await db.query(`insert into resolutions (id, title, language, stage) values ('r1', 'Titre', 'fr', $1)`, [stage])
    await run(db)
  } finally {
    await db.close()
  }
}

/** A change made to `doc` under a given client id: the update it makes. */
const editOf = (doc: Y.Doc) => (client: number, change: () => void) => {
  doc.clientID = client
  const before = Y.encodeStateVector(doc)
  change()
  return Y.encodeStateAsUpdate(doc, before)
}

describe.each(['pglite', 'postgres'] as const)('appending to the log at a stage, on %s', (engine) => {
  it('stores every row, in order and attributed, when the resolution is at that stage, and none when it is not', async () => {
    await onResolution(engine, 'amendments', async (db) => {
      const rows = changes()

      expect(await appendUpdatesAtStage(db, 'r1', rows, 'draft')).toBe(false)
      expect(await db.query('select id from doc_updates')).toEqual([])

      expect(await appendUpdatesAtStage(db, 'r1', rows, 'amendments')).toBe(true)
      const stored = await db.query<{ person_id: string; created_at: Date; document: string }>('select person_id, created_at, document from doc_updates order by id')
      expect(stored.map((row) => [row.person_id, new Date(row.created_at).toISOString(), row.document])).toEqual(
        rows.map((row) => [row.origin.kind === 'connection' ? row.origin.person.id : null, row.at.toISOString(), 'original']),
      )
      const doc = new Y.Doc()
      for (const update of await readDocumentUpdates(db, 'r1')) Y.applyUpdate(doc, update)
      expect(doc.getText('t').toString()).toBe('abc')
    })
  })
})

describe.each([
  ['pglite', 'a snapshot'],
  ['postgres', 'a snapshot'],
  ['postgres', 'no snapshot yet'],
] as const)('compacting while the log grows, on %s, from %s', (engine, start) => {
  it('folds each row once and loses none, though it gives the event loop back between slices while others append, compact and read', async () => {
    const db = await (engine === 'postgres' ? openDatabase({ url: await freshPostgresUrl(), dataDir: 'memory://' }) : memoryDatabase())
    try {
      await migrate(db)
      await db.query(`insert into resolutions (id, title, language, stage) values ('r1', 'Titre', 'fr', 'draft')`)
      // Without a snapshot row there is no row for a compaction to lock.
      if (start === 'a snapshot') await writeSnapshot(db, 'r1', Y.encodeStateAsUpdate(new Y.Doc()))
      const doc = new Y.Doc()
      const text = doc.getText('t')
      const server = { kind: 'server' as const }
      const typed = (count: number): LoggedUpdate[] =>
        Array.from({ length: count }, (_, index) => {
          const before = Y.encodeStateVector(doc)
          text.insert(text.length, String.fromCharCode(97 + (index % 26)))
          if (index % 7 === 6) text.delete(text.length - 3, 1)
          return { update: Y.encodeStateAsUpdate(doc, before), origin: server, at: new Date() }
        })
      for (let batch = 0; batch < 6; batch++) await appendUpdates(db, 'r1', typed(200))

      const compacting = () => db.transaction((tx) => compactDocument(tx, 'r1'))
      const first = compacting()
      const reads: Array<Promise<Uint8Array[]>> = []
      const others: Array<Promise<unknown>> = []
      // Appends follow one another, as one document's writes do on an instance.
      let appending: Promise<unknown> = Promise.resolve()
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setImmediate(resolve))
        const rows = typed(20)
        appending = appending.then(() => appendUpdates(db, 'r1', rows))
        others.push(appending, compacting())
        reads.push(readDocumentUpdates(db, 'r1'))
      }
      const folded = [await first, ...((await Promise.all(others)) as number[]).filter((value) => typeof value === 'number')]
      await Promise.all(reads)
      // Every row was folded by exactly one compaction, and what is stored reads back as the text typed.
      const [counted] = await db.query<{ rows: number }>('select count(*)::int as rows from doc_updates')
      expect(folded.reduce((sum, count) => sum + count, 0) + (await compacting())).toBe(counted!.rows)
      const stored = new Y.Doc()
      for (const update of await readDocumentUpdates(db, 'r1')) Y.applyUpdate(stored, update)
      expect(stored.getText('t').toString()).toBe(text.toString())
      for (const read of reads) {
        const partial = new Y.Doc()
        for (const update of await read) Y.applyUpdate(partial, update)
        // Read as of one instant: never a row whose predecessors a compaction had folded away meanwhile.
        expect(partial.store.pendingStructs).toBeNull()
        expect(partial.getText('t').length).toBeGreaterThan(1000)
      }
    } finally {
      await db.close()
    }
  })
})

describe('compacting on the embedded database', () => {
  it('gives the event loop back before it writes the snapshot and before each slice of payloads it clears', async () => {
    const db = await memoryDatabase()
    try {
      await migrate(db)
      await db.query(`insert into resolutions (id, title, language, stage) values ('r1', 'Titre', 'fr', 'draft')`)
      const doc = new Y.Doc()
      const text = doc.getText('t')
      const rows: LoggedUpdate[] = Array.from({ length: 5 * CLEARED_PER_STATEMENT + 1 }, (_, index) => {
        const before = Y.encodeStateVector(doc)
        text.insert(text.length, String.fromCharCode(97 + (index % 26)))
        return { update: Y.encodeStateAsUpdate(doc, before), origin: { kind: 'server' }, at: new Date() }
      })
      await appendUpdates(db, 'r1', rows)

      // Statements as the database gets them, and the pauses between them.
      const seen: string[] = []
      const recording = (tx: Queryable): Queryable => ({
        query: (sql, params) => {
          const ids = /^update doc_updates/.test(sql) ? ` (${(params![0] as number[]).length})` : ''
          seen.push(sql.split(/\s+/).slice(0, 3).join(' ') + ids)
          return tx.query(sql, params)
        },
      })
      const folded = await db.transaction((tx) =>
        compactDocument(recording(tx), 'r1', {
          pause: async () => {
            seen.push('pause')
            await new Promise((resolve) => setImmediate(resolve))
          },
        }),
      )

      expect(folded).toBe(rows.length)
      const writes = seen.flatMap((entry, index) => (/^(insert|update)/.test(entry) ? [[seen[index - 1], entry]] : []))
      expect(writes).toEqual([
        ['pause', 'insert into doc_snapshots'],
        ...[100, 100, 100, 100, 100, 1].map((count) => ['pause', `update doc_updates set (${count})`]),
      ])
      expect(await db.query('select id from doc_updates where payload is not null')).toEqual([])
      const stored = new Y.Doc()
      for (const update of await readDocumentUpdates(db, 'r1')) Y.applyUpdate(stored, update)
      expect(stored.getText('t').toString()).toBe(text.toString())
    } finally {
      await db.close()
    }
  })
})

describe.each(['pglite', 'postgres'] as const)('the watch on decisions kept in the log, on %s', (engine) => {
  it('reads back each acceptance and reset with its trace, one that only deleted too, and nothing for other rows', async () => {
    await onResolution(engine, 'consolidation', async (db) => {
      const doc = new Y.Doc()
      const text = doc.getText('t')
      text.insert(0, 'agir vite et bien')
      const edit = editOf(doc)
      const person = { id: 'p1', username: 'p1', name: 'P1', role: 'chair' as const, delegation: null }
      const rewrite = edit(501, () => {
        text.delete(5, 4)
        text.insert(5, 'rapidement')
      })
      const cut = edit(502, () => text.delete(text.toString().indexOf(' et bien'), ' et bien'.length))
      const typed = edit(7, () => text.insert(0, 'Oui, '))
      await appendUpdates(db, 'r1', [
        { update: rewrite, origin: { kind: 'amendment', amendmentId: 'a1', person }, at: new Date(), watch: { decision: 'accepted', trace: traceOf(rewrite) } },
        { update: typed, origin: { kind: 'connection', connectionId: 'c', person }, at: new Date() },
        { update: cut, origin: { kind: 'amendment', amendmentId: 'a2', person }, at: new Date(), watch: { decision: 'reset', trace: traceOf(cut) } },
      ])
      const read = await readDecisionWatch(db, 'r1')
      expect(read).toEqual([
        { amendmentId: 'a1', trace: traceOf(rewrite) },
        { amendmentId: 'a2', resetBy: 'p1', trace: traceOf(cut) },
      ])
      expect(read[1]!.trace.client).toBe(-1)
    })
  })
})

describe.each(['pglite', 'postgres'] as const)('who owns each client id of a long log, read a page at a time, on %s', (engine) => {
  it('is the first row that inserted under it, whatever the page size, the same as reading the log in one go', async () => {
    await onResolution(engine, 'consolidation', async (db) => {
      const doc = new Y.Doc()
      const text = doc.getText('t')
      const edit = editOf(doc)
      const person = (id: string) => ({ kind: 'connection' as const, connectionId: `c-${id}`, person: { id, username: id, name: id, role: 'chair' as const, delegation: null } })
      const rows: LoggedUpdate[] = []
      // Client 10 first written by p1, then by the server; 11 first by the server, then by p2; a deleting row between;
      // 12 only by p2, last.
      rows.push({ update: edit(10, () => text.insert(0, 'a')), origin: person('p1'), at: new Date() })
      rows.push({ update: edit(11, () => text.insert(0, 'b')), origin: { kind: 'server' }, at: new Date() })
      rows.push({ update: edit(20, () => text.delete(0, 1)), origin: person('p2'), at: new Date() })
      rows.push({ update: edit(10, () => text.insert(0, 'c')), origin: { kind: 'server' }, at: new Date() })
      rows.push({ update: edit(11, () => text.insert(0, 'd')), origin: person('p2'), at: new Date() })
      rows.push({ update: edit(12, () => text.insert(0, 'e')), origin: person('p2'), at: new Date() })
      await appendUpdates(db, 'r1', rows)
      const expected = new Map<number, string>([
        [10, 'person:p1'],
        [11, 'server'],
        [12, 'person:p2'],
      ])
      // Pages of one row, of two (a page boundary inside each pair), of exactly the log's length, and longer.
      for (const pageRows of [1, 2, 3, 6, 500]) expect(await readClientOwners(db, 'r1', { pageRows }), `pages of ${pageRows}`).toEqual(expected)
      expect(await readClientOwners(db, 'nobody')).toEqual(new Map())
    })
  })
})
