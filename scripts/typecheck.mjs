// The root typecheck: the pure packages named in tsconfig.packages.json as one program, then every other workspace
// package's own `typecheck`. The tsconfig is the one list of the first: a package taken out of it is checked on its
// own again, without a second list to keep in step (package.json named them twice).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import process from 'node:process'

/** Runs a command in view; its failure ends this one with its status, its messages already shown. */
function run(command, args) {
  try {
    execFileSync(command, args, { stdio: 'inherit' })
  } catch (error) {
    process.exit(error.status ?? 1)
  }
}
// A tsconfig may carry comments; these are whole lines.
const config = JSON.parse(readFileSync('tsconfig.packages.json', 'utf8').replace(/^\s*\/\/.*$/gm, ''))
const folders = [...new Set(config.include.map((path) => /^packages\/[^/]+/.exec(path)?.[0]).filter(Boolean))]
if (folders.length === 0) throw new Error('tsconfig.packages.json includes no package')
const names = folders.map((folder) => JSON.parse(readFileSync(`${folder}/package.json`, 'utf8')).name)

run('tsc', ['-p', 'tsconfig.packages.json'])
// Without pnpm's topological order: tsc reads its dependencies' sources, not their builds.
run('pnpm', ['-r', '--no-sort', '--workspace-concurrency=2', ...names.map((name) => `--filter=!${name}`), 'typecheck'])
