import type { Amendment, AuditEntry, Meeting, MeetingEvent, Resolution, Vote } from '@hemicycle/protocol'
import { MeetingEvent as MeetingEventSchema } from '@hemicycle/protocol'
import { BLOCK_ID, readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, connectClient, ENGINES, expectError, freshStorage, readBlocks, sleep, startTestServer, type Storage, type TestServer } from './harness.ts'
import { listen } from './sse.ts'
import * as Y from 'yjs'

/**
 * Meetings, rolls and votes against a participant with a hand-written
 * client: requests fired at once, rights, hidden choices, and a result that
 * must take effect on exactly what was voted on. Everything happens at
 * 2019-08-30T17:30Z, 01:30 on 31 August in Kuala Lumpur.
 */
const clock = new Date('2019-08-30T17:30:00Z')
const people = ['secretariat', 'claire', 'julien', 'lucia', 'mateo', 'aisyah', 'hafiz', 'ama', 'kwame', 'kofi', 'ingrid', 'erik', 'tomas']
const id = (username: string) => `person-${username}`

/** Replaces `from` by `to` in the first paragraph, live, as `client`, and waits until the server has stored it. */
async function retypeIn(client: Client, from: string, to: string): Promise<void> {
  const text = (client.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
  client.doc.transact(() => {
    const at = text.toString().indexOf(from)
    text.delete(at, from.length)
    text.insert(at, to)
  })
  await client.saved()
}

function harness() {
  const h = {
    server: null as unknown as TestServer,
    storage: null as unknown as Storage,
    tokens: {} as Record<string, string>,
    meeting: null as unknown as Meeting,
    send: (method: string, path: string, body: unknown, as: string) =>
      h.server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: h.tokens[as]! }),
    post: (path: string, body: unknown, as: string) => h.send('POST', path, body, as),
    get: async <T>(path: string, as: string): Promise<T> => {
      const response = await h.server.api(path, { token: h.tokens[as]! })
      expect(response.status, path).toBe(200)
      return (await response.json()) as T
    },
    async ok<T>(response: Response, status = 200): Promise<T> {
      const text = await response.text()
      expect(response.status, text).toBe(status)
      return JSON.parse(text) as T
    },
    /** A resolution of `paragraphs`, imported and open for amendments, with its paragraphs' block ids. */
    async openForAmendments(title: string, paragraphs: string[]) {
      const form = new FormData()
      form.append('file', new File([`---\ntitle: "${title}"\nlanguage: en\n---\n\n${paragraphs.join('\n\n')}\n`], 'r.md'))
      const resolution = await h.ok<Resolution>(await h.server.api('/api/resolutions/import', { method: 'POST', body: form, token: h.tokens['secretariat']! }), 201)
      await h.ok(await h.post(`/api/resolutions/${resolution.id}/stage`, { to: 'amendments', deadline: '2100-01-01T00:00:00Z' }, 'secretariat'))
      return { id: resolution.id, blocks: (await readBlocks(h.server.wsUrl, resolution.id, h.tokens['secretariat']!)).blocks }
    },
    /** A resolution of `paragraphs`, in consolidation, with `insertions` amendments tabled by claire (insertions never conflict with each other). */
    async resolution(title: string, paragraphs: string[], insertions: number, stageTo: 'consolidation' | 'final' = 'consolidation') {
      const { blocks, ...resolution } = await h.openForAmendments(title, paragraphs)
      const amendments: Amendment[] = []
      for (let i = 0; i < insertions; i++) {
        amendments.push(await h.ok<Amendment>(await h.post(`/api/resolutions/${resolution.id}/amendments`, { kind: 'insertAfter', blockId: null, text: `Insertion ${i} into ${title}.`, justification: 'Test.' }, 'claire'), 201))
      }
      await h.ok(await h.post(`/api/resolutions/${resolution.id}/stage`, { to: 'consolidation' }, 'secretariat'))
      if (stageTo === 'final') await h.ok(await h.post(`/api/resolutions/${resolution.id}/stage`, { to: 'final', confirm: true }, 'mateo'))
      return { id: resolution.id, blocks, amendments }
    },
    async councilWithAll(resolutionIds: string[], timeZone = 'Asia/Kuala_Lumpur') {
      const meeting = await h.ok<Meeting>(
        await h.post('/api/meetings', { kind: 'council', title: `Council ${Math.random()}`, place: 'Kuala Lumpur', startsAt: '2019-08-30', endsAt: '2019-08-31', timeZone, resolutionIds }, 'secretariat'),
        201,
      )
      for (const [delegation, voting, substitute] of [
        ['fr-pp', 'claire', 'julien'],
        ['cl-psp', 'lucia', 'mateo'],
        ['my-pbs', 'aisyah', 'hafiz'],
        ['gh-sdp', 'kwame', 'ama'],
        ['se-sap', 'erik', 'ingrid'],
      ] as const) {
        await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: id(voting), substituteIds: [id(substitute)] }, 'secretariat'))
        await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(voting), present: true }, 'secretariat'))
      }
      return meeting
    },
    /**
     * A vote opened on an amendment and `other` (a withdrawal, a compromise) sent `delay` ms later, without waiting for the
     * opening: both statuses, the amendment's status after, and how many votes stand open on it.
     */
    async openingRacedWith(meetingId: string, amendmentId: string, delay: number, other: () => Promise<Response>) {
      const opening = h.post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'amendment', amendmentId }, majority: 'simple' }, 'secretariat').then((res) => res.status)
      await sleep(delay)
      const otherStatus = await other().then((res) => res.status)
      const opened = await opening
      const { status } = await h.get<Amendment>(`/api/amendments/${amendmentId}`, 'claire')
      const open = (await h.get<Vote[]>(`/api/meetings/${meetingId}/votes`, 'secretariat')).filter(
        (vote) => vote.status === 'open' && vote.subject.kind === 'amendment' && vote.subject.amendmentId === amendmentId,
      ).length
      return { opened, other: otherStatus, status, open }
    },
    openVote: async (mid: string, subject: unknown, majority = 'simple', quorum?: number) =>
      h.ok<Vote>(await h.post(`/api/meetings/${mid}/votes`, { subject, majority, ...(quorum !== undefined ? { quorum } : {}) }, 'secretariat'), 201),
  }
  return h
}

/** The harness on a server kept in memory for the enclosing `describe`, everyone logged in. */
function inMemory() {
  const h = harness()
  beforeAll(async () => {
    h.server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
    for (const name of people) h.tokens[name] = await h.server.login(name)
  })
  afterAll(async () => {
    await h.server?.close()
  })
  return h
}

/** The harness on a fresh store of `engine` for the enclosing `describe` (PGlite kept in memory), everyone logged in. */
function onEngine(engine: (typeof ENGINES)[number], now: () => Date = () => clock) {
  const h = harness()
  beforeAll(async () => {
    h.storage = await freshStorage(engine)
    h.server = await startTestServer({ ...h.storage.env, DATA_DIR: engine === 'pglite' ? 'memory://' : h.storage.env.DATA_DIR, LOG_LEVEL: 'error' }, { now })
    for (const name of people) h.tokens[name] = await h.server.login(name)
  })
  afterAll(async () => {
    await h.server?.close()
    h.storage?.remove()
  })
  return h
}

const VOTERS = ['claire', 'lucia', 'aisyah', 'kwame', 'erik']

describe.each(ENGINES)('votes raced on %s', (engine) => {
  const h = onEngine(engine)

  it('ballots and a close fired at once: every acknowledged ballot is in the result, every refused one is not', async () => {
    const r = await h.resolution('Ballots race', ['One.', 'Two.'], 8)
    const meeting = await h.councilWithAll([r.id])
    for (const [round, amendment] of r.amendments.entries()) {
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
      const choices = VOTERS.map((_, i) => (['yes', 'no', 'abstain'] as const)[(i + round) % 3])
      const answers = await Promise.all([
        ...VOTERS.map((as, i) => h.post(`/api/votes/${vote.id}/ballots`, { choice: choices[i] }, as).then((res) => res.status)),
        h.post(`/api/votes/${vote.id}/close`, {}, 'ingrid').then((res) => res.status),
        h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat').then((res) => res.status),
      ])
      const closes = answers.slice(VOTERS.length)
      expect(closes.sort(), `round ${round}`).toEqual([200, 409])
      const closed = await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')
      const accepted = VOTERS.flatMap((_, i) => (answers[i] === 200 ? [choices[i]!] : []))
      for (const status of answers.slice(0, VOTERS.length)) expect([200, 409]).toContain(status)
      const count = (c: string) => accepted.filter((x) => x === c).length
      expect(closed.result).toMatchObject({ yes: count('yes'), no: count('no'), abstain: count('abstain') })
      expect(closed.ballots).toHaveLength(accepted.length)
      const after = await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'claire')
      expect(after.status).toBe(closed.result!.passed ? 'accepted' : 'rejected')
    }
  })

  it('roll limits and who may cast hold under attack', async () => {
    const r = await h.resolution('Limits', ['One.'], 2)
    // Two opens of one subject at once: one 201, one 409 vote_open (never a 500 from the unique index).
    const meeting = await h.councilWithAll([r.id])
    const subject = { kind: 'amendment', amendmentId: r.amendments[0]!.id }
    const opens = await Promise.all([0, 1, 2].map(() => h.post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'simple' }, 'secretariat')))
    expect(opens.map((res) => res.status).sort()).toEqual([201, 409, 409])
    const vote = (await Promise.all(opens.map((res) => res.json() as Promise<Vote>))).find((v) => v.id)!
    const cast = (as: string, body: Record<string, unknown>) => h.post(`/api/votes/${vote.id}/ballots`, body, as).then((res) => res.status)
    expect(await cast('claire', { choice: 'yes', delegationId: 'cl-psp' })).toBe(403)
    expect(await cast('tomas', { choice: 'yes' })).toBe(403)
    expect(await cast('tomas', { choice: 'yes', delegationId: 'fr-pp' })).toBe(403)
    expect(await cast('kofi', { choice: 'yes' })).toBe(403)
    expect(await cast('secretariat', { choice: 'yes', delegationId: 'fr-pp' })).toBe(403)
    expect(await cast('julien', { choice: 'yes' })).toBe(403) // substitute while the delegate is present
    expect(await cast('hafiz', { choice: 'no' })).toBe(403) // substitute, not present
    expect(await cast('claire', { choice: 'yes' })).toBe(200)
    expect(await cast('claire', { choice: 'no' })).toBe(200)
    const mine = await h.get<Vote>(`/api/votes/${vote.id}`, 'julien')
    expect(mine.ballots).toHaveLength(1)
    expect(mine.ballots[0]!.choice).toBe('no')
    // Substitutes: another delegation's delegate, an observer, the delegate herself.
    const put = (delegation: string, body: unknown) => h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, body, 'secretariat').then(async (res) => [res.status, ((await res.json()) as { error?: { code: string } }).error?.code])
    expect(await put('fr-pp', { substituteIds: [id('lucia')] })).toEqual([422, 'not_eligible'])
    expect(await put('gh-sdp', { substituteIds: [id('kofi')] })).toEqual([422, 'not_eligible'])
    expect(await put('fr-pp', { substituteIds: [id('claire')] })).toEqual([422, 'substitute_is_delegate'])
    expect(await put('fr-pp', { votingId: id('julien') })).toEqual([422, 'substitute_is_delegate'])
    expect(await put('fr-pp', { votingId: id('kofi') })).toEqual([422, 'not_eligible'])
    // Council full: 26 more delegations seated at once on a council holding 5: exactly 25 get in.
    const extra: string[] = []
    for (let i = 0; i < 26; i++) {
      const d = await h.ok<{ id: string }>(await h.post('/api/delegations', { party: `Party ${i} ${Math.random()}`, country: 'FR' }, 'secretariat'), 201)
      extra.push(d.id)
    }
    const seats = await Promise.all(extra.map((d) => put(d, { registeredIds: [] })))
    expect(seats.filter(([status]) => status === 200)).toHaveLength(25)
    expect(seats.filter(([status, code]) => status === 409 && code === 'council_full')).toHaveLength(1)
    expect(await h.get<unknown[]>(`/api/meetings/${meeting.id}/roll`, 'tomas')).toHaveLength(30)
  })

  it('an opening and a withdrawal fired at once never leave a vote open on a withdrawn amendment: one of them is refused', async () => {
    const r = await h.resolution('Withdrawal race', ['One.', 'Two.'], 16)
    const meeting = await h.councilWithAll([r.id])
    for (const [round, amendment] of r.amendments.entries()) {
      const raced = await h.openingRacedWith(meeting.id, amendment.id, round % 8, () => h.post(`/api/amendments/${amendment.id}/withdraw`, {}, 'claire'))
      expect([
        { round, opened: 201, other: 409, status: 'tabled', open: 1 },
        { round, opened: 409, other: 200, status: 'withdrawn', open: 0 },
      ]).toContainEqual({ round, ...raced })
    }
  })

  it('an opening and a compromise fired at once never leave a vote open on an amendment merged away: one of them is refused', async () => {
    const paragraphs = Array.from({ length: 8 }, (_, round) => `Paragraph ${round}.`)
    const { id: resolutionId, blocks } = await h.openForAmendments('Compromise race', paragraphs)
    const pairs: Array<[Amendment, Amendment]> = []
    for (const [round, block] of blocks.entries()) {
      const table = async (as: string, text: string) =>
        h.ok<Amendment>(await h.post(`/api/resolutions/${resolutionId}/amendments`, { kind: 'replace', blockId: block, text, justification: 'Test.' }, as), 201)
      pairs.push([await table('claire', `Paragraph ${round}, amended.`), await table('lucia', `Paragraph ${round}, changed.`)])
    }
    await h.ok(await h.post(`/api/resolutions/${resolutionId}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([resolutionId])
    for (const [round, [voted, other]] of pairs.entries()) {
      const body = { amendmentIds: [voted.id, other.id], text: `Paragraph ${round}, amended and changed.`, justification: 'Both.' }
      const raced = await h.openingRacedWith(meeting.id, voted.id, round, () => h.post(`/api/resolutions/${resolutionId}/compromises`, body, 'ingrid'))
      expect([
        { round, opened: 201, other: 409, status: 'tabled', open: 1 },
        { round, opened: 409, other: 201, status: 'merged', open: 0 },
      ]).toContainEqual({ round, ...raced })
    }
  })

  it('a close and a chair’s hand decision fired at once never leave a passed vote with a rejected amendment', async () => {
    const r = await h.resolution('Hand race', ['One.', 'Two.'], 12)
    const meeting = await h.councilWithAll([r.id])
    for (const [round, amendment] of r.amendments.entries()) {
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
      for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
      const close = h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat').then((res) => res.status)
      await sleep(round % 6)
      const hand = await h.post(`/api/amendments/${amendment.id}/decision`, { decision: 'reject', reason: 'By hand.' }, 'ingrid').then((res) => res.status)
      await close
      const closed = await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')
      const after = await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'claire')
      // The meeting voted yes unanimously: while its vote is open nobody decides by hand (409 vote_open), and a passed vote accepts.
      expect({ round, hand, passed: closed.result?.passed, status: after.status }).toEqual({ round, hand: 409, passed: true, status: 'accepted' })
      // Nor does anyone take the meeting's decision back by hand afterwards.
      if (round === 0) {
        const reset = await h.post(`/api/amendments/${amendment.id}/reset`, { reason: 'Par erreur.' }, 'secretariat')
        expect({ status: reset.status, code: ((await reset.json()) as { error: { code: string } }).error.code }).toEqual({ status: 409, code: 'decided_by_vote' })
      }
    }
  })
})

describe('votes on what they were opened on', () => {
  const h = inMemory()

  it('choices stay hidden while open on every route and live event, except the caller’s own delegation', async () => {
    const r = await h.resolution('Secret ballot', ['One.'], 1)
    const meeting = await h.councilWithAll([r.id])
    const room = await listen<MeetingEvent>(`${h.server.url}/api/meetings/${meeting.id}/events`, h.tokens['julien']!, (d) => MeetingEventSchema.parse(d))
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id })
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'no' }, 'lucia'))
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'claire'))
    await sleep(100)
    for (const as of ['julien', 'tomas', 'kofi', 'ingrid', 'mateo']) {
      const seen = await h.get<Vote>(`/api/votes/${vote.id}`, as)
      const list = await h.get<Vote[]>(`/api/meetings/${meeting.id}/votes`, as)
      for (const v of [seen, list.find((each) => each.id === vote.id)!]) {
        expect(v.tally).toMatchObject({ yes: null, no: null, abstain: null, cast: 2 })
        for (const b of v.ballots) expect('choice' in b).toBe(b.delegation.id === (as === 'julien' ? 'fr-pp' : as === 'mateo' ? 'cl-psp' : '-'))
      }
    }
    expect(JSON.stringify(room.events)).not.toMatch(/"choice"/)
    room.close()
  })

  it('an adoption vote adopts only the text it was taken on (moved back from final, changed, locked again, then closed)', async () => {
    const r = await h.resolution('Adoption moved back', ['The text as voted.'], 0, 'final')
    const meeting = await h.councilWithAll([r.id])
    const voted = (await h.get<{ hash: string }>(`/api/resolutions/${r.id}/verify`, 'tomas')).hash
    const vote = await h.openVote(meeting.id, { kind: 'adoption', resolutionId: r.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    // Meanwhile the Steering Committee would take the text back (for the secretariat to rewrite it and lock it again): refused.
    const back = await h.post(`/api/resolutions/${r.id}/stage`, { to: 'consolidation', reason: 'One more change.' }, 'mateo')
    expect(back.status).toBe(409)
    expect(((await back.json()) as { error: { code: string } }).error.code).toBe('vote_open')
    // Adopting by hand meanwhile is refused too: the meeting's vote decides.
    expect((await h.post(`/api/resolutions/${r.id}/stage`, { to: 'adopted', adoptedBy: 'Council' }, 'secretariat')).status).toBe(409)
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    const after = await h.get<Resolution>(`/api/resolutions/${r.id}`, 'tomas')
    expect(closed.result?.passed).toBe(true)
    expect(after.stage).toBe('adopted')
    expect((await h.get<{ hash: string }>(`/api/resolutions/${r.id}/verify`, 'tomas')).hash).toBe(voted)
  })

  it('a compromise cannot be rewritten while the meeting votes on it (the vote would accept words nobody voted on)', async () => {
    const { blocks, ...res } = await h.openForAmendments('Compromise', ['We act now for all.'])
    const a = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'We act today for all.', justification: 'x' }, 'claire'), 201)
    const b = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'We act now for everyone.', justification: 'x' }, 'lucia'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const compromise = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/compromises`, { amendmentIds: [a.id, b.id], text: 'We act today for everyone.', justification: 'Both.' }, 'ingrid'), 201)
    const meeting = await h.councilWithAll([res.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: compromise.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    const edit = await h.send('PATCH', `/api/amendments/${compromise.id}`, { text: 'We act tomorrow, maybe.' }, 'ingrid')
    const editStatus = edit.status
    await h.ok(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    const text: string[] = []
    readBody((await h.server.hemicycle.services.collab.open(res.id)).doc).forEach((node) => void text.push(node.textContent))
    expect({ editStatus, text }).toEqual({ editStatus: 409, text: ['We act today for everyone.'] })
  })

  it('a close refused over a conflict tells the closer nothing of the result: refused whether the vote would pass or fail, the vote open, nothing decided', async () => {
    const { blocks, ...res } = await h.openForAmendments('Close leak', ['We act now for all.'])
    const table = async (as: string, text: string) => h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text, justification: 'x' }, as), 201)
    const [passing, failing, winner] = [await table('claire', 'We act today for all.'), await table('lucia', 'We act soon for all.'), await table('kwame', 'We act later for all.')]
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const votes = []
    for (const [name, amendment, choice] of [['passing', passing, 'yes'], ['failing', failing, 'no']] as const) {
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
      for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice }, as))
      votes.push({ name, amendment, vote })
    }
    // The words voted on are changed meanwhile by another amendment, accepted by hand: both voted on now conflict.
    await h.ok(await h.post(`/api/amendments/${winner.id}/decision`, { decision: 'accept' }, 'ingrid'))
    const outcomes: Record<string, unknown> = {}
    for (const { name, amendment, vote } of votes) {
      const close = await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat')
      const code = ((await close.json()) as { error?: { code: string } }).error?.code
      const after = await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')
      outcomes[name] = { status: close.status, code, vote: after.status, amendment: (await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')).status }
    }
    const refused = { status: 409, code: 'conflict', vote: 'open', amendment: 'tabled' }
    expect(outcomes).toEqual({ passing: refused, failing: refused })
  })

  it('a vote that can never close (its words conflict with what a rival vote adopted) is voided by the secretariat, with a reason, and the amendment decided again', async () => {
    const { blocks, ...res } = await h.openForAmendments('Rival votes', ['We act now for all.'])
    const table = async (as: string, text: string) => h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text, justification: 'x' }, as), 201)
    const [first, rival] = [await table('claire', 'We act today for all.'), await table('lucia', 'We act soon for all.')]
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const [adopted, stuck] = [await h.openVote(meeting.id, { kind: 'amendment', amendmentId: first.id }), await h.openVote(meeting.id, { kind: 'amendment', amendmentId: rival.id })]
    for (const vote of [adopted, stuck]) for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    // A vote that can close is not voided: the secretariat cannot set a meeting's result aside.
    await expectError(await h.post(`/api/votes/${adopted.id}/void`, { reason: 'Changed our minds.' }, 'secretariat'), 409, 'vote_closable')
    await h.ok(await h.post(`/api/votes/${adopted.id}/close`, {}, 'secretariat'))
    // The rival's words now conflict: its close is refused whatever its ballots, and nothing else may decide it.
    await expectError(await h.post(`/api/votes/${stuck.id}/close`, {}, 'secretariat'), 409, 'conflict')
    await expectError(await h.post(`/api/amendments/${rival.id}/decision`, { decision: 'reject', reason: 'Superseded.' }, 'ingrid'), 409, 'vote_open')
    await expectError(await h.post(`/api/votes/${stuck.id}/void`, { reason: 'Superseded by A1.' }, 'ingrid'), 403, 'forbidden')
    await expectError(await h.post(`/api/votes/${stuck.id}/void`, { reason: '  ' }, 'secretariat'), 400, 'invalid_request')
    const voided = await h.ok<Vote>(await h.post(`/api/votes/${stuck.id}/void`, { reason: 'Superseded by the text the meeting adopted.' }, 'secretariat'))
    const seen = await h.get<Vote>(`/api/votes/${stuck.id}`, 'tomas')
    expect({ status: seen.status, result: seen.result, notApplied: seen.notApplied, yes: seen.tally.yes, choices: seen.ballots.map((ballot) => ballot.choice) }).toEqual({
      status: 'closed',
      result: null,
      notApplied: { code: 'voided', message: 'Superseded by the text the meeting adopted.' },
      yes: null,
      choices: seen.ballots.map(() => undefined),
    })
    expect(voided.status).toBe('closed')
    await expectError(await h.post(`/api/votes/${stuck.id}/void`, { reason: 'Again.' }, 'secretariat'), 409, 'vote_closed')
    // Voided, it is decided by hand only as no vote could decide it: rejected while its words conflict, never accepted.
    await expectError(await h.post(`/api/amendments/${rival.id}/decision`, { decision: 'acceptModified', text: 'We act now for all of us.' }, 'ingrid'), 409, 'vote_not_applied')
    expect((await h.ok<Amendment>(await h.post(`/api/amendments/${rival.id}/decision`, { decision: 'reject', reason: 'Superseded.' }, 'ingrid'))).status).toBe('rejected')
    const record = (await h.get<AuditEntry[]>(`/api/resolutions/${res.id}/audit`, 'secretariat')).filter((entry) => entry.action === 'vote' && entry.detail['voided'])
    expect(record.map((entry) => entry.detail['voided'])).toEqual(['Superseded by the text the meeting adopted.'])
  })

  it('a vote voided over a conflict someone made and then undid is decided by a new vote, not by hand', async () => {
    const { blocks, ...res } = await h.openForAmendments('Made and undone', ['We act now for all.'])
    const amendment = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'We act today for all.', justification: 'x' }, 'claire'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    const retype = async (from: string, to: string) => {
      const client = connectClient(h.server.wsUrl, res.id, h.tokens['secretariat']!)
      await client.synced
      await retypeIn(client, from, to)
      client.destroy()
    }
    await retype('now', 'soon')
    await h.ok(await h.post(`/api/votes/${vote.id}/void`, { reason: 'Cannot apply.' }, 'secretariat'))
    await retype('soon', 'now')
    for (const decision of [{ decision: 'reject', reason: 'The chair overrides.' }, { decision: 'accept' }]) {
      await expectError(await h.post(`/api/amendments/${amendment.id}/decision`, decision, 'ingrid'), 409, 'vote_not_applied')
    }
    const again = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${again.id}/ballots`, { choice: 'yes' }, as))
    await h.ok(await h.post(`/api/votes/${again.id}/close`, {}, 'secretariat'))
    expect((await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')).status).toBe('accepted')
  })

  it('a void waits for the step of the procedure under way and asks again after it: a step that made the words apply again leaves the vote to be closed', async () => {
    const { blocks, ...res } = await h.openForAmendments('Void in turn', ['We act now for all.'])
    const amendment = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'We act today for all.', justification: 'x' }, 'claire'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    const client = connectClient(h.server.wsUrl, res.id, h.tokens['secretariat']!)
    await client.synced
    const retype = (from: string, to: string) => retypeIn(client, from, to)
    await retype('now', 'soon')
    // A step of the procedure holds the resolution's turn (a decision, a compromise) and its change puts the words back.
    let finish!: () => void
    const step = h.server.hemicycle.services.turns.run(res.id, () => new Promise<void>((resolve) => (finish = resolve)))
    let answered = false
    const voiding = h.post(`/api/votes/${vote.id}/void`, { reason: 'Cannot apply.' }, 'secretariat').then((response) => {
      answered = true
      return response
    })
    await sleep(500)
    const answeredDuringStep = answered
    await retype('soon', 'now')
    finish()
    await step
    await expectError(await voiding, 409, 'vote_closable')
    expect(answeredDuringStep).toBe(false)
    client.destroy()
    await h.ok(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect((await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')).status).toBe('accepted')
  })

  it('a vote whose words conflict by the time its result takes effect is refused alike, passed or failed, inside the resolution\'s turn', async () => {
    const { blocks, ...res } = await h.openForAmendments('Late conflict', ['We act now for all.'])
    const amendment = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: 'We act today for all.', justification: 'x' }, 'claire'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const chair = connectClient(h.server.wsUrl, res.id, h.tokens['ingrid']!)
    await chair.synced
    const text = (chair.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    chair.doc.transact(() => {
      text.delete(text.toString().indexOf('now'), 3)
      text.insert(text.toString().indexOf(' for'), 'soon')
    })
    await chair.saved()
    chair.destroy()
    // The close's own check ran before the chair typed (a race): the result reaches the decision, which checks again.
    const person = { id: 'person-secretariat', username: 'secretariat', name: 'Secretariat', role: 'secretariat' as const, delegation: null }
    const refusals = []
    for (const passed of [true, false]) {
      const result = { passed, yes: passed ? 5 : 0, no: passed ? 0 : 5, abstain: 0, notVoting: 0 }
      const deciding = { id: 'vote-x', result, day: '2026-12-06', seal: async () => {} }
      const refusal = await h.server.hemicycle.services.amendments.decide(amendment.id, person, { decision: passed ? 'accept' : 'reject' }, deciding).then(
        () => null,
        (error: { status: number; code: string; message: string }) => ({ status: error.status, code: error.code, message: error.message }),
      )
      refusals.push(refusal)
    }
    expect(refusals[0]).toMatchObject({ status: 409, code: 'conflict' })
    expect(refusals[1]).toEqual(refusals[0])
    expect((await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')).status).toBe('tabled')
  })

  it('a close refused because accepting would break the rules on the text tells the closer nothing of the result; a vote on such an amendment does not open', async () => {
    // A paragraph the amendment makes 9,500 characters long, to which the chair adds 2,000 more while the meeting votes:
    // accepted, it would pass the 10,000-character limit.
    const long = `${'Long words here. '.repeat(353)}End.`
    const { blocks, ...res } = await h.openForAmendments('Too long when passed', [long])
    const amendment = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[0], text: `${long} ${'More words here. '.repeat(205)}`, justification: 'x' }, 'claire'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    const chair = connectClient(h.server.wsUrl, res.id, h.tokens['ingrid']!)
    await chair.synced
    ;((chair.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Added by the chair. '.repeat(100))
    await chair.saved()
    chair.destroy()
    const outcomes: Record<string, unknown> = {}
    for (const choice of ['yes', 'no'] as const) {
      for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice }, as))
      const close = await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat')
      outcomes[choice] = { status: close.status, code: ((await close.json()) as { error?: { code: string } }).error?.code, vote: (await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')).status }
    }
    const refused = { status: 422, code: 'paragraph_too_long', vote: 'open' }
    expect(outcomes).toEqual({ yes: refused, no: refused })

    // Deleting a list item's first paragraph would leave it starting with a list: no vote opens on it.
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "Nested"\nlanguage: en\n---\n\n- Item one\n  - nested point\n'], 'r.md'))
    const nested = await h.ok<Resolution>(await h.server.api('/api/resolutions/import', { method: 'POST', body: form, token: h.tokens['secretariat']! }), 201)
    await h.ok(await h.post(`/api/resolutions/${nested.id}/stage`, { to: 'amendments', deadline: '2100-01-01T00:00:00Z' }, 'secretariat'))
    const reader = connectClient(h.server.wsUrl, nested.id, h.tokens['secretariat']!)
    await reader.synced
    let item: string | undefined
    readBody(reader.doc).descendants((node) => {
      item ??= node.isTextblock ? (node.attrs['id'] as string) : undefined
      return item === undefined
    })
    reader.destroy()
    const deletion = await h.ok<Amendment>(await h.post(`/api/resolutions/${nested.id}/amendments`, { kind: 'delete', blockId: item, justification: 'x' }, 'claire'), 201)
    await h.ok(await h.post(`/api/resolutions/${nested.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const other = await h.councilWithAll([nested.id])
    await expectError(await h.post(`/api/meetings/${other.id}/votes`, { subject: { kind: 'amendment', amendmentId: deletion.id }, majority: 'simple' }, 'secretariat'), 409, 'conflict')
  })

  it('a passed vote on an amendment whose paragraph was deleted while the meeting voted says it was not applied, the amendment obsolete', async () => {
    const { blocks, ...res } = await h.openForAmendments('Gone paragraph', ['We keep this.', 'We act now for all.', 'We keep that.'])
    const table = async (as: string, body: Record<string, unknown>) =>
      h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { blockId: blocks[1], justification: 'x', ...body }, as), 201)
    const [byDeletion, byEditor, deletion] = [
      await table('claire', { kind: 'replace', text: 'We act today for all.' }),
      await table('lucia', { kind: 'replace', text: 'We act soon for all.' }),
      await table('kwame', { kind: 'delete' }),
    ]
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const passing = async (amendment: Amendment) => {
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
      for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
      return vote
    }
    const [first, second, third] = [await passing(byDeletion), await passing(byEditor), await passing(deletion)]
    // The meeting votes the deletion through first: the paragraph is gone, and with it what the two others change.
    const deleted = await h.ok<Vote>(await h.post(`/api/votes/${third.id}/close`, {}, 'secretariat'))
    expect(deleted.notApplied).toBeUndefined()
    const outcomes: Record<string, unknown> = {}
    for (const [name, vote, amendment] of [['byDeletion', first, byDeletion], ['byEditor', second, byEditor]] as const) {
      const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
      const after = await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')
      outcomes[name] = { passed: closed.result?.passed, notApplied: closed.notApplied?.code, listed: (await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')).notApplied?.code, amendment: after.status }
    }
    const texts = (await readBlocks(h.server.wsUrl, res.id, h.tokens['secretariat']!)).texts
    const record = (await h.get<AuditEntry[]>(`/api/resolutions/${res.id}/audit`, 'secretariat')).filter((entry) => entry.action === 'vote' && entry.detail['closed'])
    const notApplied = { passed: true, notApplied: 'obsolete', listed: 'obsolete', amendment: 'obsolete' }
    expect({ outcomes, texts }).toEqual({ outcomes: { byDeletion: notApplied, byEditor: notApplied }, texts: ['We keep this.', 'We keep that.'] })
    expect(record.map((entry) => entry.detail['notApplied'] ?? null)).toEqual([null, 'obsolete', 'obsolete'])
  })

  it('a passed vote on an amendment whose paragraph a chair deleted in the editor while the meeting voted says it was not applied, the amendment obsolete', async () => {
    const { blocks, ...res } = await h.openForAmendments('Deleted by hand', ['We keep this.', 'We act now for all.'])
    const amendment = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[1], text: 'We act today for all.', justification: 'x' }, 'claire'), 201)
    const other = await h.ok<Amendment>(await h.post(`/api/resolutions/${res.id}/amendments`, { kind: 'replace', blockId: blocks[1], text: 'We act now for everyone.', justification: 'x' }, 'lucia'), 201)
    await h.ok(await h.post(`/api/resolutions/${res.id}/stage`, { to: 'consolidation' }, 'secretariat'))
    const meeting = await h.councilWithAll([res.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    // The chair deletes the paragraph in the live editor (consolidation: chairs edit the text) as the meeting votes.
    const chair = connectClient(h.server.wsUrl, res.id, h.tokens['ingrid']!)
    await chair.synced
    chair.doc.getXmlFragment('body').delete(1, 1)
    await chair.saved()
    chair.destroy()
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    const after = await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')
    const texts = (await readBlocks(h.server.wsUrl, res.id, h.tokens['secretariat']!)).texts
    expect({ passed: closed.result?.passed, notApplied: closed.notApplied?.code, amendment: after.status, texts }).toEqual({
      passed: true,
      notApplied: 'obsolete',
      amendment: 'obsolete',
      texts: ['We keep this.'],
    })

    // The chair puts the paragraph back (the same block, the same words): the amendment is tabled again, and a chair
    // deciding it by hand, either way, would overturn the meeting's vote. A new vote decides it.
    const undo = connectClient(h.server.wsUrl, res.id, h.tokens['ingrid']!)
    await undo.synced
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute(BLOCK_ID, blocks[1]!)
    const words = new Y.XmlText()
    paragraph.insert(0, [words])
    words.insert(0, 'We act now for all.')
    undo.doc.getXmlFragment('body').insert(1, [paragraph])
    await undo.saved()
    undo.destroy()
    expect((await readBlocks(h.server.wsUrl, res.id, h.tokens['secretariat']!)).texts).toEqual(['We keep this.', 'We act now for all.'])
    for (const decision of [{ decision: 'reject', reason: 'The chair overrides.' }, { decision: 'accept' }]) {
      await expectError(await h.post(`/api/amendments/${amendment.id}/decision`, decision, 'ingrid'), 409, 'vote_not_applied')
    }
    // Nor merged into a compromise, which a chair decides by hand.
    await expectError(
      await h.post(`/api/resolutions/${res.id}/compromises`, { amendmentIds: [amendment.id, other.id], text: 'We act today for everyone.', justification: 'Both.' }, 'ingrid'),
      409,
      'vote_not_applied',
    )
    // Nor accepted with the others in one go: skipped, as under vote, in the dry run and the real one alike.
    for (const dryRun of ['1', '0']) {
      const bulk = await h.ok<{ skipped: Array<{ id: string; reason: string }> }>(await h.post(`/api/resolutions/${res.id}/amendments/accept-non-colliding?dryRun=${dryRun}`, {}, 'ingrid'))
      expect(bulk.skipped.find((skip) => skip.id === amendment.id)).toEqual({ id: amendment.id, reason: 'voting' })
    }
    // Nor rejected once the chair makes its words conflict: the meeting's result is on record, whatever the text says.
    const conflicting = connectClient(h.server.wsUrl, res.id, h.tokens['ingrid']!)
    await conflicting.synced
    const words2 = ((conflicting.doc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText)
    conflicting.doc.transact(() => {
      words2.delete('We act '.length, 'now'.length)
      words2.insert('We act '.length, 'soon')
    })
    await conflicting.saved()
    await expectError(await h.post(`/api/amendments/${amendment.id}/decision`, { decision: 'reject', reason: 'It conflicts now.' }, 'ingrid'), 409, 'vote_not_applied')
    conflicting.doc.transact(() => {
      words2.delete('We act '.length, 'soon'.length)
      words2.insert('We act '.length, 'now')
    })
    await conflicting.saved()
    conflicting.destroy()
    const again = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${again.id}/ballots`, { choice: 'yes' }, as))
    const applied = await h.ok<Vote>(await h.post(`/api/votes/${again.id}/close`, {}, 'secretariat'))
    expect({ notApplied: applied.notApplied, amendment: (await h.get<Amendment>(`/api/amendments/${amendment.id}`, 'tomas')).status }).toEqual({ notApplied: undefined, amendment: 'accepted' })
  })

  it('a passed adoption vote is dated on the meeting’s calendar day (Kuala Lumpur, 01:30 on 31 August)', async () => {
    const r = await h.resolution('Adoption date', ['Dated.'], 0, 'final')
    const meeting = await h.councilWithAll([r.id], 'Asia/Kuala_Lumpur')
    const vote = await h.openVote(meeting.id, { kind: 'adoption', resolutionId: r.id })
    for (const as of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect(closed.closedAt).toBe('2019-08-30T17:30:00.000Z')
    const after = await h.get<Resolution>(`/api/resolutions/${r.id}`, 'tomas')
    expect(after.adoption?.at).toBe('2019-08-31')
  })

  it('quorum counts delegations present WITH a vote: a delegation whose only present voter can no longer vote does not count', async () => {
    const r = await h.resolution('Quorum', ['One.'], 1)
    const meeting = await h.ok<Meeting>(
      await h.post('/api/meetings', { kind: 'council', title: 'Quorum council', startsAt: '2019-08-30', endsAt: '2019-08-31', resolutionIds: [r.id] }, 'secretariat'),
      201,
    )
    for (const [delegation, voting] of [['fr-pp', 'claire'], ['cl-psp', 'lucia'], ['my-pbs', 'hafiz']] as const) {
      await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: id(voting), substituteIds: [] }, 'secretariat'))
      await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(voting), present: true }, 'secretariat'))
    }
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id }, 'simple', 3)
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'claire'))
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'lucia'))
    // Hafiz is made an observer: observers never vote, so my-pbs has nobody present who can cast its ballot.
    await h.ok(await h.send('PATCH', '/api/people/person-hafiz', { role: 'observer' }, 'secretariat'))
    const hafiz = await h.server.login('hafiz')
    const refused = await h.server.api(`/api/votes/${vote.id}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ choice: 'no' }), token: hafiz })
    expect(refused.status).toBe(403)
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect({ eligible: closed.tally.eligible, passed: closed.result?.passed }).toEqual({ eligible: 2, passed: false })
  })
})

describe('who casts a delegation’s ballot as people change during a vote', () => {
  const h = inMemory()

  const cast = (voteId: string, as: string, token = h.tokens[as]!) =>
    h.server.api(`/api/votes/${voteId}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ choice: 'yes' }), token }).then((res) => res.status)

  it('a deactivated delegate still marked present gives the delegation no vote: not in the quorum, and the substitute present casts it', async () => {
    const r = await h.resolution('Deactivated delegate', ['One.'], 2)
    const meeting = await h.councilWithAll([r.id])
    // Every delegation is needed: four of five present with a vote do not make the quorum.
    const first = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id }, 'simple', 5)
    for (const as of ['lucia', 'aisyah', 'kwame', 'erik']) expect(await cast(first.id, as)).toBe(200)
    await h.ok(await h.send('PATCH', '/api/people/person-claire', { active: false }, 'secretariat'))
    expect((await h.get<Vote>(`/api/votes/${first.id}`, 'tomas')).tally.eligible).toBe(4)
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${first.id}/close`, {}, 'secretariat'))
    expect({ eligible: closed.tally.eligible, passed: closed.result?.passed }).toEqual({ eligible: 4, passed: false })

    // Her substitute arrives: he casts France's ballot, as for a delegate who is absent.
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('julien'), present: true }, 'secretariat'))
    const second = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[1]!.id }, 'simple', 5)
    for (const as of ['julien', 'lucia', 'aisyah', 'kwame', 'erik']) expect({ as, status: await cast(second.id, as) }).toEqual({ as, status: 200 })
    const passed = await h.ok<Vote>(await h.post(`/api/votes/${second.id}/close`, {}, 'secretariat'))
    expect({ eligible: passed.tally.eligible, yes: passed.result?.yes, passed: passed.result?.passed }).toEqual({ eligible: 5, yes: 5, passed: true })
    await h.ok(await h.send('PATCH', '/api/people/person-claire', { active: true }, 'secretariat'))
    h.tokens['claire'] = await h.server.login('claire')
  })

  it('a delegation that has voted stays among those with a vote while the vote is open, as it counts at the close', async () => {
    const r = await h.resolution('Left after voting', ['One.'], 1)
    const meeting = await h.councilWithAll([r.id])
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id })
    for (const as of ['lucia', 'aisyah', 'kwame', 'erik']) expect(await cast(vote.id, as)).toBe(200)
    // Erik leaves the room once his ballot is in: Sweden voted, and the card must not read "4 of 3".
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('erik'), present: false }, 'secretariat'))
    const open = await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect({ open: open.tally, closed: closed.tally.eligible }).toEqual({ open: { yes: null, no: null, abstain: null, cast: 4, eligible: 5 }, closed: 5 })
  })

  it('a delegate made an observer, or moved to another party, during a vote no longer bars the substitute present from casting the ballot', async () => {
    const r = await h.resolution('Delegate demoted', ['One.'], 1)
    const meeting = await h.councilWithAll([r.id])
    for (const substitute of ['mateo', 'hafiz']) await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(substitute), present: true }, 'secretariat'))
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id }, 'simple', 5)
    await h.ok(await h.send('PATCH', '/api/people/person-lucia', { role: 'observer' }, 'secretariat'))
    await h.ok(await h.send('PATCH', '/api/people/person-aisyah', { delegationId: 'gh-sdp' }, 'secretariat'))
    const statuses: Record<string, number> = {}
    for (const as of ['claire', 'mateo', 'hafiz', 'kwame', 'erik']) statuses[as] = await cast(vote.id, as)
    // Their own "present" marks, kept under their old delegation, give them a ballot nowhere: not the old one's, not the new one's.
    for (const [as, delegationId] of [['lucia', 'cl-psp'], ['aisyah', 'my-pbs'], ['aisyah', 'gh-sdp']] as const) {
      statuses[`${as} for ${delegationId}`] = (await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'no', delegationId }, as)).status
    }
    expect(statuses).toEqual({ claire: 200, mateo: 200, hafiz: 200, kwame: 200, erik: 200, 'lucia for cl-psp': 403, 'aisyah for my-pbs': 403, 'aisyah for gh-sdp': 403 })
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect({ eligible: closed.tally.eligible, yes: closed.result?.yes, passed: closed.result?.passed }).toEqual({ eligible: 5, yes: 5, passed: true })
    await h.ok(await h.send('PATCH', '/api/people/person-lucia', { role: 'delegate' }, 'secretariat'))
    await h.ok(await h.send('PATCH', '/api/people/person-aisyah', { delegationId: 'my-pbs' }, 'secretariat'))
  })

  it('a delegation whose delegate moved to another party still registers its people, and the secretariat changes its entry, without re-designating first', async () => {
    const r = await h.resolution('Moved delegate roll', ['One.'], 0)
    const meeting = await h.councilWithAll([r.id])
    await h.ok(await h.send('PATCH', '/api/people/person-aisyah', { delegationId: 'gh-sdp' }, 'secretariat'))
    const put = async (as: string, body: unknown) => {
      const res = await h.send('PUT', `/api/meetings/${meeting.id}/roll/my-pbs`, body, as)
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code ?? null]
    }
    const answers = {
      // Hafiz sends Malaysia's registrations; the secretariat changes its substitutes, then names one who cannot stand in.
      delegation: await put('hafiz', { registeredIds: [id('hafiz')] }),
      secretariat: await put('secretariat', { substituteIds: [id('hafiz')] }),
      newlyNamed: await put('secretariat', { substituteIds: [id('hafiz'), id('aisyah')] }),
    }
    expect(answers).toEqual({ delegation: [200, null], secretariat: [200, null], newlyNamed: [422, 'not_eligible'] })
    await h.ok(await h.send('PATCH', '/api/people/person-aisyah', { delegationId: 'my-pbs' }, 'secretariat'))
  })
})

describe('one person, one ballot, and the delegations that vote', () => {
  const h = inMemory()

  it('someone who cast their party’s ballot, then moved to another party and was designated there, casts no second ballot in that vote', async () => {
    const r = await h.resolution('Two ballots', ['One.'], 0, 'final')
    const meeting = await h.ok<Meeting>(await h.post('/api/meetings', { kind: 'council', title: 'Two ballots', startsAt: '2019-08-30', endsAt: '2019-08-31', resolutionIds: [r.id] }, 'secretariat'), 201)
    for (const [delegation, voting] of [['fr-pp', 'julien'], ['cl-psp', 'lucia'], ['se-sap', 'erik']] as const) {
      await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: id(voting), substituteIds: [] }, 'secretariat'))
      await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(voting), present: true }, 'secretariat'))
    }
    const vote = await h.openVote(meeting.id, { kind: 'adoption', resolutionId: r.id })
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'julien'))
    await h.ok(await h.send('PATCH', `/api/people/${id('julien')}`, { delegationId: 'cl-psp' }, 'secretariat'))
    h.tokens['julien'] = await h.server.login('julien')
    await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/cl-psp`, { votingId: id('julien'), substituteIds: [id('mateo')] }, 'secretariat'))
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('mateo'), present: true }, 'secretariat'))
    // His presence was recorded for France: Chile's delegate is not present until the secretariat says so.
    const chile = (await h.get<Array<{ delegation: { id: string }; present: string[] }>>(`/api/meetings/${meeting.id}/roll`, 'tomas')).find((entry) => entry.delegation.id === 'cl-psp')
    expect(chile?.present).not.toContain(id('julien'))
    await expectError(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'julien'), 403, 'forbidden')
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('julien'), present: true }, 'secretariat'))
    const second = await expectError(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'julien'), 403, 'cast_for_another')
    expect(second.message).toMatch(/fr-pp/)
    // Chile's designated delegate can cast none of its ballot: its substitute present casts it (he was barred, "the
    // delegate is present", while Chile counted as present with a vote).
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'no' }, 'mateo'))
    await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'no' }, 'erik'))
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect({ yes: closed.result?.yes, no: closed.result?.no, passed: closed.result?.passed, castBy: closed.ballots.map((ballot) => ballot.castBy.username).sort() }).toEqual({
      yes: 1,
      no: 2,
      passed: false,
      castBy: ['erik', 'julien', 'mateo'],
    })
    await h.ok(await h.send('PATCH', `/api/people/${id('julien')}`, { delegationId: 'fr-pp' }, 'secretariat'))
    h.tokens['julien'] = await h.server.login('julien')
  })

  it('a party seated only for its observer has no vote: it raises neither the default quorum nor the count of those not voting', async () => {
    const r = await h.resolution('Observer seat', ['One.'], 1)
    const meeting = await h.ok<Meeting>(await h.post('/api/meetings', { kind: 'council', title: 'Observer seat', startsAt: '2019-08-30', endsAt: '2019-08-31', resolutionIds: [r.id] }, 'secretariat'), 201)
    for (const [delegation, voting] of [['fr-pp', 'claire'], ['cl-psp', 'lucia'], ['se-sap', 'erik']] as const) {
      await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: id(voting), substituteIds: [] }, 'secretariat'))
      await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(voting), present: true }, 'secretariat'))
    }
    // Ghana's party leader attends, without a seat's vote; nobody votes for Ghana at this meeting.
    await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/gh-sdp`, { registeredIds: [id('kofi')] }, 'secretariat'))
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('kofi'), present: true }, 'secretariat'))
    const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id })
    expect(vote.quorum).toBe(2)
    await expectError(await h.post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'amendment', amendmentId: r.amendments[0]!.id }, majority: 'simple', quorum: 4 }, 'ingrid'), 422, 'quorum_unreachable')
    await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id('erik'), present: false }, 'secretariat'))
    for (const as of ['claire', 'lucia']) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
    const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
    expect(closed.result).toEqual({ passed: true, yes: 2, no: 0, abstain: 0, notVoting: 1, quorumReached: true })
  })
})

describe('delegations whose designees can no longer vote', () => {
  const h = inMemory()

  it('a delegation whose only designee was deactivated raises neither the default quorum nor an explicit one it could reach', async () => {
    const r = await h.resolution('Deactivated designees', ['One.'], 1)
    const meeting = await h.ok<Meeting>(await h.post('/api/meetings', { kind: 'council', title: 'Deactivated designees', startsAt: '2019-08-30', endsAt: '2019-08-31', resolutionIds: [r.id] }, 'secretariat'), 201)
    for (const [delegation, voting] of [['fr-pp', 'claire'], ['cl-psp', 'lucia'], ['my-pbs', 'aisyah'], ['gh-sdp', 'kwame']] as const) {
      await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: id(voting), substituteIds: [] }, 'secretariat'))
      await h.ok(await h.post(`/api/meetings/${meeting.id}/attendance`, { personId: id(voting), present: true }, 'secretariat'))
    }
    for (const name of ['aisyah', 'kwame']) await h.ok(await h.send('PATCH', `/api/people/${id(name)}`, { active: false }, 'secretariat'))
    try {
      await expectError(await h.post(`/api/meetings/${meeting.id}/votes`, { subject: { kind: 'amendment', amendmentId: r.amendments[0]!.id }, majority: 'simple', quorum: 3 }, 'secretariat'), 422, 'quorum_unreachable')
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: r.amendments[0]!.id })
      expect(vote.quorum).toBe(2)
      for (const as of ['claire', 'lucia']) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, as))
      const closed = await h.ok<Vote>(await h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat'))
      expect(closed.result).toEqual({ passed: true, yes: 2, no: 0, abstain: 0, notVoting: 0, quorumReached: true })
    } finally {
      for (const name of ['aisyah', 'kwame']) await h.ok(await h.send('PATCH', `/api/people/${id(name)}`, { active: true }, 'secretariat'))
    }
  })
})

describe.each(ENGINES)('changes to one delegation’s entry fired at once on %s', (engine) => {
  const h = onEngine(engine)

  it('the delegation’s own registrations never write back the voting delegate the secretariat replaced', async () => {
    const meeting = await h.ok<Meeting>(await h.post('/api/meetings', { kind: 'council', title: 'Entry race', startsAt: '2019-08-30', endsAt: '2019-08-31' }, 'secretariat'), 201)
    const lost: Array<{ trial: number; voting: string | undefined }> = []
    for (let trial = 0; trial < 12; trial++) {
      const [before, after] = trial % 2 === 0 ? ['claire', 'julien'] : ['julien', 'claire']
      await h.ok(await h.send('PUT', `/api/meetings/${meeting.id}/roll/fr-pp`, { votingId: id(before), substituteIds: [] }, 'secretariat'))
      const [designation, registration] = await Promise.all([
        h.send('PUT', `/api/meetings/${meeting.id}/roll/fr-pp`, { votingId: id(after) }, 'secretariat'),
        sleep(trial % 4).then(() => h.send('PUT', `/api/meetings/${meeting.id}/roll/fr-pp`, { registeredIds: [id('claire'), id('julien')] }, 'claire')),
      ])
      expect([designation.status, registration.status]).toEqual([200, 200])
      const entry = (await h.get<Array<{ delegation: { id: string }; voting: { username: string } | null }>>(`/api/meetings/${meeting.id}/roll`, 'tomas')).find((each) => each.delegation.id === 'fr-pp')
      if (entry?.voting?.username !== after) lost.push({ trial, voting: entry?.voting?.username })
    }
    expect(lost).toEqual([])
  })
})

describe.each(ENGINES)('a close and a late ballot on %s', (engine) => {
  // A clock that moves a millisecond at each reading: what is read later is later, as on a real clock under load.
  let ticks = 0
  const h = onEngine(engine, () => new Date(clock.getTime() + ticks++))

  it('never records a ballot after the vote closed: a ballot taken while the close was under way is in the close, or refused', async () => {
    const trials = 18
    const r = await h.resolution('Late ballot', ['One.', 'Two.'], trials)
    const meeting = await h.councilWithAll([r.id])
    const late: Array<{ delay: number; recast: number; closedAt: string; ballots: string[] }> = []
    for (const [trial, amendment] of r.amendments.entries()) {
      const vote = await h.openVote(meeting.id, { kind: 'amendment', amendmentId: amendment.id })
      for (const voter of VOTERS) await h.ok(await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, voter))
      // The same choice again: the counts do not move, so nothing but the time tells the close it came after.
      const delay = trial % 9
      const closing = h.post(`/api/votes/${vote.id}/close`, {}, 'secretariat')
      await sleep(delay)
      const recast = (await h.post(`/api/votes/${vote.id}/ballots`, { choice: 'yes' }, 'claire')).status
      expect([200, 409]).toContain(recast)
      expect((await closing).status).toBe(200)
      const closed = await h.get<Vote>(`/api/votes/${vote.id}`, 'tomas')
      const ballots = closed.ballots.map((ballot) => ballot.at)
      if (ballots.some((at) => at > closed.closedAt!)) late.push({ delay, recast, closedAt: closed.closedAt!, ballots })
    }
    expect(late).toEqual([])
  })
})
