import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // After every other test file; two files at a time on the two-core machines (each its own server, database and browser).
    sequence: { groupOrder: 2 },
    // One worker for all the files, one after another: the server's modules (each file starts its own server, database
    // and browser) are loaded once, not once a file (~8 s a file of the 23; 5.9 min for them all against 9).
    isolate: false,
    // What people see arrives within a second on an idle machine; a loaded CI machine gets ten.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
})
