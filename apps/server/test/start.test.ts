import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The newcomer's command, `npm start`, on one fresh clone of this repository,
 * whatever pnpm the machine has: none, a newer one (12.x, which refuses a
 * project pinned to 10 and tries to fetch the pinned one itself), or another
 * 10.x. Each time the pinned pnpm must be bootstrapped into `.tools/` and be the
 * one running the server, built as plain JavaScript on plain node.
 *
 * The clone and its installed workspace are shared (installing three times
 * would cost minutes and prove nothing more); `.tools/` is removed before each
 * start, so each one bootstraps pnpm under the PATH it is given.
 */
const repository = fileURLToPath(new URL('../../..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'hemicycle-start-'))
const clone = join(scratch, 'clone')
const pinned = (JSON.parse(execFileSync('git', ['-C', repository, 'show', 'HEAD:package.json'], { encoding: 'utf8' })) as { packageManager: string }).packageManager.split('@')[1]!
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The PATH of this process without any directory holding a pnpm (the test runner's own pinned one included). */
const pathWithoutPnpm = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((dir) => dir !== '' && !existsSync(join(dir, 'pnpm')))
  .join(delimiter)

function installPnpm(version: string): string {
  const prefix = join(scratch, `pnpm-${version}`)
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', prefix, `pnpm@${version}`], { stdio: 'ignore' })
  return join(prefix, 'node_modules', '.bin')
}

let pnpm12 = ''
let pnpm10 = ''
beforeAll(() => {
  execFileSync('git', ['clone', '-q', repository, clone])
  pnpm12 = installPnpm('12')
  // A 10.x that is not the pinned one: it would try to switch versions by itself.
  const other10 = pinned === '10.34.8' ? '10.34.7' : '10.34.8'
  pnpm10 = installPnpm(other10)
}, 300_000)

async function startServes(path: string, globalPnpm: RegExp | null): Promise<void> {
  rmSync(join(clone, '.tools'), { recursive: true, force: true })
  // Asked outside the project: inside, a pnpm 10 other than the pinned one tries to switch to it (and here refuses, unable to verify its signature).
  const found = execFileSync('bash', ['-c', 'command -v pnpm && pnpm --version || true'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, PATH: path } })
  if (globalPnpm) expect(found).toMatch(globalPnpm)
  else expect(found.trim()).toBe('')

  const child = spawn('npm', ['start'], {
    cwd: clone,
    detached: true,
    env: { ...process.env, PATH: path, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(scratch, `data-${Date.now()}`), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
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
    expect(output).toContain(`bootstrap: installing pnpm@${pinned} into .tools/`)
    expect(output).not.toMatch(/ERR_PNPM|pnpm@12/)
    expect((await fetch(`${url}/api/openapi.json`)).status).toBe(200)
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    // The pnpm that runs the server is the pinned one from .tools/, never one
    // found on the PATH; the server runs as built JavaScript on plain node.
    const processes = execFileSync('ps', ['-o', 'args=', '-g', String(child.pid)], { encoding: 'utf8' })
    expect(processes).toMatch(new RegExp(`${clone}/\\.tools/node_modules/(\\.bin/pnpm|pnpm/)`))
    expect(processes).not.toContain(`${scratch}/pnpm-`)
    expect(processes).toMatch(/node .*dist\/main\.js/)
    expect(processes).not.toMatch(/tsx/)
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // Already gone.
    }
    await exited
  }
}

describe('npm start', () => {
  // First, on the fresh clone: nothing installed yet, no pnpm anywhere.
  it('serves the app from a fresh clone with no pnpm on the PATH', { timeout: 600_000 }, async () => {
    await startServes(pathWithoutPnpm, null)
  })

  it('serves the app with pnpm 12 first on the PATH', { timeout: 300_000 }, async () => {
    await startServes(`${pnpm12}${delimiter}${pathWithoutPnpm}`, /^12\./m)
  })

  it('serves the app with another pnpm 10 first on the PATH', { timeout: 300_000 }, async () => {
    await startServes(`${pnpm10}${delimiter}${pathWithoutPnpm}`, /^10\./m)
  })
})
