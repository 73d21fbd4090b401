import { defineProject } from 'vitest/config'
import { SERVER_TESTS } from './vitest.shared.ts'

/**
 * Test files that measure time (the event loop's lateness, how long a request or a computation takes, CPU or memory),
 * or whose servers' timers must fire on time: they run one at a time once every other test file has run (two at a
 * time, `vitest.config.ts`, then those beside `busOutage`, `vitest.paired.config.ts`), so another file's work on the
 * same cores cannot make them fail.
 */
export const ALONE = [
  'test/accounts.test.ts',
  'test/amendments.test.ts',
  'test/blockLength.test.ts',
  'test/collab.test.ts',
  'test/exportAbandoned.test.ts',
  'test/exportThread.test.ts',
  'test/flood.test.ts',
  'test/followSettles.test.ts',
  'test/heartbeat.test.ts',
  'test/importReader.test.ts',
  'test/instances.test.ts',
  'test/lateTypingAcrossInstances.test.ts',
  'test/longLog.test.ts',
  'test/manyAmendments.test.ts',
  'test/memory.test.ts',
  'test/presence.test.ts',
  'test/reconnectingTabs.test.ts',
  'test/redline20k.test.ts',
  'test/relayedWalk.test.ts',
  'test/sessions.test.ts',
  'test/sharing.test.ts',
  'test/translationReads.test.ts',
  'test/translations.test.ts',
  'src/collab/redisFanout.test.ts',
  'src/db/pglite.test.ts',
  'src/documents/docxReading.test.ts',
  'src/documents/redline.test.ts',
  'src/documents/wordNamespaces.test.ts',
]

export default defineProject({
  test: {
    name: 'server-alone',
    include: ALONE,
    ...SERVER_TESTS,
    fileParallelism: false,
    // The server's modules loaded once for all these files, not once a file (~3.5 s each, 24 files one after the other),
    // as in vitest.config.ts: none of them replaces a module, and the export and import lines they share are empty
    // between files (each waits for its own exports and reads).
    isolate: false,
    sequence: { groupOrder: 2 },
  },
})
