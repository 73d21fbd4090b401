import { blockIdOf, readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './harness.ts'

/**
 * A text with hundreds of amendments, as in the last hour before a deadline:
 * tabling one more, and listing them, must not read every amendment and
 * every pair on a paragraph again (each holds the event loop, and so
 * everyone’s typing). Reading 240 amendments afresh took ~410 ms for a
 * tabling and ~230 ms for the list here; read through the text’s
 * `ReadingMemo`, ~25–60 ms each. A decision among them took ~200 ms, the
 * tabled ones each rebased to learn whether their paragraph was gone;
 * 67–115 ms now that their blocks are looked up.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const DELEGATES = ['claire', 'kwame', 'lucia', 'erik']
const EACH = 60

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'julien', 'ingrid', ...DELEGATES]) tokens[name] = await server.login(name)
}, 120_000)
afterAll(() => server?.close())

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

describe('a text with hundreds of amendments', () => {
  it('tables one more and lists them all without reading every amendment again', { timeout: 300_000 }, async () => {
    const id = server.resolutionId
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const blocks: Array<{ id: string; text: string }> = []
    readBody((await server.hemicycle.services.collab.open(id)).doc).forEach((node) => {
      if (node.type.name === 'paragraph' && node.textContent.length > 20) blocks.push({ id: blockIdOf(node)!, text: node.textContent })
    })
    // Several dozen to a paragraph, rewriting its first long word and adding a sentence: every pair on one paragraph touches.
    let tabled = 0
    for (const as of DELEGATES) {
      for (let index = 0; index < EACH; index++, tabled++) {
        const block = blocks[(tabled * 7) % blocks.length]!
        const text = `${block.text.replace(/\p{L}{5,}/u, (word) => `${word} modifié ${tabled}`)} Ajout ${tabled}.`
        const response = await post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: block.id, text, justification: 'Pourquoi.' }, as)
        expect(response.status, await response.clone().text()).toBe(201)
      }
    }
    const one = blocks[3]!
    const table = await timed(() => post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: one.id, text: `${one.text} Fin.`, justification: 'Pourquoi.' }, 'julien'))
    expect(table.value.status).toBe(201)
    const lists: number[] = []
    for (let round = 0; round < 3; round++) {
      const list = await timed(async () => (await server.api(`/api/resolutions/${id}/amendments`, { token: tokens['ingrid']! })).json() as Promise<Array<{ collidesWith: string[] }>>)
      expect(list.value).toHaveLength(tabled + 1)
      // They do collide: the memo saved the work, not the finding.
      expect(list.value.every((amendment) => amendment.collidesWith.length > 0)).toBe(true)
      lists.push(list.ms)
    }
    console.info(`${tabled + 1} amendments: tabling one ${table.ms.toFixed(0)} ms, listing ${lists.map((ms) => ms.toFixed(0)).join(' / ')} ms`)
    expect(table.ms).toBeLessThan(150)
    expect(Math.min(...lists)).toBeLessThan(150)

    // A chair's decision: one amendment's words written, and the others read again only where they changed.
    expect((await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const created = (await table.value.json()) as { id: string }
    const decision = await timed(() => post(`/api/amendments/${created.id}/decision`, { decision: 'accept' }, 'ingrid'))
    expect(decision.value.status, await decision.value.clone().text()).toBe(200)
    console.info(`a decision among them: ${decision.ms.toFixed(0)} ms`)
    // Whether the others' paragraphs are gone is whether their blocks are: ~200 ms when each was rebased to know,
    // 67–115 ms now. Printed, not asserted: what remains (the paragraph's own amendments read again, the decision
    // stored) varies too much on a shared machine for a bound between the two.
  })
})
