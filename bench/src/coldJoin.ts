import * as Y from 'yjs'
import { paragraphsMarkdown, percentile, seed, sleep, textOf, until } from './body.ts'
import { connect } from './clients.ts'
import type { Room, ServerUnderTest } from './servers.ts'

export interface ColdJoinResult {
  /** The resolution joined, for the amendment benchmark. */
  room: Room
  /** From opening the socket to holding the whole document, median of the joins. */
  medianMs: number
  bestMs: number
  stateKiB: number
  /**
   * The floor under any server: a fresh Y.Doc applying the whole state
   * in-process, listening for updates as a provider does, median of the
   * joins. No network, no server.
   */
  applyMs: number
}

const vector = (doc: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((x, y) => x[0] - y[0]))

/**
 * A resolution of `paragraphs` paragraphs that has taken `history` small
 * updates (typing, and deleting now and then), held open by its writer; a
 * newcomer with nothing joins, `joins` times.
 */
export async function coldJoin(server: ServerUnderTest, { paragraphs = 200, history = 20_000, joins = 15 } = {}): Promise<ColdJoinResult> {
  const markdown = paragraphsMarkdown(paragraphs)
  const room = await server.create('Cold join', markdown)
  const writer = connect(server.protocol, room)
  await writer.synced
  if (room.seed) seed(writer.doc, markdown)
  for (let update = 0; update < history; update++) {
    const text = textOf(writer.doc, update * 7)
    if (update % 4 === 3 && text.length > 10) text.delete(update % text.length === 0 ? 1 : (update * 13) % (text.length - 1), 1)
    else text.insert((update * 31) % (text.length + 1), 'abcdefghij'[update % 10]!)
    // Let the socket drain now and then, as typing would.
    if (update % 500 === 499) await sleep(5)
  }
  const probe = connect(server.protocol, room)
  await probe.synced
  await until(() => vector(probe.doc) === vector(writer.doc), 120_000, 'the server has the whole history')
  probe.destroy()
  await sleep(500)
  const times: number[] = []
  for (let join = 0; join < joins; join++) {
    const started = performance.now()
    const client = connect(server.protocol, room)
    await client.synced
    times.push(performance.now() - started)
    client.destroy()
    await sleep(50)
  }
  const state = Y.encodeStateAsUpdate(writer.doc)
  writer.destroy()
  const applyTimes: number[] = []
  for (let join = 0; join < joins; join++) {
    const doc = new Y.Doc()
    doc.on('update', () => {})
    const started = performance.now()
    Y.applyUpdate(doc, state)
    applyTimes.push(performance.now() - started)
    doc.destroy()
  }
  return { room, medianMs: percentile(times, 50), bestMs: Math.min(...times), stateKiB: state.byteLength / 1024, applyMs: percentile(applyTimes, 50) }
}
