import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer } from './harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'hemicycle-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })

describe('the hemicycle CLI', () => {
  it('imports a Markdown file as a draft resolution the server then serves', async () => {
    const file = join(dir, 'gender.md')
    writeFileSync(file, '---\ntitle: "Résolution : égalité de genre"\nstatus: PROJET\nlanguage: fr\n---\n\nLes délégations sont paritaires.\n')
    const data = join(dir, 'data')
    const result = cli(['import', file], { DATA_DIR: data })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const created = JSON.parse(result.stdout) as { id: string; title: string; stage: string }
    expect(created).toMatchObject({ title: 'Résolution : égalité de genre', stage: 'draft' })

    const server = await startTestServer({ DATA_DIR: data })
    try {
      const token = await server.login('secretariat')
      const text = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token })).text()
      expect(text).toContain('Les délégations sont paritaires.')
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
    const usage = cli(['frobnicate'], { DATA_DIR: join(dir, 'data2') })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/Usage:/)
  })
})
