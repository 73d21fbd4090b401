import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../apps/server/test/postgresCluster.ts'

/** A sync server under test, in its own process so its memory can be read. */
export interface ServerUnderTest {
  name: string
  url: string
  pid: number
  /** Resident memory of the server process, in MiB. */
  rssMiB(): number
  /** How a client connects to a document: the websocket URL and query parameters. */
  connection(room: string): Promise<{ url: string; room: string; params: Record<string, string> }>
  stop(): Promise<void>
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = pattern.exec(output)
      if (match) resolve(match[0])
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
  })
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

/** Hemicycle as `pnpm start` runs it, with its embedded database in memory or on disk. */
export async function startHemicycle(dataDir: string, databaseUrl?: string): Promise<ServerUnderTest> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('../../apps/server', import.meta.url)),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn', WEB_ROOT: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitForOutput(child, /"listening"/)
  const url = `http://127.0.0.1:${port}`
  const login = async () => {
    const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })
    return ((await response.json()) as { token: string }).token
  }
  const token = await login()
  const draft = ((await (await fetch(`${url}/api/resolutions`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ id: string }>)[0]!.id
  return {
    name: 'Hemicycle',
    url,
    pid: child.pid!,
    rssMiB: () => rssOf(child.pid!),
    connection: async () => ({ url: `ws://127.0.0.1:${port}/collab`, room: draft, params: { token } }),
    stop: () => stop(child),
  }
}

/** The reference y-websocket server (@y/websocket-server), in memory, no authentication. */
export async function startReference(): Promise<ServerUnderTest> {
  const port = await freePort()
  const child = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/@y/websocket-server/src/server.js', import.meta.url))], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitForOutput(child, /running at/)
  return {
    name: 'y-websocket reference',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    rssMiB: () => rssOf(child.pid!),
    connection: async (room) => ({ url: `ws://127.0.0.1:${port}`, room, params: {} }),
    stop: () => stop(child),
  }
}
