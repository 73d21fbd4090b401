import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import type { TranslationService } from '../src/translations/service.ts'
import { sleep, startTestServer, type TestServer } from './harness.ts'

/**
 * Following the original opens each version; a version loading sets a run
 * of following off (it may have missed changes while unloaded). A run's own
 * opening must not: where documents unload sooner than the next run comes
 * (a short UNLOAD_AFTER_MS, or a long text whose runs are paced seconds
 * apart), every run loaded the versions again and set off the next, for
 * good, holding the event loop each time.
 */
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', UNLOAD_AFTER_MS: '0' })
})
afterAll(async () => {
  await server?.close()
})

it('settles after a change: a run opening the versions does not set off the next', async () => {
  const token = await server.login('secretariat')
  for (const language of ['en', 'es']) {
    const created = await server.api(`/api/resolutions/${server.resolutionId}/languages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language }), token })
    expect(created.status).toBe(201)
  }
  const translations = server.hemicycle.services.translations as unknown as { follow: TranslationService['changed'] }
  const follow = vi.spyOn(translations, 'follow')
  // Adding a version set a run off; then nothing changes.
  await sleep(2_000)
  const runs = follow.mock.calls.length
  await sleep(2_000)
  expect(follow.mock.calls.length - runs).toBe(0)
  expect(runs).toBeLessThanOrEqual(3)
})
