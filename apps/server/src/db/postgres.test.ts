import pg from 'pg'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { freshPostgresUrl } from '../../test/harness.ts'
import { openPostgres } from './postgres.ts'

/** Client connections to the database `url` names, counted from another connection. An autovacuum worker visiting the new database
 *  is listed there too, for a moment: counting it made the figure after the burst one higher than a minute later on a busy machine. */
async function backendsOn(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') })
  await admin.connect()
  try {
    const [row] = (await admin.query<{ count: string }>("select count(*) from pg_stat_activity where datname = $1 and backend_type = 'client backend'", [new URL(url).pathname.slice(1)])).rows
    return Number(row!.count)
  } finally {
    await admin.end()
  }
}

describe('the PostgreSQL query pool', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps the connections a burst opened once it is over, rather than ending them all together and opening them again at the next burst', async () => {
    const url = await freshPostgresUrl()
    const db = await openPostgres(url)
    try {
      // pg-pool's idle timers start when a connection goes back to the pool: fake before the burst.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
      // As when a room full of people joins at once: queries in parallel, each on a connection of its own.
      await Promise.all(Array.from({ length: 8 }, () => db.query('select pg_sleep(0.05)')))
      const afterBurst = await backendsOn(url)
      expect(afterBurst).toBeGreaterThanOrEqual(8)

      // A minute of quiet (by default pg-pool ends a connection idle for 10 s).
      await vi.advanceTimersByTimeAsync(60_000)
      vi.useRealTimers()
      // Ending a connection takes the server a moment to count: give it one.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await backendsOn(url)).toBe(afterBurst)
    } finally {
      await db.close()
    }
  })
})
