import { defineProject } from 'vitest/config'

export default defineProject({
  // The property tests read thousands of documents each; on two busy cores one can take longer than vitest's 5 s default.
  // Loaded once a worker, not once a file (no state between files: spies are restored, fake timers undone).
  test: { name: 'schema', include: ['src/**/*.test.ts'], testTimeout: 60_000, isolate: false },
})
