import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../test/processes.ts'
import { freshPostgresUrl } from '../../test/harness.ts'
import type { Database } from './database.ts'
import { openDatabase } from './open.ts'
import { openPGlite } from './pglite.ts'

describe('bytes in the embedded database', () => {
  it('go in and come out exactly, as PostgreSQL itself stores them, and several times faster than through PGlite’s own codec', { timeout: 120_000 }, async () => {
    const db = await openPGlite('memory://')
    // PGlite with its own codec: the reference for what PostgreSQL stores.
    const reference = new PGlite()
    try {
      for (const target of [db, reference]) await target.query('create table bytes (id int primary key, value bytea)')
      const random = seeded(7)
      const large = Uint8Array.from({ length: 5 * 1024 * 1024 }, () => Math.floor(random() * 256))
      const backing = Uint8Array.from({ length: 64 }, (_, index) => index)
      const cases: Uint8Array[] = [new Uint8Array(), Uint8Array.from({ length: 256 }, (_, index) => index), backing.subarray(10, 20), Buffer.from('Le Conseil décide.'), large]
      for (const [id, value] of cases.entries()) {
        await db.query('insert into bytes values ($1, $2)', [id, value])
        await reference.query('insert into bytes values ($1, $2)', [id, value])
        const [stored] = await db.query<{ hex: string; value: Uint8Array }>('select encode(value, $2) as hex, value from bytes where id = $1', [id, 'hex'])
        const [expected] = (await reference.query<{ hex: string; value: Uint8Array }>('select encode(value, $2) as hex, value from bytes where id = $1', [id, 'hex'])).rows
        expect(stored!.hex).toBe(expected!.hex)
        expect(stored!.hex).toBe(Buffer.from(value).toString('hex'))
        expect(stored!.value).toBeInstanceOf(Uint8Array)
        expect(Buffer.from(stored!.value).equals(Buffer.from(expected!.value))).toBe(true)
      }
      // Its own buffer: a value read is not a view into memory shared with anything else.
      const [small] = await db.query<{ value: Uint8Array }>('select value from bytes where id = 2')
      expect(small!.value.byteLength).toBe(10)
      expect(small!.value.buffer.byteLength).toBe(10)

      const timed = async (target: { query(sql: string, params: unknown[]): Promise<unknown> }) => {
        const started = performance.now()
        await target.query('insert into bytes values ($1, $2)', [100, large])
        await target.query('select value from bytes where id = $1', [100])
        return performance.now() - started
      }
      const own = await timed(db)
      const theirs = await timed(reference)
      console.log(`5 MiB in and out: ${Math.round(own)} ms with Node's codec, ${Math.round(theirs)} ms with PGlite's`)
      expect(own * 2).toBeLessThan(theirs)
    } finally {
      await db.close()
      await reference.close()
    }
  })
})

describe('what "saved" survives', () => {
  // The README says so: saved on PGlite survives the process, not the machine; a PostgreSQL server flushes each commit.
  it('is in the operating system’s hands on PGlite (fsync off); with a PostgreSQL server, each commit waits for its flush (synchronous_commit on)', { timeout: 60_000 }, async () => {
    const settings = async (db: Database) => {
      const [fsync] = await db.query<{ fsync: string }>('show fsync')
      const [commit] = await db.query<{ synchronous_commit: string }>('show synchronous_commit')
      return { fsync: fsync!.fsync, commit: commit!.synchronous_commit }
    }
    const embedded = await openPGlite('memory://')
    const server = await openDatabase({ url: await freshPostgresUrl(), dataDir: 'memory://' })
    try {
      expect(await settings(embedded)).toEqual({ fsync: 'off', commit: 'on' })
      // fsync is the server's own setting (the tests' throwaway cluster turns it off for speed); Hemicycle's sessions never relax commits.
      expect((await settings(server)).commit).toBe('on')
    } finally {
      await embedded.close()
      await server.close()
    }
  })
})

describe('the embedded database on its own thread', () => {
  it('runs a long statement without holding the event loop', { timeout: 60_000 }, async () => {
    const db = await openPGlite('memory://')
    try {
      // Timers due every 10 ms while a statement of about a second runs: on the event loop, the first would fire only after it.
      let latest = 0
      let ticking = true
      const tick = () => {
        const started = performance.now()
        setTimeout(() => {
          latest = Math.max(latest, performance.now() - started - 10)
          if (ticking) tick()
        }, 10)
      }
      tick()
      const started = performance.now()
      const [row] = await db.query<{ total: string }>('select sum(value)::text as total from generate_series(1, 1500000) as value')
      const took = performance.now() - started
      // The timer pending now fires next: its lateness counts too.
      await new Promise((resolve) => setTimeout(resolve, 30))
      ticking = false
      expect(row!.total).toBe('1125000750000')
      console.log(`a ${Math.round(took)} ms statement; the event loop's timers at most ${Math.round(latest)} ms late`)
      expect(took).toBeGreaterThan(300)
      expect(latest).toBeLessThan(Math.min(150, took / 3))
    } finally {
      await db.close()
    }
  })

  it('keeps PostgreSQL’s error fields, and a transaction’s atomicity and isolation', { timeout: 60_000 }, async () => {
    const db = await openPGlite('memory://')
    try {
      await db.query('create table seats (id int primary key, party text not null)')
      await db.query('insert into seats values (1, $1)', ['PS'])
      const duplicate = await db.query('insert into seats values (1, $1)', ['PSOE']).catch((error: unknown) => error)
      expect(duplicate).toBeInstanceOf(Error)
      expect(duplicate).toMatchObject({ code: '23505', constraint: 'seats_pkey' })

      // Rolled back whole when the work throws; its rows seen inside it, nowhere else while it is open.
      const outside: string[][] = []
      const refused = await db
        .transaction(async (tx) => {
          await tx.query('insert into seats values (2, $1)', ['SPD'])
          expect((await tx.query<{ party: string }>('select party from seats order by id')).map((row) => row.party)).toEqual(['PS', 'SPD'])
          // A statement outside waits for the transaction, as PGlite runs one at a time.
          void db.query<{ party: string }>('select party from seats order by id').then((rows) => outside.push(rows.map((row) => row.party)))
          await new Promise((resolve) => setTimeout(resolve, 50))
          expect(outside).toEqual([])
          throw new Error('changed my mind')
        })
        .catch((error: unknown) => error)
      expect(refused).toMatchObject({ message: 'changed my mind' })
      await expect.poll(() => outside).toEqual([['PS']])

      const kept = await db.transaction(async (tx) => {
        await tx.query('insert into seats values (3, $1)', ['Labour'])
        return (await tx.query<{ n: number }>('select count(*)::int as n from seats'))[0]!.n
      })
      expect(kept).toBe(2)
      // Bytes, dates and JSON come back as they went in.
      const bytes = Uint8Array.from([0, 1, 254, 255])
      const [typed] = await db.query<{ b: Uint8Array; at: Date; j: unknown }>("select $1::bytea as b, $2::timestamptz as at, $3::jsonb as j", [bytes, new Date('2026-12-01T10:30:00Z'), JSON.stringify({ party: 'PS', seats: [1, 2] })])
      expect(typed!.b).toEqual(bytes)
      expect(typed!.at).toEqual(new Date('2026-12-01T10:30:00Z'))
      expect(typed!.j).toEqual({ party: 'PS', seats: [1, 2] })
    } finally {
      await db.close()
    }
    await expect(db.query('select 1')).rejects.toThrow(/closed/)
  })
})
