import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'amendments',
    include: ['src/**/*.test.ts'],
    // Property tests run thousands of cases; a loaded CI machine needs more than the default 5 s.
    testTimeout: 60_000,
  },
})
