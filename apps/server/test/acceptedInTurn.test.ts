import { blockRuns } from '@hemicycle/amendments'
import { candidateOf, insertedBy, rebasedAgainstText } from '@hemicycle/documents'
import type { Amendment, BulkAcceptance, Preview } from '@hemicycle/protocol'
import type * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, startTestServer, type TestServer } from './harness.ts'

/**
 * Amendments to one paragraph, none colliding with another, accepted one
 * after another: each is read against the text the earlier ones left,
 * through what the paragraph read before and after each of those decisions.
 * Read from the base and today's text alone, a phrase one amendment copied
 * ("aider" → "financer les pays et") took the original's place, and a word
 * another amendment added to the original countries landed on the copy
 * ("financer les pays pauvres et les pays et régions."), with no warning.
 */
let server: TestServer
const tokens: Record<string, string> = {}
let clock = new Date('2026-11-23T09:00:00Z')
const tick = () => (clock = new Date(clock.getTime() + 1000))

const DRAFT = `---
title: "Ordre"
status: PROJET
draft_date: 2019-07-03
language: fr
---

aider les pays et les régions.
`
const WORDINGS = ['financer les pays et les pays et les régions.', 'aider les pays et régions.', 'aider les pays pauvres et les régions.']
// Each amendment's change where it made it: the copy first, "les" taken from the original, "pauvres" on the original.
const EXPECTED = 'financer les pays et les pays pauvres et régions.'

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

async function draftWithAmendments(): Promise<{ resolutionId: string; blockId: string; amendments: Amendment[] }> {
  const form = new FormData()
  form.append('file', new File([DRAFT], 'ordre.md'))
  const imported = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
  expect(imported.status).toBe(201)
  const resolutionId = ((await imported.json()) as { id: string }).id
  const reader = connectClient(server.wsUrl, resolutionId, tokens['claire']!)
  await reader.synced
  const blockId = (reader.doc.getXmlFragment('body').get(0) as Y.XmlElement).getAttribute('id') as string
  reader.destroy()
  expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
  const amendments: Amendment[] = []
  for (const [index, text] of WORDINGS.entries()) {
    tick()
    const response = await post(`/api/resolutions/${resolutionId}/amendments`, { kind: 'replace', blockId, justification: 'Pour le texte.', text }, ['claire', 'lucia', 'kwame'][index]!)
    expect(response.status).toBe(201)
    amendments.push((await response.json()) as Amendment)
  }
  expect((await post(`/api/resolutions/${resolutionId}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)
  return { resolutionId, blockId, amendments }
}

const liveText = (resolutionId: string, blockId: string) =>
  blockRuns(server.hemicycle.services.collab.peek(resolutionId)!.doc, blockId)!
    .map((run) => run.text)
    .join('')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'lucia', 'kwame', 'ingrid']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

describe('amendments accepted in turn around a repeated phrase', () => {
  it('accepted one by one, each word stays where its amendment put it; the preview, the list and a client read it alike', async () => {
    const { resolutionId, blockId, amendments } = await draftWithAmendments()
    for (const amendment of amendments.slice(0, 2)) {
      tick()
      expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    }
    const last = amendments[2]!
    const preview = (await (await server.api(`/api/amendments/${last.id}/preview`, { token: tokens['ingrid']! })).json()) as Preview
    expect(preview.state).toBe('clean')
    expect(preview.text).toBe(EXPECTED)
    const listed = (await (await server.api(`/api/resolutions/${resolutionId}/amendments`, { token: tokens['ingrid']! })).json()) as Amendment[]
    expect(listed.find((amendment) => amendment.id === last.id)!.conflict).toBe(false)
    // A client reads the decisions' rewrites from the list and rebases as the server does (the card's preview).
    expect(listed.filter((amendment) => amendment.status === 'accepted').map((amendment) => amendment.decision?.rewrote?.after.map((run) => run.text).join(''))).toEqual([
      'financer les pays et les pays et les régions.',
      'financer les pays et les pays et régions.',
    ])
    const client = connectClient(server.wsUrl, resolutionId, tokens['ingrid']!)
    await client.synced
    const rebased = rebasedAgainstText(candidateOf(listed.find((amendment) => amendment.id === last.id)!, listed), client.doc, insertedBy(listed))
    client.destroy()
    expect(rebased.state === 'clean' && rebased.wording.map((runs) => runs.map((run) => run.text).join(''))).toEqual([EXPECTED])
    tick()
    expect((await post(`/api/amendments/${last.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    expect(liveText(resolutionId, blockId)).toBe(EXPECTED)
  })

  it('accept non-colliding: its dry run and its run accept all three, to the same text', async () => {
    const { resolutionId, blockId } = await draftWithAmendments()
    const dry = (await (await post(`/api/resolutions/${resolutionId}/amendments/accept-non-colliding?dryRun=1`, {}, 'ingrid')).json()) as BulkAcceptance
    expect(dry.accepted).toHaveLength(3)
    const response = await post(`/api/resolutions/${resolutionId}/amendments/accept-non-colliding`, {}, 'ingrid')
    expect(response.status).toBe(200)
    expect(((await response.json()) as BulkAcceptance).accepted).toHaveLength(3)
    expect(liveText(resolutionId, blockId)).toBe(EXPECTED)
  })
})
