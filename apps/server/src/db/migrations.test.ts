import { describe, expect, it } from 'vitest'
import { freshPostgresUrl } from '../../test/harness.ts'
import { migrate, migrations } from './migrations.ts'
import { openDatabase } from './open.ts'

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
        'delegations',
        'doc_snapshots',
        'doc_updates',
        'meeting_agenda',
        'meetings',
        'notification_reads',
        'notifications',
        'people',
        'resolutions',
        'roll',
        'roll_people',
        'schema_migrations',
        'sessions',
        'versions',
        'votes',
      ])
    } finally {
      await db.close()
    }
  })
})
