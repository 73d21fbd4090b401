import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, deleteSetUpdate, freshStorage, openRaw, sleep, type Storage, syncMessage } from './harness.ts'
import { apiOf, killHard, type ServerProcess, spawnServer, wsUrl } from './processes.ts'

/**
 * A delegate's hand-written client wrote, under its own client id, one
 * deleted item (`ContentDeleted`, allowed in the body) 2^55 clocks long in a
 * few bytes: its next struct then stood at clock 2^55, past the precision of
 * a number (clock + 1 === clock). Resending that struct with other words
 * sent the gate's clock-by-clock comparison into a loop that never ended,
 * and words written at the next clock went live unstored and unchecked (the
 * state vector rounded). Clocks are bounded (`MAX_CLOCK`): such a frame is
 * refused like any other, and the server goes on. Run against a server
 * process, so that a hang cannot take the test runner with it.
 */
const L = 2 ** 55
const C = 424242

describe('a deleted run 2^55 clocks long, then an overlapping resend', () => {
  let storage: Storage
  let server: ServerProcess | null = null
  beforeAll(async () => {
    storage = await freshStorage('pglite')
  })
  afterAll(async () => {
    if (server) await killHard(server)
    storage?.remove()
  })

  it('is refused, as is a deletion of 2^55 clocks, and the server keeps answering with the text unchanged', { timeout: 180_000 }, async () => {
    server = await spawnServer(storage.env)
    const api = apiOf(server)
    const [draft] = (await (await api.call('/api/resolutions', 'secretariat')).json()) as Array<{ id: string; stage: string }>
    expect(draft!.stage).toBe('draft')
    const id = draft!.id

    // A reader's copy, to find an existing character to write after.
    const reader = connectClient(wsUrl(server), id, await api.token('tomas'))
    await reader.synced
    const body = reader.doc.getXmlFragment('body')
    const paragraph = body.toArray().find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph')!
    const text = paragraph.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText)!
    let last = (text as unknown as { _start: Y.Item })._start
    while (last.right) last = last.right as Y.Item
    const origin = { client: last.id.client, clock: last.id.clock + last.length - 1 }

    const update = (structs: Array<(e: encoding.Encoder) => void>, clock: number) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, structs.length)
      encoding.writeVarUint(e, C)
      encoding.writeVarUint(e, clock)
      for (const struct of structs) struct(e)
      encoding.writeVarUint(e, 0) // no delete set
      return encoding.toUint8Array(e)
    }
    // Info 1: ContentDeleted, parent named by root key "body", then its length.
    const deletedRun = (e: encoding.Encoder) => {
      encoding.writeUint8(e, 1)
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, 'body')
      encoding.writeVarUint(e, L)
    }
    // Info 0x84: a string with a left origin (the paragraph's last character).
    const words = (value: string) => (e: encoding.Encoder) => {
      encoding.writeUint8(e, 0x80 | 4)
      encoding.writeVarUint(e, origin.client)
      encoding.writeVarUint(e, origin.clock)
      encoding.writeVarString(e, value)
    }

    const before = text.toString()
    const refused = async (frame: Uint8Array) => {
      const raw = await openRaw(wsUrl(server!), `/collab/${id}?token=${await api.token('claire')}`)
      raw.socket.send(syncMessage(frame))
      const closed = await Promise.race([raw.closed, sleep(10_000).then(() => null)])
      raw.socket.terminate()
      return closed?.code
    }
    expect(await refused(update([deletedRun, words('aaaaaaaaaaaaaaab')], 0))).toBe(4400)
    // No structs, one deleted range of client C from 0, 2^55 long.
    expect(await refused(deleteSetUpdate([[C, 0, L]]))).toBe(4400)

    expect((await fetch(`${server.url}/api/resolutions/${id}/verify`)).status).toBe(200)
    await sleep(300)
    expect(text.toString()).toBe(before)
    const late = connectClient(wsUrl(server), id, await api.token('tomas'))
    await late.synced
    expect(late.doc.getXmlFragment('body').toString()).toBe(body.toString())
    late.destroy()
    reader.destroy()
  })
})
