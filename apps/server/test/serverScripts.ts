import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Runs a script of the server's package (`node …args` in apps/server), rejecting with its output if it fails. */
export function runInServerDir(args: string[], failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${failure} (exit ${code}):\n${output}`))))
  })
}

/**
 * A migrated embedded database (test/pgliteTemplate.ts) in a temporary
 * directory, for test servers to start their new databases from
 * (PGLITE_TEMPLATE).
 */
async function makeTemplate(): Promise<PgliteTemplate & { stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hemicycle-template-'))
  const template = { dump: join(dir, 'pglite.tar'), directory: join(dir, 'cluster') }
  await runInServerDir(['--import', 'tsx', 'test/pgliteTemplate.ts', template.dump, template.directory], 'the embedded database template could not be made')
  return { ...template, stop: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The run's template database, as a dump (what a database in memory loads) and as a closed cluster's directory (copied for one on disk). */
export interface PgliteTemplate {
  dump: string
  directory: string
}

/**
 * The suite's servers hash and check passwords at scrypt's lowest cost PASSWORD_COST accepts, 16 times less than a
 * deployment's: the suite logs in some 1,600 times (80 to 190 s of CPU at the default cost, on two cores that the server
 * tests keep busy). `src/accounts/passwords.test.ts` checks the default cost and that hashes of either cost verify.
 */
export const TEST_PASSWORD_COST = { PASSWORD_COST: '1024' }

/** The template a new database in `dataDir` starts from soonest (PGLITE_TEMPLATE). */
export function templateFor(template: PgliteTemplate, dataDir: string | undefined): string {
  return dataDir?.startsWith('memory://') ? template.dump : template.directory
}

/** The run's one template, whichever projects' setups ask for it. */
export const pgliteTemplate = sharedForRun('hemicycle.pgliteTemplate', makeTemplate)

/**
 * Something a run starts once however many projects' global setups ask for it (vitest loads each project's setup
 * file afresh, so a module's own variables are not shared): started by the first `take`, stopped by the last
 * `release`.
 */
export function sharedForRun<T extends { stop(): void }>(name: string, start: () => Promise<T>) {
  const key = Symbol.for(name)
  const slot = globalThis as unknown as Record<symbol, { value: Promise<T>; users: number } | undefined>
  return {
    take(): Promise<T> {
      let entry = slot[key]
      if (!entry) {
        const created = { value: start(), users: 0 }
        // A start that failed is not kept: the next run in this process (watch mode) tries again.
        created.value.catch(() => {
          if (slot[key] === created) slot[key] = undefined
        })
        entry = slot[key] = created
      }
      entry.users += 1
      return entry.value
    },
    async release(): Promise<void> {
      const entry = slot[key]
      if (!entry || --entry.users > 0) return
      slot[key] = undefined
      ;(await entry.value).stop()
    },
  }
}
