import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const serverDir = fileURLToPath(new URL('..', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  url: string
  port: number
  output(): string
}

/** Starts the built server (`dist/main.js`, built once for the run by `globalSetup.ts`) as its own process, as `npm start` does, and waits until it listens. */
export function spawnServer(env: Record<string, string | undefined>, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
      cwd: serverDir,
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_ROOT: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 60_000)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const line = output.split('\n').find((text) => text.startsWith('{"listening"'))
      if (line) {
        clearTimeout(timer)
        const { listening, port } = JSON.parse(line) as { listening: string; port: number }
        resolve({ child, url: listening.replace('localhost', '127.0.0.1'), port, output: () => output })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited with ${code}:\n${output}`))
    })
  })
}

export function killHard(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve()
    server.child.once('exit', () => resolve())
    server.child.kill('SIGKILL')
  })
}
