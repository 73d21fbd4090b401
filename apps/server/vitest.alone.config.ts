import { defineProject } from 'vitest/config'
import { SERVER_TESTS } from './vitest.shared.ts'

/**
 * Test files that measure time closely (the event loop's lateness, how long a request or a computation takes, CPU or
 * memory, within a few times what they measure), or whose servers' timers must fire on time: they run one at a time
 * once every other server file has run (two at a time, `vitest.config.ts`, then those beside `busOutage`,
 * `vitest.paired.config.ts`, then those with wider bounds, `vitest.timed.config.ts`), so another file's work on the
 * same cores cannot make them fail.
 */
export const ALONE = [
  'test/exportThread.test.ts',
  'test/flood.test.ts',
  'test/heartbeat.test.ts',
  'test/instances.test.ts',
  'test/manyAmendments.test.ts',
  'test/memory.test.ts',
  'test/reconnectingTabs.test.ts',
  'test/relayedWalk.test.ts',
  'test/sessions.test.ts',
  'test/translationReads.test.ts',
  'src/db/pglite.test.ts',
]

export default defineProject({
  test: {
    name: 'server-alone',
    include: ALONE,
    ...SERVER_TESTS,
    fileParallelism: false,
    // The server's modules loaded once for all these files, not once a file (~3.5 s each, one file after the other),
    // as in vitest.config.ts: none of them replaces a module, and the export and import lines they share are empty
    // between files (each waits for its own exports and reads).
    isolate: false,
    sequence: { groupOrder: 3 },
  },
})
