import { defineProject } from 'vitest/config'
import { SERVER_TESTS } from './vitest.shared.ts'

/**
 * Files that would run alone (`vitest.alone.config.ts`: sub-second windows, fixed sleeps, timers that must fire on
 * time) but can share the two cores with `busOutage`, which mostly waits on Redis and its servers' timers (55 s of CPU
 * in 128 s). Two files at a time, before the files that run alone: `busOutage` is among the first two to start (the
 * two largest in bytes before vitest has timed them, the longest after) and outlasts the others together (117 s
 * against 36 + 52 s in CI), so it is the only file either of them runs beside, never the other.
 */
export const PAIRED = ['test/busOutage.test.ts', 'test/persistence.test.ts', 'test/decisionRaces.test.ts']

export default defineProject({
  test: {
    name: 'server-paired',
    include: PAIRED,
    ...SERVER_TESTS,
    // Two, whatever the machine: with more workers the two others would run beside each other too.
    maxWorkers: 2,
    sequence: { groupOrder: 1 },
  },
})
