import type { TestProject } from 'vitest/node'
import { startCluster } from './postgresCluster.ts'
import { startRedis } from './redisServer.ts'
import { type PgliteTemplate, pgliteTemplate, runInServerDir, sharedForRun } from './serverScripts.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
    redisUrl: string
    /** A migrated embedded database that test servers' new ones start as (PGLITE_TEMPLATE, see `templateFor`). */
    pgliteTemplate: PgliteTemplate
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

interface Services {
  postgresUrl: string
  redisUrl: string
  pgliteTemplate: PgliteTemplate
  stop(): void
}

/**
 * The built server, and one PostgreSQL server and one Redis server for the whole run:
 * TEST_DATABASE_URL and TEST_REDIS_URL if given (CI), otherwise throwaway ones.
 */
async function startServices(): Promise<Services> {
  const templateTaken = pgliteTemplate.take()
  const given = process.env['TEST_DATABASE_URL']
  const givenRedis = process.env['TEST_REDIS_URL']
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null
  let redis: Awaited<ReturnType<typeof startRedis>> | null = null
  let template: PgliteTemplate
  try {
    ;[template] = await Promise.all([templateTaken, buildServer()])
    cluster = given ? null : await startCluster()
    redis = givenRedis ? null : await startRedis()
  } catch (error) {
    // Nothing started is left behind when a later part fails.
    cluster?.stop()
    await templateTaken.then(() => pgliteTemplate.release(), () => pgliteTemplate.release())
    throw error
  }
  return {
    postgresUrl: given ?? cluster!.url,
    redisUrl: givenRedis ?? redis!.url,
    pgliteTemplate: { dump: template.dump, directory: template.directory },
    stop() {
      void pgliteTemplate.release()
      redis?.stop()
      cluster?.stop()
    },
  }
}

/** Shared by the server's four projects (vitest.config.ts, vitest.ownModules.config.ts, vitest.paired.config.ts, vitest.alone.config.ts), which each run this file in the one main process. */
const running = sharedForRun('hemicycle.serverTestServices', startServices)

export default async function setup(project: TestProject) {
  const services = await running.take()
  project.provide('postgresUrl', services.postgresUrl)
  project.provide('redisUrl', services.redisUrl)
  project.provide('pgliteTemplate', services.pgliteTemplate)
  return () => running.release()
}
