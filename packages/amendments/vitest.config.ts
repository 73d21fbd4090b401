import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'amendments',
    include: ['src/**/*.test.ts'],
    // Property tests run thousands of cases; a loaded CI machine needs more than the default 5 s.
    testTimeout: 60_000,
    // Loaded once a worker, not once a file (no state between files: the one spy is restored): 193 s of CPU for the
    // packages' tests against 127 s.
    isolate: false,
  },
})
