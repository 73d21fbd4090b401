import pg from 'pg'
import type { Database, Queryable, Statement } from './database.ts'

// bigint counts (count(*)) fit in a JS number for everything Hemicycle counts.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

function toParam(value: unknown): unknown {
  // node-postgres sends Buffers as bytea; a bare Uint8Array would be sent as text.
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value
}

function toRow<Row>(row: Record<string, unknown>): Row {
  for (const key of Object.keys(row)) {
    const value = row[key]
    if (Buffer.isBuffer(value)) row[key] = new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  }
  return row as Row
}

/** A PostgreSQL server, chosen with DATABASE_URL; several instances may share it. */
export async function openPostgres(connectionString: string): Promise<Database> {
  // Connections stay open once opened. pg-pool's default ends each after 10 s idle: after a burst (a room joining at once) it ended
  // them all together, PostgreSQL tore down as many backends in the same moment, and the next burst forked them again; with two
  // instances on 2 cores that stalled live editing for 70-240 ms, 10 s after everyone joined.
  const pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 0 })
  // Advisory locks are held by a session for as long as a procedural step runs: on connections of their own, never starving queries.
  const lockPool = new pg.Pool({ connectionString, max: 20 })
  // A pool error (server restarted, connection dropped) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  lockPool.on('error', () => {})
  await pool.query('select 1')

  const queryable = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, params.map(toParam))
      return result.rows.map((row: Record<string, unknown>) => toRow<Row>(row))
    },
  })

  return {
    kind: 'postgres',
    ...queryable(pool),
    // node-postgres prepares a named statement on each connection the first time that connection runs it.
    async run<Row>({ name, sql }: Statement, params: readonly unknown[]) {
      const result = await pool.query({ name, text: sql, values: params.map(toParam) })
      return result.rows.map((row: Record<string, unknown>) => toRow<Row>(row))
    },
    async exec(sql) {
      await pool.query(sql)
    },
    async transaction(work) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await work(queryable(client))
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    async lock(key, mode) {
      const client = await lockPool.connect()
      const suffix = mode === 'shared' ? '_shared' : ''
      try {
        await client.query(`select pg_advisory_lock${suffix}(hashtextextended($1, 0))`, [key])
      } catch (error) {
        client.release(true)
        throw error
      }
      return async () => {
        try {
          await client.query(`select pg_advisory_unlock${suffix}(hashtextextended($1, 0))`, [key])
          client.release()
        } catch (error) {
          // A session that cannot say unlock is ended, which releases what it held.
          client.release(true)
          throw error
        }
      }
    },
    async close() {
      await Promise.all([pool.end(), lockPool.end()])
    },
  }
}
