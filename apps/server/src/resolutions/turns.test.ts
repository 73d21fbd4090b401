import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, expect, it } from 'vitest'
import { freshPostgresUrl, memoryDatabase } from '../../test/harness.ts'
import type { Database } from '../db/database.ts'
import { openDatabase } from '../db/open.ts'
import { ResolutionTurns } from './turns.ts'

const opened: Database[] = []
afterAll(async () => {
  for (const db of opened) await db.close()
})

/**
 * The database's own locks, a shared one asked for `delayMs` late: as a load's request reaching PostgreSQL after a
 * turn's, its connection still being opened, or its process scheduled later on a busy machine.
 */
const lateShared = (db: Database, delayMs: number): Pick<Database, 'lock'> => ({
  lock: async (key, mode) => {
    if (mode === 'shared') await sleep(delayMs)
    return db.lock(key, mode)
  },
})

for (const engine of ['postgres', 'pglite'] as const) {
  it(`lets a turn that waits for a load asked for just before it run, the load's shared lock reaching the database after the turn's (${engine}, helper-174)`, async () => {
    const db = engine === 'postgres' ? await openDatabase({ url: await freshPostgresUrl(), dataDir: 'memory://' }) : await memoryDatabase()
    opened.push(db)
    const turns = new ResolutionTurns(lateShared(db, 200))
    const steps: string[] = []
    // A document opened outside any turn (a vote's close reading the amendment), then a decision's turn that opens it too.
    const load = turns.betweenTurns('r', async () => {
      steps.push('loaded')
    })
    const turn = turns.run('r', async () => {
      await load
      steps.push('decided')
    })
    const outcome = await Promise.race([turn.then(() => 'done'), sleep(5000).then(() => 'stuck')])
    expect({ outcome, steps }).toEqual({ outcome: 'done', steps: ['loaded', 'decided'] })
    // And the resolution's next steps are not held behind them.
    await expect(turns.run('r', async () => 'next')).resolves.toBe('next')
  })
}
