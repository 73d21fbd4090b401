import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server', 'apps/web', 'e2e'],
    // Vitest's default is one worker fewer than the cores: one at a time on a two-core machine, where most
    // test files spend their time waiting on servers, sockets, timers and a browser rather than computing.
    maxWorkers: availableParallelism(),
  },
})
