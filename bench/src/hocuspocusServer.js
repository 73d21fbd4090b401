// Hocuspocus as its README starts it: in memory, no extensions, on PORT. Plain JavaScript, so no loader weighs on its memory.
import process from 'node:process'
import { Server } from '@hocuspocus/server'

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true })
await server.listen()
process.stdout.write('hocuspocus listening\n')
process.on('SIGTERM', () => server.destroy().then(() => process.exit(0)))
