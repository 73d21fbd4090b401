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
 * One PostgreSQL server and one Redis server for the whole run:
 * TEST_DATABASE_URL and TEST_REDIS_URL if given (CI), otherwise throwaway ones.
 */
export default async function setup(project: TestProject) {
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
