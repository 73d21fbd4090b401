import type { TestProject } from 'vitest/node'
import { type PgliteTemplate, pgliteTemplate } from '../apps/server/test/serverScripts.ts'
import { launchBrowserServer } from './harness.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database that each site's new one starts as (PGLITE_TEMPLATE): its directory, copied. */
    pgliteTemplate: PgliteTemplate
    /** The run's one Chromium, which each test file connects to (`connectBrowser`). */
    browserEndpoint: string
  }
}

/**
 * One template database for the run: each site then starts in about two seconds less than from an empty cluster. One
 * Chromium for the run: a file connects to it in milliseconds, where launching one took about a second.
 */
export default async function setup(project: TestProject) {
  const [template, browser] = await Promise.all([pgliteTemplate.take(), launchBrowserServer()])
  project.provide('pgliteTemplate', { dump: template.dump, directory: template.directory })
  project.provide('browserEndpoint', browser.wsEndpoint())
  return async () => {
    await browser.close()
    await pgliteTemplate.release()
  }
}
