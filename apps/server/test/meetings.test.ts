import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment, Ballot, Meeting, MeetingEvent, Resolution, RollEntry, Vote } from '@hemicycle/protocol'
import { MeetingEvent as MeetingEventSchema } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertDelegation, insertPerson } from '../src/accounts/people.ts'
import { connectClient, eventually, expectError, freshStorage, ok, paragraphs, sleep, startTestServer, type TestServer, typeIntoBlock } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
const tokens: Record<string, string> = {}
let clock = new Date('2019-08-20T09:00:00Z')
const blocks: string[] = []
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-meetings-'))
let small = ''

const send = (method: string, path: string, body: unknown, as: string) =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const post = (path: string, body: unknown, as: string) => send('POST', path, body, as)
const get = async <T>(path: string, as: string): Promise<T> => {
  const response = await server.api(path, { token: tokens[as]! })
  expect(response.status, path).toBe(200)
  return (await response.json()) as T
}

const id = (username: string) => `person-${username}`
const seat = (mid: string, delegation: string, body: Record<string, unknown>, as = 'secretariat') => send('PUT', `/api/meetings/${mid}/roll/${delegation}`, body, as)
const attend = (mid: string, username: string, present = true) => post(`/api/meetings/${mid}/attendance`, { personId: id(username), present }, 'secretariat')
const ballot = (vid: string, choice: string, as: string, delegationId?: string) => post(`/api/votes/${vid}/ballots`, { choice, ...(delegationId ? { delegationId } : {}) }, as)
const stage = (resolutionId: string, body: Record<string, unknown>, as = 'secretariat') => post(`/api/resolutions/${resolutionId}/stage`, body, as)

/** A meeting's server-sent events, as a browser in the room would receive them. */
const listenToMeeting = (mid: string, as: string) =>
  listen<MeetingEvent>(`${server.url}/api/meetings/${mid}/events`, tokens[as]!, (data) => MeetingEventSchema.parse(data))

function pdfText(pdf: Uint8Array): string {
  expect(strFromU8(pdf.slice(0, 5))).toBe('%PDF-')
  const path = join(workdir, `document-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0]+/g, ' ')
}

const download = async (path: string, as = 'claire') => {
  const response = await server.api(path, { token: tokens[as]! })
  expect(response.status, path).toBe(200)
  return new Uint8Array(await response.arrayBuffer())
}

const liveText = () => {
  const out: string[] = []
  readBody(server.hemicycle.services.collab.peek(server.resolutionId)!.doc).forEach((node) => out.push(node.textContent))
  return out
}

const people = ['secretariat', 'claire', 'julien', 'lucia', 'mateo', 'aisyah', 'hafiz', 'ama', 'kwame', 'kofi', 'ingrid', 'erik', 'tomas']

/** Moves the clock on; sessions idle for more than 12 hours expire, so everyone logs in again. */
async function advance(to: string) {
  clock = new Date(to)
  for (const name of people) tokens[name] = await server.login(name)
}

let meeting: Meeting
const amendments: Record<string, Amendment> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of people) tokens[name] = await server.login(name)
  const client = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
  await client.synced
  readBody(client.doc).forEach((node) => void blocks.push(node.attrs['id'] as string))
  client.destroy()

  // A second, short resolution, locked as final, for an adoption vote that fails.
  const form = new FormData()
  form.append('file', new File(['---\ntitle: "On the climate"\nlanguage: en\n---\n\nWe act now.\n'], 'climate.md'))
  small = ((await (await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })).json()) as Resolution).id
  for (const [to, as] of [['amendments', 'secretariat'], ['consolidation', 'secretariat'], ['final', 'mateo']] as const) {
    await ok(await stage(small, { to, deadline: '2019-08-29T17:00:00Z', confirm: true }, as))
  }

  // The Kuala Lumpur draft: two amendments tabled, then consolidation.
  await ok(await stage(server.resolutionId, { to: 'amendments', deadline: '2019-08-29T17:00:00Z' }))
  const table = async (name: string, blockId: string, text: string, as = 'claire') => {
    amendments[name] = await ok<Amendment>(await post(`/api/resolutions/${server.resolutionId}/amendments`, { kind: 'replace', blockId, text, justification: 'Plus juste.' }, as), 201)
  }
  await table('justice', blocks[2]!, 'Le socialisme et la social-démocratie ont toujours été les forces de la justice sociale.')
  await table('quorum', blocks[3]!, 'Ce n’est pas une tâche facile.', 'kwame')
  await table('twoThirds', blocks[4]!, 'Nos opposants exploitent ces inquiétudes.', 'lucia')
  await advance('2019-08-30T09:00:00Z')
  await ok(await stage(server.resolutionId, { to: 'consolidation' }))
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

describe('meetings and their roll', () => {
  it('are convened by the secretariat only, with dates in order and resolutions that exist', async () => {
    const body = { kind: 'council', title: 'Council', place: 'Kuala Lumpur', startsAt: '2019-08-30', endsAt: '2019-08-31', resolutionIds: [server.resolutionId, small] }
    await expectError(await post('/api/meetings', body, 'claire'), 403, 'forbidden')
    await expectError(await post('/api/meetings', { ...body, endsAt: '2019-08-29' }, 'secretariat'), 422, 'invalid_dates')
    await expectError(await post('/api/meetings', { ...body, resolutionIds: ['nope'] }, 'secretariat'), 422, 'unknown_resolution')
    await expectError(await post('/api/meetings', { ...body, kind: 'party' }, 'secretariat'), 400, 'invalid_request')
    meeting = await ok<Meeting>(await post('/api/meetings', body, 'secretariat'), 201)
    expect(meeting).toMatchObject({ kind: 'council', resolutionIds: [server.resolutionId, small] })
    expect(await get<Meeting>(`/api/meetings/${meeting.id}`, 'tomas')).toEqual(meeting)
    expect((await get<Meeting[]>('/api/meetings', 'kwame')).map((each) => each.id)).toContain(meeting.id)
    await expectError(await server.api('/api/meetings/none', { token: tokens['kwame']! }), 404, 'not_found')
  })

  it('seat five delegations with their delegates and substitutes; a delegation registers its own people, an observer among them', async () => {
    const roll: Array<[string, string, string]> = [
      ['fr-pp', 'claire', 'julien'],
      ['cl-psp', 'lucia', 'mateo'],
      ['my-pbs', 'aisyah', 'hafiz'],
      ['gh-sdp', 'kwame', 'ama'],
      ['se-sap', 'erik', 'ingrid'],
    ]
    for (const [delegation, voting, substitute] of roll) await ok(await seat(meeting.id, delegation, { votingId: id(voting), substituteIds: [id(substitute)] }))
    await expectError(await seat(meeting.id, 'gh-sdp', { votingId: id('ama') }, 'kwame'), 403, 'forbidden')
    await expectError(await seat(meeting.id, 'fr-pp', { registeredIds: [id('julien')] }, 'kwame'), 403, 'forbidden')
    await expectError(await seat(meeting.id, 'gh-sdp', { votingId: id('kofi') }), 422, 'not_eligible')
    await expectError(await seat(meeting.id, 'gh-sdp', { registeredIds: [id('claire')] }), 422, 'not_in_delegation')
    await expectError(await seat(meeting.id, 'xx-none', {}), 404, 'not_found')
    const ghana = await ok<RollEntry>(await seat(meeting.id, 'gh-sdp', { registeredIds: [id('kofi')] }, 'kwame'))
    expect(ghana.voting?.username).toBe('kwame')
    expect(ghana.substitutes.map((person) => person.username)).toEqual(['ama'])
    expect(ghana.registered.map((person) => person.username)).toEqual(['kwame', 'ama', 'kofi'])
    expect(ghana).toMatchObject({ balance: { f: 1, m: 2, x: 0 }, balanced: true, present: [] })

    const entries = await get<RollEntry[]>(`/api/meetings/${meeting.id}/roll`, 'tomas')
    expect(entries.map((entry) => [entry.delegation.id, entry.voting?.username, entry.substitutes.map((person) => person.username)])).toEqual([
      ['cl-psp', 'lucia', ['mateo']],
      ['fr-pp', 'claire', ['julien']],
      ['gh-sdp', 'kwame', ['ama']],
      ['my-pbs', 'aisyah', ['hafiz']],
      ['se-sap', 'erik', ['ingrid']],
    ])
    expect(entries.every((entry) => entry.balanced)).toBe(true)
  })

  it('keeps both of two changes made at once to one entry from what each saw, and refuses two different voting delegates', async () => {
    const both = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Conseil à deux mains', startsAt: '2019-09-05', endsAt: '2019-09-05' }, 'secretariat'), 201)
    await ok(await seat(both.id, 'gh-sdp', { votingId: id('kwame'), substituteIds: [id('ama')] }))
    const shown = { votingId: id('kwame'), substituteIds: [id('ama')], registeredIds: [id('kwame'), id('ama')] }
    // The delegation registers its leader while the secretariat's form, opened on the same entry, takes Ama off the substitutes.
    const [registering, unsubstituting] = await Promise.all([
      seat(both.id, 'gh-sdp', { registeredIds: [...shown.registeredIds, id('kofi')], basis: shown }, 'kwame'),
      seat(both.id, 'gh-sdp', { votingId: id('kwame'), substituteIds: [], registeredIds: shown.registeredIds, basis: shown }),
    ])
    await ok(registering)
    await ok(unsubstituting)
    const [entry] = (await get<RollEntry[]>(`/api/meetings/${both.id}/roll`, 'secretariat')).filter((candidate) => candidate.delegation.id === 'gh-sdp')
    expect([entry!.voting?.username, entry!.substitutes.map((person) => person.username), entry!.registered.map((person) => person.username).sort()]).toEqual(['kwame', [], ['ama', 'kofi', 'kwame']])
    // Two forms opened on Kwame as the delegate: one makes Ama the delegate; the other, choosing nobody, is refused, not applied over it.
    const basis = { votingId: id('kwame'), substituteIds: [], registeredIds: [id('kwame'), id('ama'), id('kofi')] }
    await ok(await seat(both.id, 'gh-sdp', { ...basis, votingId: id('ama'), basis }))
    await expectError(await seat(both.id, 'gh-sdp', { ...basis, votingId: null, basis }), 409, 'roll_changed')
    // A form that leaves the delegate as it showed it keeps the one chosen since; the same choice twice is no conflict.
    expect((await ok<RollEntry>(await seat(both.id, 'gh-sdp', { ...basis, basis }))).voting?.username).toBe('ama')
    expect((await ok<RollEntry>(await seat(both.id, 'gh-sdp', { ...basis, votingId: id('ama'), basis }))).voting?.username).toBe('ama')
    // Without a basis, the entry is replaced as before.
    expect((await ok<RollEntry>(await seat(both.id, 'gh-sdp', { votingId: id('kwame'), registeredIds: [id('kwame')] }))).registered.map((person) => person.username)).toEqual(['kwame'])
  })

  it('record attendance per person, by the secretariat, for registered people only', async () => {
    await expectError(await post(`/api/meetings/${meeting.id}/attendance`, { personId: id('claire'), present: true }, 'claire'), 403, 'forbidden')
    await expectError(await attend(meeting.id, 'tomas'), 422, 'not_registered')
    // France by its delegate; Chile by its substitute (the delegate is absent); Malaysia and Ghana with their delegates,
    // Malaysia's substitute and Ghana's party leader in the room too; Sweden absent.
    for (const name of ['claire', 'mateo', 'aisyah', 'hafiz', 'kwame', 'kofi']) await ok(await attend(meeting.id, name))
    const entries = await get<RollEntry[]>(`/api/meetings/${meeting.id}/roll`, 'claire')
    expect(Object.fromEntries(entries.map((entry) => [entry.delegation.id, entry.present.length]))).toEqual({ 'fr-pp': 1, 'cl-psp': 1, 'my-pbs': 2, 'gh-sdp': 2, 'se-sap': 0 })
  })

  it('refuse a 31st party on a Council roll, and flag an unbalanced delegation', async () => {
    const council = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Full Council', startsAt: '2019-09-01', endsAt: '2019-09-01' }, 'secretariat'), 201)
    for (let index = 0; index < 26; index++) await insertDelegation(server.hemicycle.services.db, { id: `extra-${index}`, party: `Party ${index}`, country: `Country ${index}` })
    const unbalanced = await ok<RollEntry>(await seat(council.id, 'gh-sdp', { votingId: id('kwame'), registeredIds: [id('kofi')] }))
    expect(unbalanced).toMatchObject({ balance: { f: 0, m: 2, x: 0 }, balanced: false })
    for (const delegation of ['fr-pp', 'cl-psp', 'my-pbs', 'se-sap']) await ok(await seat(council.id, delegation, {}))
    for (let index = 0; index < 25; index++) await ok(await seat(council.id, `extra-${index}`, {}))
    expect(await get<RollEntry[]>(`/api/meetings/${council.id}/roll`, 'claire')).toHaveLength(30)
    await expectError(await seat(council.id, 'extra-25', {}), 409, 'council_full')
    // A seated delegation may still change its entry.
    await ok(await seat(council.id, 'gh-sdp', { substituteIds: [id('ama')] }))
    expect(await get<RollEntry[]>(`/api/meetings/${council.id}/roll`, 'claire')).toHaveLength(30)

    // The 31st party's leader attends without a seat, as an observer; the party takes a seat only if one is free.
    const db = server.hemicycle.services.db
    for (const [username, role] of [['leader25', 'observer'], ['delegate25', 'delegate']] as const) {
      await insertPerson(db, { id: id(username), username, name: username, role, delegationId: 'extra-25', gender: 'f', passwordHash: 'unused' })
    }
    await ok(await seat(council.id, 'extra-25', { registeredIds: [id('leader25')] }))
    expect(await get<RollEntry[]>(`/api/meetings/${council.id}/roll`, 'claire')).toHaveLength(31)
    await expectError(await seat(council.id, 'extra-25', { votingId: id('leader25') }), 422, 'not_eligible')
    await expectError(await seat(council.id, 'extra-25', { votingId: id('delegate25') }), 409, 'council_full')
    await expectError(await seat(council.id, 'extra-25', { registeredIds: [id('leader25'), id('delegate25')] }), 409, 'council_full')
    // A role changed since registration moves no party into a seat: an entry's seat is decided when the entry is changed.
    await ok(await send('PATCH', `/api/people/${id('leader25')}`, { role: 'delegate' }, 'secretariat'))
    expect((await get<RollEntry[]>(`/api/meetings/${council.id}/roll`, 'claire')).filter((entry) => entry.seated)).toHaveLength(30)
    await expectError(await seat(council.id, 'extra-25', { votingId: id('leader25') }), 409, 'council_full')
    await ok(await send('PATCH', `/api/people/${id('leader25')}`, { role: 'observer' }, 'secretariat'))
    // Its only leader not coming does not seat the party either.
    expect(await ok<RollEntry>(await seat(council.id, 'extra-25', { registeredIds: [] }))).toMatchObject({ seated: false })
    expect(await ok<RollEntry>(await seat(council.id, 'extra-25', { registeredIds: [id('leader25')] }))).toMatchObject({ seated: false })
    // Ghana keeps only its leader: its seat is free, and the 31st party takes it.
    await ok(await seat(council.id, 'gh-sdp', { votingId: null, substituteIds: [], registeredIds: [id('kofi')] }))
    // The party itself cannot take a seat back by registering its delegate: only the secretariat seats a party.
    await expectError(await seat(council.id, 'gh-sdp', { registeredIds: [id('kofi'), id('kwame')] }, 'kwame'), 403, 'forbidden')
    await ok(await seat(council.id, 'extra-25', { votingId: id('delegate25') }))
    await expectError(await seat(council.id, 'gh-sdp', { votingId: id('kwame') }), 409, 'council_full')

    const steering = await ok<Meeting>(await post('/api/meetings', { kind: 'steering', title: 'Steering Committee', startsAt: '2019-09-02', endsAt: '2019-09-02' }, 'secretariat'), 201)
    for (let index = 0; index < 26; index++) await ok(await seat(steering.id, `extra-${index}`, {}))
    for (const delegation of ['fr-pp', 'cl-psp', 'my-pbs', 'gh-sdp']) await ok(await seat(steering.id, delegation, {}))
    // A delegation does not give up its seat by sending only its leader: only the secretariat does.
    await expectError(await seat(steering.id, 'gh-sdp', { registeredIds: [id('kofi')] }, 'kwame'), 403, 'forbidden')
    await ok(await seat(steering.id, 'gh-sdp', { registeredIds: [id('kwame'), id('kofi')] }, 'kwame'))
    await expectError(await seat(steering.id, 'se-sap', { votingId: id('erik'), substituteIds: [id('ingrid'), id('erik')] }), 422, 'substitute_is_delegate')
    await expectError(await seat(steering.id, 'se-sap', { substituteIds: [id('ingrid'), id('erik')] }), 422, 'too_many_substitutes')
    await ok(await seat(steering.id, 'se-sap', { votingId: id('erik'), substituteIds: [id('ingrid')] }))
    expect(await get<RollEntry[]>(`/api/meetings/${steering.id}/roll`, 'claire')).toHaveLength(31)
  })
})

describe('observers who belong to no party', () => {
  it('are registered by the secretariat beside the delegations, their attendance kept, and never vote', async () => {
    const guests = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Conseil avec invités', startsAt: '2019-09-03', endsAt: '2019-09-03' }, 'secretariat'), 201)
    const observers = (as = 'claire') => get<Array<{ person: { username: string }; present: boolean }>>(`/api/meetings/${guests.id}/observers`, as)
    expect(await observers()).toEqual([])
    const events = await listenToMeeting(guests.id, 'claire')
    const put = (personIds: string[], as = 'secretariat') => send('PUT', `/api/meetings/${guests.id}/observers`, { personIds }, as)
    await expectError(await put([id('tomas')], 'claire'), 403, 'forbidden')
    await expectError(await put([id('claire')]), 422, 'not_an_observer')
    await expectError(await put([id('kofi')]), 422, 'observer_of_a_party')
    await expectError(await put(['person-nobody']), 422, 'unknown_person')
    await expectError(await send('PUT', `/api/meetings/${guests.id}/observers`, { personIds: [id('tomas')], extra: 1 }, 'secretariat'), 400, 'invalid_request')
    expect(await ok(await put([id('tomas')]))).toEqual([{ person: expect.objectContaining({ username: 'tomas' }), present: false }])
    const attendance = (present: boolean, as = 'secretariat', personId = id('tomas')) => post(`/api/meetings/${guests.id}/observers/attendance`, { personId, present }, as)
    await expectError(await attendance(true, 'claire'), 403, 'forbidden')
    await expectError(await attendance(true, 'secretariat', id('claire')), 422, 'not_registered')
    await ok(await attendance(true))
    expect(await observers('tomas')).toEqual([{ person: expect.objectContaining({ username: 'tomas' }), present: true }])
    // Registered again with the list, he stays present; removed, he is gone.
    await ok(await put([id('tomas'), id('tomas')]))
    expect(await observers()).toEqual([{ person: expect.objectContaining({ username: 'tomas' }), present: true }])
    await eventually(() => expect(events.events.filter((event) => event.type === 'observers').at(-1)).toEqual({ type: 'observers', observers: [{ person: expect.objectContaining({ username: 'tomas' }), present: true }] }))
    // Given a party since, he is no longer on the list (his party registers him), and blocks no change to it.
    await ok(await send('PATCH', `/api/people/${id('tomas')}`, { delegationId: 'fr-pp' }, 'secretariat'))
    expect(await observers()).toEqual([])
    // The room is told at once, not at the list's next change.
    await eventually(() => expect(events.events.filter((event) => event.type === 'observers').at(-1)).toEqual({ type: 'observers', observers: [] }))
    expect(await ok(await put([id('tomas')]))).toEqual([])
    await ok(await send('PATCH', `/api/people/${id('tomas')}`, { delegationId: null }, 'secretariat'))
    await ok(await put([]))
    expect(await observers()).toEqual([])
    events.close()
  })

  it('are shown to an open room as their accounts now read, when the secretariat changes one', async () => {
    const room = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Conseil ouvert', startsAt: '2019-09-05', endsAt: '2019-09-05' }, 'secretariat'), 201)
    const delegate = await ok<{ id: string }>(await post('/api/people', { username: 'delegate.live', name: 'Délégué Direct', role: 'delegate', delegationId: 'fr-pp', password: 'long enough pw' }, 'secretariat'), 201)
    await ok(await seat(room.id, 'fr-pp', { registeredIds: [delegate.id] }))
    await ok(await post(`/api/meetings/${room.id}/attendance`, { personId: delegate.id, present: true }, 'secretariat'))
    const events = await listenToMeeting(room.id, 'ingrid')
    const lastEntry = () => events.events.filter((event): event is Extract<MeetingEvent, { type: 'roll' }> => event.type === 'roll').at(-1)?.entry
    // Deactivated, the delegate is present no more, and the room sees it without anyone touching the roll.
    await ok(await send('PATCH', `/api/people/${delegate.id}`, { active: false }, 'secretariat'))
    await eventually(() => expect(lastEntry()).toMatchObject({ delegation: { id: 'fr-pp' }, present: [] }))
    // Nobody registers a deactivated account anew; the entry that holds it may still change.
    const other = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Conseil suivant', startsAt: '2019-09-06', endsAt: '2019-09-06' }, 'secretariat'), 201)
    await expectError(await seat(other.id, 'fr-pp', { registeredIds: [delegate.id] }), 422, 'account_deactivated')
    await ok(await seat(room.id, 'fr-pp', { registeredIds: [delegate.id, id('claire')] }))
    await ok(await send('PATCH', `/api/people/${delegate.id}`, { delegationId: null, role: 'observer' }, 'secretariat'))
    await expectError(await send('PUT', `/api/meetings/${other.id}/observers`, { personIds: [delegate.id] }, 'secretariat'), 422, 'account_deactivated')
    await ok(await send('PATCH', `/api/people/${delegate.id}`, { delegationId: 'fr-pp', role: 'delegate' }, 'secretariat'))
    // Renamed once reactivated, the room reads the new name.
    await ok(await send('PATCH', `/api/people/${delegate.id}`, { active: true, name: 'Déléguée Directe' }, 'secretariat'))
    await eventually(() => expect(lastEntry()).toMatchObject({ present: [delegate.id], registered: expect.arrayContaining([expect.objectContaining({ name: 'Déléguée Directe' })]) }))
    // The party renamed, the room reads its new name too.
    const party = (await get<Array<{ id: string; party: string }>>('/api/delegations', 'secretariat')).find((one) => one.id === 'fr-pp')!.party
    await ok(await send('PATCH', '/api/delegations/fr-pp', { party: 'Parti progressiste uni' }, 'secretariat'))
    await eventually(() => expect(lastEntry()).toMatchObject({ delegation: { id: 'fr-pp', party: 'Parti progressiste uni' } }))
    await ok(await send('PATCH', '/api/delegations/fr-pp', { party }, 'secretariat'))
    events.close()
  })

  it('keeps both of two changes made at once from the list each member of the secretariat saw', async () => {
    const guests = await ok<Meeting>(await post('/api/meetings', { kind: 'council', title: 'Conseil à deux invités', startsAt: '2019-09-04', endsAt: '2019-09-04' }, 'secretariat'), 201)
    const guest = await ok<{ id: string }>(await post('/api/people', { username: 'invitee.two', name: 'Invitée Deux', role: 'observer', delegationId: null, password: 'long enough pw' }, 'secretariat'), 201)
    const path = `/api/meetings/${guests.id}/observers`
    const names = async () => (await get<Array<{ person: { id: string } }>>(path, 'claire')).map((observer) => observer.person.id).sort()
    // Each adds one guest to the empty list they both saw, at the same moment: both are registered.
    for (const answer of await Promise.all([send('PUT', path, { personIds: [id('tomas')], basis: [] }, 'secretariat'), send('PUT', path, { personIds: [guest.id], basis: [] }, 'secretariat')])) await ok(answer)
    expect(await names()).toEqual([id('tomas'), guest.id].sort())
    // One removes Tomás from the list of both while the other, seeing only Tomás, removes nobody: Tomás goes, the guest stays.
    await ok(await send('PUT', path, { personIds: [guest.id], basis: [id('tomas'), guest.id] }, 'secretariat'))
    await ok(await send('PUT', path, { personIds: [id('tomas')], basis: [id('tomas')] }, 'secretariat'))
    expect(await names()).toEqual([guest.id])
    // Whom the change adds is checked as before; without a basis the list is replaced.
    await expectError(await send('PUT', path, { personIds: [id('claire')], basis: [] }, 'secretariat'), 422, 'not_an_observer')
    await ok(await send('PUT', path, { personIds: [] }, 'secretariat'))
    expect(await names()).toEqual([])
  })
})

describe('a vote on an amendment', () => {
  let vote: Vote

  it('is opened by the secretariat or the chair, on a tabled amendment of a resolution on the agenda', async () => {
    const subject = { kind: 'amendment', amendmentId: amendments['justice']!.id }
    await expectError(await post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'simple' }, 'claire'), 403, 'forbidden')
    await expectError(await post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'adoption', resolutionId: server.resolutionId }, majority: 'simple' }, 'secretariat'), 409, 'wrong_stage')
    await expectError(await post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'simple', quorum: 6 }, 'secretariat'), 422, 'quorum_unreachable')
    vote = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'simple' }, 'secretariat'), 201)
    expect(vote).toMatchObject({ status: 'open', quorum: 3, label: amendments['justice']!.label, result: null, tally: { yes: null, no: null, abstain: null, cast: 0, eligible: 4 } })
    await expectError(await post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'twoThirds' }, 'ingrid'), 409, 'vote_open')
    // While the meeting votes, only its vote decides: no chair's decision, no withdrawal.
    const justice = amendments['justice']!.id
    await expectError(await post(`/api/amendments/${justice}/decision`, { decision: 'accept' }, 'ingrid'), 409, 'vote_open')
    await expectError(await post(`/api/amendments/${justice}/decision`, { decision: 'reject', reason: 'Non.' }, 'ingrid'), 409, 'vote_open')
    await expectError(await post(`/api/amendments/${justice}/withdraw`, {}, 'claire'), 409, 'vote_open')
  })

  it('takes one ballot per delegation present, from its delegate or else its substitute, and from nobody else', async () => {
    const room = await listenToMeeting(meeting.id, 'kofi')
    await ok<Ballot>(await ballot(vote.id, 'yes', 'claire'))
    await ok<Ballot>(await ballot(vote.id, 'yes', 'mateo'))
    await ok<Ballot>(await ballot(vote.id, 'no', 'aisyah'))
    const first = await ok<Ballot>(await ballot(vote.id, 'no', 'kwame'))
    expect(first).toMatchObject({ choice: 'no', castBy: { username: 'kwame' }, delegation: { id: 'gh-sdp' } })

    await expectError(await ballot(vote.id, 'yes', 'lucia'), 403, 'forbidden') // Chile's delegate is absent
    await expectError(await ballot(vote.id, 'yes', 'hafiz'), 403, 'forbidden') // Malaysia's delegate is present
    await expectError(await ballot(vote.id, 'yes', 'erik'), 403, 'forbidden') // Sweden is absent
    await expectError(await ballot(vote.id, 'yes', 'kofi'), 403, 'forbidden') // an observer, registered and present
    await expectError(await ballot(vote.id, 'yes', 'tomas'), 403, 'forbidden')
    await expectError(await ballot(vote.id, 'yes', 'claire', 'cl-psp'), 403, 'forbidden') // another party's ballot
    await expectError(await ballot(vote.id, 'yes', 'secretariat'), 403, 'forbidden')
    await expectError(await ballot(vote.id, 'maybe', 'claire'), 400, 'invalid_request')

    // A second ballot replaces the first.
    const second = await ok<Ballot>(await ballot(vote.id, 'yes', 'kwame'))
    expect(second.choice).toBe('yes')

    // Everyone sees who voted and the count, nobody how, except a delegation its own ballot.
    const seen = await get<Vote>(`/api/votes/${vote.id}`, 'claire')
    expect(seen.tally).toEqual({ yes: null, no: null, abstain: null, cast: 4, eligible: 4 })
    expect(seen.ballots.map((each) => [each.delegation.id, each.castBy.username, each.choice])).toEqual([
      ['cl-psp', 'mateo', undefined],
      ['fr-pp', 'claire', 'yes'],
      ['gh-sdp', 'kwame', undefined],
      ['my-pbs', 'aisyah', undefined],
    ])
    await eventually(() => expect(room.events.filter((event) => event.type === 'vote' && event.action === 'tally')).toHaveLength(5))
    const tallies = room.events.flatMap((event) => (event.type === 'vote' ? [event.vote] : []))
    expect(tallies.map((each) => each.tally.cast)).toEqual([1, 2, 3, 4, 4])
    expect(tallies.every((each) => each.ballots.every((each) => each.choice === undefined))).toBe(true)

    // Sweden's delegate arrives: the count of delegations present moves for everyone.
    await ok(await attend(meeting.id, 'erik'))
    await eventually(() => expect(room.events.at(-1)).toMatchObject({ type: 'vote', action: 'tally', vote: { tally: { eligible: 5 } } }))
    expect(room.events.some((event) => event.type === 'roll' && event.entry.delegation.id === 'se-sap' && event.entry.present.includes(id('erik')))).toBe(true)
    await ok(await attend(meeting.id, 'erik', false))
    room.close()
  })

  it('closes with a fixed result that accepts the amendment into the live text while someone types elsewhere, and refuses ballots after', async () => {
    const room = await listenToMeeting(meeting.id, 'tomas')
    const typist = connectClient(server.wsUrl, server.resolutionId, tokens['secretariat']!)
    await typist.synced
    let typing = true
    let typed = ''
    const typingDone = (async () => {
      for (let index = 0; typing; index++) {
        const piece = `t${index} `
        typeIntoBlock(typist.doc, blocks[8]!, 0, piece)
        typed = piece + typed
        await sleep(3)
      }
    })()
    await sleep(60)
    await expectError(await post(`/api/votes/${vote.id}/close`, {}, 'claire'), 403, 'forbidden')
    const closed = await ok<Vote>(await post(`/api/votes/${vote.id}/close`, {}, 'ingrid'))
    await sleep(60)
    typing = false
    await typingDone
    await typist.saved()

    expect(closed).toMatchObject({ status: 'closed', result: { passed: true, yes: 3, no: 1, abstain: 0, notVoting: 1 }, tally: { yes: 3, no: 1, abstain: 0, cast: 4, eligible: 4 } })
    expect(closed.ballots.map((each) => [each.delegation.id, each.choice])).toEqual([
      ['cl-psp', 'yes'],
      ['fr-pp', 'yes'],
      ['gh-sdp', 'yes'],
      ['my-pbs', 'no'],
    ])
    await eventually(() => expect(room.events.at(-1)).toMatchObject({ type: 'vote', action: 'closed', vote: { result: { passed: true } } }))

    const accepted = await get<Amendment>(`/api/amendments/${amendments['justice']!.id}`, 'claire')
    expect(accepted).toMatchObject({ status: 'accepted', decision: { by: { username: 'ingrid' }, vote: vote.id, result: { yes: 3, no: 1 } } })
    const text = liveText()
    expect(text[2]).toBe('Le socialisme et la social-démocratie ont toujours été les forces de la justice sociale.')
    expect(text[8]!.startsWith(typed)).toBe(true)
    expect(typed.length).toBeGreaterThan(30)
    await eventually(() => expect(paragraphs(typist.doc)).toEqual(liveText()))

    await expectError(await ballot(vote.id, 'no', 'claire'), 409, 'vote_closed')
    await expectError(await ballot(vote.id, 'no', 'kofi'), 403, 'forbidden')
    await expectError(await post(`/api/votes/${vote.id}/close`, {}, 'secretariat'), 409, 'vote_closed')
    expect((await get<Vote>(`/api/votes/${vote.id}`, 'tomas')).result).toEqual(closed.result)
    typist.destroy()
    room.close()
  })

  it('fails below its quorum or short of two thirds, and then rejects the amendment', async () => {
    const quorum = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'amendment', amendmentId: amendments['quorum']!.id }, majority: 'simple', quorum: 5 }, 'ingrid'), 201)
    for (const name of ['claire', 'mateo', 'aisyah', 'kwame']) await ok(await ballot(quorum.id, 'yes', name))
    expect((await ok<Vote>(await post(`/api/votes/${quorum.id}/close`, {}, 'secretariat'))).result).toEqual({ passed: false, yes: 4, no: 0, abstain: 0, notVoting: 1, quorumReached: false })
    expect(await get<Amendment>(`/api/amendments/${amendments['quorum']!.id}`, 'claire')).toMatchObject({ status: 'rejected', decision: { vote: quorum.id } })

    const twoThirds = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'amendment', amendmentId: amendments['twoThirds']!.id }, majority: 'twoThirds' }, 'secretariat'), 201)
    await ok(await ballot(twoThirds.id, 'yes', 'claire'))
    await ok(await ballot(twoThirds.id, 'no', 'mateo'))
    await ok(await ballot(twoThirds.id, 'abstain', 'aisyah'))
    expect((await ok<Vote>(await post(`/api/votes/${twoThirds.id}/close`, {}, 'secretariat'))).result).toEqual({ passed: false, yes: 1, no: 1, abstain: 1, notVoting: 2, quorumReached: true })
    expect((await get<Amendment>(`/api/amendments/${amendments['twoThirds']!.id}`, 'claire')).status).toBe('rejected')
    expect((await get<Vote[]>(`/api/meetings/${meeting.id}/votes`, 'claire')).map((each) => each.status)).toEqual(['closed', 'closed', 'closed'])
  })

  it('puts every ballot in the audit log with who cast it for which delegation, and each result in the booklet', async () => {
    const audit = await get<Array<{ action: string; person: string; delegation: string; detail: Record<string, unknown> }>>(`/api/resolutions/${server.resolutionId}/audit`, 'secretariat')
    const ballots = audit.filter((entry) => entry.action === 'ballot' && entry.detail['vote'] === vote.id)
    // Not how: the log is read while votes are open, when choices are hidden; the close records them.
    expect(ballots.map((entry) => [entry.person, entry.delegation, entry.detail['delegation'], entry.detail['choice'], entry.detail['replacesEarlier']])).toEqual([
      ['person-claire', 'fr-pp', 'fr-pp', undefined, undefined],
      ['person-mateo', 'cl-psp', 'cl-psp', undefined, undefined],
      ['person-aisyah', 'my-pbs', 'my-pbs', undefined, undefined],
      ['person-kwame', 'gh-sdp', 'gh-sdp', undefined, undefined],
      ['person-kwame', 'gh-sdp', 'gh-sdp', undefined, true],
    ])
    const closing = audit.find((entry) => entry.action === 'vote' && entry.detail['vote'] === vote.id && entry.detail['closed'] !== undefined)
    expect((closing?.detail['ballots'] as Array<{ delegation: string; choice: string; castBy: string }>).map((each) => [each.delegation, each.choice, each.castBy]).sort()).toEqual([
      ['cl-psp', 'yes', 'person-mateo'],
      ['fr-pp', 'yes', 'person-claire'],
      ['gh-sdp', 'yes', 'person-kwame'],
      ['my-pbs', 'no', 'person-aisyah'],
    ])
    expect(audit.find((entry) => entry.action === 'decision' && entry.detail['amendmentId'] === amendments['justice']!.id)).toMatchObject({ person: 'person-ingrid', detail: { vote: vote.id, status: 'accepted' } })
    // The vote's own entries name what was voted on, and the outcome.
    const number = audit.find((entry) => entry.action === 'decision' && entry.detail['vote'] === vote.id)!.detail['amendment']
    const votes = audit.filter((entry) => entry.action === 'vote' && entry.detail['vote'] === vote.id)
    expect(votes.map((entry) => [entry.detail['amendment'], entry.detail['closed'] === undefined ? 'opened' : (entry.detail['closed'] as { passed: boolean }).passed])).toEqual(
      expect.arrayContaining([[number, 'opened'], [number, true]]),
    )

    const booklet = pdfText(await download(`/api/resolutions/${server.resolutionId}/booklet.pdf`))
    expect(booklet).toContain('adopté — par vote, 30 août 2019 (3 voix pour, 1 contre, 0 abstention)')
    // Four in favour and none against reads as a wrong count without why it failed.
    expect(booklet).toContain('rejeté — par vote, 30 août 2019, faute de quorum (4 voix pour, 0 contre, 0 abstention)')
  })
})

describe('an adoption vote', () => {
  it('adopts the final text in the name of the Council, with the result in the record and every export', async () => {
    await ok(await stage(server.resolutionId, { to: 'final', confirm: true }, 'mateo'))
    const vote = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'adoption', resolutionId: server.resolutionId }, majority: 'twoThirds' }, 'secretariat'), 201)
    expect(vote.label).toBe('Résolution : cohésion sociale et progrès')
    for (const name of ['claire', 'mateo', 'kwame']) await ok(await ballot(vote.id, 'yes', name))
    await ok(await ballot(vote.id, 'abstain', 'aisyah'))
    await advance('2019-08-31T15:00:00Z')
    const closed = await ok<Vote>(await post(`/api/votes/${vote.id}/close`, {}, 'ingrid'))
    expect(closed.result).toEqual({ passed: true, yes: 3, no: 0, abstain: 1, notVoting: 1, quorumReached: true })

    const resolution = await get<Resolution>(`/api/resolutions/${server.resolutionId}`, 'claire')
    expect(resolution).toMatchObject({
      stage: 'adopted',
      stamp: { label: 'ADOPTÉE', date: '2019-08-31' },
      adoption: { by: 'Council', at: '2019-08-31', vote: { voteId: vote.id, passed: true, yes: 3, no: 0, abstain: 1 } },
    })
    const record = 'Adoptée par le Conseil le 31 août 2019 (3 voix pour, 0 contre, 1 abstention)'
    expect(pdfText(await download(`/api/resolutions/${server.resolutionId}/export.pdf`))).toContain(record)
    expect(new TextDecoder().decode(await download(`/api/resolutions/${server.resolutionId}/export.html`))).toContain(`<p class="record">${record}</p>`)
    expect(new TextDecoder().decode(await download(`/api/resolutions/${server.resolutionId}/export.md`))).toContain(`adoption_record: "${record}"`)
    const docx = strFromU8(unzipSync(await download(`/api/resolutions/${server.resolutionId}/export.docx`))['word/document.xml']!)
    expect(docx).toContain(record)
    // An older version still reads as a draft, without the record.
    expect(pdfText(await download(`/api/resolutions/${server.resolutionId}/export.pdf?version=1`))).not.toContain('Adoptée par')
    const audit = await get<Array<{ action: string; person: string; detail: Record<string, unknown> }>>(`/api/resolutions/${server.resolutionId}/audit`, 'secretariat')
    expect(audit.find((entry) => entry.action === 'stage' && entry.detail['to'] === 'adopted')).toMatchObject({ person: 'person-ingrid', detail: { vote: vote.id } })
  })

  it('that fails leaves the text final, and the meeting may not vote on it in a working group', async () => {
    const vote = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'adoption', resolutionId: small }, majority: 'simple' }, 'secretariat'), 201)
    await ok(await ballot(vote.id, 'yes', 'claire'))
    for (const name of ['mateo', 'aisyah', 'kwame']) await ok(await ballot(vote.id, 'no', name))
    expect((await ok<Vote>(await post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))).result).toMatchObject({ passed: false, yes: 1, no: 3 })
    const resolution = await get<Resolution>(`/api/resolutions/${small}`, 'claire')
    expect(resolution).toMatchObject({ stage: 'final', adoption: null })
    expect(pdfText(await download(`/api/resolutions/${small}/export.pdf`))).not.toContain('Adopted by')

    const group = await ok<Meeting>(await post('/api/meetings', { kind: 'workingGroup', title: 'Climate group', startsAt: '2019-08-31', endsAt: '2019-08-31', resolutionIds: [small] }, 'secretariat'), 201)
    await ok(await seat(group.id, 'fr-pp', { votingId: id('claire') }))
    await expectError(await post(`/api/meetings/${group.id}/votes`, { subject: { kind: 'adoption', resolutionId: small }, majority: 'simple' }, 'secretariat'), 409, 'cannot_adopt')
  })

  it('that fails has the last word on the text as locked: no adoption by hand, until the text is locked again', async () => {
    // Recorded by hand, the adoption would read "adopted by the Council" beside the Council's vote refusing it.
    await expectError(await stage(small, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2019-08-31' }), 409, 'adoption_voted_down')
    await expectError(await stage(small, { to: 'adopted', adoptedBy: 'Steering Committee', adoptedAt: '2019-08-31' }, 'mateo'), 409, 'adoption_voted_down')
    expect(await get<Resolution>(`/api/resolutions/${small}`, 'claire')).toMatchObject({ stage: 'final', adoption: null })
    // Reopened and locked again, the text is another text: the vote was on the one before.
    await ok(await stage(small, { to: 'consolidation', reason: 'Une phrase de plus.' }, 'mateo'))
    await ok(await stage(small, { to: 'final', confirm: true }, 'mateo'))
    const adopted = await ok<Resolution>(await stage(small, { to: 'adopted', adoptedBy: 'Steering Committee', adoptedAt: '2019-08-31' }, 'mateo'))
    expect(adopted.adoption).toMatchObject({ by: 'Steering Committee', at: '2019-08-31' })
  })
})

describe('the OpenAPI document', () => {
  it('describes the meeting and vote routes', async () => {
    const document = (await (await server.api('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/meetings', '/api/meetings/{mid}', '/api/meetings/{mid}/roll', '/api/meetings/{mid}/roll/{delegationId}', '/api/meetings/{mid}/attendance', '/api/meetings/{mid}/votes', '/api/votes/{vid}', '/api/votes/{vid}/ballots', '/api/votes/{vid}/close']),
    )
    expect(Object.keys(document.paths['/api/meetings/{mid}/roll/{delegationId}']!)).toEqual(['put'])
  })
})

describe('the seeded demo', () => {
  it('holds the Kuala Lumpur Council with each party’s delegate and substitute, the draft on its agenda', async () => {
    const demo = await get<Meeting>('/api/meetings/meeting-kuala-lumpur', 'claire')
    expect(demo).toMatchObject({ kind: 'council', resolutionIds: [server.resolutionId] })
    const entries = await get<RollEntry[]>(`/api/meetings/${demo.id}/roll`, 'claire')
    expect(entries).toHaveLength(5)
    expect(entries.every((entry) => entry.voting !== null && entry.substitutes.length === 1 && entry.balanced)).toBe(true)
  })
})

describe('on a PostgreSQL server, where requests run side by side', () => {
  it('gives the last Council seat to one of two delegations asking at once', async () => {
    const storage = await freshStorage('postgres')
    const other = await startTestServer({ ...storage.env, LOG_LEVEL: 'error' })
    try {
      const secretariat = await other.login('secretariat')
      const put = (mid: string, delegation: string, body: unknown = {}) =>
        other.api(`/api/meetings/${mid}/roll/${delegation}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: secretariat })
      const council = await ok<Meeting>(
        await other.api('/api/meetings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'council', title: 'Race', startsAt: '2019-09-01', endsAt: '2019-09-01' }), token: secretariat }),
        201,
      )
      for (let index = 0; index < 31; index++) await insertDelegation(other.hemicycle.services.db, { id: `race-${index}`, party: `Party ${index}`, country: `Country ${index}` })
      for (let index = 0; index < 29; index++) await ok(await put(council.id, `race-${index}`))
      const statuses = (await Promise.all([put(council.id, 'race-29'), put(council.id, 'race-30')])).map((response) => response.status)
      expect(statuses.sort()).toEqual([200, 409])
      const roll = (await (await other.api(`/api/meetings/${council.id}/roll`, { token: secretariat })).json()) as RollEntry[]
      expect(roll).toHaveLength(30)
    } finally {
      await other.close()
      storage.remove()
    }
  })
})
