import type { Database } from './database.ts'

/**
 * Schema changes, applied in order, each once, inside one transaction per
 * start. Never edit a migration that has shipped: add the next one.
 */
export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '001_alliance_and_documents',
    sql: `
      create table delegations (
        id text primary key,
        party text not null,
        country text not null,
        created_at timestamptz not null default now()
      );

      create table people (
        id text primary key,
        username text not null unique,
        name text not null,
        role text not null check (role in ('secretariat', 'delegate', 'chair', 'steering', 'observer')),
        delegation_id text references delegations(id),
        gender text check (gender in ('f', 'm', 'x')),
        password_hash text not null,
        created_at timestamptz not null default now()
      );

      -- Only a hash of each token is kept: a leaked table opens no session.
      create table sessions (
        token_hash text primary key,
        person_id text not null references people(id) on delete cascade,
        created_at timestamptz not null,
        last_seen_at timestamptz not null
      );

      create table resolutions (
        id text primary key,
        title text not null,
        stage text not null default 'draft'
          check (stage in ('draft', 'amendments', 'consolidation', 'final', 'adopted')),
        language text not null check (language in ('fr', 'en', 'es')),
        draft_date text,
        event text not null default '',
        organisation text not null default '',
        -- The front matter as imported, so keys Hemicycle does not know are written back
        -- in their order (json, unlike jsonb, keeps it).
        front_matter json not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      -- The compacted Yjs state of each document, and the last log entry folded into it.
      create table doc_snapshots (
        resolution_id text primary key references resolutions(id) on delete cascade,
        state bytea not null,
        through_update integer not null default 0,
        updated_at timestamptz not null default now()
      );

      -- The update log. Compaction folds payloads into the snapshot and clears
      -- them, but keeps each row: who changed which Yjs ids, from where, when.
      create table doc_updates (
        id integer generated always as identity primary key,
        resolution_id text not null references resolutions(id) on delete cascade,
        payload bytea,
        origin text not null check (origin in ('connection', 'amendment', 'server')),
        amendment_id text,
        person_id text references people(id),
        delegation_id text references delegations(id),
        inserts jsonb not null default '[]',
        deletes jsonb not null default '[]',
        created_at timestamptz not null default now()
      );
      create index doc_updates_by_resolution on doc_updates (resolution_id, id);

      create table audit_log (
        id integer generated always as identity primary key,
        at timestamptz not null default now(),
        person_id text references people(id),
        delegation_id text references delegations(id),
        action text not null,
        resolution_id text references resolutions(id) on delete set null,
        detail jsonb not null default '{}'
      );
      create index audit_log_by_resolution on audit_log (resolution_id, id);
    `,
  },
  {
    id: '002_procedure_and_amendments',
    sql: `
      alter table resolutions add column amendment_deadline timestamptz;
      alter table resolutions add column adopted_by text check (adopted_by in ('Council', 'Conference'));
      alter table resolutions add column adopted_at text;
      alter table resolutions add column adoption_event text;
      -- SHA-256 of the canonical Markdown of the body, recorded when the Steering Committee locks the text.
      alter table resolutions add column locked_hash text;
      -- § and line numbers as they stood when amendments opened, so citations stay put through consolidation.
      alter table resolutions add column frozen_numbering json;

      -- The text at each stage change and on demand: id 1 is the text as created or imported.
      create table versions (
        resolution_id text not null references resolutions(id) on delete cascade,
        id integer not null,
        label text not null,
        stage text not null,
        state bytea not null,
        created_by text references people(id),
        created_at timestamptz not null default now(),
        primary key (resolution_id, id)
      );

      create table amendments (
        id text primary key,
        resolution_id text not null references resolutions(id) on delete cascade,
        number integer not null,
        kind text not null check (kind in ('replace', 'insertAfter', 'delete')),
        block_id text,
        paragraph integer not null,
        line integer not null,
        base_text text not null,
        text text not null,
        justification text not null,
        status text not null default 'tabled'
          check (status in ('tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete')),
        compromise boolean not null default false,
        merged_into text references amendments(id),
        tabled_by text not null references people(id),
        delegation_id text references delegations(id),
        decision json,
        response json,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (resolution_id, number)
      );
      create index amendments_by_resolution on amendments (resolution_id, number);

      create table amendment_cosponsors (
        amendment_id text not null references amendments(id) on delete cascade,
        delegation_id text not null references delegations(id),
        added_by text not null references people(id),
        added_at timestamptz not null default now(),
        primary key (amendment_id, delegation_id)
      );
    `,
  },
  {
    id: '003_adopted_is_hashed',
    sql: `
      -- Whatever races, an adopted resolution carries the hash recorded at its lock. Not checked
      -- against rows already there (a race before this migration may have left one without).
      alter table resolutions add constraint adopted_is_hashed check (stage <> 'adopted' or locked_hash is not null) not valid;
    `,
  },
]

export async function migrate(db: Database): Promise<string[]> {
  await db.exec(`create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())`)
  return db.transaction(async (tx) => {
    // Two instances starting together on one PostgreSQL server must not both migrate.
    await tx.query('select pg_advisory_xact_lock(727274)')
    const done = new Set((await tx.query<{ id: string }>('select id from schema_migrations')).map((row) => row.id))
    const applied: string[] = []
    for (const migration of migrations) {
      if (done.has(migration.id)) continue
      for (const statement of splitStatements(migration.sql)) await tx.query(statement)
      await tx.query('insert into schema_migrations (id) values ($1)', [migration.id])
      applied.push(migration.id)
    }
    return applied
  })
}

/** Migrations are plain DDL without functions or quoted semicolons, so splitting on `;` is exact. */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0)
}
