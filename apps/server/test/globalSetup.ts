import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startCluster } from './postgresCluster.ts'
import { startRedis } from './redisServer.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
    redisUrl: string
  }
}

/**
 * The server as `npm start` runs it: tests that kill and restart a server
 * process run the built JavaScript, which starts in less time than the
 * TypeScript source through a loader, and is what production runs.
 */
function buildServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the server could not be built (exit ${code}):\n${output}`))))
  })
}

/**
 * The built server, and one PostgreSQL server and one Redis server for the whole run:
 * TEST_DATABASE_URL and TEST_REDIS_URL if given (CI), otherwise throwaway ones.
 */
export default async function setup(project: TestProject) {
  await buildServer()
  const given = process.env['TEST_DATABASE_URL']
  const givenRedis = process.env['TEST_REDIS_URL']
  const cluster = given ? null : await startCluster()
  const redis = givenRedis ? null : await startRedis()
  project.provide('postgresUrl', given ?? cluster!.url)
  project.provide('redisUrl', givenRedis ?? redis!.url)
  return () => {
    redis?.stop()
    cluster?.stop()
  }
}
