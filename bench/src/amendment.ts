import { BODY } from '@hemicycle/schema'
import * as Y from 'yjs'
import { percentile, sleep, until } from './body.ts'
import { connect } from './clients.ts'
import type { Room, ServerUnderTest } from './servers.ts'

export interface AmendmentResult {
  /** From the chair's request to the change arriving in a connected client. */
  medianMs: number
  worstMs: number
}

/**
 * Hemicycle only (the peers have no procedure): amendments tabled on a
 * draft, then accepted one by one while a client follows the text.
 */
export async function amendmentAcceptance(server: ServerUnderTest, room: Room, count = 10): Promise<AmendmentResult> {
  const api = server.api!
  const expectOk = async (response: Promise<Response>) => {
    const answer = await response
    if (answer.status >= 300) throw new Error(`HTTP ${answer.status}: ${await answer.text()}`)
    return answer
  }
  await expectOk(api(`/api/resolutions/${room.name}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' }))
  const ids: string[] = []
  for (let index = 0; index < count; index++) {
    const tabled = await expectOk(api(`/api/resolutions/${room.name}/amendments`, 'claire', { kind: 'insertAfter', blockId: null, text: `Ajout ⟦${index}⟧ proposé par le banc d'essai.`, justification: 'Mesure.' }))
    ids.push(((await tabled.json()) as { id: string }).id)
  }
  await expectOk(api(`/api/resolutions/${room.name}/stage`, 'secretariat', { to: 'consolidation' }))
  const follower = connect(server.protocol, room)
  await follower.synced
  const arrived = new Map<number, number>()
  follower.doc.getXmlFragment(BODY).observeDeep((events) => {
    const now = performance.now()
    for (const event of events) {
      const text = event.target instanceof Y.XmlText ? event.target.toString() : event.target.toString()
      for (const [, index] of text.matchAll(/⟦(\d+)⟧/g)) if (!arrived.has(Number(index))) arrived.set(Number(index), now)
    }
  })
  await sleep(200)
  const times: number[] = []
  for (let index = 0; index < count; index++) {
    const started = performance.now()
    await expectOk(api(`/api/amendments/${ids[index]}/decision`, 'ingrid', { decision: 'accept' }))
    await until(() => arrived.has(index), 10_000, 'the accepted amendment reaches the client')
    times.push(arrived.get(index)! - started)
    await sleep(50)
  }
  follower.destroy()
  return { medianMs: percentile(times, 50), worstMs: Math.max(...times) }
}
