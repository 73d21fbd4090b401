import { MAX_UNREAD_BYTES } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Client, connectClient, eventually, openRaw, startTestServer, syncRequestMessage, type TestServer, typeInto } from './harness.ts'

let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['claire', 'kwame']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

it('drops a socket that asks for the whole document again and again and never reads, and the others go on', async () => {
  const id = server.resolutionId
  const bystander: Client = connectClient(server.wsUrl, id, tokens['kwame']!)
  await bystander.synced
  const document = server.hemicycle.services.collab.peek(id)!
  const raw = await openRaw(server.wsUrl, `/collab/${id}?token=${tokens['claire']}`)
  await eventually(() => expect(document.connections.size).toBe(2))
  // The client stops reading: what the server sends piles up on the server's side once the kernel's buffers are full.
  const tcp = (raw.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket
  tcp.pause()
  const ask = syncRequestMessage()
  const answer = document.stateForNewcomer().byteLength
  const asks = Math.ceil((3 * MAX_UNREAD_BYTES) / answer)
  for (let index = 0; index < asks; index++) raw.socket.send(ask)
  await eventually(() => expect(document.connections.size).toBe(1), { timeout: 20_000 })
  // Dropped at once, not closed politely behind megabytes nobody will read: reading again, the client finds no close frame.
  tcp.resume()
  expect((await raw.closed).code).toBe(1006)
  // Everyone else is served as before.
  const writer: Client = connectClient(server.wsUrl, id, tokens['claire']!)
  await writer.synced
  typeInto(writer.doc, 0, 0, 'Encore là. ')
  await eventually(() => expect(bystander.doc.getXmlFragment('body').toString()).toContain('Encore là.'))
  writer.destroy()
  bystander.destroy()
}, 60_000)
