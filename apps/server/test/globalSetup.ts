import type { TestProject } from 'vitest/node'
import { startCluster } from './postgresCluster.ts'
import { startRedis } from './redisServer.ts'
import { makePGliteTemplate, runInServerDir } from './serverScripts.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
    redisUrl: string
    /** A dump of a migrated embedded database that test servers' new ones start as (PGLITE_TEMPLATE). */
    pgliteTemplate: string
  }
}

/**
 * The server as `npm start` runs it: tests that kill and restart a server
 * process run the built JavaScript, which starts in less time than the
 * TypeScript source through a loader, and is what production runs.
 */
function buildServer(): Promise<void> {
  return runInServerDir(['--import', 'tsx', 'build.ts'], 'the server could not be built')
}

/**
 * The built server, and one PostgreSQL server and one Redis server for the whole run:
 * TEST_DATABASE_URL and TEST_REDIS_URL if given (CI), otherwise throwaway ones.
 */
export default async function setup(project: TestProject) {
  const [template] = await Promise.all([makePGliteTemplate(), buildServer()])
  const given = process.env['TEST_DATABASE_URL']
  const givenRedis = process.env['TEST_REDIS_URL']
  const cluster = given ? null : await startCluster()
  const redis = givenRedis ? null : await startRedis()
  project.provide('postgresUrl', given ?? cluster!.url)
  project.provide('redisUrl', givenRedis ?? redis!.url)
  project.provide('pgliteTemplate', template.file)
  return () => {
    template.remove()
    redis?.stop()
    cluster?.stop()
  }
}
