import { readRuns, findBlock, type Run } from '@hemicycle/amendments'
import type { Amendment, BulkAcceptance } from '@hemicycle/protocol'
import { newBlockId } from '@hemicycle/schema'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, eventually, startTestServer, type TestServer, typedOffline } from './harness.ts'

/**
 * The six cases that once gave a wrong text without a word of warning,
 * tabled and decided through the API of a real server, with stock
 * y-websocket clients typing at the same moment.
 */
let server: TestServer
let resolutionId = ''
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const ids: Record<string, string> = {}

const DRAFT = `---
title: "Six cas"
status: PROJET
draft_date: 2019-07-03
language: fr
---

le développement économique et social est notre but.

nous devons agir pour la cohésion.

Elle offre une vision positive de l'avenir.

L'Alliance progressiste offre une vision d'un avenir meilleur.

Nous devons investir dans les têtes pour nourrir tous les talents.
`

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

async function table(as: string, blockId: string, body: Record<string, unknown>): Promise<Amendment> {
  const response = await post(`/api/resolutions/${resolutionId}/amendments`, { kind: 'replace', blockId, justification: 'Pour le texte.', ...body }, as)
  expect(response.status).toBe(201)
  return (await response.json()) as Amendment
}

async function accept(name: string): Promise<Amendment> {
  const response = await post(`/api/amendments/${ids[name]}/decision`, { decision: 'accept' }, 'ingrid')
  expect(response.status).toBe(200)
  return (await response.json()) as Amendment
}

const live = () => server.hemicycle.services.collab.peek(resolutionId)!.doc
const runsOf = (doc: Y.Doc, blockId: string): Run[] => readRuns(findBlock(doc, blockId)!.element)
const textOf = (doc: Y.Doc, blockId: string) => runsOf(doc, blockId).map((run) => run.text).join('')
const blocks: string[] = []

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'julien', 'kwame', 'lucia', 'ingrid', 'erik', 'aisyah']) tokens[name] = await server.login(name)
  const form = new FormData()
  form.append('file', new File([DRAFT], 'six-cas.md'))
  const imported = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
  expect(imported.status).toBe(201)
  resolutionId = ((await imported.json()) as { id: string }).id

  // In the draft, what Markdown cannot say: a bold "L'" before "Alliance", and an empty paragraph at the end.
  const writer = connectClient(server.wsUrl, resolutionId, tokens['claire']!)
  await writer.synced
  const body = writer.doc.getXmlFragment('body')
  writer.doc.transact(() => {
    ;((body.get(3) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { bold: {} })
    const empty = new Y.XmlElement('paragraph')
    empty.setAttribute('id', newBlockId())
    body.insert(body.length, [empty])
  })
  await writer.saved()
  body.forEach((element) => blocks.push((element as Y.XmlElement).getAttribute('id') as string))
  writer.destroy()
  expect(blocks).toHaveLength(6)

  expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
  const wording = (...runs: Run[]) => ({ wording: [runs] })
  ids['durableAndCapital'] = (await table('claire', blocks[0]!, { text: 'Le développement durable économique et social est notre but.' })).id
  ids['durable'] = (await table('lucia', blocks[0]!, { text: 'le développement durable économique et social est notre but.' })).id
  ids['vite'] = (await table('kwame', blocks[1]!, { text: 'Nous devons vite agir pour la cohésion.' })).id
  ids['ensemble'] = (await table('erik', blocks[1]!, { text: 'nous devons ensemble agir pour la cohésion.' })).id
  ids['perspective'] = (await table('aisyah', blocks[2]!, { text: "Elle offre une perspective positive de l'avenir." })).id
  ids['ambitieuse'] = (await table('julien', blocks[2]!, { text: "Elle offre une vision ambitieuse de l'avenir." })).id
  const bold = (text: string): Run => ({ text, bold: true })
  ids['radieux'] = (await table('claire', blocks[3]!, wording(bold("L'"), { text: "Alliance progressiste offre une vision d'un avenir radieux." }))).id
  ids['progressisteBold'] = (await table('lucia', blocks[3]!, wording(bold("L'"), { text: 'Alliance ' }, bold('progressiste'), { text: " offre une vision d'un avenir meilleur." }))).id
  ids['autour'] = (await table('kwame', blocks[4]!, { text: 'Nous devons investir dans nos têtes afin de nourrir tous les talents.' })).id
  ids['rempli'] = (await table('erik', blocks[5]!, { text: 'Texte adopté et complété.' })).id
  expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
})
afterAll(() => server?.close())

const offline = (as: string, type: (doc: Y.Doc) => void, meanwhile: () => Promise<void>) => typedOffline(server.wsUrl, resolutionId, tokens[as]!, type, meanwhile)

describe('decisions through the API, against the six cases that once went wrong', () => {
  it('keeps what someone typed right after a word the amendment rewrites around', async () => {
    const typist = await offline(
      'secretariat',
      (doc) => ((findBlock(doc, blocks[4]!)!.element.get(0) as Y.XmlText).insert('Nous devons investir dans les têtes'.length, ' bien faites')),
      async () => void (await accept('autour')),
    )
    await eventually(() => expect(textOf(live(), blocks[4]!)).toBe('Nous devons investir dans nos têtes bien faites afin de nourrir tous les talents.'))
    expect(textOf(typist.doc, blocks[4]!)).toBe(textOf(live(), blocks[4]!))
    typist.destroy()
  })

  it('keeps both the amendment and what someone typed into the empty paragraph it fills, whole, in one text', async () => {
    const typist = await offline(
      'secretariat',
      (doc) => (findBlock(doc, blocks[5]!)!.element.get(0) as Y.XmlText).insert(0, 'Brouillon'),
      async () => void (await accept('rempli')),
    )
    await eventually(() => expect(['BrouillonTexte adopté et complété.', 'Texte adopté et complété.Brouillon']).toContain(textOf(live(), blocks[5]!)))
    expect(findBlock(live(), blocks[5]!)!.element.toArray().filter((child) => child instanceof Y.XmlText)).toHaveLength(1)
    typist.destroy()
  })

  it('accepts every amendment that touches no other, applies the same insertion once, and leaves touching ones to the chair', async () => {
    // Meanwhile the chair bolds "progressiste" by hand, as one tabled amendment also does.
    const chair = connectClient(server.wsUrl, resolutionId, tokens['ingrid']!)
    await chair.synced
    ;(findBlock(chair.doc, blocks[3]!)!.element.get(0) as Y.XmlText).format("L'Alliance ".length, 'progressiste'.length, { bold: {} })
    await chair.saved()
    chair.destroy()

    const response = await post(`/api/resolutions/${resolutionId}/amendments/accept-non-colliding`, {}, 'ingrid')
    expect(response.status).toBe(200)
    const result = (await response.json()) as BulkAcceptance
    expect(new Set(result.accepted)).toEqual(new Set([ids['durableAndCapital'], ids['durable'], ids['radieux'], ids['progressisteBold']]))
    expect(new Set(result.skipped.map(({ id, reason }) => `${id}:${reason}`))).toEqual(
      new Set(['vite', 'ensemble', 'perspective', 'ambitieuse'].map((name) => `${ids[name]}:colliding`)),
    )

    const doc = live()
    expect(textOf(doc, blocks[0]!)).toBe('Le développement durable économique et social est notre but.')
    expect(textOf(doc, blocks[1]!)).toBe('nous devons agir pour la cohésion.')
    expect(textOf(doc, blocks[2]!)).toBe("Elle offre une vision positive de l'avenir.")
    expect(runsOf(doc, blocks[3]!)).toEqual([
      { text: "L'", bold: true },
      { text: 'Alliance ' },
      { text: 'progressiste', bold: true },
      { text: " offre une vision d'un avenir radieux." },
    ])
  })

  it('refuses to accept one of two rival insertions after the other, and says why', async () => {
    await accept('vite')
    const response = await post(`/api/amendments/${ids['ensemble']}/decision`, { decision: 'accept' }, 'ingrid')
    expect(response.status).toBe(409)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('conflict')
    expect(textOf(live(), blocks[1]!)).toBe('Nous devons vite agir pour la cohésion.')
    const neighbour = await post(`/api/amendments/${ids['ambitieuse']}/decision`, { decision: 'accept' }, 'ingrid')
    expect(neighbour.status).toBe(200)
    expect((await post(`/api/amendments/${ids['perspective']}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(409)
  })

  it('never writes markup as text, in the live text or in its export', async () => {
    const markdown = await (await server.api(`/api/resolutions/${resolutionId}/export.md`, { token: tokens['ingrid']! })).text()
    expect(markdown).toContain('radieux')
    // Loaded again if it was unloaded meanwhile (nobody connected): an export need not keep it open.
    const { doc } = await server.hemicycle.services.collab.open(resolutionId)
    for (const blockId of blocks) expect(textOf(doc, blockId)).not.toMatch(/\*|_/)
  })
})
