import { type Amendment, type BulkAcceptance, NotificationEvent, type Notification, type Resolution } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, importDraft, eventually, expectError, ok, paragraphs, startTestServer, type TestServer, typeIntoBlock } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
const tokens: Record<string, string> = {}
let clock = new Date('2026-11-23T09:00:00Z')

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = async <T>(path: string, as: string): Promise<T> => (await server.api(path, { token: tokens[as]! })).json() as Promise<T>

/** A fresh draft from Markdown, with the ids of its paragraphs. */
const draft = (...texts: string[]) => importDraft(server, tokens['secretariat']!, tokens['tomas']!, texts)

const move = (id: string, body: Record<string, unknown>, as: string) => post(`/api/resolutions/${id}/stage`, body, as)
const table = (id: string, body: Record<string, unknown>, as = 'claire') => post(`/api/resolutions/${id}/amendments`, body, as)
const decide = (aid: string, body: Record<string, unknown>, as = 'ingrid') => post(`/api/amendments/${aid}/decision`, body, as)
const reset = (aid: string, reason: string, as = 'secretariat') => post(`/api/amendments/${aid}/reset`, { reason }, as)

/** The server's live text of a resolution, paragraph by paragraph. */
async function liveText(id: string): Promise<string[]> {
  return paragraphs((await server.hemicycle.services.collab.open(id)).doc)
}

async function toConsolidation(id: string, amendments: Array<Record<string, unknown>>): Promise<Amendment[]> {
  await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
  const tabled: Amendment[] = []
  for (const { as, ...body } of amendments) tabled.push(await ok<Amendment>(await table(id, { justification: 'Parce que.', ...body }, (as as string | undefined) ?? 'claire'), 201))
  await ok(await move(id, { to: 'consolidation' }, 'secretariat'))
  return tabled
}

/** Moves the clock; sessions idle longer than 12 hours end, so everyone logs in again. */
async function setClock(at: string) {
  const jump = Math.abs(new Date(at).getTime() - clock.getTime())
  clock = new Date(at)
  if (jump > 60 * 60 * 1000) for (const name of ['secretariat', 'claire', 'kwame', 'lucia', 'ingrid', 'mateo', 'tomas']) tokens[name] = await server.login(name)
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'kwame', 'lucia', 'ingrid', 'mateo', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

describe('the lock', () => {
  it('is refused while an amendment is undecided or an objection unanswered, listing them, and allowed once they are dealt with', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const { id, blocks } = await draft('Premier paragraphe du texte.', 'Deuxième paragraphe du texte.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Premier paragraphe du projet.' },
      { kind: 'replace', blockId: blocks[1], text: 'Deuxième paragraphe, revu.', as: 'kwame' },
    ])
    const undecided = await expectError(await move(id, { to: 'final', confirm: true }, 'mateo'), 409, 'amendments_outstanding')
    expect(undecided.outstanding).toEqual([
      { id: a1!.id, number: 'A1', reason: 'undecided' },
      { id: a2!.id, number: 'A2', reason: 'undecided' },
    ])

    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'acceptModified', text: 'Deuxième paragraphe, revu et corrigé.' }))
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: false, comment: 'Nous tenons à notre rédaction.' }, 'kwame'))
    const objection = await expectError(await move(id, { to: 'final', confirm: true }, 'mateo'), 409, 'amendments_outstanding')
    expect(objection.outstanding).toEqual([{ id: a2!.id, number: 'A2', reason: 'objection' }])

    // Answering is the deciders' business, and answers the objection standing now only.
    await expectError(await post(`/api/amendments/${a2!.id}/objection-reply`, { text: 'Vu.' }, 'claire'), 403, 'forbidden')
    const replied = await ok<Amendment>(await post(`/api/amendments/${a2!.id}/objection-reply`, { text: 'La formulation suit le rapport du groupe de travail.' }, 'ingrid'))
    expect(replied.objectionReply).toMatchObject({ text: 'La formulation suit le rapport du groupe de travail.', by: { username: 'ingrid' } })
    await expectError(await post(`/api/amendments/${a2!.id}/objection-reply`, { text: 'Encore.' }, 'ingrid'), 409, 'no_objection')
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: false, comment: 'Toujours pas.' }, 'kwame'))
    expect((await get<Amendment>(`/api/amendments/${a2!.id}`, 'claire')).objectionReply).toBeUndefined()
    await expectError(await move(id, { to: 'final', confirm: true }, 'mateo'), 409, 'amendments_outstanding')
    // The delegation changing its answer answers its objection too.
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: true }, 'kwame'))
    expect((await ok<Resolution>(await move(id, { to: 'final', confirm: true }, 'mateo'))).stage).toBe('final')
    // Locked on the answers then standing: no objection raised again after it (found by a hostile review: it cleared the
    // chair's reply to an earlier one, and the text was adopted with the objection unanswered on record).
    await expectError(await post(`/api/amendments/${a2!.id}/response`, { agree: false, comment: 'Finalement non.' }, 'kwame'), 409, 'wrong_stage')
    expect((await get<Amendment>(`/api/amendments/${a2!.id}`, 'claire')).response).toMatchObject({ agree: true })
  })

  it('goes over outstanding amendments only when the Steering Committee says so, which the audit records, and they lapse', async () => {
    const { id, blocks } = await draft('Un paragraphe.', 'Un autre.')
    const [a1] = await toConsolidation(id, [{ kind: 'delete', blockId: blocks[1] }])
    await expectError(await move(id, { to: 'final', confirm: true, acceptOutstandingAmendments: false }, 'mateo'), 409, 'amendments_outstanding')
    expect((await ok<Resolution>(await move(id, { to: 'final', confirm: true, acceptOutstandingAmendments: true }, 'mateo'))).stage).toBe('final')
    const lapsed = await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')
    expect(lapsed).toMatchObject({ status: 'lapsed', decision: { by: { username: 'mateo' } } })
    const audit = await get<Array<{ action: string; detail: Record<string, unknown> }>>(`/api/resolutions/${id}/audit`, 'secretariat')
    expect(audit.find((entry) => entry.action === 'lock')?.detail).toMatchObject({
      acceptedOutstanding: [{ amendment: 'A1', amendmentId: a1!.id, reason: 'undecided' }],
      lapsed: ['A1'],
    })
  })
})

describe('going back', () => {
  it('refuses to reopen amendments with an expired deadline unless a new one is given; tabled amendments stay on the table', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const { id, blocks } = await draft('Un paragraphe.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Un paragraphe changé.' }])
    await setClock('2026-12-02T09:00:00Z')
    await expectError(await move(id, { to: 'amendments', reason: 'Un oubli.' }, 'mateo'), 400, 'deadline_required')
    await expectError(await move(id, { to: 'amendments', reason: 'Un oubli.', deadline: '2026-12-01T00:00:00Z' }, 'mateo'), 422, 'deadline_past')
    const reopened = await ok<Resolution>(await move(id, { to: 'amendments', reason: 'Un oubli.', deadline: '2026-12-09T17:00:00Z' }, 'mateo'))
    expect(reopened).toMatchObject({ stage: 'amendments', deadline: '2026-12-09T17:00:00.000Z', tablingOpen: true })
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('tabled')
    // Its delegation may change it again until the new deadline.
    expect((await ok<Amendment>(await server.api(`/api/amendments/${a1!.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Un paragraphe bien changé.' }), token: tokens['claire']! }))).number).toBe('A1')
    await setClock('2026-11-23T09:00:00Z')
  })

  it('lapses the amendments still tabled when the text returns to draft, with the reason', async () => {
    const { id, blocks } = await draft('Un paragraphe.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
    const a1 = await ok<Amendment>(await table(id, { kind: 'delete', blockId: blocks[0], justification: 'Inutile.' }), 201)
    await ok(await move(id, { to: 'draft', reason: 'Le texte doit être réécrit.' }, 'mateo'))
    expect(await get<Amendment>(`/api/amendments/${a1.id}`, 'claire')).toMatchObject({ status: 'lapsed', decision: { reason: 'Le texte doit être réécrit.' } })
  })
})

describe('deadlines', () => {
  it('are set and extended by the secretariat while amendments are open, audited and told live', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const { id } = await draft('Un paragraphe.')
    const deadline = (body: unknown, as: string) => post(`/api/resolutions/${id}/deadline`, body, as)
    await expectError(await deadline({ deadline: '2026-12-01T17:00:00Z' }, 'secretariat'), 409, 'wrong_stage')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00+01:00' }, 'secretariat'))
    const sse = await listen(`${server.url}/api/resolutions/${id}/events`, tokens['claire']!)
    await eventually(() => expect(sse.events.length).toBeGreaterThan(0))
    await expectError(await deadline({ deadline: '2026-12-01T17:00:00Z' }, 'ingrid'), 403, 'forbidden')
    await expectError(await deadline({ deadline: '2026-11-20T17:00:00Z' }, 'secretariat'), 422, 'deadline_past')
    await expectError(await deadline({ deadline: 'next week' }, 'secretariat'), 400, 'invalid_deadline')
    const extended = await ok<Resolution>(await deadline({ deadline: '2026-12-04T18:00:00+08:00' }, 'secretariat'))
    expect(extended.deadline).toBe('2026-12-04T10:00:00.000Z')
    await eventually(() => expect(sse.events).toContainEqual(expect.objectContaining({ type: 'deadline', previous: '2026-11-30T16:00:00.000Z', by: 'Amina Diallo' })))
    sse.close()
    const audit = await get<Array<{ action: string; detail: Record<string, unknown> }>>(`/api/resolutions/${id}/audit`, 'secretariat')
    expect(audit.at(-1)).toMatchObject({ action: 'deadline', detail: { from: '2026-11-30T16:00:00.000Z', to: '2026-12-04T10:00:00.000Z' } })
    // The list says whether tabling is open by the server's clock.
    const listed = () => get<Resolution[]>('/api/resolutions', 'claire').then((all) => all.find((resolution) => resolution.id === id)!)
    expect((await listed()).tablingOpen).toBe(true)
    await setClock('2026-12-04T10:00:00Z')
    expect((await listed()).tablingOpen).toBe(false)
    await expectError(await table(id, { kind: 'delete', blockId: 'x', justification: 'Trop tard.' }), 409, 'deadline_passed')
    await setClock('2026-11-23T09:00:00Z')
  })

  it('are shown in the time zone of the meeting that has the resolution on its agenda', async () => {
    const { id } = await draft('Un paragraphe.')
    expect(await get<Resolution>(`/api/resolutions/${id}`, 'claire')).toMatchObject({ timeZone: 'UTC', meetingEndsAt: null })
    await expectError(await post('/api/meetings', { kind: 'council', title: 'Conseil', startsAt: '2026-12-10', endsAt: '2026-12-11', timeZone: 'Mars/Olympus', resolutionIds: [id] }, 'secretariat'), 400, 'invalid_request')
    await ok(await post('/api/meetings', { kind: 'council', title: 'Conseil', startsAt: '2026-12-10', endsAt: '2026-12-11', timeZone: 'America/Santiago', resolutionIds: [id] }, 'secretariat'), 201)
    expect(await get<Resolution>(`/api/resolutions/${id}`, 'claire')).toMatchObject({ timeZone: 'America/Santiago', meetingEndsAt: '2026-12-11' })
  })
})

describe('accepting as modified', () => {
  it('is refused 422 no_change with words that change nothing: the paragraph as it stands, or as the amendment found it', async () => {
    const { id, blocks } = await draft('Le Conseil agit vite.', 'Une clause de trop.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Le Conseil agit sans attendre.' },
      { kind: 'delete', blockId: blocks[1], as: 'kwame' },
    ])
    await expectError(await decide(a1!.id, { decision: 'acceptModified', text: 'Le Conseil agit vite.' }), 422, 'no_change')
    await expectError(await decide(a2!.id, { decision: 'acceptModified', text: 'Une clause de trop.' }), 422, 'no_change')
    // Spaces of another kind, or two for one, read the same (helper-151).
    for (const same of ['Le Conseil\u00a0agit vite.', 'Le Conseil  agit vite.', 'Le Conseil agit vite.\u2800', ' Le Conseil agit vite. ']) {
      await expectError(await decide(a1!.id, { decision: 'acceptModified', text: same }), 422, 'no_change')
    }
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    typeIntoBlock(chair.doc, blocks[0]!, 0, 'Aujourd’hui, ')
    await chair.saved()
    await eventually(async () => expect((await liveText(id))[0]).toBe('Aujourd’hui, Le Conseil agit vite.'))
    // As it stands now, and as A1 found it: neither writes anything.
    await expectError(await decide(a1!.id, { decision: 'acceptModified', text: 'Aujourd’hui, Le Conseil agit vite.' }), 422, 'no_change')
    await expectError(await decide(a1!.id, { decision: 'acceptModified', text: 'Le Conseil agit vite.' }), 422, 'no_change')
    for (const each of [a1!, a2!]) expect((await get<Amendment>(`/api/amendments/${each.id}`, 'claire')).status).toBe('tabled')
    const accepted = await ok<Amendment>(await decide(a1!.id, { decision: 'acceptModified', text: 'Le Conseil agit sans tarder.' }))
    expect(accepted.status).toBe('acceptedModified')
    await eventually(async () => expect((await liveText(id))[0]).toBe('Aujourd’hui, Le Conseil agit sans tarder.'))
    chair.destroy()
  })

  it('and words sent where none belong (an acceptance, a rejection, a deletion), or a change of nothing, are refused 400, not dropped', async () => {
    const { id, blocks } = await draft('Le Conseil agit vite.', 'Une clause de trop.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
    await expectError(await table(id, { kind: 'delete', blockId: blocks[1], text: 'Une clause utile.', justification: 'x' }), 400, 'wording_not_expected')
    const a1 = await ok<Amendment>(await table(id, { kind: 'replace', blockId: blocks[0], text: 'Le Conseil agit sans attendre.', justification: 'Plus net.' }), 201)
    const a2 = await ok<Amendment>(await table(id, { kind: 'delete', blockId: blocks[1], text: '', justification: 'Superflue.' }), 201)
    const patch = (aid: string, body: unknown) =>
      server.api(`/api/amendments/${aid}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens['claire']! })
    await expectError(await patch(a1.id, {}), 400, 'nothing_to_change')
    await expectError(await patch(a2.id, { text: 'Une clause utile.' }), 400, 'wording_not_expected')
    await ok(await move(id, { to: 'consolidation' }, 'secretariat'))
    await expectError(await decide(a1.id, { decision: 'accept', text: 'Le Conseil agit autrement.' }), 400, 'wording_not_expected')
    await expectError(await decide(a1.id, { decision: 'reject', reason: 'Non.', text: 'Le Conseil agit autrement.' }), 400, 'wording_not_expected')
    expect((await get<Amendment>(`/api/amendments/${a1.id}`, 'claire')).status).toBe('tabled')
    expect((await liveText(id))[0]).toBe('Le Conseil agit vite.')
  })
})

describe('resetting a decision', () => {
  it('tables the amendment again and reverts its change, keeping what was typed since elsewhere in the paragraph', async () => {
    const { id, blocks } = await draft('Le changement engendre toujours des gagnants et des perdants.', 'Un autre paragraphe.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Le changement engendre parfois des gagnants et des perdants.' }])
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await eventually(() => expect(paragraphs(chair.doc)[0]).toBe('Le changement engendre parfois des gagnants et des perdants.'))
    typeIntoBlock(chair.doc, blocks[0]!, 0, 'Hélas, ')
    await chair.saved()
    await eventually(async () => expect((await liveText(id))[0]).toMatch(/^Hélas, /))

    await expectError(await reset(a1!.id, 'x', 'claire'), 403, 'forbidden')
    await expectError(await post(`/api/amendments/${a1!.id}/reset`, { reason: '  ' }, 'secretariat'), 400, 'reason_required')
    const back = await ok<Amendment>(await reset(a1!.id, 'Adopté par erreur : la commission ne l’a pas examiné.'))
    expect(back).toMatchObject({ number: 'A1', status: 'tabled' })
    expect(back.decision).toBeUndefined()
    const expected = 'Hélas, Le changement engendre toujours des gagnants et des perdants.'
    expect((await liveText(id))[0]).toBe(expected)
    await eventually(() => expect(paragraphs(chair.doc)[0]).toBe(expected))
    chair.destroy()

    // Stored with the decision: a new reader, after the document has been unloaded, reads the same.
    await server.hemicycle.services.collab.store(server.hemicycle.services.collab.peek(id)!)
    const reader = connectClient(server.wsUrl, id, tokens['tomas']!)
    await reader.synced
    expect(paragraphs(reader.doc)[0]).toBe(expected)
    reader.destroy()

    const audit = await get<Array<{ action: string; detail: Record<string, unknown> }>>(`/api/resolutions/${id}/audit`, 'secretariat')
    expect(audit.at(-1)).toMatchObject({ action: 'reset', detail: { amendment: 'A1', from: 'accepted', reason: 'Adopté par erreur : la commission ne l’a pas examiné.', reverted: true } })
    // Decided again, as if for the first time.
    await ok(await decide(a1!.id, { decision: 'reject', reason: 'Après examen.' }))
    expect((await ok<Amendment>(await reset(a1!.id, 'Vote à refaire.', 'ingrid'))).status).toBe('tabled')
    expect((await liveText(id))[0]).toBe(expected)
  })

  it('refuses, and changes nothing, when the same words have been changed since', async () => {
    const { id, blocks } = await draft('Nous devons investir dans les têtes.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Nous devons investir dans les esprits.' }])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    typeIntoBlock(chair.doc, blocks[0]!, 'Nous devons investir dans les esprits'.length, ' libres')
    await chair.saved()
    chair.destroy()
    const before = await liveText(id)
    await expectError(await reset(a1!.id, 'Erreur.'), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(before)
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('accepted')
  })

  it('puts a deleted paragraph back, with the amendments it had made obsolete', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[1] },
      { kind: 'replace', blockId: blocks[1], text: 'Deux, mieux.', as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    expect(await liveText(id)).toEqual(['Un.', 'Trois.'])
    expect((await get<Amendment>(`/api/amendments/${a2!.id}`, 'claire')).status).toBe('obsolete')
    await ok(await reset(a1!.id, 'La suppression n’était pas décidée.'))
    expect(await liveText(id)).toEqual(['Un.', 'Deux.', 'Trois.'])
    expect((await get<Amendment>(`/api/amendments/${a2!.id}`, 'claire')).status).toBe('tabled')
  })

  it('is refused for a merged amendment, and once the text is locked', async () => {
    const { id, blocks } = await draft('Un paragraphe à fusionner.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe fusionné.' },
      { kind: 'replace', blockId: blocks[0], text: 'Un texte à fusionner.', as: 'kwame' },
    ])
    const compromise = await ok<Amendment>(await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a1!.id, a2!.id], text: 'Un texte fusionné.', justification: 'Les deux.' }, 'ingrid'), 201)
    await expectError(await reset(a1!.id, 'Non.'), 409, 'merged')
    await ok(await decide(compromise.id, { decision: 'accept' }))
    await ok(await post(`/api/amendments/${a1!.id}/response`, { agree: true }, 'claire'))
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: true }, 'kwame'))
    await ok(await move(id, { to: 'final', confirm: true }, 'mateo'))
    await expectError(await reset(compromise.id, 'Trop tard.'), 409, 'locked')
    // Unlocked, the round is the same: its decisions can still be taken back.
    await ok(await move(id, { to: 'consolidation', reason: 'Une correction.' }, 'mateo'))
    await ok(await reset(compromise.id, 'Corriger la fusion.'))
  })

  it('is refused once amendments were opened again: the next round stands on the text it wrote', async () => {
    // Found by a hostile review: a round-one decision taken back in round two undid its words in a text co-edited since,
    // and tabled its amendment again in a round it was never tabled in.
    const { id, blocks } = await draft('Le Conseil salue les efforts des membres.', 'La cohésion sociale exige des politiques ambitieuses.', 'Dernier paragraphe.')
    const [accepted, rejected] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Le Conseil salue vivement les efforts des membres.' },
      { kind: 'replace', blockId: blocks[1], text: 'La cohésion sociale exige des politiques très ambitieuses.', as: 'kwame' },
    ])
    await ok(await decide(accepted!.id, { decision: 'accept' }))
    await ok(await decide(rejected!.id, { decision: 'reject', reason: 'Non.' }))
    await ok(await move(id, { to: 'amendments', reason: 'Un second tour.', deadline: '2026-11-30T17:00:00Z' }, 'mateo'))
    const second = await ok<Amendment>(await table(id, { kind: 'replace', blockId: blocks[2], text: 'Dernier paragraphe, modifié.', justification: 'Second tour.' }, 'lucia'), 201)
    await ok(await move(id, { to: 'consolidation' }, 'secretariat'))
    const before = await liveText(id)
    await expectError(await reset(accepted!.id, 'Corriger.'), 409, 'earlier_round')
    await expectError(await reset(rejected!.id, 'Corriger.', 'ingrid'), 409, 'earlier_round')
    expect(await liveText(id)).toEqual(before)
    expect((await get<Amendment>(`/api/amendments/${accepted!.id}`, 'claire')).status).toBe('accepted')
    // This round's decisions are this round's to take back.
    await ok(await decide(second.id, { decision: 'accept' }))
    await ok(await reset(second.id, 'Corriger.'))
  })
})

describe('deleting the first paragraph of a list item with a list under it', () => {
  it('is refused as a conflict: the item would start with the list, and the next editor to open it deleted it all', async () => {
    const { id } = await draft('- Clause A.\n\n  - Sous-clause B.', 'Suite.')
    const live = await server.hemicycle.services.collab.open(id)
    const item = (live.doc.getXmlFragment('body').get(0) as unknown as { get(index: number): { get(index: number): { getAttribute(name: string): string } } }).get(0)
    const clause = item.get(0).getAttribute('id')
    const [deletion] = await toConsolidation(id, [{ kind: 'delete', blockId: clause }])
    const before = await liveText(id)
    await expectError(await decide(deletion!.id, { decision: 'accept' }), 409, 'conflict')
    expect(await liveText(id)).toEqual(before)
    // The chair may write what stays instead.
    await ok(await decide(deletion!.id, { decision: 'acceptModified', text: 'Clause supprimée.' }))
    // (A list reads as one entry here: the item's paragraph, then its sub-list.)
    expect(await liveText(id)).toEqual(['Clause supprimée.Sous-clause B.', 'Suite.'])
  })
})

describe('an amendment made obsolete', () => {
  it('lapses when the text goes back to draft: an undo in the next round does not table it again', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[1], text: 'Deux revu.' }])
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    chair.doc.getXmlFragment('body').delete(1, 1)
    await chair.saved()
    chair.destroy()
    // Leaving consolidation reads the amendments against the text as it is.
    await ok(await move(id, { to: 'amendments', reason: 'Un autre tour.' }, 'mateo'))
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('obsolete')
    await ok(await move(id, { to: 'draft', reason: 'Retour au projet.' }, 'mateo'))
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('lapsed')
  })
  it('is counted at the lock when an undo brings its paragraph back between the lock’s reading of the amendments and the freeze', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[1], text: 'Deux revu.' }])
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    const undo = new Y.UndoManager(chair.doc.getXmlFragment('body'))
    chair.doc.getXmlFragment('body').delete(1, 1)
    await chair.saved()
    // The chair's undo arrives just after the lock has read the amendments against the text, before the text freezes.
    const amendments = server.hemicycle.services.amendments
    const follow = amendments.followParagraphsOf.bind(amendments)
    amendments.followParagraphsOf = async (resolutionId: string) => {
      amendments.followParagraphsOf = follow
      await follow(resolutionId)
      expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('obsolete')
      undo.undo()
      await chair.saved()
    }
    // The text hashed holds the paragraph: its amendment is undecided, not obsolete, and the lock waits for it.
    await expectError(await move(id, { to: 'final', confirm: true }, 'mateo'), 409, 'amendments_outstanding')
    expect(amendments.followParagraphsOf).toBe(follow)
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('tabled')
    expect((await get<Resolution>(`/api/resolutions/${id}`, 'claire')).stage).toBe('consolidation')
    expect(await liveText(id)).toEqual(['Un.', 'Deux.'])
    chair.destroy()
  })
})

describe('the answers of the delegations a compromise merged', () => {
  it('are asked again when its wording changes, edited or accepted as modified: they answered other words', async () => {
    const { id, blocks } = await draft('La paix pour tous.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'La paix durable pour chacun.' },
      { kind: 'replace', blockId: blocks[0], text: 'La paix juste pour tous.', as: 'kwame' },
    ])
    const compromise = await ok<Amendment>(await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a1!.id, a2!.id], text: 'La paix juste et durable pour tous.', justification: 'Les deux.' }, 'ingrid'), 201)
    const agree = async () => {
      await ok(await post(`/api/amendments/${a1!.id}/response`, { agree: true }, 'claire'))
      await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: true }, 'kwame'))
    }
    const answers = async () => [(await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).response?.agree, (await get<Amendment>(`/api/amendments/${a2!.id}`, 'kwame')).response?.agree]
    await agree()
    expect(await answers()).toEqual([true, true])
    // Before, both agreements stood for "La guerre est déclarée.", and nobody was told.
    const edited = await server.api(`/api/amendments/${compromise.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'La guerre est déclarée.' }), token: tokens['ingrid']! })
    await ok(edited)
    expect(await answers()).toEqual([undefined, undefined])
    // Unchanged words keep them.
    await agree()
    await ok(await server.api(`/api/amendments/${compromise.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ justification: 'Autrement dit.' }), token: tokens['ingrid']! }))
    expect(await answers()).toEqual([true, true])
    // An objection stands through a new wording, and still holds the lock back.
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: false, comment: 'Non.' }, 'kwame'))
    await ok(await decide(compromise.id, { decision: 'acceptModified', text: 'La paix armée pour quelques-uns.' }))
    expect(await answers()).toEqual([undefined, false])
    await expectError(await move(id, { to: 'final', confirm: true }, 'mateo'), 409, 'amendments_outstanding')
    const notices = (await get<Notification[]>('/api/notifications', 'claire')).filter((notice) => notice.subject.kind === 'answerAwaited')
    expect(notices.length).toBeGreaterThanOrEqual(3)
  })

  it('are no longer asked once the compromise fell: an objection to words never in the text holds nothing back', async () => {
    // Found by a hostile review: a delegation objected to a rejected compromise, and the lock waited on a chair's reply.
    const { id, blocks } = await draft('La paix pour tous.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'La paix durable pour chacun.' },
      { kind: 'replace', blockId: blocks[0], text: 'La paix juste pour tous.', as: 'kwame' },
    ])
    const compromise = await ok<Amendment>(await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a1!.id, a2!.id], text: 'La paix juste et durable pour tous.', justification: 'Les deux.' }, 'ingrid'), 201)
    await ok(await post(`/api/amendments/${a2!.id}/response`, { agree: false, comment: 'Non.' }, 'kwame'))
    await ok(await decide(compromise.id, { decision: 'reject', reason: 'Pas de consensus.' }))
    await expectError(await post(`/api/amendments/${a1!.id}/response`, { agree: false }, 'claire'), 409, 'nothing_to_answer')
    expect((await ok<Resolution>(await move(id, { to: 'final', confirm: true }, 'mateo'))).stage).toBe('final')
  })
})

describe('accepting all that do not collide', () => {
  it('previews with dryRun what it would accept and skip, changing nothing, then does exactly that', async () => {
    const { id, blocks } = await draft('Premier paragraphe.', 'Deuxième paragraphe.', 'Troisième paragraphe.')
    const [a1, a2, a3] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Premier paragraphe revu.' },
      { kind: 'replace', blockId: blocks[1], text: 'Deuxième paragraphe revu.' },
      { kind: 'delete', blockId: blocks[1], as: 'kwame' },
    ])
    const before = await liveText(id)
    const preview = await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding?dryRun=1`, {}, 'ingrid'))
    expect(preview).toEqual({ accepted: [a1!.id], skipped: [{ id: a2!.id, reason: 'colliding' }, { id: a3!.id, reason: 'colliding' }] })
    expect(await liveText(id)).toEqual(before)
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'claire')).status).toBe('tabled')
    await expectError(await post(`/api/resolutions/${id}/amendments/accept-non-colliding?dryRun=1`, {}, 'claire'), 403, 'forbidden')
    expect(await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding`, {}, 'ingrid'))).toEqual(preview)
    expect((await liveText(id))[0]).toBe('Premier paragraphe revu.')
  })
})

describe('editing a tabled amendment', () => {
  it('keeps its number until the deadline, and asks its co-sponsors to sign the new wording again', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const { id, blocks } = await draft('Un paragraphe à amender.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
    const a1 = await ok<Amendment>(await table(id, { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe amendé.', justification: 'Plus clair.' }), 201)
    await ok(await post(`/api/amendments/${a1.id}/cosponsor`, {}, 'kwame'))
    const patch = (body: unknown, as = 'claire') => server.api(`/api/amendments/${a1.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
    await expectError(await patch({ text: 'Un paragraphe changé.' }, 'kwame'), 403, 'forbidden')
    const justified = await ok<Amendment>(await patch({ justification: 'Plus clair et plus court.' }))
    expect(justified.cosponsors.map((delegation) => delegation.id)).toEqual(['gh-sdp'])
    const edited = await ok<Amendment>(await patch({ text: 'Un paragraphe bien amendé.' }))
    expect(edited).toMatchObject({ number: 'A1', text: 'Un paragraphe bien amendé.', cosponsors: [] })
    await eventually(async () =>
      expect((await get<Notification[]>('/api/notifications', 'kwame')).map((item) => item.subject)).toContainEqual({ kind: 'cosponsorAgain', amendmentId: a1.id, amendment: 'A1', by: 'Claire Martin' }),
    )
    await setClock('2026-11-30T17:00:00Z')
    await expectError(await patch({ text: 'Trop tard.' }), 409, 'deadline_passed')
    await setClock('2026-11-23T09:00:00Z')
  })
})

describe('notifications', () => {
  it('tell people of stage changes with their reason, of answers awaited and of objections, live, and each marks them read', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const parse = (data: unknown) => NotificationEvent.parse(data).notification
    const claire = await listen<Notification>(`${server.url}/api/notifications/events`, tokens['claire']!, parse)
    const chair = await listen<Notification>(`${server.url}/api/notifications/events`, tokens['ingrid']!, parse)
    const secretariat = await listen<Notification>(`${server.url}/api/notifications/events`, tokens['secretariat']!, parse)
    const { id, blocks } = await draft('Un paragraphe à amender.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Un paragraphe amendé.' }])
    await eventually(() =>
      expect(claire.events.map((event) => event.subject)).toContainEqual({ kind: 'stage', from: 'draft', to: 'amendments', by: 'Amina Diallo', deadline: '2026-11-30T17:00:00.000Z' }),
    )
    // Nobody is told of their own act.
    expect(secretariat.events.filter((event) => event.resolutionId === id)).toEqual([])

    await ok(await decide(a1!.id, { decision: 'acceptModified', text: 'Un paragraphe amendé autrement.' }))
    await eventually(() => expect(claire.events.map((event) => event.subject)).toContainEqual(expect.objectContaining({ kind: 'answerAwaited', amendment: 'A1', status: 'acceptedModified', by: 'Ingrid Johansson' })))
    await ok(await post(`/api/amendments/${a1!.id}/response`, { agree: false, comment: 'Non.' }, 'claire'))
    await eventually(() => expect(chair.events.map((event) => event.subject)).toContainEqual(expect.objectContaining({ kind: 'objection', amendment: 'A1', delegation: 'Parti progressiste', comment: 'Non.' })))
    await eventually(() => expect(secretariat.events.map((event) => event.subject.kind)).toContain('objection'))
    expect(claire.events.map((event) => event.subject.kind)).not.toContain('objection')

    await ok(await move(id, { to: 'amendments', reason: 'Une délégation manquait.', deadline: '2026-12-01T12:00:00Z' }, 'mateo'))
    await eventually(() => expect(claire.events.map((event) => event.subject)).toContainEqual(expect.objectContaining({ kind: 'stage', to: 'amendments', reason: 'Une délégation manquait.' })))
    for (const stream of [claire, chair, secretariat]) stream.close()

    const mine = await get<Notification[]>('/api/notifications', 'claire')
    const here = mine.filter((notification) => notification.resolutionId === id)
    expect(here.map((notification) => notification.subject.kind)).toEqual(['stage', 'answerAwaited', 'stage', 'stage'])
    expect(here.every((notification) => !notification.read)).toBe(true)
    expect((await post('/api/notifications/read', { ids: [here[0]!.id] }, 'claire')).status).toBe(204)
    expect((await get<Notification[]>('/api/notifications', 'claire')).find((notification) => notification.id === here[0]!.id)?.read).toBe(true)
    // Reading is each person's own.
    expect((await get<Notification[]>('/api/notifications', 'kwame')).find((notification) => notification.id === here[0]!.id)?.read).toBe(false)
    expect((await post('/api/notifications/read', { all: true }, 'claire')).status).toBe(204)
    expect((await get<Notification[]>('/api/notifications', 'claire')).some((notification) => !notification.read)).toBe(false)
  })

  it('mark every notification read on "mark all read", past the newest page, and none recorded after the newest one shown', async () => {
    const { id } = await draft('Un paragraphe.')
    const { notifications } = server.hemicycle.services
    const subject = (n: number) => ({ kind: 'deadlineSoon' as const, deadline: new Date(Date.UTC(2027, 0, 1, 0, n)).toISOString() })
    const start = Date.parse('2026-11-20T08:00:00Z')
    for (let n = 0; n < 620; n++) await notifications.record(server.hemicycle.services.db, { resolutionId: id, actor: null, subject: subject(n), at: new Date(start + n * 1000) })
    const shownUpTo = new Date(start + 619 * 1000).toISOString()
    await notifications.record(server.hemicycle.services.db, { resolutionId: id, actor: null, subject: subject(620), at: new Date(start + 620 * 1000) })
    const unreadOfThis = async () => {
      const rows = await server.hemicycle.services.db.query<{ n: number }>(
        `select count(*)::int as n from notifications n where n.resolution_id = $1
         and not exists (select 1 from notification_reads r where r.notification_id = n.id and r.person_id = (select id from people where username = 'claire'))`,
        [id],
      )
      return rows[0]!.n
    }
    expect(await unreadOfThis()).toBe(621)
    expect((await post('/api/notifications/read', { all: true, upTo: shownUpTo }, 'claire')).status).toBe(204)
    expect(await unreadOfThis()).toBe(1)
    expect((await post('/api/notifications/read', { all: true }, 'claire')).status).toBe(204)
    expect(await unreadOfThis()).toBe(0)
    expect((await post('/api/notifications/read', { all: true, upTo: 'yesterday' }, 'claire')).status).toBe(400)
  })

  it('tell everyone once that a deadline approaches, whatever the number of sweeps', async () => {
    await setClock('2026-11-23T09:00:00Z')
    const { id } = await draft('Un paragraphe.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-25T09:00:00Z' }, 'secretariat'))
    const { notifications } = server.hemicycle.services
    await notifications.sweep()
    const soon = async () => (await get<Notification[]>('/api/notifications', 'claire')).filter((item) => item.resolutionId === id && item.subject.kind === 'deadlineSoon')
    expect(await soon()).toEqual([])
    await setClock('2026-11-24T10:00:00Z')
    await Promise.all([notifications.sweep(), notifications.sweep()])
    await notifications.sweep()
    expect((await soon()).map((item) => item.subject)).toEqual([{ kind: 'deadlineSoon', deadline: '2026-11-25T09:00:00.000Z' }])
    await setClock('2026-11-23T09:00:00Z')
  })
})

// The paths other than a single accept, against a hand-written client: none may leave a text that says other than its decisions say.
const acceptAll = (id: string, dryRun = false, as = 'ingrid') => post(`/api/resolutions/${id}/amendments/accept-non-colliding${dryRun ? '?dryRun=1' : ''}`, {}, as)
const statusOf = async (aid: string) => (await get<Amendment>(`/api/amendments/${aid}`, 'secretariat')).status

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
    expect({ reset: response.status, a2: await statusOf(a2!.id), text }).toEqual(
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
    expect({ a2: await statusOf(a2!.id), saysParfois: text!.includes('parfois'), reset: response.status }).toEqual({
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
    const dry = await ok<BulkAcceptance>(await acceptAll(id, true))
    const real = await ok<BulkAcceptance>(await acceptAll(id))
    expect(real).toEqual(dry)
    expect(await liveText(id)).toEqual(['Un.', 'Trois.'])
    // The second one's paragraph is gone once the first is accepted: obsolete, as the contract has it, and as the dry run said.
    expect([await statusOf(a1!.id), await statusOf(a2!.id)]).toEqual(['accepted', 'obsolete'])
  })

  it('with a deletion and an insertion after the deleted paragraph: they collide, whichever was tabled first', async () => {
    // Before, the deletion tabled first made the insertion obsolete, and the insertion tabled first was written: two texts
    // from the same two amendments, listed as not colliding.
    for (const order of [
      ['delete', 'insertAfter'],
      ['insertAfter', 'delete'],
    ] as const) {
      const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
      const tabled = await toConsolidation(
        id,
        order.map((kind, index) => (kind === 'delete' ? { kind, blockId: blocks[1] } : { kind, blockId: blocks[1], text: 'Deux bis.', ...(index === 1 ? { as: 'kwame' } : {}) })),
      )
      const dry = await ok<BulkAcceptance>(await acceptAll(id, true))
      const real = await ok<BulkAcceptance>(await acceptAll(id))
      expect(real).toEqual(dry)
      expect(real).toEqual({ accepted: [], skipped: tabled.map((amendment) => ({ id: amendment.id, reason: 'colliding' })) })
      expect(await liveText(id)).toEqual(['Un.', 'Deux.', 'Trois.'])
    }
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
    expect(await statusOf(a1!.id)).toBe('tabled')
  })
})

describe('a compromise composed while others wrote in its paragraph', () => {
  const words = (runs: Array<{ text: string }>) => runs.map((run) => run.text).join('')

  it('keeps what they wrote elsewhere in it, and is refused where they changed the words it changes', async () => {
    await setClock('2026-11-23T10:00:00Z')
    const { id, blocks } = await draft('Nous devons agir rapidement pour le climat.')
    const [a1, a2, a3, a4] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous devons agir vite pour le climat.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous devons agir rapidement pour le climat et pour tous.', as: 'kwame' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous devons agir sans délai pour le climat.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous devons agir rapidement pour la planète.', as: 'kwame' },
    ])
    // The chair composes on the paragraph as it reads now; meanwhile the secretariat adds words at its start.
    const composedOn = [{ text: 'Nous devons agir rapidement pour le climat.' }]
    const secretariat = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await secretariat.synced
    typeIntoBlock(secretariat.doc, blocks[0]!, 0, 'Aujourd’hui, ')
    await secretariat.saved()
    const compromise = await ok<Amendment>(
      await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a1!.id, a2!.id], text: 'Nous devons agir vite pour le climat et pour tous.', justification: 'Les deux.', base: composedOn }, 'ingrid'),
      201,
    )
    expect(words(compromise.wording![0]!)).toBe('Aujourd’hui, Nous devons agir vite pour le climat et pour tous.')
    await ok(await decide(compromise.id, { decision: 'accept' }))
    expect((await liveText(id))[0]).toBe('Aujourd’hui, Nous devons agir vite pour le climat et pour tous.')

    // Composed on the paragraph before that acceptance: the words it changes were changed meanwhile. Nothing is merged.
    const refused = await expectError(
      await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a3!.id, a4!.id], text: 'Nous devons agir sans délai pour la planète.', justification: 'Les deux.', base: composedOn }, 'ingrid'),
      409,
      'conflict',
    )
    expect(refused.message).toMatch(/compose it again/)
    expect([await statusOf(a3!.id), await statusOf(a4!.id)]).toEqual(['tabled', 'tabled'])
    secretariat.destroy()
  })
})

describe('accepting every amendment that does not collide, as previewed', () => {
  it('accepts those the chair was shown and confirmed, and no other: one that became acceptable since stays tabled', async () => {
    await setClock('2026-11-23T11:00:00Z')
    const { id, blocks } = await draft('Premier paragraphe à revoir.', 'Deuxième paragraphe à revoir.', 'Troisième paragraphe à revoir.')
    const [a1, a2, a3] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Premier paragraphe revu.' },
      { kind: 'replace', blockId: blocks[1], text: 'Deuxième paragraphe revu.' },
      { kind: 'replace', blockId: blocks[2], text: 'Troisième paragraphe revu.' },
    ])
    // Someone rewrites the words A2 changes: it conflicts, and the preview leaves it for a decision one by one.
    const secretariat = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await secretariat.synced
    const second = () => ((secretariat.doc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText)
    second().insert('Deuxième paragraphe '.length, 'vraiment ')
    await secretariat.saved()
    const preview = await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding?dryRun=1`, {}, 'ingrid'))
    expect({ accepted: preview.accepted, skipped: preview.skipped }).toEqual({ accepted: [a1!.id, a3!.id], skipped: [{ id: a2!.id, reason: 'conflict' }] })
    // Taken back before the chair confirms: A2 applies again, but the chair confirmed A1 and A3.
    second().delete('Deuxième paragraphe '.length, 'vraiment '.length)
    await secretariat.saved()
    const done = await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding`, { ids: preview.accepted }, 'ingrid'))
    expect(done).toEqual({ accepted: [a1!.id, a3!.id], skipped: [] })
    expect([await statusOf(a1!.id), await statusOf(a2!.id), await statusOf(a3!.id)]).toEqual(['accepted', 'tabled', 'accepted'])
    secretariat.destroy()
  })
})

describe('answers given again and again', () => {
  it('tell the chairs of an objection once per decision and reply, and send nothing when nothing changed', async () => {
    await setClock('2026-11-23T12:00:00Z')
    const { id, blocks } = await draft('Un paragraphe à modifier.', 'Un voisin.')
    const [a1] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe modifié.' },
      { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe à modifier vite.', as: 'kwame' },
      { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe à modifier bien.', as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'acceptModified', text: 'Un paragraphe modifié par la présidence.' }))
    const objections = async () => (await get<Notification[]>('/api/notifications', 'ingrid')).filter((notice) => notice.subject.kind === 'objection' && notice.subject.amendmentId === a1!.id).length
    const sse = await listen(`${server.url}/api/resolutions/${id}/events`, tokens['tomas']!)
    await eventually(() => expect(sse.events.length).toBeGreaterThan(0))
    const answer = (agree: boolean, comment?: string) => post(`/api/amendments/${a1!.id}/response`, { agree, ...(comment ? { comment } : {}) }, 'claire')
    // Every stream a notice concerns sends the same bytes, made once: not a copy per stream.
    const frames: Uint8Array[] = []
    const listeners = (['chair', 'secretariat'] as const).map((role) =>
      server.hemicycle.services.notifications.subscribe({ id: `person-${role}-probe`, username: role, name: role, role, delegation: null }, (_notice, frame) => void frames.push(frame)),
    )
    for (let round = 0; round < 5; round++) {
      await ok(await answer(false, 'Nous tenons à notre rédaction.'))
      await ok(await answer(true))
    }
    await ok(await answer(false, 'Nous tenons à notre rédaction.'))
    expect(await objections()).toBe(1)
    await eventually(() => expect(frames).toHaveLength(2))
    expect(frames[0]).toBe(frames[1])
    for (const stop of listeners) stop()
    // A reply answers it; a new objection after it is news again.
    await ok(await post(`/api/amendments/${a1!.id}/objection-reply`, { text: 'La présidence maintient.' }, 'ingrid'))
    await ok(await answer(false, 'Toujours pas.'))
    expect(await objections()).toBe(2)

    // The same answer again: nothing is sent to anyone; one that changes something, its amendment alone, not its neighbours.
    await eventually(() => expect(sse.events.filter((event) => event.type === 'amendment').length).toBeGreaterThan(0))
    const before = sse.events.length
    await ok(await answer(false, 'Toujours pas.'))
    await ok(await answer(true))
    await eventually(() => expect(sse.events.length).toBeGreaterThan(before))
    expect(sse.events.slice(before).map((event) => (event.type === 'amendment' ? event.amendment.number : event.type))).toEqual(['A1'])
    sse.close()
  })

  it('a co-sponsorship given again changes nothing and sends nothing; given, it sends its amendment alone', async () => {
    const { id, blocks } = await draft('Un paragraphe très discuté.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
    const a1 = await ok<Amendment>(await table(id, { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe discuté.', justification: 'Plus court.' }), 201)
    await ok(await table(id, { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe très débattu.', justification: 'Plus juste.' }), 201)
    const sse = await listen(`${server.url}/api/resolutions/${id}/events`, tokens['tomas']!)
    await eventually(() => expect(sse.events.length).toBeGreaterThan(0))
    const before = sse.events.length
    await ok(await post(`/api/amendments/${a1.id}/cosponsor`, {}, 'kwame'))
    await eventually(() => expect(sse.events.length).toBeGreaterThan(before))
    await ok(await post(`/api/amendments/${a1.id}/cosponsor`, {}, 'kwame'))
    await ok(await post(`/api/amendments/${a1.id}/cosponsor`, {}, 'kwame'))
    // The next event is a marker: a deadline moved, after the repeats.
    await ok(await post(`/api/resolutions/${id}/deadline`, { deadline: '2026-12-01T17:00:00Z' }, 'secretariat'))
    await eventually(() => expect(sse.events.at(-1)?.type).toBe('deadline'))
    expect(sse.events.slice(before).map((event) => (event.type === 'amendment' ? event.amendment.number : event.type))).toEqual(['A1', 'deadline'])
    sse.close()
  })
})

describe('a delegation asked to act', () => {
  it('is its members, not its observers: a party leader without a vote is not asked to answer a decision', async () => {
    await setClock('2026-11-23T13:00:00Z')
    const { id, blocks } = await draft('Un paragraphe du Ghana.')
    const [a1] = await toConsolidation(id, [{ kind: 'replace', blockId: blocks[0], text: 'Un paragraphe du Ghana, revu.', as: 'kwame' }])
    const kofi = await server.login('kofi')
    const stream = await listen<Notification>(`${server.url}/api/notifications/events`, kofi, (data) => NotificationEvent.parse(data).notification)
    await ok(await decide(a1!.id, { decision: 'acceptModified', text: 'Un paragraphe du Ghana, revu par la présidence.' }))
    const awaited = (notices: Notification[]) => notices.filter((notice) => notice.subject.kind === 'answerAwaited' && notice.subject.amendmentId === a1!.id).length
    await eventually(async () => expect(awaited(await get<Notification[]>('/api/notifications', 'kwame'))).toBe(1))
    const listed = (await (await server.api('/api/notifications', { token: kofi })).json()) as Notification[]
    expect({ listed: awaited(listed), live: awaited(stream.events) }).toEqual({ listed: 0, live: 0 })
    stream.close()
  })
})

describe('a tabling sent again', () => {
  it('with the same key is the amendment it made, not a second one; another key, or another person’s, makes another', async () => {
    const { id, blocks } = await draft('Un paragraphe à amender deux fois.')
    await ok(await move(id, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
    const body = { kind: 'replace', blockId: blocks[0], text: 'Un paragraphe amendé.', justification: 'Plus court.', requestId: 'form-1234-abcd' }
    const first = await ok<Amendment>(await table(id, body), 201)
    const again = await ok<Amendment>(await table(id, body), 201)
    expect(again.id).toBe(first.id)
    const other = await ok<Amendment>(await table(id, { ...body, requestId: 'form-1234-ef01' }), 201)
    const kwames = await ok<Amendment>(await table(id, body, 'kwame'), 201)
    expect(new Set([first.id, other.id, kwames.id]).size).toBe(3)
    expect((await get<Amendment[]>(`/api/resolutions/${id}/amendments`, 'tomas')).map((amendment) => amendment.number)).toEqual(['A1', 'A2', 'A3'])
    await expectError(await table(id, { ...body, requestId: 'no spaces allowed' }), 400, 'invalid_request')
    // Sent again with other words, or once the amendment changed since: not tabled again, and not said to be tabled.
    const other_words = await expectError(await table(id, { ...body, text: 'Un paragraphe amendé autrement.' }), 409, 'already_tabled')
    expect(other_words.message).toMatch(/A1/)
    await expectError(await table(id, { ...body, justification: 'Plus court, et plus clair.' }), 409, 'already_tabled')
    // Sent again once the deadline has passed: the amendment tabled in time, not "deadline passed".
    await setClock('2026-12-01T09:00:00Z')
    expect((await ok<Amendment>(await table(id, body), 201)).id).toBe(first.id)
    await expectError(await table(id, { ...body, requestId: 'form-1234-9999' }), 409, 'deadline_passed')
    await setClock('2026-11-23T09:00:00Z')
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
