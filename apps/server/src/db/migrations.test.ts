import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { freshPostgresUrl } from '../../test/harness.ts'
import { appendUpdates, compactDocument, readDocumentUpdates } from '../collab/storage.ts'
import { migrate, migrations, splitStatements } from './migrations.ts'
import type { Database } from './database.ts'
import { openDatabase } from './open.ts'
import { openPGlite } from './pglite.ts'

describe.each(['pglite', 'postgres'] as const)('migrations on %s', (engine) => {
  it('create the same schema once, and do nothing the second time', async () => {
    const db = await openDatabase(engine === 'postgres' ? { url: await freshPostgresUrl(), dataDir: 'memory://' } : { dataDir: 'memory://' })
    try {
      expect(await migrate(db)).toEqual([])
      const applied = await db.query<{ id: string }>('select id from schema_migrations order by id')
      expect(applied.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id))
      const tables = await db.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
      )
      expect(tables.map((row) => row.table_name)).toEqual([
        'amendment_cosponsors',
        'amendments',
        'audit_log',
        'ballots',
        'client_claims',
        'client_ids_written',
        'delegations',
        'doc_snapshots',
        'doc_updates',
        'language_versions',
        'meeting_agenda',
        'meeting_observers',
        'meetings',
        'notification_reads',
        'notifications',
        'people',
        'resolutions',
        'roll',
        'roll_people',
        'schema_migrations',
        'session_watch_version',
        'sessions',
        'translation_confirmations',
        'versions',
        'votes',
      ])
    } finally {
      await db.close()
    }
  })
})

/** The schema as the migrations before `id` left it. */
async function migrateUntil(db: Database, id: string): Promise<void> {
  await db.exec('create table schema_migrations (id text primary key, applied_at timestamptz not null default now())')
  for (const migration of migrations.slice(0, migrations.findIndex((candidate) => candidate.id === id))) {
    await db.exec(migration.sql)
    await db.query('insert into schema_migrations (id) values ($1)', [migration.id])
  }
}

describe('documents keyed by language (006)', () => {
  it('keep every row stored before as the original’s, and give a version rows of its own', async () => {
    const db = await openPGlite('memory://')
    try {
      // The schema as it was before language versions, with a resolution's text stored in it.
      await migrateUntil(db, '006_language_versions')
      await db.query(`insert into resolutions (id, title, language) values ('r1', 'Titre', 'fr')`)
      const text = new Y.Doc()
      text.getText('t').insert(0, 'avant')
      await db.query('insert into doc_snapshots (resolution_id, state) values ($1, $2)', ['r1', Y.encodeStateAsUpdate(text)])
      const before = Y.encodeStateVector(text)
      text.getText('t').insert(5, ' et après')
      await db.query(`insert into doc_updates (resolution_id, payload, origin) values ('r1', $1, 'server')`, [Y.encodeStateAsUpdate(text, before)])

      expect(await migrate(db)).toEqual(['006_language_versions', '007_procedure_in_the_browser', '008_client_claims', '009_hash_rule', '010_confirmed_translation', '011_hidden_ballot_choices', '012_notice_to_a_person', '013_moved_words', '014_vote_not_applied', '015_session_watch_version', '016_session_watch_truncate', '017_decision_watch', '018_log_indexes', '019_hash_rule_3', '020_client_ids_written', '021_version_numbering', '022_tabling_request', '023_meeting_observers', '024_roll_seat'])
      const read = (updates: Uint8Array[]) => {
        const doc = new Y.Doc()
        for (const update of updates) Y.applyUpdate(doc, update)
        return doc.getText('t').toString()
      }
      expect(read(await readDocumentUpdates(db, 'r1'))).toBe('avant et après')

      await db.query(`insert into language_versions (resolution_id, language) values ('r1', 'en')`)
      const english = new Y.Doc()
      english.getText('t').insert(0, 'before')
      await appendUpdates(db, 'r1/en', [{ update: Y.encodeStateAsUpdate(english), origin: { kind: 'server' }, at: new Date() }])
      await compactDocument(db, 'r1/en')
      expect(read(await readDocumentUpdates(db, 'r1/en'))).toBe('before')
      expect(read(await readDocumentUpdates(db, 'r1'))).toBe('avant et après')
      await compactDocument(db, 'r1')
      expect(read(await readDocumentUpdates(db, 'r1'))).toBe('avant et après')
      expect((await db.query<{ document: string }>('select document from doc_snapshots order by document')).map((row) => row.document)).toEqual(['en', 'original'])
    } finally {
      await db.close()
    }
  })
})

describe('the hash rule (009)', () => {
  it('records rule 1 for every text already locked, under which its hash was taken, and none for the others', async () => {
    const db = await openPGlite('memory://')
    try {
      await migrateUntil(db, '009_hash_rule')
      await db.query(`insert into resolutions (id, title, language, stage, locked_hash) values ('locked', 'A', 'fr', 'final', 'abc'), ('draft', 'B', 'fr', 'draft', null)`)
      expect(await migrate(db)).toEqual(['009_hash_rule', '010_confirmed_translation', '011_hidden_ballot_choices', '012_notice_to_a_person', '013_moved_words', '014_vote_not_applied', '015_session_watch_version', '016_session_watch_truncate', '017_decision_watch', '018_log_indexes', '019_hash_rule_3', '020_client_ids_written', '021_version_numbering', '022_tabling_request', '023_meeting_observers', '024_roll_seat'])
      const rows = await db.query<{ id: string; hash_rule: number | null }>('select id, hash_rule from resolutions order by id')
      expect(rows).toEqual([
        { id: 'draft', hash_rule: null },
        { id: 'locked', hash_rule: 1 },
      ])
    } finally {
      await db.close()
    }
  })
})

describe('hidden ballot choices (011)', () => {
  it('takes the choice out of the ballot entries of votes still open, and leaves closed votes’ and other entries as they were', async () => {
    const db = await openPGlite('memory://')
    try {
      await migrateUntil(db, '011_hidden_ballot_choices')
      await db.query(`insert into resolutions (id, title, language, stage) values ('r', 'A', 'fr', 'consolidation')`)
      await db.query(`insert into meetings (id, kind, title, starts_at, ends_at) values ('m', 'council', 'Council', '2099-01-01', '2099-01-02')`)
      await db.query(
        `insert into votes (id, meeting_id, subject_kind, resolution_id, majority, quorum, status, opened_at) values
         ('open', 'm', 'adoption', 'r', 'simple', 1, 'open', now()), ('closed', 'm', 'adoption', 'r', 'simple', 1, 'closed', now())`,
      )
      const entries: Array<[string, Record<string, unknown>]> = [
        ['ballot', { vote: 'open', delegation: 'fr-pp', choice: 'no' }],
        ['ballot', { vote: 'open', delegation: 'fr-pp', choice: 'yes', replaces: 'no' }],
        ['ballot', { vote: 'closed', delegation: 'fr-pp', choice: 'yes', replaces: 'no' }],
        ['vote', { vote: 'open', choice: 'not a ballot' }],
      ]
      for (const [action, detail] of entries) await db.query('insert into audit_log (action, resolution_id, detail) values ($1, $2, $3::text::jsonb)', [action, 'r', JSON.stringify(detail)])
      expect(await migrate(db)).toEqual(['011_hidden_ballot_choices', '012_notice_to_a_person', '013_moved_words', '014_vote_not_applied', '015_session_watch_version', '016_session_watch_truncate', '017_decision_watch', '018_log_indexes', '019_hash_rule_3', '020_client_ids_written', '021_version_numbering', '022_tabling_request', '023_meeting_observers', '024_roll_seat'])
      const rows = await db.query<{ detail: Record<string, unknown> }>('select detail from audit_log order by id')
      expect(rows.map((row) => row.detail)).toEqual([
        { vote: 'open', delegation: 'fr-pp' },
        { vote: 'open', delegation: 'fr-pp', replacesEarlier: true },
        { vote: 'closed', delegation: 'fr-pp', choice: 'yes', replaces: 'no' },
        { vote: 'open', choice: 'not a ballot' },
      ])
    } finally {
      await db.close()
    }
  })
})

describe('splitting a migration into statements', () => {
  it('splits at semicolons, but not inside a $$-quoted function body, and drops comment lines', () => {
    expect(
      splitStatements(`
      -- a comment
      create table a (x int);
      create function f() returns trigger language plpgsql as $$
        begin
          update a set x = x + 1;
          return null;
        end
      $$;
      create trigger t after delete on a for each row execute function f();
    `),
    ).toEqual([
      'create table a (x int)',
      'create function f() returns trigger language plpgsql as $$\n        begin\n          update a set x = x + 1;\n          return null;\n        end\n      $$',
      'create trigger t after delete on a for each row execute function f()',
    ])
  })
})
