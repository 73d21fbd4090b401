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
 * A dump of a migrated embedded database (test/pgliteTemplate.ts) in a
 * temporary file, for test servers to start their new databases from
 * (PGLITE_TEMPLATE).
 */
export async function makePGliteTemplate(): Promise<{ file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hemicycle-template-'))
  const file = join(dir, 'pglite.tar.gz')
  await runInServerDir(['--import', 'tsx', 'test/pgliteTemplate.ts', file], 'the embedded database template could not be made')
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
