import { defineProject } from 'vitest/config'
import { SERVER_TESTS } from './vitest.shared.ts'

/**
 * Test files that measure time, but with bounds 3 to 14 times what they measure (the long log's redline 99 ms against
 * 300, an import holding the event loop 743 ms against 3 s, both seen two at a time; a CPU-time ratio, pages read
 * against a count), or whose timers need not fire to the millisecond: two at a time,
 * once the files beside `busOutage` have run (`vitest.paired.config.ts`) and before those that measure closely
 * (`vitest.alone.config.ts`). One at a time, they left a core idle for about three minutes.
 */
export const TIMED = [
  'test/accounts.test.ts',
  'test/amendments.test.ts',
  'test/blockLength.test.ts',
  'test/collab.test.ts',
  'test/exportAbandoned.test.ts',
  'test/followSettles.test.ts',
  'test/importReader.test.ts',
  'test/lateTypingAcrossInstances.test.ts',
  'test/longLog.test.ts',
  'test/presence.test.ts',
  'test/redline20k.test.ts',
  'test/sharing.test.ts',
  'test/translations.test.ts',
  'src/collab/redisFanout.test.ts',
  'src/documents/docxReading.test.ts',
  'src/documents/redline.test.ts',
  'src/documents/wordNamespaces.test.ts',
]

export default defineProject({
  test: {
    name: 'server-timed',
    include: TIMED,
    ...SERVER_TESTS,
    maxWorkers: 2,
    // The server's modules loaded once a worker, as in vitest.config.ts and vitest.alone.config.ts.
    isolate: false,
    sequence: { groupOrder: 2 },
  },
})
