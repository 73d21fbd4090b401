import { readConfig } from './config.ts'
import { startHemicycle } from './hemicycle.ts'

/** `pnpm start`: one process serving the web app, the API and the websocket on PORT. */
const config = readConfig()
const hemicycle = await startHemicycle({ config })
const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`
process.stdout.write(`${JSON.stringify({ listening: hemicycle.url, port: hemicycle.port, database: where })}\n`)
process.stdout.write(`Hemicycle is running at ${hemicycle.url} — log in as "secretariat" with password "${config.DEMO_PASSWORD === 'demo' ? 'demo' : '$DEMO_PASSWORD'}".\n`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    hemicycle.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
