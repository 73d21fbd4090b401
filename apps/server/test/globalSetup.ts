import type { TestProject } from 'vitest/node'
import { startCluster } from './postgresCluster.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

/** One PostgreSQL server for the whole run: TEST_DATABASE_URL if given (CI), otherwise a throwaway one. */
export default async function setup(project: TestProject) {
  const given = process.env['TEST_DATABASE_URL']
  const cluster = given ? null : await startCluster()
  project.provide('postgresUrl', given ?? cluster!.url)
  return () => cluster?.stop()
}
