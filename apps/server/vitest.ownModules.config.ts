import { defineProject } from 'vitest/config'
import { SERVER_TESTS } from './vitest.shared.ts'

/**
 * Test files that replace a module of the server with `vi.mock`: they load the server's modules for themselves, as the
 * other files share theirs (`isolate: false` in vitest.config.ts), where a module already loaded would keep the real one.
 */
export const OWN_MODULES = ['test/versionOutsideTurn.test.ts']

export default defineProject({
  test: {
    name: 'server-own-modules',
    include: OWN_MODULES,
    ...SERVER_TESTS,
  },
})
