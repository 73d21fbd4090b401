import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../apps/server/test/postgresCluster.ts'

/** How clients reach a server: stock y-websocket clients, or Hocuspocus's own provider (its protocol names the document in every message). */
export type Protocol = 'y-websocket' | 'hocuspocus'

/** One address clients connect to, with what they send along. */
export interface Endpoint {
  url: string
  params: Record<string, string>
}

/** A document on a server under test: its name there, and the addresses of the instances serving it. */
export interface Room {
  name: string
  endpoints: Endpoint[]
}

/** A sync server under test, in processes of its own so their memory and CPU time can be read. */
export interface ServerUnderTest {
  name: string
  protocol: Protocol
  pids: number[]
  /** Resident memory of the server's processes, in MiB. */
  rssMiB(): number
  /** CPU time the server's processes have used so far, in seconds. */
  cpuSeconds(): number
  /** The same per thread ("main", the others by name and id), summed over processes. */
  cpuByThread(): Map<string, number>
  /** A document holding the Kuala Lumpur draft. */
  demo(): Promise<Room>
  /** A new document holding this Markdown body (Hemicycle imports it; the peers start empty and the first client fills them). */
  create(title: string, body: string): Promise<Room & { seed: boolean }>
  /** Hemicycle only: the procedure's routes, as a person. */
  api?(path: string, as: string, body?: unknown): Promise<Response>
  stop(): Promise<void>
}

const root = fileURLToPath(new URL('../..', import.meta.url))
const TICKS_PER_SECOND = 100

/** BENCH_NODE_ARGS: extra node flags for every server under test (e.g. --cpu-prof), to see where their time goes. */
const nodeArgs = () => (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean)

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

/** utime + stime, in seconds, from a /proc stat file (fields 14 and 15, after the command in parentheses). */
function cpuOfStat(path: string): number {
  const stat = readFileSync(path, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

const cpuOf = (pid: number) => cpuOfStat(`/proc/${pid}/stat`)

/** utime + stime of each thread of a process (/proc/<pid>/task/<tid>). */
function cpuByThreadOf(pid: number, into: Map<string, number>): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Node names none of its threads: the main thread is the one whose id is the process's.
      const name = tid === String(pid) ? 'main' : `${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()}:${tid}`
      into.set(name, (into.get(name) ?? 0) + cpuOfStat(`/proc/${pid}/task/${tid}/stat`))
    } catch {
      // The thread ended between the listing and the read.
    }
  }
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
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (process.env['BENCH_VERBOSE']) process.stderr.write(chunk)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
  })
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref()
  })

function measured(children: ChildProcess[]) {
  const pids = children.map((child) => child.pid!)
  return {
    pids,
    rssMiB: () => pids.reduce((sum, pid) => sum + rssOf(pid), 0),
    cpuSeconds: () => pids.reduce((sum, pid) => sum + cpuOf(pid), 0),
    cpuByThread: () => {
      const byThread = new Map<string, number>()
      for (const pid of pids) cpuByThreadOf(pid, byThread)
      return byThread
    },
  }
}

export interface HemicycleSetup {
  name: string
  /** A PGlite data directory (or memory://), unused with `databaseUrl`. */
  dataDir: string
  databaseUrl?: string
  /** With Redis: this many instances sharing the database. */
  redisUrl?: string
  instances?: number
  env?: Record<string, string>
}

/** Hemicycle as `npm start` runs it (the built JavaScript on plain node), one or several instances. */
export async function startHemicycle(setup: HemicycleSetup): Promise<ServerUnderTest> {
  const children: ChildProcess[] = []
  const urls: string[] = []
  for (let index = 0; index < (setup.instances ?? 1); index++) {
    const port = await freePort()
    // As apps/server's start script runs it.
    const child = spawn(process.execPath, [...nodeArgs(), 'dist/main.js'], {
      cwd: `${root}apps/server`,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: setup.dataDir,
        DATABASE_URL: setup.databaseUrl ?? '',
        REDIS_URL: setup.redisUrl ?? '',
        LOG_LEVEL: 'error',
        WEB_ROOT: '/nonexistent',
        MALLOC_MMAP_THRESHOLD_: '131072',
        // The simulated people all log in as one account (the reference servers have none): its session may hold them all.
        MAX_SOCKETS_PER_SESSION: '1000000',
        ...setup.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    // One after the other: the first creates the schema and the demo.
    await waitForOutput(child, /"listening"/)
    urls.push(`http://127.0.0.1:${port}`)
  }
  // One login per account, shared by calls made at once (each login opens a session, and a person holds at most 50).
  const tokens = new Map<string, Promise<string>>()
  const login = async (username: string) => {
    const response = await fetch(`${urls[0]}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })
    return ((await response.json()) as { token: string }).token
  }
  const token = (username: string) => {
    if (!tokens.has(username)) tokens.set(username, login(username))
    return tokens.get(username)!
  }
  const api = async (path: string, as: string, body?: unknown) =>
    fetch(`${urls[0]}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${await token(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const endpoints = async (): Promise<Endpoint[]> => {
    const writer = await token('claire')
    return urls.map((url) => ({ url: `${url.replace(/^http/, 'ws')}/collab`, params: { token: writer } }))
  }
  return {
    name: setup.name,
    protocol: 'y-websocket',
    ...measured(children),
    api,
    async demo() {
      const list = (await (await api('/api/resolutions', 'secretariat')).json()) as Array<{ id: string; title: string }>
      return { name: list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id, endpoints: await endpoints() }
    },
    async create(title, body) {
      const form = new FormData()
      const markdown = `---\ntitle: "${title}"\nstatus: PROJET\ndraft_date: 2019-07-03\nlanguage: fr\n---\n\n${body}`
      form.append('file', new Blob([markdown], { type: 'text/markdown' }), 'draft.md')
      const response = await fetch(`${urls[0]}/api/resolutions/import`, { method: 'POST', headers: { authorization: `Bearer ${await token('secretariat')}` }, body: form })
      if (response.status !== 201 && response.status !== 200) throw new Error(`import: HTTP ${response.status} ${await response.text()}`)
      const { id } = (await response.json()) as { id: string }
      return { name: id, endpoints: await endpoints(), seed: false }
    },
    stop: async () => {
      await Promise.all(children.map(stop))
    },
  }
}

/** The reference y-websocket server (@y/websocket-server 0.1.1), in memory, no authentication, no checks. */
export async function startReference(): Promise<ServerUnderTest> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs(), fileURLToPath(new URL('../node_modules/@y/websocket-server/src/server.js', import.meta.url))], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitForOutput(child, /running at/)
  const endpoint = { url: `ws://127.0.0.1:${port}`, params: {} }
  return peer('@y/websocket-server 0.1.1', 'y-websocket', child, endpoint)
}

/** Hocuspocus (@hocuspocus/server 3.4), in memory, no extensions. */
export async function startHocuspocus(): Promise<ServerUnderTest> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs(), fileURLToPath(new URL('./hocuspocusServer.js', import.meta.url))], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitForOutput(child, /hocuspocus listening/)
  return peer('@hocuspocus/server 3.4', 'hocuspocus', child, { url: `ws://127.0.0.1:${port}`, params: {} })
}

function peer(name: string, protocol: Protocol, child: ChildProcess, endpoint: Endpoint): ServerUnderTest {
  let rooms = 0
  return {
    name,
    protocol,
    ...measured([child]),
    demo: async () => ({ name: 'demo', endpoints: [endpoint] }),
    create: async () => ({ name: `room-${++rooms}`, endpoints: [endpoint], seed: true }),
    stop: () => stop(child),
  }
}
