import type { Amendment } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, importDraft, ok, startTestServer, type TestServer, typeIntoBlock } from './harness.ts'

/**
 * Who a redline credits: the person with the delegation they wrote for as
 * the log kept it, and a decision taken back to whoever took it back.
 */
let server: TestServer
const tokens: Record<string, string> = {}

const send = (method: string, path: string, body: unknown, as: string) =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

interface RedlineRun {
  text: string
  change: 'insert' | 'delete' | 'equal'
  authors: string[]
}
const changed = async (id: string, from: number) => {
  const redline = await ok<{ blocks: Array<{ runs: RedlineRun[] }> }>(await server.api(`/api/resolutions/${id}/redline.json?from=${from}&to=current`, { token: tokens['secretariat']! }))
  return redline.blocks.flatMap((block) => block.runs.filter((run) => run.change !== 'equal'))
}
const versionNow = async (id: string) => (await ok<{ id: number }>(await send('POST', `/api/resolutions/${id}/versions`, { label: 'avant' }, 'secretariat'), 201)).id

const draft = (...texts: string[]) => importDraft(server, tokens['secretariat']!, tokens['tomas']!, texts)

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'lucia', 'kwame', 'ingrid', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

describe('a redline', () => {
  it('credits words to the delegation their writer wrote them for, not the one they moved to since', async () => {
    const { id, blocks } = await draft('Premier paragraphe.', 'Deuxième paragraphe.')
    const before = await versionNow(id)
    const claire = connectClient(server.wsUrl, id, tokens['claire']!)
    await claire.synced
    typeIntoBlock(claire.doc, blocks[0]!, 0, 'POUR LA FRANCE ')
    await claire.saved()
    claire.destroy()
    await ok(await send('PATCH', '/api/people/person-claire', { delegationId: 'gh-sdp' }, 'secretariat'))
    tokens['claire'] = await server.login('claire')
    const moved = connectClient(server.wsUrl, id, tokens['claire']!)
    await moved.synced
    typeIntoBlock(moved.doc, blocks[1]!, 0, 'POUR LE GHANA ')
    await moved.saved()
    moved.destroy()
    const runs = await changed(id, before)
    expect(runs.find((run) => run.text.includes('POUR LA FRANCE'))?.authors).toEqual(['Parti progressiste (France) · Claire Martin'])
    expect(runs.find((run) => run.text.includes('POUR LE GHANA'))?.authors).toEqual([expect.stringMatching(/Ghana.* · Claire Martin$/)])
    await ok(await send('PATCH', '/api/people/person-claire', { delegationId: 'fr-pp' }, 'secretariat'))
    tokens['claire'] = await server.login('claire')
  })

  it('credits a decision taken back to whoever took it back, not to the amendment’s delegation', async () => {
    const { id, blocks } = await draft('Le Conseil agit vite.', 'Autre.')
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat'))
    const a1 = await ok<Amendment>(await send('POST', `/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'Le Conseil agit sans attendre.', justification: 'Net.' }, 'claire'), 201)
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
    await ok(await send('POST', `/api/amendments/${a1.id}/decision`, { decision: 'accept' }, 'ingrid'))
    const accepted = await versionNow(id)
    await ok(await send('POST', `/api/amendments/${a1.id}/reset`, { reason: 'Trop tôt.' }, 'secretariat'))
    const runs = await changed(id, accepted)
    expect(runs.length).toBeGreaterThan(0)
    for (const run of runs) expect(run.authors).toEqual(['A1 annulé · Amina Diallo'])
  })

  it('credits a compromise to the amendments it merged and their delegations, and to the chair who wrote it', async () => {
    const { id, blocks } = await draft('Le Conseil agit vite.', 'Autre.')
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat'))
    const a1 = await ok<Amendment>(await send('POST', `/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'Le Conseil agit sans attendre.', justification: 'Net.' }, 'claire'), 201)
    const a2 = await ok<Amendment>(await send('POST', `/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'Le Conseil agit avec soin.', justification: 'Prudence.' }, 'lucia'), 201)
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const before = await versionNow(id)
    const compromise = await ok<Amendment>(await send('POST', `/api/resolutions/${id}/compromises`, { amendmentIds: [a2.id, a1.id], text: 'Le Conseil agit sans attendre et avec soin.', justification: 'Les deux.' }, 'ingrid'), 201)
    await ok(await send('POST', `/api/amendments/${compromise.id}/decision`, { decision: 'accept' }, 'ingrid'))
    const runs = await changed(id, before)
    expect(runs.length).toBeGreaterThan(0)
    for (const run of runs) expect(run.authors).toEqual(['A3 (compromis de A1, A2) · Parti progressiste (France), Partido Socialista Progresista (Chili) · Ingrid Johansson'])

    // Taken back and withdrawn since (A1 and A2 are tabled again), the compromise is still named as it was made between the versions saved then.
    const after = await versionNow(id)
    await ok(await send('POST', `/api/amendments/${compromise.id}/reset`, { reason: 'Revu.' }, 'ingrid'))
    await ok(await send('POST', `/api/amendments/${compromise.id}/withdraw`, {}, 'ingrid'))
    const saved = await ok<{ blocks: Array<{ runs: RedlineRun[] }> }>(await server.api(`/api/resolutions/${id}/redline.json?from=${before}&to=${after}`, { token: tokens['secretariat']! }))
    for (const run of saved.blocks.flatMap((block) => block.runs.filter((one) => one.change !== 'equal'))) {
      expect(run.authors).toEqual(['A3 (compromis de A1, A2) · Parti progressiste (France), Partido Socialista Progresista (Chili) · Ingrid Johansson'])
    }
  })

  it('credits a compromise of a compromise to every delegation whose words it carries', async () => {
    const { id, blocks } = await draft('Le Conseil agit vite.', 'Autre.')
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat'))
    const table = async (as: string, text: string) => ok<Amendment>(await send('POST', `/api/resolutions/${id}/amendments`, { kind: 'replace', blockId: blocks[0], text, justification: '.' }, as), 201)
    const [a1, a2, a3] = [await table('claire', 'Le Conseil agit sans attendre.'), await table('lucia', 'Le Conseil agit avec soin.'), await table('kwame', 'Le Conseil agit ensemble.')]
    await ok(await send('POST', `/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const before = await versionNow(id)
    const merge = async (ids: string[], text: string) => ok<Amendment>(await send('POST', `/api/resolutions/${id}/compromises`, { amendmentIds: ids, text, justification: '.' }, 'ingrid'), 201)
    const first = await merge([a1!.id, a2!.id], 'Le Conseil agit sans attendre et avec soin.')
    const second = await merge([first.id, a3!.id], 'Le Conseil agit ensemble, sans attendre et avec soin.')
    await ok(await send('POST', `/api/amendments/${second.id}/decision`, { decision: 'accept' }, 'ingrid'))
    const runs = await changed(id, before)
    expect(runs.length).toBeGreaterThan(0)
    for (const run of runs) {
      expect(run.authors).toEqual(['A5 (compromis de A3, A4) · Social Democratic Party (Ghana), Parti progressiste (France), Partido Socialista Progresista (Chili) · Ingrid Johansson'])
    }
  })
})
