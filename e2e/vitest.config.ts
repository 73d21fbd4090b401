import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time, after every other test file. Two at a time took 4.7 min against 5.9, but one run in three
    // failed under the load (shownIsAccepted: a chair's typed letter never made the preview a conflict within 10 s).
    // Since then (36 files), two at a time gain nothing: 8.1 min against 8.1 sharing the one Chromium, 7.8 with a
    // Chromium per worker, translations.test.ts timing out in both. One file at a time already keeps both cores about
    // four-fifths busy (vmstat: 20% idle on average; the server, PGlite and Chromium's processes), two files left them
    // 0-5% idle, and each took twice as long (coediting and secretariat: 88 s together against 82 s one after the other).
    fileParallelism: false,
    sequence: { groupOrder: 4 },
    // One worker for all the files: the server's modules are loaded once, not once a file (~8 s a file; 5.9 min against 9).
    isolate: false,
    // What people see arrives within a second on an idle machine; a loaded CI machine gets ten.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
})
