import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a thread running one of the server's modules: compiled next to the
 * server's chunks in production (an entry point of `build.ts` of the same
 * name), TypeScript next to the module starting it in development and
 * tests, where the thread loads it through tsx as the process itself is.
 * `from` is the starting module's `import.meta.url`.
 */
export function startThread(from: string, module: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${module}.js`, from), options)
  const entry = new URL(`./${module}.ts`, from).href
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
  return new Worker(bootstrap, { ...options, eval: true })
}
