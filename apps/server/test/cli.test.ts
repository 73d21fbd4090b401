import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, inject, it } from 'vitest'
import type { Logger } from '../src/logger.ts'
import { startHemicycle } from '../src/hemicycle.ts'
import { startTestServer, testConfig } from './harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'hemicycle-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (args: string[], env: Record<string, string>, input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    // A new DATA_DIR starts as a copy of the run's template, as the test servers' do (not a new cluster, 3-4 s of CPU).
    env: { ...process.env, PGLITE_TEMPLATE: inject('pgliteTemplate').directory, ...env },
    encoding: 'utf8',
    ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input }),
  })

// Each test starts the CLI (TypeScript loaded cold) and a server: 20-30 s on a busy 2-core machine, past vitest's 30 s.
describe('the hemicycle CLI', { timeout: 120_000 }, () => {
  it('imports a Markdown file as a draft resolution the server then serves, saying what the text could not keep', async () => {
    const file = join(dir, 'gender.md')
    writeFileSync(file, '---\ntitle: "Résolution : égalité de genre"\nstatus: PROJET\nlanguage: fr\n---\n\nLes délégations sont ~~souvent~~ paritaires.\n')
    const data = join(dir, 'data')
    const result = cli(['import', file], { DATA_DIR: data })
    expect(result.stderr).toBe('hemicycle: 1 struck-through passage was kept as plain text: strike-through is not a tracked deletion, so check whether those words should go.\n')
    expect(result.status).toBe(0)
    const created = JSON.parse(result.stdout) as { id: string; title: string; stage: string }
    expect(created).toMatchObject({ title: 'Résolution : égalité de genre', stage: 'draft' })

    const server = await startTestServer({ DATA_DIR: data })
    try {
      const token = await server.login('secretariat')
      const text = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token })).text()
      expect(text).toContain('Les délégations sont souvent paritaires.')
    } finally {
      await server.close()
    }
  })

  it('imports a Word document the server exported, keeping its text', async () => {
    const data = join(dir, 'data-docx')
    const server = await startTestServer({ DATA_DIR: data })
    let docx: Uint8Array
    let original: string
    try {
      const token = await server.login('secretariat')
      docx = new Uint8Array(await (await server.api(`/api/resolutions/${server.resolutionId}/export.docx`, { token })).arrayBuffer())
      original = await (await server.api(`/api/resolutions/${server.resolutionId}/export.md`, { token })).text()
    } finally {
      await server.close()
    }
    const file = join(dir, 'draft.docx')
    writeFileSync(file, docx)
    const result = cli(['import', file], { DATA_DIR: data })
    expect(result.stderr).toBe('')
    const created = JSON.parse(result.stdout) as { id: string; title: string }
    expect(created.title).toBe('Résolution : cohésion sociale et progrès')
    const reopened = await startTestServer({ DATA_DIR: data })
    try {
      const token = await reopened.login('secretariat')
      expect(await (await reopened.api(`/api/resolutions/${created.id}/export.md`, { token })).text()).toBe(original)
    } finally {
      await reopened.close()
    }
  })

  it('explains what went wrong and exits non-zero', () => {
    const missing = cli(['import', join(dir, 'missing.md')], { DATA_DIR: join(dir, 'data2') })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/^hemicycle: .*no such file/i)
    // A Latin-1 file, as the server's route refuses it: read as UTF-8, its "é" became U+FFFD in the text, unsaid.
    const latin1 = join(dir, 'latin1.md')
    writeFileSync(latin1, Buffer.from('---\ntitle: Égalité\n---\n\nLes délégations.\n', 'latin1'))
    const refused = cli(['import', latin1], { DATA_DIR: join(dir, 'data2') })
    expect({ status: refused.status, stderr: refused.stderr }).toEqual({ status: 1, stderr: 'hemicycle: "latin1.md" is not UTF-8 text.\n' })
    const usage = cli(['frobnicate'], { DATA_DIR: join(dir, 'data2') })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/Usage:/)
  })

  it('starts a real deployment with SEED_DEMO=0 empty, and creates its first secretariat account from the shell', async () => {
    const data = join(dir, 'data-real')
    const warnings: string[] = []
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message), error: () => undefined }
    const login = (url: string, username: string, password: string) =>
      fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    const empty = await startHemicycle({ config: testConfig({ DATA_DIR: data, SEED_DEMO: '0' }), logger })
    try {
      expect((await login(empty.url, 'secretariat', 'demo')).status).toBe(401)
      expect(await empty.services.db.query('select id from people')).toEqual([])
      expect(await empty.services.db.query('select id from resolutions')).toEqual([])
      expect(warnings.join('\n')).toMatch(/create-secretariat/)
    } finally {
      await empty.close()
    }

    const piped = cli(['create-secretariat', 'Grace.Okafor', 'Grace', 'Okafor'], { DATA_DIR: data }, 'une phrase de passe\n')
    expect(piped.stderr).toBe('')
    expect(piped.status).toBe(0)
    expect(JSON.parse(piped.stdout)).toEqual({ id: expect.stringMatching(/^person-/), username: 'grace.okafor', name: 'Grace Okafor' })
    const generated = cli(['create-secretariat', 'omar', 'Omar Haddad'], { DATA_DIR: data })
    expect(generated.status).toBe(0)
    const { password } = JSON.parse(generated.stdout) as { password: string }
    expect(password.length).toBeGreaterThanOrEqual(20)
    const taken = cli(['create-secretariat', 'omar', 'Omar Again'], { DATA_DIR: data }, 'une autre phrase\n')
    expect(taken.status).toBe(1)
    expect(taken.stderr).toMatch(/^hemicycle: .*already taken/)
    const weak = cli(['create-secretariat', 'lea', 'Léa'], { DATA_DIR: data }, 'court\n')
    expect(weak.status).toBe(1)
    expect(weak.stderr).toMatch(/at least 10 characters/)
    const hostile = cli(['create-secretariat', "x'; drop table people;--", 'X'], { DATA_DIR: data }, 'une phrase de passe\n')
    expect(hostile.status).toBe(1)

    warnings.length = 0
    const real = await startHemicycle({ config: testConfig({ DATA_DIR: data, SEED_DEMO: '0' }), logger })
    try {
      const response = await login(real.url, 'grace.okafor', 'une phrase de passe')
      expect(response.status).toBe(200)
      const { token, person } = (await response.json()) as { token: string; person: { role: string; delegation: unknown } }
      expect(person).toMatchObject({ role: 'secretariat', delegation: null })
      expect((await login(real.url, 'omar', password)).status).toBe(200)
      const people = (await (await fetch(`${real.url}/api/people`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ username: string }>
      expect(people.map((entry) => entry.username).sort()).toEqual(['grace.okafor', 'omar'])
      expect(warnings).toEqual([])
    } finally {
      await real.close()
    }
  }, 120_000)
})
