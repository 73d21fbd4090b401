import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // After every other test file, two files at a time (each its own server, database and browser): they wait on the page
    // more than they use the cores (~1 core on average; the 23 files in 4.7 min against 5.9 one at a time).
    sequence: { groupOrder: 2 },
    // Each worker loads the server's modules once for all its files, not once a file (~8 s a file; 5.9 min against 9).
    isolate: false,
    // What people see arrives within a second on an idle machine; a loaded CI machine gets ten.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
})
