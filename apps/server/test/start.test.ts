import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * The newcomer's command, `npm start`, on a fresh clone of this repository,
 * with a newer pnpm (12.x, which refuses a project pinned to 10) first on
 * the PATH: the pinned pnpm must be the one used, the client and the server
 * built, and the server running as plain JavaScript.
 */
const repository = fileURLToPath(new URL('../../..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'hemicycle-start-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('npm start', () => {
  it('serves the app from a fresh clone, even with pnpm 12 first on the PATH', { timeout: 600_000 }, async () => {
    const globalPnpm = join(scratch, 'pnpm12')
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', globalPnpm, 'pnpm@12'], { stdio: 'ignore' })
    const pnpmBin = join(globalPnpm, 'node_modules', '.bin')
    expect(execFileSync(join(pnpmBin, 'pnpm'), ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^12\./)

    const clone = join(scratch, 'clone')
    execFileSync('git', ['clone', '-q', repository, clone])
    const child = spawn('npm', ['start'], {
      cwd: clone,
      detached: true,
      env: { ...process.env, PATH: `${pnpmBin}:${process.env['PATH']}`, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(scratch, 'data'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const poll = setInterval(() => {
          const line = output.split('\n').find((text) => text.startsWith('{"listening"'))
          if (line) {
            clearInterval(poll)
            resolve((JSON.parse(line) as { listening: string }).listening.replace('localhost', '127.0.0.1'))
          }
        }, 200)
        child.on('exit', (code) => {
          clearInterval(poll)
          reject(new Error(`npm start exited with ${code}:\n${output}`))
        })
      })
      expect(output).not.toMatch(/pnpm@12|ERR_PNPM_BAD_PM_VERSION/)
      expect((await fetch(`${url}/api/openapi.json`)).status).toBe(200)
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
      // The server runs as built JavaScript, on plain node.
      const processes = execFileSync('ps', ['-o', 'args=', '-g', String(child.pid)], { encoding: 'utf8' })
      expect(processes).toMatch(/node .*dist\/main\.js/)
      expect(processes).not.toMatch(/tsx/)
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  })
})
