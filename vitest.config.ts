import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server/vitest.config.ts', 'apps/server/vitest.ownModules.config.ts', 'apps/server/vitest.paired.config.ts', 'apps/server/vitest.timed.config.ts', 'apps/server/vitest.alone.config.ts', 'apps/web', 'bench', 'e2e'],
    // One test file per core (vitest's default leaves one core free: one file at a time on the two-core CI machine).
    // Then the server's files that wait on timers beside busOutage (apps/server/vitest.paired.config.ts), then those that
    // measure time with wide bounds, two at a time (apps/server/vitest.timed.config.ts), then those that measure it
    // closely, alone (apps/server/vitest.alone.config.ts), then the browser's (e2e).
    maxWorkers: '100%',
  },
})
