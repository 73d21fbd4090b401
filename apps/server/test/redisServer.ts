import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { freePort } from './postgresCluster.ts'

/** A throwaway Redis server on loopback for the tests, from Debian's `redis-server`, keeping nothing on disk. */
export interface RedisServer {
  url: string
  stop(): void
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('The tests of several instances need Redis: apt-get install redis-server, or set TEST_REDIS_URL=redis://…')
  }
  const port = await freePort()
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 20_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${output}`))
    })
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => void child.kill('SIGKILL'),
  }
}
