import { defineProject } from 'vitest/config'
import { ALONE } from './vitest.alone.config.ts'
import { OWN_MODULES } from './vitest.ownModules.config.ts'
import { PAIRED } from './vitest.paired.config.ts'
import { SERVER_TESTS } from './vitest.shared.ts'
import { TIMED } from './vitest.timed.config.ts'

// The files that measure time are other projects (vitest.timed.config.ts, vitest.alone.config.ts), and so are those that replace a module of the
// server (vitest.ownModules.config.ts): run the tests from the repository's root, `vitest run --project 'server*' <files>`, to have all.
export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...ALONE, ...PAIRED, ...TIMED, ...OWN_MODULES],
    ...SERVER_TESTS,
    // The server's modules are loaded once a worker rather than once a file (the files measured 944 s one by one, 836 s so):
    // the files leave no state behind them in those modules (caches are keyed by content or held weakly, each file starts
    // and closes its own servers), and none of them replaces a module.
    isolate: false,
  },
})
