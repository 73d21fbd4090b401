import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'
import { TEST_PASSWORD_COST, templateFor } from './serverScripts.ts'

const serverDir = fileURLToPath(new URL('..', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  url: string
  port: number
  output(): string
}

/**
 * Starts the built server (`dist/main.js`, built once for the run by `globalSetup.ts`) as its own process, as `npm start` does, and waits until it listens.
 * A new embedded database starts from the run's template unless `env` says otherwise (PGLITE_TEMPLATE: '').
 */
export function spawnServer(env: Record<string, string | undefined>, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
      cwd: serverDir,
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_ROOT: '/nonexistent', ...TEST_PASSWORD_COST, PGLITE_TEMPLATE: templateFor(inject('pgliteTemplate'), env['DATA_DIR']), ...env },
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

/** A redis-server of a test file's own, which it can stop (SIGSTOP: what is published waits), restart or kill without touching the others'. */
export class OwnRedis {
  child: ChildProcess | null = null
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`
  }
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    await new Promise<void>((resolve, reject) => {
      let output = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)))
    })
  }
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal)
  }
  kill(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  }
}

/** A seeded generator (mulberry32), so a failing round can be told again. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A server process's API as a script calls it: logged in as `as` (none: anonymous), GET without a body, POST with one. */
export interface ProcessApi {
  url: string
  call(path: string, as: string | null, body?: unknown): Promise<Response>
  token(as: string): Promise<string>
}

/** The demo people's sessions, each logged in once: sessions live in the database, so one is good on every instance over it. */
export class Sessions {
  private readonly tokens = new Map<string, Promise<string>>()

  token(as: string, at: { url: string }): Promise<string> {
    let token = this.tokens.get(as)
    if (!token) {
      token = fetch(`${at.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: as, password: 'demo' }) })
        .then((response) => response.json() as Promise<{ token: string }>)
        .then(({ token }) => token)
      token.catch(() => this.tokens.delete(as))
      this.tokens.set(as, token)
    }
    return token
  }
}

export function apiOf(server: ServerProcess, sessions = new Sessions()): ProcessApi {
  const token = (as: string) => sessions.token(as, server)
  const call = async (path: string, as: string | null, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(as ? { authorization: `Bearer ${await token(as)}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  return { url: server.url, call, token }
}

/** Where a server's collaboration sockets open. */
export const wsUrl = (server: { url: string }) => server.url.replace(/^http/, 'ws')
