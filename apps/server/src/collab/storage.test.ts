import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { freshPostgresUrl } from '../../test/harness.ts'
import { openDatabase } from '../db/open.ts'
import { migrate } from '../db/migrations.ts'
import { appendUpdatesAtStage, type LoggedUpdate, readDocumentUpdates } from './storage.ts'

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

describe.each(['pglite', 'postgres'] as const)('appending to the log at a stage, on %s', (engine) => {
  it('stores every row, in order and attributed, when the resolution is at that stage, and none when it is not', async () => {
    const db = await openDatabase(engine === 'postgres' ? { url: await freshPostgresUrl(), dataDir: 'memory://' } : { dataDir: 'memory://' })
    try {
      await migrate(db)
      await db.query(`insert into people (id, username, name, role, password_hash) values ('p1', 'p1', 'P1', 'chair', 'x'), ('p2', 'p2', 'P2', 'chair', 'x')`)
      await db.query(`insert into resolutions (id, title, language, stage) values ('r1', 'Titre', 'fr', 'amendments')`)
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
    } finally {
      await db.close()
    }
  })
})
