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
    id: '003_amendment_wordings',
    sql: `
      -- Wordings exactly as the editor holds them (paragraphs of runs): inline Markdown cannot say
      -- every formatting. Rows from before keep only their Markdown, read when these are null.
      alter table amendments add column wording json;
      alter table amendments add column base_wording json;
    `,
  },
  {
    id: '004_meetings_and_votes',
    sql: `
      create table meetings (
        id text primary key,
        kind text not null check (kind in ('council', 'steering', 'conference', 'workingGroup')),
        title text not null,
        place text not null default '',
        -- As given: a calendar day or an instant with its offset.
        starts_at text not null,
        ends_at text not null,
        created_by text references people(id),
        created_at timestamptz not null default now()
      );

      create table meeting_agenda (
        meeting_id text not null references meetings(id) on delete cascade,
        resolution_id text not null references resolutions(id) on delete cascade,
        position integer not null,
        primary key (meeting_id, resolution_id)
      );

      -- The member parties seated at a meeting, each with the delegate who casts its ballot.
      create table roll (
        meeting_id text not null references meetings(id) on delete cascade,
        delegation_id text not null references delegations(id),
        voting_id text references people(id),
        seated_at timestamptz not null default now(),
        primary key (meeting_id, delegation_id)
      );

      -- Everyone a delegation registers for the meeting: its designated substitutes, and attendance per person.
      create table roll_people (
        meeting_id text not null,
        delegation_id text not null,
        person_id text not null references people(id),
        substitute boolean not null default false,
        present boolean not null default false,
        primary key (meeting_id, person_id),
        foreign key (meeting_id, delegation_id) references roll (meeting_id, delegation_id) on delete cascade
      );

      create table votes (
        id text primary key,
        meeting_id text not null references meetings(id) on delete cascade,
        subject_kind text not null check (subject_kind in ('amendment', 'adoption')),
        amendment_id text references amendments(id),
        resolution_id text not null references resolutions(id),
        majority text not null check (majority in ('simple', 'twoThirds')),
        quorum integer not null,
        status text not null default 'open' check (status in ('open', 'closed')),
        -- Fixed when the vote closes: the result, and how many delegations were present with a vote.
        result json,
        present integer,
        opened_by text references people(id),
        opened_at timestamptz not null,
        closed_by text references people(id),
        closed_at timestamptz
      );
      create index votes_by_meeting on votes (meeting_id, opened_at);
      -- One open vote on a subject at a time, across meetings.
      create unique index votes_one_open_per_subject on votes (subject_kind, coalesce(amendment_id, resolution_id)) where status = 'open';

      -- Each delegation's current ballot. Every ballot cast, replaced ones too, is in the audit log.
      create table ballots (
        vote_id text not null references votes(id) on delete cascade,
        delegation_id text not null references delegations(id),
        choice text not null check (choice in ('yes', 'no', 'abstain')),
        cast_by text not null references people(id),
        cast_at timestamptz not null,
        primary key (vote_id, delegation_id)
      );

      alter table resolutions drop constraint resolutions_adopted_by_check;
      alter table resolutions add constraint resolutions_adopted_by_check check (adopted_by in ('Council', 'Steering Committee', 'Conference'));
      -- The result of the vote that adopted the resolution, when a meeting voted.
      alter table resolutions add column adoption_vote json;
    `,
  },
  {
    id: '005_adopted_is_hashed',
    sql: `
      -- Whatever races, an adopted resolution carries the hash recorded at its lock. Not checked
      -- against rows already there (a race before this migration may have left one without).
      alter table resolutions add constraint adopted_is_hashed check (stage <> 'adopted' or locked_hash is not null) not valid;
    `,
  },
  {
    id: '006_language_versions',
    sql: `
      alter table people drop constraint people_role_check;
      alter table people add constraint people_role_check check (role in ('secretariat', 'delegate', 'chair', 'steering', 'observer', 'translator'));

      -- Which of a resolution's documents a row belongs to: its original, or its version in a language.
      -- Every row written before versions existed is the original's.
      alter table doc_snapshots add column document text not null default 'original' check (document in ('original', 'fr', 'en', 'es'));
      alter table doc_snapshots drop constraint doc_snapshots_pkey;
      alter table doc_snapshots add primary key (resolution_id, document);
      alter table doc_updates add column document text not null default 'original' check (document in ('original', 'fr', 'en', 'es'));
      drop index doc_updates_by_resolution;
      create index doc_updates_by_document on doc_updates (resolution_id, document, id);

      -- A resolution's versions in the alliance's other languages, and the hash of each at the lock.
      create table language_versions (
        resolution_id text not null references resolutions(id) on delete cascade,
        language text not null check (language in ('fr', 'en', 'es')),
        created_by text references people(id),
        created_at timestamptz not null default now(),
        -- The title in this language (the original's is printed until a translator gives one).
        title text,
        locked_hash text,
        primary key (resolution_id, language)
      );

      -- The source wording each translated block was last confirmed against: it is current while the
      -- original's block still reads so, due once it changes.
      create table translation_confirmations (
        resolution_id text not null,
        language text not null,
        source_id text not null,
        source_wording json not null,
        confirmed_by text not null references people(id),
        confirmed_at timestamptz not null,
        primary key (resolution_id, language, source_id),
        foreign key (resolution_id, language) references language_versions (resolution_id, language) on delete cascade
      );
    `,
  },
  {
    id: '007_procedure_in_the_browser',
    sql: `
      -- Amendments still undecided when the text went back to draft, or was locked over them, lapse.
      alter table amendments drop constraint amendments_status_check;
      alter table amendments add constraint amendments_status_check
        check (status in ('tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete', 'lapsed'));
      -- A chair's or the secretariat's reply to the delegation's objection, cleared when the delegation answers again.
      alter table amendments add column objection_reply json;

      -- Where each meeting meets: the deadlines of the resolutions on its agenda are shown in its time zone.
      alter table meetings add column time_zone text not null default 'UTC';
      update meetings set time_zone = 'Asia/Kuala_Lumpur' where id = 'meeting-kuala-lumpur';

      -- A deactivated account keeps its history and logs in no more.
      alter table people add column active boolean not null default true;

      -- What people are told without asking. The audience is everyone, some roles or a delegation. The actor is not told of their own act.
      create table notifications (
        id text primary key,
        at timestamptz not null,
        -- Insertion order, for notices recorded in the same millisecond.
        seq bigint generated always as identity,
        resolution_id text references resolutions(id) on delete cascade,
        -- Roles as ' chair secretariat ', so one like finds a role.
        audience_roles text,
        audience_delegation text references delegations(id),
        actor_id text references people(id),
        subject json not null,
        -- One notice per occurrence when several instances might send it (a deadline approaching).
        once_key text unique
      );
      create index notifications_by_time on notifications (at);

      create table notification_reads (
        notification_id text not null references notifications(id) on delete cascade,
        person_id text not null references people(id) on delete cascade,
        primary key (notification_id, person_id)
      );
    `,
  },
  {
    id: '008_client_claims',
    sql: `
      -- Who first introduced each Yjs client id of a document (in their presence, or by writing under it), recorded at once:
      -- after a crash, words someone typed under it that never reached the log stay theirs, whoever brings them back.
      create table client_claims (
        resolution_id text not null references resolutions(id) on delete cascade,
        document text not null,
        client float8 not null,
        person_id text not null references people(id),
        claimed_at timestamptz not null default now(),
        primary key (resolution_id, document, client)
      );
    `,
  },
  {
    id: '009_hash_rule',
    sql: `
      -- Which canonical Markdown the lock hashed (the original and its versions alike): texts locked before rule 2
      -- keep rule 1, under which their hashes were taken and are checked.
      alter table resolutions add column hash_rule smallint check (hash_rule in (1, 2));
      update resolutions set hash_rule = 1 where locked_hash is not null;
    `,
  },
  {
    id: '010_confirmed_translation',
    sql: `
      -- The translation a confirmation vouched for, beside the source it was confirmed against: rewritten since, or
      -- another block's moved under this source, it is due again. Null for confirmations made before this was kept.
      alter table translation_confirmations add column translation_wording json;
    `,
  },
  {
    id: '011_hidden_ballot_choices',
    sql: `
      -- Ballot entries used to carry the choice (and the one it replaced), readable in the log while the vote was open,
      -- when it is hidden from everyone. Those of votes still open lose it (their close records the choices).
      update audit_log set detail = (detail - 'choice' - 'replaces') || '{"replacesEarlier": true}'::jsonb
        where action = 'ballot' and detail ? 'replaces' and detail->>'vote' in (select id from votes where status = 'open');
      update audit_log set detail = detail - 'choice'
        where action = 'ballot' and detail ? 'choice' and detail->>'vote' in (select id from votes where status = 'open');
    `,
  },
  {
    id: '012_notice_to_a_person',
    sql: `
      -- Some notices concern one person, not a role or a delegation: typing of theirs that landed unseen in a decision's words.
      alter table notifications add column audience_person text references people(id);
    `,
  },
  {
    id: '013_moved_words',
    sql: `
      -- Words an update moved rather than wrote (a paragraph split in its middle): each run of its new characters with
      -- the old ones they stand for, [new client, new clock, old client, old clock, length], so the redline gives them
      -- their own authors. Rows written before hold none: their splits read as before, in the splitter's name.
      alter table doc_updates add column moves jsonb not null default '[]';
    `,
  },
  {
    id: '014_vote_not_applied',
    sql: `
      -- A vote closed on a subject that could no longer take its result (the amendment's paragraph deleted while the
      -- meeting voted) says so and why, instead of reading as passed and applied.
      alter table votes add column not_applied json;
    `,
  },
  {
    id: '015_session_watch_version',
    sql: `
      -- A number every change that can end an open socket moves on (a session ended, a person's role, name, delegation or
      -- account changed, a delegation renamed), on whichever instance or tool made it: the session watch reads this one
      -- row twice a second and reads the sessions themselves only when it moved (500 sessions: 7 ms a read on the
      -- embedded database, on the event loop, twice a second). Touching a session's last use does not move it.
      create table session_watch_version (only_row boolean primary key default true check (only_row), version bigint not null);
      insert into session_watch_version (version) values (0);
      create function session_watch_moved() returns trigger language plpgsql as $$
        begin
          update session_watch_version set version = version + 1;
          return null;
        end
      $$;
      -- Moved as the change commits (deferred), after everything else the transaction does: a transaction holding the row
      -- then waits on nothing, so two changes made at once cannot deadlock over it.
      create constraint trigger session_ended after delete on sessions deferrable initially deferred for each row execute function session_watch_moved();
      create constraint trigger person_standing after update of role, name, delegation_id, active or delete on people deferrable initially deferred for each row execute function session_watch_moved();
      create constraint trigger delegation_names after update of party, country or delete on delegations deferrable initially deferred for each row execute function session_watch_moved();
    `,
  },
  {
    id: '016_session_watch_truncate',
    sql: `
      -- What 015 missed, made straight in SQL: an emptied table (row triggers do not fire on truncate, so "truncate sessions"
      -- to log everyone out left every socket open), and a session given to another person, re-keyed, or set back in time to
      -- expire it. Recording a session's use (last_seen_at moving on) still moves nothing.
      create trigger sessions_emptied after truncate on sessions for each statement execute function session_watch_moved();
      create trigger people_emptied after truncate on people for each statement execute function session_watch_moved();
      create trigger delegations_emptied after truncate on delegations for each statement execute function session_watch_moved();
      create constraint trigger session_changed after update of person_id, token_hash, last_seen_at on sessions deferrable initially deferred for each row when (new.person_id is distinct from old.person_id or new.token_hash is distinct from old.token_hash or new.last_seen_at < old.last_seen_at) execute function session_watch_moved();
    `,
  },
  {
    id: '017_decision_watch',
    sql: `
      -- A decision's change (an acceptance, or its reset) with what it inserted where and what it deleted: typing made
      -- without the decision is recognised in its words however late it arrives, after the text was unloaded or the
      -- server restarted (see lateTyping). Null for every other row, and for a decision that only added paragraphs.
      alter table doc_updates add column watch jsonb;
      create index doc_updates_watched on doc_updates (resolution_id, document, id) where watch is not null;
    `,
  },
  {
    id: '018_log_indexes',
    sql: `
      -- Compaction keeps every row of the log, its payload cleared: reading what is not folded yet, and a text's
      -- decisions, each scanned the whole log (150,000 rows after months of typing) on every opening, compaction
      -- and acceptance. Removing a delegation counts its rows in every resolution's log.
      create index doc_updates_unfolded on doc_updates (resolution_id, document, id) where payload is not null;
      create index doc_updates_decisions on doc_updates (resolution_id, document, id) where origin = 'amendment';
      create index doc_updates_by_delegation on doc_updates (delegation_id) where delegation_id is not null;
    `,
  },
  {
    id: '019_hash_rule_3',
    sql: `
      -- Canonical Markdown rule 3 (formatting beside symbols Unicode 16 and 17 added in the exact form): texts locked
      -- under rules 1 and 2 keep theirs.
      alter table resolutions drop constraint resolutions_hash_rule_check, add constraint resolutions_hash_rule_check check (hash_rule in (1, 2, 3));
    `,
  },
  {
    id: '020_client_ids_written',
    sql: `
      -- When each person first wrote under a Yjs client id new to a document: how many one person may add a day is
      -- counted from these rows (a few hundred a person), not by reading the log, which a long text holds by the 100,000.
      create table client_ids_written (
        resolution_id text not null references resolutions(id) on delete cascade,
        document text not null,
        client float8 not null,
        person_id text not null references people(id),
        written_at timestamptz not null default now(),
        primary key (resolution_id, document, client)
      );
    `,
  },
  {
    id: '021_version_numbering',
    sql: `
      -- The § and line numbers frozen when a saved version's round of amendments opened: a version of an earlier round,
      -- exported after amendments were reopened and frozen afresh, is cited as it was then.
      alter table versions add column frozen_numbering json;
    `,
  },
  {
    id: '022_tabling_request',
    sql: `
      -- The key a form sends with its tabling: sent again after an answer lost on the way, it is the same amendment,
      -- not a second one (A2 beside A1).
      alter table amendments add column request_id text;
      create unique index amendments_by_request on amendments (resolution_id, tabled_by, request_id) where request_id is not null;
    `,
  },
  {
    id: '023_meeting_observers',
    sql: `
      -- Observers who belong to no party, registered for a meeting beside the delegations, and whether each is present.
      create table meeting_observers (
        meeting_id text not null references meetings(id) on delete cascade,
        person_id text not null references people(id),
        present boolean not null default false,
        primary key (meeting_id, person_id)
      );
    `,
  },
  {
    id: '024_roll_seat',
    sql: `
      -- Whether a party's entry on the roll takes one of the seats (a Council has 30), as decided when the entry was last
      -- changed: read from people's roles instead, a role changed since pushed the Council past 30 without any check.
      alter table roll add column seated boolean not null default true;
    `,
  },
]

/**
 * Applies the migrations not yet applied, all in one transaction. Since 015,
 * changing rows of sessions, people or delegations queues a deferred trigger
 * event until commit: a later migration that changes such rows and then alters
 * the same table in this transaction fails ("pending trigger events"), so it
 * must `set constraints all immediate` first. A comment must hold no `;` or
 * `$$` (statements are split before comments are dropped).
 */
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

/** Migrations are plain DDL whose only quoted semicolons are in `$$`-quoted function bodies, so splitting on the others is exact. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = []
  let current = ''
  // Even pieces are outside a function body, odd ones inside.
  sql.split('$$').forEach((piece, index) => {
    if (index % 2 === 1) {
      current += `$$${piece}$$`
      return
    }
    const parts = piece.split(';')
    current += parts[0]
    for (const part of parts.slice(1)) {
      statements.push(current)
      current = part
    }
  })
  statements.push(current)
  return statements.map((statement) => statement.replace(/^\s*--.*$/gm, '').trim()).filter((statement) => statement.length > 0)
}
