/** What the server's four test projects (vitest.config.ts, vitest.ownModules.config.ts, vitest.paired.config.ts, vitest.alone.config.ts) share. */
export const SERVER_TESTS = {
  globalSetup: ['test/globalSetup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
}
