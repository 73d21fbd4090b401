import type { Amendment, BulkAcceptance, Preview } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ok, readBlocks, startTestServer, type TestServer } from './harness.ts'

/**
 * The same new paragraph proposed twice after one block (two delegations
 * tabling it, or a replacement whose extra paragraph another insertion
 * adds) is written once: the second acceptance is recorded with nothing
 * written, as the preview says beforehand, and taking back the acceptance
 * that wrote it is refused while the other still stands for it. The text is
 * read by a stock y-websocket client.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'kwame', 'lucia', 'ingrid', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = async <T>(path: string, as = 'ingrid'): Promise<T> => ok<T>(await server.api(path, { token: tokens[as]! }))
const decide = (aid: string, body: Record<string, unknown> = { decision: 'accept' }) => post(`/api/amendments/${aid}/decision`, body, 'ingrid')
const reset = (aid: string) => post(`/api/amendments/${aid}/reset`, { reason: 'Décidé par erreur.' }, 'secretariat')
const acceptAll = (id: string, dryRun = false) => post(`/api/resolutions/${id}/amendments/accept-non-colliding${dryRun ? '?dryRun=1' : ''}`, {}, 'ingrid')
const statusOf = async (aid: string) => (await get<Amendment>(`/api/amendments/${aid}`)).status

/** A draft from Markdown, moved to consolidation with these amendments tabled (`blockIndex`: which paragraph each follows or rewrites). */
async function tabled(texts: string[], amendments: Array<Record<string, unknown> & { as: string; blockIndex: number }>): Promise<{ id: string; blocks: string[]; ids: string[] }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Same insertion ${Math.random()}"\nlanguage: fr\n---\n\n${texts.join('\n\n')}\n`], 'draft.md'))
  const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! }), 201)
  const { blocks } = await readBlocks(server.wsUrl, id, tokens['tomas']!)
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'))
  const ids: string[] = []
  for (const { as, blockIndex, ...body } of amendments) {
    ids.push((await ok<Amendment>(await post(`/api/resolutions/${id}/amendments`, { justification: 'Parce que.', blockId: blocks[blockIndex], ...body }, as), 201)).id)
  }
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
  return { id, blocks, ids }
}

/** The text as a stock client reads it. */
const text = async (id: string) => (await readBlocks(server.wsUrl, id, tokens['tomas']!)).texts

async function refused(response: Response, status: number, code: string): Promise<string> {
  const body = (await response.json()) as { error: { code: string; message: string } }
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code })
  return body.error.message
}

describe('the same paragraph inserted after one block by two amendments', () => {
  it('is written once, the second acceptance said beforehand to change nothing; its reset is refused while the other stands for it', async () => {
    const { id, ids } = await tabled(
      ['Considérant la cohésion sociale.', 'Suite.'],
      [
        { as: 'claire', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.' },
        // The same paragraph, written otherwise: runs split, an extra space, a trailing one.
        { as: 'kwame', blockIndex: 0, kind: 'insertAfter', wording: [[{ text: 'Demande un  rapport' }, { text: ' annuel. ' }]] },
      ],
    )
    const [a1, a2] = ids as [string, string]
    await ok(await decide(a1))
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Suite.'])

    const preview = await get<Preview>(`/api/amendments/${a2}/preview`)
    expect({ state: preview.state, unchanged: preview.unchanged }).toEqual({ state: 'clean', unchanged: true })
    // Listed, as the cards read it: already in the text, no conflict; A1 says which paragraph it wrote.
    const listed = await get<Amendment[]>(`/api/resolutions/${id}/amendments`)
    const { blocks } = await readBlocks(server.wsUrl, id, tokens['tomas']!)
    expect(listed.map((amendment) => ({ status: amendment.status, conflict: amendment.conflict, unchanged: amendment.unchanged, inserted: amendment.decision?.inserted }))).toEqual([
      { status: 'accepted', conflict: false, unchanged: undefined, inserted: [blocks[1]] },
      { status: 'tabled', conflict: false, unchanged: true, inserted: undefined },
    ])
    expect((await ok<Amendment>(await decide(a2))).status).toBe('accepted')
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Suite.'])

    // A1 wrote the paragraph and A2 stands accepted on it: taking A1 back would leave A2 accepted with nothing in the text.
    expect(await refused(await reset(a1), 409, 'reset_conflict')).toContain('A2, accepted too')
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Suite.'])
    expect(await statusOf(a1)).toBe('accepted')
    // A2 wrote nothing: taking it back takes nothing out; then A1's reset takes the paragraph out.
    await ok(await reset(a2))
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Suite.'])
    await ok(await reset(a1))
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Suite.'])
  })

  it('keeps its reset refused when it is the second of the paragraphs the other acceptance wrote', async () => {
    const { id, ids } = await tabled(
      ['Considérant la cohésion sociale.', 'Suite.'],
      [
        { as: 'claire', blockIndex: 0, kind: 'insertAfter', text: 'Invite les membres à agir.\n\nDemande un rapport annuel.' },
        { as: 'kwame', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.' },
      ],
    )
    const [a1, a2] = ids as [string, string]
    await ok(await decide(a1))
    await ok(await decide(a2))
    const both = ['Considérant la cohésion sociale.', 'Invite les membres à agir.', 'Demande un rapport annuel.', 'Suite.']
    expect(await text(id)).toEqual(both)
    expect(await refused(await reset(a1), 409, 'reset_conflict')).toContain('A2, accepted too')
    expect({ text: await text(id), a2: await statusOf(a2) }).toEqual({ text: both, a2: 'accepted' })
  })

  it('is written once when a replacement’s extra paragraph is the insertion, in either order', async () => {
    for (const order of [[0, 1], [1, 0]] as const) {
      const { id, ids } = await tabled(
        ['Considérant la cohésion sociale.', 'Suite.'],
        [
          { as: 'claire', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.' },
          { as: 'kwame', blockIndex: 0, kind: 'replace', text: 'Considérant la cohésion sociale et territoriale.\n\nDemande un rapport annuel.' },
        ],
      )
      for (const index of order) await ok(await decide(ids[index]!))
      expect(await text(id), `order ${order}`).toEqual(['Considérant la cohésion sociale et territoriale.', 'Demande un rapport annuel.', 'Suite.'])
    }
  })

  it('is a conflict when only some of its paragraphs are in the text already; accepted as modified without them, the others are written', async () => {
    const { id, ids } = await tabled(
      ['Considérant la cohésion sociale.', 'Suite.'],
      [
        { as: 'claire', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.\n\nInvite les membres à agir.' },
        { as: 'kwame', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.\n\nDécide de rester saisi.' },
      ],
    )
    const [a1, a2] = ids as [string, string]
    await ok(await decide(a1))
    const preview = await get<Preview>(`/api/amendments/${a2}/preview`)
    expect(preview.state).toBe('conflict')
    const listed = await get<Amendment>(`/api/amendments/${a2}`)
    expect({ conflict: listed.conflict, partlyInText: listed.partlyInText }).toEqual({ conflict: true, partlyInText: true })
    expect(await refused(await decide(a2), 409, 'conflict')).toContain('in the text right there already')
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Invite les membres à agir.', 'Suite.'])
    await ok(await decide(a2, { decision: 'acceptModified', text: 'Décide de rester saisi.' }))
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Invite les membres à agir.', 'Décide de rester saisi.', 'Suite.'])
  })

  it('is written once by accept-non-colliding, whose dry run says what it does', async () => {
    const { id, ids } = await tabled(
      ['Considérant la cohésion sociale.', 'Suite.'],
      [
        { as: 'claire', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.' },
        { as: 'kwame', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.' },
        { as: 'lucia', blockIndex: 0, kind: 'insertAfter', text: 'Demande un rapport annuel.\n\nDécide de rester saisi.' },
      ],
    )
    const dry = await ok<BulkAcceptance>(await acceptAll(id, true))
    expect(dry).toEqual({ accepted: [ids[0], ids[1]], skipped: [{ id: ids[2], reason: 'conflict' }] })
    expect(await ok<BulkAcceptance>(await acceptAll(id))).toEqual(dry)
    expect(await text(id)).toEqual(['Considérant la cohésion sociale.', 'Demande un rapport annuel.', 'Suite.'])
  })
})
