import { readConfig } from './config.ts'
import { startHemicycle } from './hemicycle.ts'

/** `pnpm start`: one process serving the web app, the API and the websocket on PORT. */
const config = readConfig()
const hemicycle = await startHemicycle({ config })
const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`
process.stdout.write(`${JSON.stringify({ listening: hemicycle.url, port: hemicycle.port, database: where })}\n`)
process.stdout.write(`Hemicycle is running at ${hemicycle.url} — log in as "secretariat" with password "${config.DEMO_PASSWORD === 'demo' ? 'demo' : '$DEMO_PASSWORD'}".\n`)

/**
 * Stopping waits for every change the server accepted to be stored, for up
 * to SHUTDOWN_TIMEOUT_MS while the database refuses; if any could not be,
 * the exit code says so (1), and so does a second signal or a close that
 * hangs past the limit.
 */
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    setTimeout(() => {
      process.stderr.write(`${JSON.stringify({ level: 'error', message: 'shutdown took too long; exiting with changes possibly unsaved' })}\n`)
      process.exit(1)
    }, config.SHUTDOWN_TIMEOUT_MS + 5000).unref()
    hemicycle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: 'error', message: 'stopped with unsaved changes', error: String(error) })}\n`)
        process.exit(1)
      },
    )
  })
}
