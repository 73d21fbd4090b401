import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import type * as VersionMaker from '../src/documents/versionMaker.ts'
import { startTestServer, type TestServer } from './harness.ts'

/**
 * A language version is made on its thread outside the resolution's turn:
 * while it waits there (up to eight versions ahead, each allowed 60 s),
 * decisions and stage moves of the resolution go on. The thread is held
 * here by hand; it answers only once the stage has moved.
 */
const held = vi.hoisted(() => ({ release: null as (() => void) | null, asked: 0 }))
vi.mock('../src/documents/versionMaker.ts', async (original) => {
  const real = await original<typeof VersionMaker>()
  return {
    ...real,
    makeVersion: async (job: Parameters<typeof real.makeVersion>[0]) => {
      held.asked += 1
      await new Promise<void>((resolve) => (held.release = resolve))
      return real.makeVersion(job)
    },
  }
})

let server: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'mateo']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  held.release?.()
  await server?.close()
})

const post = (path: string, body: unknown, as: string) =>
  server.api(`/api/resolutions/${server.resolutionId}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

it('moves the stage while a version is being made, and then adds the version if the new stage allows it, or refuses it', async () => {
  const adding = post('languages', { language: 'en' }, 'secretariat')
  await vi.waitFor(() => expect(held.asked).toBe(1))
  // The resolution's turn is free meanwhile: the stage moves at once.
  const moved = await Promise.race([post('stage', { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'), new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))])
  expect(moved?.status).toBe(200)
  held.release!()
  const added = await adding
  expect(added.status).toBe(201)

  // Made while the text is locked meanwhile: checked again in the turn, and refused.
  const late = post('languages', { language: 'es' }, 'secretariat')
  await vi.waitFor(() => expect(held.asked).toBe(2))
  expect((await post('stage', { to: 'consolidation' }, 'secretariat')).status).toBe(200)
  expect((await post('stage', { to: 'final', confirm: true, acceptOutstandingTranslations: true }, 'mateo')).status).toBe(200)
  held.release!()
  const refused = await late
  expect(refused.status).toBe(409)
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('wrong_stage')
  const listed = (await (await server.api(`/api/resolutions/${server.resolutionId}/languages`, { token: tokens['secretariat']! })).json()) as Array<{ language: string }>
  expect(listed.map((entry) => entry.language).sort()).toEqual(['en', 'fr'])
})
