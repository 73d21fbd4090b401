/**
 * A hostile audit of write rights against CONTRACT.md ("Write rights",
 * "Amendments", "Stages", "Language versions", "Meetings and votes") and
 * docs/CONTRACT-CHANGES.md: one server, the demo draft moved through every
 * stage by the secretariat and the Steering Committee, and at each stage every
 * action tried as every role with a hand-written client (plain HTTP, a stock
 * y-websocket client), comparing what the server answers with what the
 * contract says. Soft assertions: every cell that disagrees is reported.
 */
import { SOURCE_ID } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'
import { listen } from './sse.ts'

type Stage = 'draft' | 'amendments' | 'consolidation' | 'final' | 'adopted'

/** Who plays each role; `sameDelegation` sits with the delegate (fr-pp), `otherDelegate` in another (gh-sdp). */
const CAST = {
  secretariat: 'secretariat',
  steering: 'mateo', // steering, cl-psp
  chair: 'ingrid', // chair, se-sap
  delegate: 'claire', // delegate, fr-pp (tables the amendments under test)
  sameDelegation: 'julien', // delegate, fr-pp
  otherDelegate: 'kwame', // delegate, gh-sdp
  observer: 'tomas', // observer, no delegation
  observerInDelegation: 'kofi', // observer, gh-sdp
  translator: 'traductrice',
} as const
type Who = keyof typeof CAST
const EVERYONE = Object.keys(CAST) as Who[]
const ROLE: Record<Who, string> = {
  secretariat: 'secretariat',
  steering: 'steering',
  chair: 'chair',
  delegate: 'delegate',
  sameDelegation: 'delegate',
  otherDelegate: 'delegate',
  observer: 'observer',
  observerInDelegation: 'observer',
  translator: 'translator',
}
/** CONTRACT "People and delegations": delegates, and chairs or Steering members of a delegation, table for it. */
const MEMBER: Record<Who, boolean> = {
  secretariat: false,
  steering: true,
  chair: true,
  delegate: true,
  sameDelegation: true,
  otherDelegate: true,
  observer: false,
  observerInDelegation: false,
  translator: false,
}
const OWN: Record<Who, boolean> = { ...Object.fromEntries(EVERYONE.map((who) => [who, false])), delegate: true, sameDelegation: true } as Record<Who, boolean>
const DECIDER = (who: Who) => who === 'chair' || who === 'secretariat'

/** "Write rights": who edits the original directly (the translator never: CONTRACT-CHANGES, Language versions). */
function mayEditOriginal(stage: Stage, who: Who): boolean {
  if (stage === 'draft') return ROLE[who] !== 'observer' && ROLE[who] !== 'translator'
  if (stage === 'consolidation') return who === 'chair' || who === 'secretariat'
  return false
}
/** "Language versions": the secretariat and translators, from draft to consolidation. */
function mayEditVersion(stage: Stage, who: Who): boolean {
  return (who === 'secretariat' || who === 'translator') && ['draft', 'amendments', 'consolidation'].includes(stage)
}

let server: TestServer
const tokens: Record<string, string> = {}
let now = new Date('2026-11-23T09:00:00Z')
const DEADLINE = '2026-11-23T11:00:00Z'
const clients: Client[] = []
const id = () => server.resolutionId

const send = (method: string, path: string, body: unknown, who: Who | 'lucia' | 'erik') =>
  server.api(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    token: tokens[(CAST as Record<string, string>)[who] ?? who]!,
  })
const post = (path: string, body: unknown, who: Who | 'lucia' | 'erik') => send('POST', path, body ?? {}, who)

async function loginAll() {
  for (const name of [...Object.values(CAST), 'lucia', 'erik']) tokens[name] = await server.login(name)
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://' }, { now: () => now })
  await loginAll()
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

function connect(room: string, who: Who): Client {
  const client = connectClient(server.wsUrl, room, tokens[CAST[who]]!)
  clients.push(client)
  return client
}

const exportMd = async (language?: string) =>
  (await server.api(`/api/resolutions/${id()}/export.md?rule=current${language ? `&language=${language}` : ''}`, { token: tokens['secretariat']! })).text()

/** The top-level paragraphs' block ids of the original. */
async function blockIds(): Promise<string[]> {
  const reader = connect(id(), 'secretariat')
  await reader.synced
  const ids = reader.doc
    .getXmlFragment('body')
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph')
    .map((node) => node.getAttribute('id') as string)
  reader.destroy()
  return ids
}

/** Writes into the version's block translating `sourceId`, as a translator typing. */
function translate(doc: Y.Doc, sourceId: string, text: string): void {
  const visit = (parent: Y.XmlFragment | Y.XmlElement): boolean => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.getAttribute(SOURCE_ID) === sourceId) {
        let content = child.toArray().find((inner): inner is Y.XmlText => inner instanceof Y.XmlText)
        if (!content) {
          content = new Y.XmlText()
          child.insert(0, [content])
        }
        content.insert(content.length, text)
        return true
      }
      if (visit(child)) return true
    }
    return false
  }
  if (!visit(doc.getXmlFragment('body'))) throw new Error(`no block translates ${sourceId}`)
}

/** Every role types a marker into the original and into the English version; the stored text shows whose edits were kept. */
async function probeSockets(stage: Stage) {
  const marker = (who: Who, where: string) => `mark${where}${stage}${who}mark`
  const open: Array<{ who: Who; original: Client; version: Client }> = []
  for (const who of EVERYONE) {
    const original = connect(id(), who)
    const version = connect(`${id()}/en`, who)
    await Promise.all([original.synced, version.synced])
    open.push({ who, original, version })
  }
  for (const { who, original, version } of open) {
    typeInto(original.doc, 0, 0, marker(who, 'o'))
    translate(version.doc, firstSource, marker(who, 'v'))
  }
  for (const { who, original, version } of open) {
    if (mayEditOriginal(stage, who)) await original.saved()
    if (mayEditVersion(stage, who)) await version.saved()
  }
  await sleep(300)
  const [originalText, versionText] = [await exportMd(), await exportMd('en')]
  for (const { who, original, version } of open) {
    expect.soft(originalText.includes(marker(who, 'o')), `${stage}: ${who} edits the original over the socket`).toBe(mayEditOriginal(stage, who))
    expect.soft(versionText.includes(marker(who, 'v')), `${stage}: ${who} edits the en version over the socket`).toBe(mayEditVersion(stage, who))
    // A connection with no right is told so (permission denied) on each document.
    if (!mayEditOriginal(stage, who)) expect.soft(original.denials.length > 0, `${stage}: ${who} told read-only on the original`).toBe(true)
    if (!mayEditVersion(stage, who)) expect.soft(version.denials.length > 0, `${stage}: ${who} told read-only on the version`).toBe(true)
    original.destroy()
    version.destroy()
  }
}

const status = async (response: Response) => {
  await response.body?.cancel()
  return response.status
}
/** Expects `expected` (a status, or a list of acceptable ones) for the cell `label`. */
let cells = 0
async function cell(label: string, response: Promise<Response>, expected: number | number[]) {
  cells += 1
  const got = await status(await response)
  const ok = Array.isArray(expected) ? expected : [expected]
  expect.soft(ok.includes(got) ? ok[0] : got, label).toBe(ok[0])
  return got
}

const amendments = () => `/api/resolutions/${id()}/amendments`
const table = (blockId: string, text: string, who: Who) => post(amendments(), { kind: 'replace', blockId, text, justification: 'Pourquoi pas.' }, who)
const tableOk = async (blockId: string, text: string, who: Who) => {
  const response = await table(blockId, text, who)
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

/** Every stage move from `stage` tried by every role but the rightful one(s), with a complete body: each must be refused. */
const MOVES: Record<Stage, Array<{ to: Stage; body: Record<string, unknown>; by: Who[] }>> = {
  draft: [{ to: 'amendments', body: { deadline: DEADLINE }, by: ['secretariat'] }],
  amendments: [
    { to: 'consolidation', body: {}, by: ['secretariat'] },
    { to: 'draft', body: { reason: 'Back to the drawing board.' }, by: ['steering'] },
  ],
  consolidation: [
    { to: 'final', body: { confirm: true, acceptOutstandingAmendments: true, acceptOutstandingTranslations: true }, by: ['steering'] },
    { to: 'amendments', body: { reason: 'Another round.', deadline: '2026-12-30T10:00:00Z' }, by: ['steering'] },
  ],
  final: [
    { to: 'adopted', body: { adoptedBy: 'Council', adoptedAt: '2026-11-24' }, by: ['steering', 'secretariat'] },
    { to: 'consolidation', body: { reason: 'One more fix.' }, by: ['steering'] },
  ],
  adopted: [],
}
async function probeMoves(stage: Stage) {
  const all: Stage[] = ['draft', 'amendments', 'consolidation', 'final', 'adopted']
  for (const to of all) {
    if (to === stage) continue
    const move = MOVES[stage].find((candidate) => candidate.to === to)
    for (const who of EVERYONE) {
      if (move?.by.includes(who)) continue
      const body = { to, ...(move?.body ?? { reason: 'why not', deadline: '2026-12-30T10:00:00Z', confirm: true, adoptedBy: 'Council' }) }
      // A move the procedure has not: 409 for everyone; a move someone else makes: 403.
      await cell(`${stage}: ${who} moves to ${to}`, post(`/api/resolutions/${id()}/stage`, body, who), move ? 403 : 409)
    }
    if (move && move.body['reason']) {
      // Going back needs a reason: a blank or invisible one is no reason.
      for (const reason of [undefined, '   ', '\u200b\u200b']) {
        const { reason: _, ...rest } = move.body
        await cell(`${stage}: ${move.by[0]} moves back to ${to} with reason ${JSON.stringify(reason)}`, post(`/api/resolutions/${id()}/stage`, { to, ...rest, ...(reason === undefined ? {} : { reason }) }, move.by[0]!), 400)
      }
    }
  }
}

/** Saving a version (secretariat), adding a language, titling and confirming a block of the en version. */
async function probeVersionsAndLanguages(stage: Stage) {
  const open = ['draft', 'amendments', 'consolidation'].includes(stage)
  for (const who of EVERYONE) {
    await cell(`${stage}: ${who} saves a version`, post(`/api/resolutions/${id()}/versions`, { label: `by ${who}` }, who), who === 'secretariat' ? 201 : 403)
    if (who !== 'secretariat') await cell(`${stage}: ${who} adds the es version`, post(`/api/resolutions/${id()}/languages`, { language: 'es' }, who), 403)
    const worker = who === 'secretariat' || who === 'translator'
    await cell(
      `${stage}: ${who} confirms an en block`,
      post(`/api/resolutions/${id()}/languages/en/blocks/${firstSource}/confirm`, {}, who),
      worker ? (open ? 200 : 409) : 403,
    )
    await cell(`${stage}: ${who} titles the en version`, send('PATCH', `/api/resolutions/${id()}/languages/en`, { title: `Title by ${who}` }, who), worker ? (open ? 200 : 409) : 403)
  }
  if (!open) await cell(`${stage}: secretariat adds the es version`, post(`/api/resolutions/${id()}/languages`, { language: 'es' }, 'secretariat'), 409)
}

/** Meetings: convening, the roll and attendance are the secretariat's; a delegation registers its own people. */
async function probeMeetingAdministration(stage: Stage, meetingId: string) {
  for (const who of EVERYONE) {
    if (who === 'secretariat') continue
    await cell(
      `${stage}: ${who} convenes a meeting`,
      post('/api/meetings', { kind: 'council', title: 'Rogue', startsAt: '2026-11-24T09:00:00Z', endsAt: '2026-11-24T18:00:00Z', resolutionIds: [id()] }, who),
      403,
    )
    await cell(`${stage}: ${who} marks attendance`, post(`/api/meetings/${meetingId}/attendance`, { personId: 'person-julien', present: true }, who), 403)
    await cell(`${stage}: ${who} designates fr-pp's voting delegate`, send('PUT', `/api/meetings/${meetingId}/roll/fr-pp`, { votingId: 'person-julien' }, who), 403)
    await cell(`${stage}: ${who} registers people for gh-sdp`, send('PUT', `/api/meetings/${meetingId}/roll/gh-sdp`, { registeredIds: ['person-kwame', 'person-ama', 'person-kofi'] }, who), who === 'otherDelegate' ? 200 : 403)
  }
  await cell(`${stage}: the delegate registers fr-pp's people`, send('PUT', `/api/meetings/${meetingId}/roll/fr-pp`, { registeredIds: ['person-claire', 'person-julien'] }, 'delegate'), 200)
}

let blocks: string[] = []
let firstSource = ''
let meetingId = ''

describe('write rights, stage by stage and role by role', () => {
  it('the server enforces the contract’s table for every role at every stage', { timeout: 240_000 }, async () => {
    blocks = await blockIds()
    expect(blocks.length).toBeGreaterThan(6)
    firstSource = blocks[0]!
    expect((await post(`/api/resolutions/${id()}/languages`, { language: 'en' }, 'secretariat')).status).toBe(201)
    const meeting = await post(
      '/api/meetings',
      { kind: 'council', title: 'Council', startsAt: '2026-11-23T08:00:00Z', endsAt: '2026-11-30T18:00:00Z', resolutionIds: [id()] },
      'secretariat',
    )
    expect(meeting.status).toBe(201)
    meetingId = ((await meeting.json()) as { id: string }).id
    for (const [delegation, voting, substitute, others] of [
      ['fr-pp', 'claire', 'julien', []],
      ['cl-psp', 'lucia', 'mateo', []],
      ['gh-sdp', 'kwame', 'ama', ['kofi']],
      ['se-sap', 'erik', 'ingrid', []],
    ] as const) {
      const seat = await send('PUT', `/api/meetings/${meetingId}/roll/${delegation}`, { votingId: `person-${voting}`, substituteIds: [`person-${substitute}`], registeredIds: others.map((o) => `person-${o}`) }, 'secretariat')
      expect(seat.status).toBe(200)
    }
    for (const person of ['claire', 'julien', 'mateo', 'kwame', 'kofi', 'erik']) {
      expect((await post(`/api/meetings/${meetingId}/attendance`, { personId: `person-${person}`, present: true }, 'secretariat')).status).toBe(200)
    }

    // Observers never vote: the secretariat cannot make one a delegation's voting person or substitute.
    await cell('setup: an observer of gh-sdp designated to vote for it', send('PUT', `/api/meetings/${meetingId}/roll/gh-sdp`, { votingId: 'person-kofi' }, 'secretariat'), 422)
    await cell('setup: an observer designated substitute of gh-sdp', send('PUT', `/api/meetings/${meetingId}/roll/gh-sdp`, { substituteIds: ['person-kofi'] }, 'secretariat'), 422)
    await cell('setup: Ghana’s delegate designated to vote for fr-pp', send('PUT', `/api/meetings/${meetingId}/roll/fr-pp`, { votingId: 'person-kwame' }, 'secretariat'), 422)

    // ---- draft
    await probeSockets('draft')
    await probeMoves('draft')
    await probeVersionsAndLanguages('draft')
    await probeMeetingAdministration('draft', meetingId)
    for (const who of EVERYONE) {
      await cell(`draft: ${who} tables`, table(blocks[1]!, `Tabled in draft by ${who}.`, who), MEMBER[who] ? 409 : 403)
    }
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'amendments', deadline: DEADLINE }, 'secretariat')).status).toBe(200)

    // ---- amendments, before the deadline
    await probeSockets('amendments')
    await probeMoves('amendments')
    await probeVersionsAndLanguages('amendments')
    for (const who of EVERYONE) {
      await cell(`amendments: ${who} tables`, table(blocks[1]!, `Texte proposé par ${who}.`, who), MEMBER[who] ? 201 : 403)
    }
    const a = await tableOk(blocks[2]!, 'Texte de la France, premier.', 'delegate')
    const toWithdraw = await tableOk(blocks[3]!, 'Texte de la France, à retirer.', 'delegate')
    const kept = await tableOk(blocks[4]!, 'Texte de la France, à retirer en consolidation.', 'delegate')
    const ghana = await tableOk(blocks[5]!, 'Texte du Ghana.', 'otherDelegate')
    const chile = await tableOk(blocks[5]!, 'Texte du Chili.', 'steering')
    const forVote = await tableOk(blocks[6]!, 'Texte soumis au vote.', 'otherDelegate')
    for (const who of EVERYONE) {
      await cell(`amendments: ${who} edits fr-pp's amendment`, send('PATCH', `/api/amendments/${a}`, { justification: `Changed by ${who}.` }, who), OWN[who] ? 200 : 403)
      if (!OWN[who]) await cell(`amendments: ${who} withdraws fr-pp's amendment`, post(`/api/amendments/${toWithdraw}/withdraw`, {}, who), 403)
      await cell(`amendments: ${who} co-sponsors fr-pp's amendment`, post(`/api/amendments/${a}/cosponsor`, {}, who), OWN[who] ? 409 : MEMBER[who] ? 200 : 403)
      await cell(`amendments: ${who} decides`, post(`/api/amendments/${a}/decision`, { decision: 'reject', reason: 'Non.' }, who), DECIDER(who) ? 409 : 403)
      await cell(`amendments: ${who} composes a compromise`, post(`/api/resolutions/${id()}/compromises`, { amendmentIds: [ghana, chile], text: 'Compromis.', justification: 'Les deux.' }, who), DECIDER(who) ? 409 : 403)
      await cell(`amendments: ${who} accepts the non-colliding`, post(`${amendments()}/accept-non-colliding`, {}, who), DECIDER(who) ? 409 : 403)
      await cell(`amendments: ${who} answers for fr-pp's amendment`, post(`/api/amendments/${a}/response`, { agree: true }, who), OWN[who] ? 409 : 403)
      await cell(`amendments: ${who} opens a vote on an amendment`, post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'amendment', amendmentId: forVote }, majority: 'simple' }, who), DECIDER(who) ? 409 : 403)
    }
    for (const who of EVERYONE) {
      await cell(`amendments: ${who} extends the deadline`, post(`/api/resolutions/${id()}/deadline`, { deadline: '2026-11-23T11:00:00Z' }, who), who === 'secretariat' ? 200 : 403)
    }
    // A hand-written body naming another delegation or person is refused, naming the field; nothing is tabled.
    const count = async () => ((await (await send('GET', amendments(), undefined, 'delegate')).json()) as unknown[]).length
    const before = await count()
    const spoofed = await post(amendments(), { kind: 'replace', blockId: blocks[1], text: 'Au nom du Ghana.', justification: 'Usurpé.', delegation: 'gh-sdp', delegationId: 'gh-sdp', tabledBy: 'person-kwame' }, 'delegate')
    expect(spoofed.status).toBe(400)
    expect(((await spoofed.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/delegation/) })
    expect(await count()).toBe(before)
    await cell('amendments: the sister delegate withdraws fr-pp’s amendment', post(`/api/amendments/${toWithdraw}/withdraw`, {}, 'sameDelegation'), 200)

    // ---- amendments, after the deadline
    now = new Date('2026-11-23T12:00:00Z')
    await loginAll()
    for (const who of EVERYONE) {
      await cell(`amendments after the deadline: ${who} tables`, table(blocks[1]!, `En retard, ${who}.`, who), MEMBER[who] ? 409 : 403)
      await cell(`amendments after the deadline: ${who} edits fr-pp's amendment`, send('PATCH', `/api/amendments/${a}`, { text: `Réécrit par ${who}.` }, who), OWN[who] ? 409 : 403)
      await cell(`amendments after the deadline: ${who} withdraws fr-pp's amendment`, post(`/api/amendments/${kept}/withdraw`, {}, who), OWN[who] ? 409 : 403)
      await cell(`amendments after the deadline: ${who} co-sponsors Ghana's amendment`, post(`/api/amendments/${ghana}/cosponsor`, {}, who), MEMBER[who] && who !== 'otherDelegate' ? 409 : who === 'otherDelegate' ? 409 : 403)
    }
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)

    // ---- consolidation
    await probeSockets('consolidation')
    await probeMoves('consolidation')
    await probeVersionsAndLanguages('consolidation')
    for (const who of EVERYONE) {
      await cell(`consolidation: ${who} tables`, table(blocks[1]!, `Trop tard, ${who}.`, who), MEMBER[who] ? 409 : 403)
      await cell(`consolidation: ${who} edits fr-pp's amendment`, send('PATCH', `/api/amendments/${a}`, { justification: `Late change by ${who}.` }, who), OWN[who] ? 409 : 403)
      await cell(`consolidation: ${who} co-sponsors Ghana's amendment`, post(`/api/amendments/${ghana}/cosponsor`, {}, who), MEMBER[who] ? 409 : 403)
      if (!OWN[who]) await cell(`consolidation: ${who} withdraws fr-pp's amendment`, post(`/api/amendments/${kept}/withdraw`, {}, who), 403)
      if (!DECIDER(who)) {
        await cell(`consolidation: ${who} decides`, post(`/api/amendments/${a}/decision`, { decision: 'acceptModified', text: `Décidé par ${who}.` }, who), 403)
        await cell(`consolidation: ${who} rejects without a reason`, post(`/api/amendments/${a}/decision`, { decision: 'reject' }, who), 403)
        await cell(`consolidation: ${who} composes a compromise`, post(`/api/resolutions/${id()}/compromises`, { amendmentIds: [ghana, chile], text: 'Compromis.', justification: 'Les deux.' }, who), 403)
        await cell(`consolidation: ${who} accepts the non-colliding (dry run)`, post(`${amendments()}/accept-non-colliding?dryRun=1`, {}, who), 403)
        await cell(`consolidation: ${who} opens a vote on an amendment`, post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'amendment', amendmentId: forVote }, majority: 'simple' }, who), 403)
      }
    }
    await cell('consolidation: the delegate rejects an unknown amendment without a reason', post('/api/amendments/no-such-amendment/decision', { decision: 'reject' }, 'delegate'), 404)
    await cell('consolidation: the delegate withdraws its own amendment', post(`/api/amendments/${kept}/withdraw`, {}, 'delegate'), 200)
    await cell('consolidation: the chair accepts fr-pp’s amendment as modified', post(`/api/amendments/${a}/decision`, { decision: 'acceptModified', text: 'Texte de la France, revu par la présidence.' }, 'chair'), 200)
    for (const who of EVERYONE) {
      await cell(`consolidation: ${who} answers for fr-pp's amendment`, post(`/api/amendments/${a}/response`, { agree: false, comment: `Objection de ${who}.` }, who), OWN[who] ? 200 : 403)
      if (!DECIDER(who)) {
        await cell(`consolidation: ${who} replies to the objection`, post(`/api/amendments/${a}/objection-reply`, { text: 'Noted.' }, who), 403)
        await cell(`consolidation: ${who} resets the decision`, post(`/api/amendments/${a}/reset`, { reason: 'Oops.' }, who), 403)
      }
    }
    const composed = await post(`/api/resolutions/${id()}/compromises`, { amendmentIds: [ghana, chile], text: 'Texte de compromis.', justification: 'Les deux.' }, 'secretariat')
    expect(composed.status).toBe(201)
    const compromise = ((await composed.json()) as { id: string }).id
    for (const who of EVERYONE) {
      await cell(`consolidation: ${who} deadline change`, post(`/api/resolutions/${id()}/deadline`, { deadline: '2026-12-23T11:00:00Z' }, who), who === 'secretariat' ? 409 : 403)
      if (!DECIDER(who)) {
        await cell(`consolidation: ${who} edits the compromise`, send('PATCH', `/api/amendments/${compromise}`, { text: `Compromis de ${who}.` }, who), 403)
        await cell(`consolidation: ${who} withdraws the compromise`, post(`/api/amendments/${compromise}/withdraw`, {}, who), 403)
      }
      await cell(`consolidation: ${who} answers for the compromise`, post(`/api/amendments/${compromise}/response`, { agree: true }, who), 403)
      // The merged amendments are answered by their own delegations: Ghana's by gh-sdp, Chile's by cl-psp.
      await cell(`consolidation: ${who} answers for Ghana's merged amendment`, post(`/api/amendments/${ghana}/response`, { agree: true }, who), who === 'otherDelegate' ? 200 : 403)
      await cell(`consolidation: ${who} opens an adoption vote`, post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'adoption', resolutionId: id() }, majority: 'simple' }, who), DECIDER(who) ? 409 : 403)
    }

    // Votes: opened by the chair; ballots only by a delegation's present voting person (or present substitute).
    const opened = await post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'amendment', amendmentId: forVote }, majority: 'simple' }, 'chair')
    expect(opened.status).toBe(201)
    const vote = ((await opened.json()) as { id: string }).id
    const ballot = (who: Who | 'lucia' | 'erik', delegationId?: string) => post(`/api/votes/${vote}/ballots`, { choice: 'yes', ...(delegationId ? { delegationId } : {}) }, who)
    await cell('consolidation: the observer casts a ballot', ballot('observer'), 403)
    await cell('consolidation: the observer of gh-sdp casts gh-sdp’s ballot', ballot('observerInDelegation', 'gh-sdp'), 403)
    await cell('consolidation: the observer of gh-sdp casts a ballot (own delegation by default)', ballot('observerInDelegation'), 403)
    await cell('consolidation: the translator casts a ballot', ballot('translator'), 403)
    await cell('consolidation: the secretariat casts fr-pp’s ballot', ballot('secretariat', 'fr-pp'), 403)
    await cell('consolidation: Ghana’s delegate casts fr-pp’s ballot', ballot('otherDelegate', 'fr-pp'), 403)
    await cell('consolidation: fr-pp’s substitute casts while its delegate is present', ballot('sameDelegation'), 403)
    await cell('consolidation: the chair (se-sap substitute, absent) casts se-sap’s ballot', ballot('chair'), 403)
    await cell('consolidation: cl-psp’s substitute casts while its delegate is absent', ballot('steering'), 200)
    await cell('consolidation: lucia (cl-psp, absent) casts', ballot('lucia'), 403)
    await cell('consolidation: fr-pp’s delegate casts', ballot('delegate'), 200)
    await cell('consolidation: Ghana’s delegate casts its own', ballot('otherDelegate'), 200)
    for (const who of EVERYONE) if (!DECIDER(who)) await cell(`consolidation: ${who} closes the vote`, post(`/api/votes/${vote}/close`, {}, who), 403)
    await cell('consolidation: the chair closes the vote', post(`/api/votes/${vote}/close`, {}, 'chair'), 200)
    await cell('consolidation: fr-pp’s delegate casts after closing', ballot('delegate'), 409)
    await probeMeetingAdministration('consolidation', meetingId)

    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'final', ...MOVES.consolidation[0]!.body }, 'steering')).status).toBe(200)

    // ---- final
    await probeSockets('final')
    await probeMoves('final')
    await probeVersionsAndLanguages('final')
    for (const who of EVERYONE) {
      await cell(`final: ${who} tables`, table(blocks[1]!, `Après le verrou, ${who}.`, who), MEMBER[who] ? 409 : 403)
      await cell(`final: ${who} decides`, post(`/api/amendments/${ghana}/decision`, { decision: 'reject', reason: 'Non.' }, who), DECIDER(who) ? 409 : 403)
      await cell(`final: ${who} accepts the non-colliding`, post(`${amendments()}/accept-non-colliding`, {}, who), DECIDER(who) ? 409 : 403)
      await cell(`final: ${who} resets a decision`, post(`/api/amendments/${a}/reset`, { reason: 'Oops.' }, who), DECIDER(who) ? 409 : 403)
      await cell(`final: ${who} opens an adoption vote in a meeting`, post(`/api/meetings/${meetingId}/votes`, { subject: { kind: 'adoption', resolutionId: id() }, majority: 'simple' }, who), DECIDER(who) ? [201, 409] : 403)
    }
    // While the meeting votes on adopting it, nobody adopts it by hand; the vote closed without ballots fails, and the text stays final.
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-11-24' }, 'secretariat')).status).toBe(409)
    const votes = (await (await send('GET', `/api/meetings/${meetingId}/votes`, undefined, 'secretariat')).json()) as Array<{ id: string; status: string }>
    for (const vote of votes.filter((each) => each.status === 'open')) expect((await post(`/api/votes/${vote.id}/close`, {}, 'secretariat')).status).toBe(200)
    // The failed vote has the last word on the text as locked: no adoption by hand until it is locked again.
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-11-24' }, 'secretariat')).status).toBe(409)
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'consolidation', reason: 'Lock it again.' }, 'steering')).status).toBe(200)
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'final', ...MOVES.consolidation[0]!.body }, 'steering')).status).toBe(200)
    expect((await post(`/api/resolutions/${id()}/stage`, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-11-24' }, 'secretariat')).status).toBe(200)

    // ---- adopted
    await probeSockets('adopted')
    await probeMoves('adopted')
    await probeVersionsAndLanguages('adopted')
    for (const who of EVERYONE) {
      await cell(`adopted: ${who} tables`, table(blocks[1]!, `Après adoption, ${who}.`, who), MEMBER[who] ? 409 : 403)
      await cell(`adopted: ${who} decides`, post(`/api/amendments/${ghana}/decision`, { decision: 'reject', reason: 'Non.' }, who), DECIDER(who) ? 409 : 403)
      await cell(`adopted: ${who} answers for fr-pp's amendment`, post(`/api/amendments/${a}/response`, { agree: true }, who), OWN[who] ? 409 : 403)
    }
    expect(cells).toBeGreaterThan(700)
  })

  it('a connection that loses its right at a stage move is told at once, and what it sends after is never stored', { timeout: 60_000 }, async () => {
    now = new Date('2026-11-25T09:00:00Z')
    await loginAll()
    const created = await post('/api/resolutions', { title: 'Rights follow the stage', language: 'fr' }, 'secretariat')
    expect(created.status).toBe(201)
    const rid = ((await created.json()) as { id: string }).id
    const at = (path: string) => `/api/resolutions/${rid}${path}`
    expect((await post(at('/languages'), { language: 'en' }, 'secretariat')).status).toBe(201)
    const text = async (language?: string) => (await server.api(at(`/export.md?rule=current${language ? `&language=${language}` : ''}`), { token: tokens['secretariat']! })).text()
    const chair = connect(rid, 'chair')
    const secretariat = connect(rid, 'secretariat')
    const translator = connect(`${rid}/en`, 'translator')
    const delegate = connect(rid, 'delegate')
    await Promise.all([chair.synced, secretariat.synced, translator.synced, delegate.synced])
    const source = (chair.doc.getXmlFragment('body').get(0) as Y.XmlElement).getAttribute('id') as string
    typeInto(delegate.doc, 0, 0, 'Brouillon. ')
    await delegate.saved()
    expect((await post(at('/stage'), { to: 'amendments', deadline: '2026-11-25T10:00:00Z' }, 'secretariat')).status).toBe(200)
    await eventually(() => expect(delegate.denials).toContain('stage: the text cannot be edited directly at this stage'))
    typeInto(delegate.doc, 0, 0, 'markdelegateafteramendmentsopenedmark')
    expect((await post(at('/stage'), { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    typeInto(chair.doc, 0, 0, 'markchairinconsolidationmark')
    translate(translator.doc, source, 'marktranslatorinconsolidationmark')
    await chair.saved()
    await translator.saved()
    const translatorEvents = await listen(`${server.url}${at('/events')}`, tokens['traductrice']!)
    const denialsBefore = { chair: chair.denials.length, secretariat: secretariat.denials.length, translator: translator.denials.length }
    expect((await post(at('/stage'), { to: 'final', confirm: true, acceptOutstandingTranslations: true }, 'steering')).status).toBe(200)
    for (const [name, client] of [['chair', chair], ['secretariat', secretariat], ['translator', translator]] as const) {
      await eventually(() => expect.soft(client.denials.length, `${name} told at the lock`).toBeGreaterThan(denialsBefore[name]))
    }
    typeInto(chair.doc, 0, 0, 'markchairafterthelockmark')
    typeInto(secretariat.doc, 0, 0, 'marksecretariatafterthelockmark')
    translate(translator.doc, source, 'marktranslatorafterthelockmark')
    await sleep(500)
    const [original, version] = [await text(), await text('en')]
    expect(original).toContain('markchairinconsolidationmark')
    expect(version).toContain('marktranslatorinconsolidationmark')
    for (const marker of ['markdelegateafteramendmentsopenedmark', 'markchairafterthelockmark', 'marksecretariatafterthelockmark']) expect.soft(original, marker).not.toContain(marker)
    expect.soft(version).not.toContain('marktranslatorafterthelockmark')
    // "plus a live event with the reason": the translator's only write right (the en version) ended at the lock.
    await sleep(200)
    expect.soft(translatorEvents.events.filter((event) => event.type === 'rights'), 'rights events the translator got').toContainEqual({ type: 'rights', mayEdit: false, reason: 'role', versions: { mayEdit: false, reason: 'stage' } })
    translatorEvents.close()
    const verify = (await (await server.api(at('/verify'))).json()) as { matches: boolean }
    expect.soft(verify.matches).toBe(true)
    const verifyEn = (await (await server.api(at('/verify?language=en'))).json()) as { matches: boolean }
    expect.soft(verifyEn.matches).toBe(true)
  })

  it('a lock the server refuses (409 translations_due) takes no right away: nobody is told "permission denied", and edits typed meanwhile are kept', { timeout: 60_000 }, async () => {
    now = new Date('2026-11-26T09:00:00Z')
    await loginAll()
    const created = await post('/api/resolutions', { title: 'A refused lock', language: 'fr' }, 'secretariat')
    const rid = ((await created.json()) as { id: string }).id
    const at = (path: string) => `/api/resolutions/${rid}${path}`
    expect((await post(at('/languages'), { language: 'en' }, 'secretariat')).status).toBe(201)
    expect((await post(at('/stage'), { to: 'amendments', deadline: '2026-11-26T10:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await post(at('/stage'), { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const chair = connect(rid, 'chair')
    const closes: number[] = []
    chair.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && closes.push(event.code))
    await chair.synced
    typeInto(chair.doc, 0, 0, 'Avant. ')
    await chair.saved()
    const denialsBefore = chair.denials.length
    // The chair keeps typing while the Steering Committee tries to lock; the lock is refused (the en version is untranslated).
    let settled = false
    const lock = post(at('/stage'), { to: 'final', confirm: true }, 'steering').then((response) => ((settled = true), response))
    while (!settled) {
      typeInto(chair.doc, 0, 0, 'x')
      await sleep(1)
    }
    const refused = await lock
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('translations_due')
    typeInto(chair.doc, 0, 0, 'markchairafterrefusedlockmark')
    await sleep(500)
    const stored = await (await server.api(at('/export.md?rule=current'), { token: tokens['secretariat']! })).text()
    expect.soft(chair.denials.slice(denialsBefore), 'permission denied sent to the chair though the stage never changed').toEqual([])
    expect.soft(closes, 'the chair’s socket closed').toEqual([])
    expect.soft(stored, 'the chair’s edit after the refused lock is stored').toContain('markchairafterrefusedlockmark')
  })
})
