import { defineProject } from 'vitest/config'
import { ALONE } from './vitest.alone.config.ts'

// The files that measure time are another project (vitest.alone.config.ts): run the tests from the repository's root,
// `vitest run --project server --project server-alone <files>`, to have both.
export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ALONE,
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
