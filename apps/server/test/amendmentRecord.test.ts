import type { Amendment } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraphs, readBlocks, startTestServer, type TestServer } from './harness.ts'

/**
 * Who may change what, and the record of it: compromises belong to the
 * chairs, a deletion accepted as modified becomes the chair's wording, a
 * new wording needs its co-sponsors again, and every action is audited.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
let blocks: string[] = []
let texts: string[] = []

const send = (method: string, path: string, body: unknown, as: string) =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const post = (path: string, body: unknown, as: string) => send('POST', path, body, as)
const table = async (body: Record<string, unknown>, as: string): Promise<Amendment> => {
  const response = await post(`/api/resolutions/${server.resolutionId}/amendments`, { justification: 'Pourquoi pas.', ...body }, as)
  expect(response.status).toBe(201)
  return (await response.json()) as Amendment
}
const get = async (id: string): Promise<Amendment> => (await (await server.api(`/api/amendments/${id}`, { token: tokens['tomas']! })).json()) as Amendment
const code = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code })

async function auditOf(): Promise<Array<{ action: string; person_id: string | null; detail: Record<string, unknown>; at: Date }>> {
  return server.hemicycle.services.db.query('select action, person_id, detail, at from audit_log where resolution_id = $1 order by id', [server.resolutionId])
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'julien', 'kwame', 'lucia', 'ingrid', 'erik', 'tomas', 'aisyah']) tokens[name] = await server.login(name)
  ;({ blocks, texts } = await readBlocks(server.wsUrl, server.resolutionId, tokens['tomas']!))
  expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
})
afterAll(() => server?.close())

describe('the record of amendments', () => {
  const ids: Record<string, string> = {}

  it('drops co-sponsors when the wording they signed changes, and keeps them when only the justification does', async () => {
    const amendment = await table({ kind: 'replace', blockId: blocks[6], text: texts[6]!.replace('progrès social', 'progrès social durable') }, 'claire')
    ids['signed'] = amendment.id
    expect((await post(`/api/amendments/${amendment.id}/cosponsor`, {}, 'kwame')).status).toBe(200)
    expect((await get(amendment.id)).cosponsors.map((d) => d.id)).toEqual(['gh-sdp'])
    expect((await send('PATCH', `/api/amendments/${amendment.id}`, { justification: 'Mieux dit.' }, 'claire')).status).toBe(200)
    expect((await get(amendment.id)).cosponsors.map((d) => d.id)).toEqual(['gh-sdp'])
    expect((await send('PATCH', `/api/amendments/${amendment.id}`, { text: texts[6]!.replace('progrès social', 'progrès social partagé') }, 'claire')).status).toBe(200)
    expect((await get(amendment.id)).cosponsors).toEqual([])
    expect((await post(`/api/amendments/${amendment.id}/cosponsor`, {}, 'kwame')).status).toBe(200)
    expect((await get(amendment.id)).cosponsors.map((d) => d.id)).toEqual(['gh-sdp'])
  })

  it('makes a compromise the chairs’: its merged amendments come back when a chair withdraws it, and no delegate can touch it', async () => {
    const a = await table({ kind: 'replace', blockId: blocks[13], text: texts[13]!.replace('communautés fortes', 'communautés fortes et solidaires') }, 'kwame')
    const b = await table({ kind: 'replace', blockId: blocks[13], text: texts[13]!.replace('communautés fortes', 'communautés fortes et ouvertes') }, 'lucia')
    ids['deletion'] = (await table({ kind: 'delete', blockId: blocks[9] }, 'erik')).id
    expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const response = await post(
      `/api/resolutions/${server.resolutionId}/compromises`,
      { amendmentIds: [a.id, b.id], text: texts[13]!.replace('communautés fortes', 'communautés fortes, solidaires et ouvertes'), justification: 'Les deux.' },
      'ingrid',
    )
    expect(response.status).toBe(201)
    const compromise = (await response.json()) as Amendment
    expect(compromise.delegation).toBeNull()
    // Ingrid's own delegation (Sweden) has no say over it; Erik is its delegate.
    expect(await code(await post(`/api/amendments/${compromise.id}/withdraw`, {}, 'erik'))).toEqual({ status: 403, code: 'forbidden' })
    expect(await code(await post(`/api/amendments/${compromise.id}/response`, { agree: false }, 'erik'))).toEqual({ status: 403, code: 'forbidden' })
    expect((await get(a.id)).status).toBe('merged')
    expect((await post(`/api/amendments/${compromise.id}/withdraw`, {}, 'secretariat')).status).toBe(200)
    expect((await get(compromise.id)).status).toBe('withdrawn')
    for (const merged of [a, b]) expect(await get(merged.id)).toMatchObject({ status: 'tabled', mergedInto: null })
    expect((await get(a.id)).decision).toBeUndefined()
  })

  it('turns a deletion accepted as modified into the chair’s wording, never a deleted paragraph', async () => {
    const wording = 'Un paragraphe réécrit par la présidence.'
    const response = await post(`/api/amendments/${ids['deletion']}/decision`, { decision: 'acceptModified', text: wording }, 'ingrid')
    expect(response.status).toBe(200)
    expect((await response.json()) as Amendment).toMatchObject({ status: 'acceptedModified', decision: { text: wording, wording: [[{ text: wording }]] } })
    const document = await server.hemicycle.services.collab.open(server.resolutionId)
    const now = paragraphs(document.doc)
    expect(now).toContain(wording)
    expect(now).toHaveLength(texts.length)
  })

  it('records every amendment action with who did it, in the order done', async () => {
    const entries = await auditOf()
    const actions = entries.map((entry) => `${entry.action}:${entry.person_id}`)
    expect(actions).toEqual(
      expect.arrayContaining([
        'table:person-claire',
        'cosponsor:person-kwame',
        'edit:person-claire',
        'table:person-lucia',
        'compromise:person-ingrid',
        'withdraw:person-secretariat',
        'decision:person-ingrid',
      ]),
    )
    const edits = entries.filter((entry) => entry.action === 'edit').map((entry) => entry.detail)
    expect(edits).toEqual([
      expect.objectContaining({ amendmentId: ids['signed'], wording: false, justification: true }),
      expect.objectContaining({ amendmentId: ids['signed'], wording: true, cosponsorsRemoved: ['gh-sdp'] }),
    ])
    expect(entries.every((entry) => entry.at instanceof Date)).toBe(true)
  })
})
