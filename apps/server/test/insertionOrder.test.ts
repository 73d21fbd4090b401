import type { Amendment } from '@hemicycle/protocol'
import { blockIdOf, readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraphs, startTestServer, type TestServer } from './harness.ts'

/**
 * Paragraphs several amendments add after one block, accepted one after the
 * other, stand in the order they were accepted: the second does not slip in
 * between the block and the first.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'lucia', 'kwame', 'ingrid']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

const post = async (path: string, body: unknown, as: string) => {
  const response = await server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
  expect(response.status, await response.clone().text()).toBeLessThan(300)
  return response.json() as Promise<unknown>
}

async function liveText(id: string): Promise<string[]> {
  const document = await server.hemicycle.services.collab.open(id)
  return paragraphs(document.doc)
}

describe('paragraphs added after one block by several amendments', () => {
  it('stand in the order the amendments were accepted, whether added on their own or after a rewritten block', async () => {
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "Order"\nlanguage: fr\n---\n\nLe développement de nos territoires.\n\nSuite.\n'], 'draft.md'))
    const { id } = (await (await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })).json()) as { id: string }
    const blockId = blockIdOf(readBody((await server.hemicycle.services.collab.open(id)).doc).child(0))
    await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat')
    const base = 'Le développement de nos territoires.'
    const table = async (body: Record<string, unknown>, as: string) => ((await post(`/api/resolutions/${id}/amendments`, { justification: 'Pourquoi.', blockId, ...body }, as)) as Amendment).id
    const first = await table({ kind: 'insertAfter', text: 'Premier ajout.' }, 'claire')
    const second = await table({ kind: 'replace', text: `${base}\n\nDeuxième ajout.` }, 'lucia')
    const third = await table({ kind: 'insertAfter', text: 'Troisième ajout.' }, 'kwame')
    await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat')
    for (const amendment of [first, second, third]) await post(`/api/amendments/${amendment}/decision`, { decision: 'accept' }, 'ingrid')
    expect(await liveText(id)).toEqual([base, 'Premier ajout.', 'Deuxième ajout.', 'Troisième ajout.', 'Suite.'])
  })
})
