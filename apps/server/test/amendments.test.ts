import type { Amendment, BulkAcceptance, Preview } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { UndoManager, type XmlElement } from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, eventually, expectError, paragraphs, sleep, startTestServer, type TestServer, typeInto, typeIntoBlock } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
const tokens: Record<string, string> = {}
let clock = new Date('2026-11-23T09:00:00Z')
const blocks: string[] = []
const texts: string[] = []

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const table = (body: Record<string, unknown>, as = 'claire') => post(`/api/resolutions/${server.resolutionId}/amendments`, body, as)
const decide = (id: string, body: Record<string, unknown>, as = 'ingrid') => post(`/api/amendments/${id}/decision`, body, as)
const move = (body: Record<string, unknown>, as = 'secretariat') => post(`/api/resolutions/${server.resolutionId}/stage`, body, as)

async function created(response: Response): Promise<Amendment> {
  expect(response.status).toBe(201)
  return (await response.json()) as Amendment
}

/** The server's live text (opened if it was unloaded meanwhile: a loaded machine can take longer than the tests' unload delay). */
const liveText = async () => {
  const document = await server.hemicycle.services.collab.open(server.resolutionId)
  const out: string[] = []
  readBody(document.doc).forEach((node) => out.push(node.textContent))
  return out
}

async function loginAll() {
  for (const name of ['secretariat', 'claire', 'julien', 'kwame', 'lucia', 'ingrid', 'mateo', 'tomas', 'erik', 'aisyah', 'hafiz']) tokens[name] = await server.login(name)
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  await loginAll()
  const client = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
  await client.synced
  readBody(client.doc).forEach((node) => {
    blocks.push(node.attrs['id'] as string)
    texts.push(node.textContent)
  })
  client.destroy()
})
afterAll(() => server?.close())

describe('tabling', () => {
  it('is refused before amendments open', async () => {
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: 'Autre.', justification: 'x' }), 409, 'wrong_stage')
    expect((await move({ to: 'amendments', deadline: '2026-11-30T17:00:00Z' })).status).toBe(200)
  })

  it('creates a numbered amendment citing § and line, seen by everyone live', async () => {
    const sse = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, tokens['kwame']!)
    await eventually(() => expect(sse.events.length).toBeGreaterThan(0))
    const started = Date.now()
    const amendment = await created(
      await table({ kind: 'replace', blockId: blocks[6], text: 'Notre vision allie le progrès social, la **justice** et la cohésion sociale.', justification: 'La justice manque.' }),
    )
    expect(amendment).toMatchObject({
      number: 'A1',
      label: 'A1 · §7',
      paragraph: 7,
      kind: 'replace',
      blockId: blocks[6],
      baseText: 'Notre vision allie le progrès social et la cohésion sociale.',
      status: 'tabled',
      conflict: false,
      tabledBy: { username: 'claire' },
      delegation: { id: 'fr-pp' },
      cosponsors: [],
    })
    expect(amendment.line).toBeGreaterThan(20)
    await eventually(() => expect(sse.events.some((event) => event.type === 'amendment' && event.amendment.id === amendment.id)).toBe(true))
    expect(Date.now() - started).toBeLessThan(1000)
    sse.close()
  })

  it('refuses an unknown block, no change, an empty or oversized text, a missing justification, observers and the secretariat', async () => {
    await expectError(await table({ kind: 'replace', blockId: 'no-such-block', text: 'x', justification: 'y' }), 422, 'unknown_block')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: texts[6], justification: 'y' }), 422, 'no_change')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: '   ', justification: 'y' }), 422, 'empty_text')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: 'x'.repeat(20_000), justification: 'y' }), 413, 'text_too_long')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: 'Autre.', justification: ' ' }), 422, 'justification_required')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], justification: 'y' }), 400, 'text_required')
    await expectError(await table({ kind: 'teleport', blockId: blocks[6], text: 'x', justification: 'y' }), 400, 'invalid_request')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: 'Autre.', justification: 'y' }, 'tomas'), 403, 'forbidden')
    await expectError(await table({ kind: 'replace', blockId: blocks[6], text: 'Autre.', justification: 'y' }, 'secretariat'), 403, 'forbidden')
    await expectError(await server.api(`/api/resolutions/nope/amendments`, { token: tokens['claire']! }), 404, 'not_found')
  })

  it('lets the tabling delegation edit and withdraw, others co-sponsor, and nobody else touch it', async () => {
    const amendment = await created(await table({ kind: 'insertAfter', blockId: blocks[0], text: 'Un ajout.', justification: 'Pour compléter.' }, 'julien'))
    await expectError(await server.api(`/api/amendments/${amendment.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Volé.' }), token: tokens['kwame']! }), 403, 'forbidden')
    const edited = await server.api(`/api/amendments/${amendment.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Un ajout *précis*.' }), token: tokens['claire']! })
    expect(((await edited.json()) as Amendment).text).toBe('Un ajout *précis*.')
    const cosponsored = (await (await post(`/api/amendments/${amendment.id}/cosponsor`, {}, 'kwame')).json()) as Amendment
    expect(cosponsored.cosponsors.map((delegation) => delegation.id)).toEqual(['gh-sdp'])
    await expectError(await post(`/api/amendments/${amendment.id}/cosponsor`, {}, 'claire'), 409, 'own_amendment')
    await expectError(await post(`/api/amendments/${amendment.id}/withdraw`, {}, 'kwame'), 403, 'forbidden')
    expect(((await (await post(`/api/amendments/${amendment.id}/withdraw`, {}, 'julien')).json()) as Amendment).status).toBe('withdrawn')
    await expectError(await post(`/api/amendments/${amendment.id}/withdraw`, {}, 'julien'), 409, 'not_tabled')
  })

  it('closes at the deadline, by the server’s clock', async () => {
    clock = new Date('2026-11-30T17:00:01Z')
    await loginAll()
    await expectError(await table({ kind: 'delete', blockId: blocks[1], justification: 'Trop tard.' }), 409, 'deadline_passed')
    clock = new Date('2026-11-23T10:00:00Z')
    await loginAll()
  })
})

describe('deciding', () => {
  const ids: Record<string, string> = {}

  it('is for chairs and the secretariat, during consolidation', async () => {
    ids['justice'] = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?status=tabled`, { token: tokens['claire']! })).json() as Amendment[])[0]!.id
    const sse = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, tokens['tomas']!)
    ids['education'] = (await created(await table({ kind: 'replace', blockId: blocks[7], text: texts[7]!.replace('investir dans les têtes', 'investir dans l’éducation'), justification: 'Plus clair.' }, 'kwame'))).id
    ids['education2'] = (await created(await table({ kind: 'replace', blockId: blocks[7], text: texts[7]!.replace('investir dans les têtes', 'investir dans les écoles'), justification: 'Concret.' }, 'lucia'))).id
    // The first one collides now too, and every page following the resolution is told so, without a reload.
    await eventually(() =>
      expect(sse.events.filter((event) => event.type === 'amendment' && event.amendment.id === ids['education']).at(-1)).toMatchObject({ action: 'changed', amendment: { collidesWith: [ids['education2']] } }),
    )
    // One on other words of the paragraph collides with neither: they read as they did, and are not announced again.
    const heard = sse.events.length
    const elsewhere = await created(await table({ kind: 'replace', blockId: blocks[7], text: `${texts[7]} Sans attendre.`, justification: 'Vite.' }, 'erik'))
    const announced = () => sse.events.slice(heard).flatMap((event) => (event.type === 'amendment' ? [event.amendment.id] : []))
    await eventually(() => expect(announced()).toContain(elsewhere.id))
    // Published at once with it, they would have come with it, or just after.
    await sleep(300)
    expect(announced()).toEqual([elsewhere.id])
    expect((await post(`/api/amendments/${elsewhere.id}/withdraw`, {}, 'erik')).status).toBe(200)
    sse.close()
    ids['workers'] = (await created(await table({ kind: 'replace', blockId: blocks[8], text: texts[8]!.replace('économique.', 'économique et écologique.'), justification: 'Climat.' }, 'erik'))).id
    ids['delete'] = (await created(await table({ kind: 'delete', blockId: blocks[9], justification: 'Redondant.' }, 'kwame'))).id
    ids['start'] = (await created(await table({ kind: 'insertAfter', blockId: null, text: '**Préambule.**', justification: 'Ouvrir.' }, 'lucia'))).id
    await expectError(await decide(ids['justice']!, { decision: 'accept' }), 409, 'wrong_stage')
    expect((await move({ to: 'consolidation' })).status).toBe(200)
    await expectError(await decide(ids['justice']!, { decision: 'accept' }, 'claire'), 403, 'forbidden')
    await expectError(await decide(ids['justice']!, { decision: 'reject' }), 400, 'reason_required')
    const list = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?blockId=${blocks[7]}&status=tabled`, { token: tokens['tomas']! })).json()) as Amendment[]
    expect(list.map((amendment) => amendment.collidesWith)).toEqual([[ids['education2']], [ids['education']]])
    const byDelegation = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?delegation=gh-sdp`, { token: tokens['tomas']! })).json()) as Amendment[]
    expect(byDelegation.map((amendment) => amendment.id).sort()).toEqual([ids['education'], ids['delete']].sort())
  })

  it('accepts while others type elsewhere: every character typed stays and the accepted wording is in place', async () => {
    const secretariat = connectClient(server.wsUrl, server.resolutionId, tokens['secretariat']!)
    const chair = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await Promise.all([secretariat.synced, chair.synced])
    let typing = true
    const typedBy: Record<string, string> = { secretariat: '', chair: '' }
    const typist = async (client: typeof chair, who: string, block: number) => {
      for (let i = 0; typing; i++) {
        const piece = `${who[0]}${i} `
        typeIntoBlock(client.doc, blocks[block]!, 0, piece)
        typedBy[who] = piece + typedBy[who]
        await sleep(3)
      }
    }
    const typing1 = typist(secretariat, 'secretariat', 2)
    const typing2 = typist(chair, 'chair', 12)
    await sleep(50)
    for (const id of [ids['justice']!, ids['workers']!, ids['delete']!]) {
      const response = await decide(id, { decision: 'accept' })
      expect(response.status).toBe(200)
      expect(((await response.json()) as Amendment).decision?.by.username).toBe('ingrid')
      await sleep(20)
    }
    typing = false
    await Promise.all([typing1, typing2])
    await Promise.all([secretariat.saved(), chair.saved()])
    const expected = await liveText()
    await eventually(() => expect(paragraphs(secretariat.doc)).toEqual(expected))
    await eventually(() => expect(paragraphs(chair.doc)).toEqual(expected))
    expect(expected[2]!.startsWith(typedBy['secretariat']!)).toBe(true)
    expect(expected.find((text) => text.endsWith('s’engage à construire des communautés fortes.'.replace('’', "'")))!.startsWith(typedBy['chair']!)).toBe(true)
    expect(typedBy['secretariat']!.length + typedBy['chair']!.length).toBeGreaterThan(100)
    expect(expected).toContain('Notre vision allie le progrès social, la justice et la cohésion sociale.')
    expect(expected.some((text) => text.endsWith('du développement économique et écologique.') || text.includes('économique et écologique.'))).toBe(true)
    expect(expected).not.toContain(texts[9])
    secretariat.destroy()
    chair.destroy()
  })

  it('attributes the accepted change to the amendment in the update log', async () => {
    const rows = await server.hemicycle.services.db.query<{ amendment_id: string; person_id: string }>(
      `select amendment_id, person_id from doc_updates where origin = 'amendment' order by id`,
    )
    expect(rows.map((row) => row.amendment_id)).toEqual(expect.arrayContaining([ids['justice'], ids['workers'], ids['delete']]))
    expect(new Set(rows.map((row) => row.person_id))).toEqual(new Set(['person-ingrid']))
  })

  it('records each decision in the audit log, with who made it', async () => {
    const audit = (await (await server.api(`/api/resolutions/${server.resolutionId}/audit`, { token: tokens['secretariat']! })).json()) as Array<{ action: string; person: string; detail: { amendmentId?: string; status?: string } }>
    const decisions = audit.filter((entry) => entry.action === 'decision')
    expect(decisions.map((entry) => [entry.detail.amendmentId, entry.detail.status, entry.person])).toEqual([
      [ids['justice'], 'accepted', 'person-ingrid'],
      [ids['workers'], 'accepted', 'person-ingrid'],
      [ids['delete'], 'accepted', 'person-ingrid'],
    ])
  })

  it('refuses a second decision, and decisions on withdrawn amendments', async () => {
    await expectError(await decide(ids['justice']!, { decision: 'reject', reason: 'Trop tard.' }), 409, 'already_decided')
  })

  it('rebases onto a paragraph that moved on, shows the rebased change, and refuses one in conflict', async () => {
    const chair = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await chair.synced
    const index = paragraphs(chair.doc).findIndex((text) => text.includes('investir dans les têtes'))
    const current = paragraphs(chair.doc)[index]!
    typeInto(chair.doc, index, current.length, ' Sans délai.')
    await chair.saved()
    const preview = (await (await server.api(`/api/amendments/${ids['education']}/preview`, { token: tokens['kwame']! })).json()) as Preview
    expect(preview.state).toBe('clean')
    expect(preview.text).toContain('investir dans l’éducation')
    expect(preview.text).toMatch(/Sans délai\.$/)
    expect(preview.diff.filter(([op]) => op !== 0)).toEqual([[-1, 'les têtes'], [1, 'l’éducation']])

    const wordAt = current.indexOf('les têtes')
    typeInto(chair.doc, index, wordAt, 'toutes ')
    await chair.saved()
    const conflicted = (await (await server.api(`/api/amendments/${ids['education']}`, { token: tokens['kwame']! })).json()) as Amendment
    expect(conflicted.conflict).toBe(true)
    await expectError(await decide(ids['education']!, { decision: 'accept' }), 409, 'conflict')
    chair.destroy()
  })

  it('resolves a conflict by accepting as modified, and lets the tabling delegation answer', async () => {
    const modified = await decide(ids['education']!, { decision: 'acceptModified', text: texts[7]!.replace('investir dans les têtes', 'investir dans toutes les écoles') + ' Sans délai.' })
    expect(modified.status).toBe(200)
    expect((await modified.json()) as Amendment).toMatchObject({ status: 'acceptedModified', decision: { text: expect.stringContaining('toutes les écoles') } })
    expect(await liveText()).toContain(texts[7]!.replace('investir dans les têtes', 'investir dans toutes les écoles') + ' Sans délai.')
    await expectError(await post(`/api/amendments/${ids['education']}/response`, { agree: true }, 'claire'), 403, 'forbidden')
    const answered = (await (await post(`/api/amendments/${ids['education']}/response`, { agree: false, comment: 'Nous préférions « éducation ».' }, 'kwame')).json()) as Amendment
    expect(answered.response).toMatchObject({ agree: false, comment: 'Nous préférions « éducation ».', by: { username: 'kwame' } })
  })

  it('merges amendments into a compromise, accepts all that do not collide, and rejects with a reason', async () => {
    await expectError(await move({ to: 'amendments' }, 'mateo'), 400, 'reason_required')
    expect((await move({ to: 'amendments', reason: 'Un second tour.' }, 'mateo')).status).toBe(200)
    const solidaires = await created(await table({ kind: 'replace', blockId: blocks[13], text: texts[13]!.replace('communautés fortes', 'communautés fortes et solidaires'), justification: 'Solidarité.' }, 'kwame'))
    const ouvertes = await created(await table({ kind: 'replace', blockId: blocks[13], text: texts[13]!.replace('communautés fortes', 'communautés fortes et ouvertes'), justification: 'Ouverture.' }, 'lucia'))
    const clean = await created(await table({ kind: 'replace', blockId: blocks[14], text: texts[14]!.replace('encourager', 'bâtir'), justification: 'Plus fort.' }, 'erik'))
    const rejected = await created(await table({ kind: 'insertAfter', blockId: blocks[14], text: 'Vive la révolution.', justification: 'Pourquoi pas.' }, 'julien'))
    const clashA = await created(await table({ kind: 'replace', blockId: blocks[11], text: texts[11]!.replace('anxieux', 'inquiets'), justification: 'A.' }, 'aisyah'))
    const clashB = await created(await table({ kind: 'delete', blockId: blocks[11], justification: 'B.' }, 'hafiz'))
    expect((await move({ to: 'consolidation' })).status).toBe(200)

    await expectError(await post(`/api/resolutions/${server.resolutionId}/compromises`, { amendmentIds: [solidaires.id, clean.id], text: 'x', justification: 'y' }, 'ingrid'), 422, 'different_paragraphs')
    await expectError(await post(`/api/resolutions/${server.resolutionId}/compromises`, { amendmentIds: [solidaires.id, ouvertes.id], text: 'x', justification: 'y' }, 'kwame'), 403, 'forbidden')
    const compromise = await created(
      await post(
        `/api/resolutions/${server.resolutionId}/compromises`,
        { amendmentIds: [solidaires.id, ouvertes.id], text: texts[13]!.replace('communautés fortes', 'communautés fortes, solidaires et ouvertes'), justification: 'Les deux.' },
        'ingrid',
      ),
    )
    expect(compromise).toMatchObject({ compromise: true, status: 'tabled', kind: 'replace', blockId: blocks[13] })
    const merged = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?status=merged`, { token: tokens['kwame']! })).json()) as Amendment[]
    expect(merged.map((amendment) => [amendment.id, amendment.mergedInto])).toEqual([
      [solidaires.id, compromise.id],
      [ouvertes.id, compromise.id],
    ])
    const answer = (await (await post(`/api/amendments/${solidaires.id}/response`, { agree: true }, 'kwame')).json()) as Amendment
    expect(answer.response?.agree).toBe(true)

    // A round of amendments reopened: the compromise, a decision on the two, stands until consolidation; changing it or
    // withdrawing it (which tables the two again) is a decision, refused as every decision is outside consolidation.
    expect((await move({ to: 'amendments', reason: 'Un oubli.' }, 'mateo')).status).toBe(200)
    const edit = (as: string) =>
      server.api(`/api/amendments/${compromise.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Réécrit.' }), token: tokens[as]! })
    await expectError(await edit('ingrid'), 409, 'wrong_stage')
    await expectError(await post(`/api/amendments/${compromise.id}/withdraw`, {}, 'secretariat'), 409, 'wrong_stage')
    expect((await move({ to: 'consolidation' })).status).toBe(200)
    const standing = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?status=merged`, { token: tokens['kwame']! })).json()) as Amendment[]
    expect(standing.map((amendment) => amendment.id)).toEqual([solidaires.id, ouvertes.id])

    const rejection = (await (await decide(rejected.id, { decision: 'reject', reason: 'Hors sujet.' })).json()) as Amendment
    expect(rejection).toMatchObject({ status: 'rejected', decision: { reason: 'Hors sujet.', by: { username: 'ingrid' } } })

    const bulk = (await (await post(`/api/resolutions/${server.resolutionId}/amendments/accept-non-colliding`, {}, 'secretariat')).json()) as BulkAcceptance
    expect(bulk.accepted).toEqual(expect.arrayContaining([compromise.id, clean.id]))
    expect(bulk.skipped).toEqual(expect.arrayContaining([{ id: clashA.id, reason: 'colliding' }, { id: clashB.id, reason: 'colliding' }]))
    expect(bulk.accepted).not.toContain(clashA.id)
    expect(await liveText()).toContain(texts[11])
    expect(await liveText()).toContain(texts[13]!.replace('communautés fortes', 'communautés fortes, solidaires et ouvertes'))
    expect(await liveText()).toContain(texts[14]!.replace('encourager', 'bâtir'))
    await expectError(await post(`/api/resolutions/${server.resolutionId}/amendments/accept-non-colliding`, {}, 'claire'), 403, 'forbidden')
  })

  it('marks amendments obsolete when a chair deletes their paragraph', async () => {
    const tabled = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?blockId=${blocks[11]}&status=tabled`, { token: tokens['tomas']! })).json()) as Amendment[]
    expect(tabled).toHaveLength(2)
    const chair = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await chair.synced
    const body = chair.doc.getXmlFragment('body')
    const index = body.toArray().findIndex((node) => (node as XmlElement).getAttribute('id') === blocks[11])
    const undo = new UndoManager(body, { captureTimeout: 0 })
    body.delete(index, 1)
    await chair.saved()
    const after = (await (await server.api(`/api/resolutions/${server.resolutionId}/amendments?blockId=${blocks[11]}`, { token: tokens['tomas']! })).json()) as Amendment[]
    expect(after.map((amendment) => amendment.status)).toEqual(['obsolete', 'obsolete'])
    await expectError(await decide(tabled[0]!.id, { decision: 'accept' }), 409, 'obsolete')
    // Deciding recorded it: it reads obsolete from the database now.
    const [stored] = await server.hemicycle.services.db.query<{ status: string }>('select status from amendments where id = $1', [tabled[0]!.id])
    expect(stored!.status).toBe('obsolete')

    // The chair undoes the deletion: the paragraph is back, with its id, and so are its amendments, to be decided.
    // Before, they stayed obsolete for good: accept 409 already_decided, reset 409 not_decided, out of the lock's count.
    undo.undo()
    await chair.saved()
    const accepted = (await (await decide(tabled[0]!.id, { decision: 'accept' })).json()) as Amendment
    expect(accepted.status).toBe('accepted')
    const [other] = await server.hemicycle.services.db.query<{ status: string }>('select status from amendments where id = $1', [tabled[1]!.id])
    expect(other!.status).toBe('tabled')
    chair.destroy()
  })
})
