import type { Amendment, BulkAcceptance } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './harness.ts'

/**
 * The decision paths other than a single accept, against a hand-written
 * client: bulk acceptance (and its dry run), compromises, resets, replies.
 * None may leave a text that says other than its decisions say.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const people = ['secretariat', 'claire', 'kwame', 'lucia', 'ingrid', 'mateo', 'tomas', 'erik', 'aisyah', 'julien']

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = async <T>(path: string, as = 'secretariat'): Promise<T> => (await server.api(path, { token: tokens[as]! })).json() as Promise<T>

async function ok<T>(response: Response, status = 200): Promise<T> {
  if (response.status !== status) throw new Error(`${response.status}: ${await response.text()}`)
  return (await response.json()) as T
}

async function draft(...paragraphTexts: string[]): Promise<{ id: string; blocks: string[] }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Test ${Math.random()}"\nlanguage: fr\n---\n\n${paragraphTexts.join('\n\n')}\n`], 'draft.md'))
  const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! }), 201)
  const document = await server.hemicycle.services.collab.open(id)
  const blocks: string[] = []
  readBody(document.doc).forEach((node) => blocks.push(node.attrs['id'] as string))
  return { id, blocks }
}

const move = (id: string, body: Record<string, unknown>, as: string) => post(`/api/resolutions/${id}/stage`, body, as)
const decide = (aid: string, body: Record<string, unknown>, as = 'ingrid') => post(`/api/amendments/${aid}/decision`, body, as)
const reset = (aid: string, reason: string, as = 'secretariat') => post(`/api/amendments/${aid}/reset`, { reason }, as)
const bulk = (id: string, dryRun = false, as = 'ingrid') => post(`/api/resolutions/${id}/amendments/accept-non-colliding${dryRun ? '?dryRun=1' : ''}`, {}, as)

async function liveText(id: string): Promise<string[]> {
  const document = await server.hemicycle.services.collab.open(id)
  const out: string[] = []
  readBody(document.doc).forEach((node) => out.push(node.textContent))
  return out
}

async function toConsolidation(id: string, amendments: Array<Record<string, unknown>>): Promise<Amendment[]> {
  await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
  const tabled: Amendment[] = []
  for (const body of amendments) {
    const { as, ...rest } = body
    tabled.push(await ok<Amendment>(await post(`/api/resolutions/${id}/amendments`, { justification: 'Parce que.', ...rest }, (as as string | undefined) ?? 'claire'), 201))
  }
  await ok(await move(id, { to: 'consolidation' }, 'secretariat'))
  return tabled
}

const status = async (aid: string) => (await get<Amendment>(`/api/amendments/${aid}`)).status

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of people) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

describe('resetting a decision another accepted decision relies on', () => {
  it('does not leave an identical accepted amendment standing while its words leave the text', async () => {
    const { id, blocks } = await draft('Le changement engendre toujours des gagnants et des perdants.')
    const proposal = 'Le changement engendre parfois des gagnants et des perdants.'
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: proposal },
      { kind: 'replace', blockId: blocks[0], text: proposal, as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'accept' }))
    expect((await liveText(id))[0]).toBe(proposal)
    const response = await reset(a1!.id, 'Décidé par erreur.')
    // Either refused (A2 still says "parfois"), or A2's words stay in the text: never A2 "accepted" with a text that does not say it.
    const text = (await liveText(id))[0]
    expect({ reset: response.status, a2: await status(a2!.id), text }).toEqual(
      response.status === 200 ? { reset: 200, a2: 'accepted', text: proposal } : { reset: 409, a2: 'accepted', text: proposal },
    )
  })

  it('does not strip the shared half of a later accepted amendment', async () => {
    const { id, blocks } = await draft('Le changement engendre toujours des gagnants et des perdants.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Le changement engendre parfois des gagnants et des perdants.' },
      { kind: 'replace', blockId: blocks[0], text: 'Le changement engendre parfois des gagnants et des vaincus.', as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'accept' }))
    expect((await liveText(id))[0]).toBe('Le changement engendre parfois des gagnants et des vaincus.')
    const response = await reset(a1!.id, 'Décidé par erreur.')
    const text = (await liveText(id))[0]
    // A2 is still accepted: its "parfois" must still be in the text (or the reset refused).
    expect({ a2: await status(a2!.id), saysParfois: text!.includes('parfois'), reset: response.status }).toEqual({
      a2: 'accepted',
      saysParfois: true,
      reset: response.status,
    })
  })
})

describe('accept-non-colliding: the dry run tells what the real run does', () => {
  it('with two deletions of one paragraph (the same change, which does not collide)', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[1] },
      { kind: 'delete', blockId: blocks[1], as: 'kwame' },
    ])
    const dry = await ok<BulkAcceptance>(await bulk(id, true))
    const real = await ok<BulkAcceptance>(await bulk(id))
    expect(real).toEqual(dry)
    expect(await liveText(id)).toEqual(['Un.', 'Trois.'])
    // The second one's paragraph is gone once the first is accepted: obsolete, as the contract has it, and as the dry run said.
    expect([await status(a1!.id), await status(a2!.id)]).toEqual(['accepted', 'obsolete'])
  })

  it('with a deletion and an insertion after the deleted paragraph', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[1] },
      { kind: 'insertAfter', blockId: blocks[1], text: 'Deux bis.', as: 'kwame' },
    ])
    const dry = await ok<BulkAcceptance>(await bulk(id, true))
    const real = await ok<BulkAcceptance>(await bulk(id))
    expect(real).toEqual(dry)
  })
})

describe('resetting a deletion after a paragraph was inserted where it stood', () => {
  it('does not silently choose an order the chair never decided', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    const [del, ins] = await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[1] },
      { kind: 'insertAfter', blockId: blocks[0], text: 'Un bis.', as: 'kwame' },
    ])
    await ok(await decide(del!.id, { decision: 'accept' }))
    await ok(await decide(ins!.id, { decision: 'accept' }))
    expect(await liveText(id)).toEqual(['Un.', 'Un bis.', 'Trois.'])
    const response = await reset(del!.id, 'Suppression non décidée.')
    // A1 inserted after "Un." in a text where "Deux." followed "Un.": the text before the deletion's
    // acceptance with A1's insertion kept is Un., Un bis., Deux., Trois. Both changes fill one gap:
    // that order, or a reset_conflict, never the reverse order silently.
    if (response.status === 200) expect(await liveText(id)).toEqual(['Un.', 'Un bis.', 'Deux.', 'Trois.'])
    else expect(response.status).toBe(409)
  })
})

describe('compromises', () => {
  it('merge at least two amendments: one id twice is not a compromise', async () => {
    const { id, blocks } = await draft('Un paragraphe à fusionner.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Un paragraphe fusionné.' }])
    const response = await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a1!.id, a1!.id], text: 'Un texte réécrit par la présidence.', justification: 'x' }, 'ingrid')
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(await status(a1!.id)).toBe('tabled')
  })
})

describe('refusals come in the contract’s order', () => {
  it('a reset or an objection reply without words says 403 to a delegate and 404 for an unknown amendment first, as a rejection does', async () => {
    const { id, blocks } = await draft('Un deux trois.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Un deux quatre.' }])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    const codes = async (response: Response) => `${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`
    expect({
      resetByDelegate: await codes(await reset(a1!.id, ' ', 'claire')),
      resetUnknown: await codes(await reset('no-such-amendment', ' ')),
      replyByDelegate: await codes(await post(`/api/amendments/${a1!.id}/objection-reply`, { text: ' ' }, 'claire')),
      replyUnknown: await codes(await post('/api/amendments/no-such-amendment/objection-reply', { text: ' ' }, 'ingrid')),
      rejectByDelegate: await codes(await decide(a1!.id, { decision: 'reject' }, 'claire')),
    }).toEqual({
      resetByDelegate: '403 forbidden',
      resetUnknown: '404 not_found',
      replyByDelegate: '403 forbidden',
      replyUnknown: '404 not_found',
      rejectByDelegate: '403 forbidden',
    })
  })
})
