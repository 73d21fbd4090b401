import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freshPostgresUrl } from '../../test/harness.ts'
import type { Database, Statement } from './database.ts'
import { openPGlite } from './pglite.ts'
import { openPostgres } from './postgres.ts'

const insert: Statement = {
  name: 'insert_value',
  sql: 'insert into kept (words, bytes, at, count) values ($1, $2, $3, $4) returning id, words, bytes, at, count',
  types: ['text', 'bytea', 'timestamptz', 'integer'],
}

/** Text meant to be read as SQL, and every way a literal could be cut short. */
const HOSTILE = [
  "'); drop table kept; --",
  "\\'); drop table kept; --",
  "E'\\\\x00'",
  '\\x41\\u0041\\\\',
  "l'urgence « ici » \\",
  '$1 $$ $tag$ ;',
  '🎉 e\u0301 \u202e61\u202c',
  '\ud800 a lone half',
]

describe.each(['pglite', 'postgres'] as const)('a prepared statement on %s', (engine) => {
  const open = async (): Promise<Database> => (engine === 'pglite' ? openPGlite('memory://') : openPostgres(await freshPostgresUrl()))

  it('stores and returns exactly what the same statement with parameters does, for any text, bytes, time and number', { timeout: 120_000 }, async () => {
    const db = await open()
    try {
      await db.query('create table kept (id serial primary key, words text, bytes bytea, at timestamptz, count integer)')
      const cases: unknown[][] = HOSTILE.map((words, index) => [words, Uint8Array.of(index, 0x27, 0x5c), new Date(Date.UTC(2019, 7, 31, 10, index)), index])
      cases.push([null, null, null, null], ['', new Uint8Array(), new Date(0), -2147483648])
      const random = fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }).filter((words) => !words.includes('\0')), fc.uint8Array({ maxLength: 40 }), fc.integer())
      for (const [words, bytes, count] of fc.sample(random, { numRuns: 200, seed: 7 })) cases.push([words, bytes, new Date(1_567_245_600_000 + count), count])
      for (const params of cases) {
        const [prepared] = await db.run<Record<string, unknown>>(insert, params)
        const [plain] = await db.query<Record<string, unknown>>(insert.sql, params)
        expect({ ...prepared, id: 0 }).toEqual({ ...plain, id: 0 })
      }
      const [{ count }] = (await db.query<{ count: number }>('select count(*)::int as count from kept')) as [{ count: number }]
      expect(count).toBe(cases.length * 2)
    } finally {
      await db.close()
    }
  })

  it('refuses text PostgreSQL cannot hold as a statement with parameters does, and goes on', async () => {
    const db = await open()
    try {
      await db.query('create table kept (id serial primary key, words text, bytes bytea, at timestamptz, count integer)')
      await expect(db.query(insert.sql, ['a\0b', null, null, 1])).rejects.toThrow()
      await expect(db.run(insert, ['a\0b', null, null, 1])).rejects.toThrow()
      await expect(db.run(insert, ['x', null, null, 'not a number'])).rejects.toThrow()
      expect(await db.run<{ words: string }>(insert, ['after', null, null, 2])).toMatchObject([{ words: 'after' }])
    } finally {
      await db.close()
    }
  })
})
