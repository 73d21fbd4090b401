import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../test/processes.ts'
import { openPGlite } from './pglite.ts'

describe('bytes in the embedded database', () => {
  it('go in and come out exactly, as PostgreSQL itself stores them, and several times faster than through PGlite’s own codec', { timeout: 120_000 }, async () => {
    const db = await openPGlite('memory://')
    // PGlite with its own codec: the reference for what PostgreSQL stores.
    const reference = new PGlite()
    try {
      for (const target of [db, reference]) await target.query('create table bytes (id int primary key, value bytea)')
      const random = seeded(7)
      const large = Uint8Array.from({ length: 2 * 1024 * 1024 }, () => Math.floor(random() * 256))
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
      console.log(`2 MiB in and out: ${Math.round(own)} ms with Node's codec, ${Math.round(theirs)} ms with PGlite's`)
      expect(own * 2).toBeLessThan(theirs)
    } finally {
      await db.close()
      await reference.close()
    }
  })
})
