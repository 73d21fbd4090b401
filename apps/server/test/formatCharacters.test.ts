import type { Amendment } from '@hemicycle/protocol'
import { blockIdOf, readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraphs, startTestServer, type TestServer } from './harness.ts'

/**
 * A wording reaches the server without invisible format characters (the
 * protocol takes them out), but the paragraph it rewrites may hold some: the
 * joiner of "👩‍⚖️", a soft hyphen. Accepting an amendment to another word
 * of that paragraph took them out of the text too, unproposed and unseen.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'lucia', 'ingrid']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

const send = async (path: string, body: unknown, as: string, method = 'POST') => {
  const response = await server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
  expect(response.status, await response.clone().text()).toBeLessThan(300)
  return response.json() as Promise<unknown>
}

const JUDGE = '👩\u200d⚖\ufe0f'
const PARAGRAPH = `La juge ${JUDGE} défend la coopération inter\u00adnationale.`

describe('invisible characters of a paragraph an amendment rewrites', () => {
  it('stay in the text when words beside them are amended, accepted as tabled, as modified, or through a compromise', async () => {
    const form = new FormData()
    form.append('file', new File([`---\ntitle: "Invisibles"\nlanguage: fr\n---\n\n${PARAGRAPH}\n\n${PARAGRAPH}\n\n${PARAGRAPH}\n`], 'draft.md'))
    const { id } = (await (await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })).json()) as { id: string }
    const document = await server.hemicycle.services.collab.open(id)
    expect(paragraphs(document.doc)).toEqual([PARAGRAPH, PARAGRAPH, PARAGRAPH])
    const blocks = [0, 1, 2].map((index) => blockIdOf(readBody(document.doc).child(index)))
    await send(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat')
    // As the editor sends it: the paragraph's own text, one word changed.
    const table = async (blockId: string, text: string, as: string) => ((await send(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId, justification: 'Pourquoi.', wording: [[{ text }]] }, as)) as Amendment).id
    const first = await table(blocks[0]!, PARAGRAPH.replace('défend', 'soutient'), 'claire')
    const second = await table(blocks[1]!, PARAGRAPH.replace('défend', 'promeut'), 'lucia')
    const third = await table(blocks[2]!, PARAGRAPH.replace('défend', 'appuie'), 'claire')
    const fourth = await table(blocks[2]!, PARAGRAPH.replace('La juge', 'Notre juge'), 'lucia')
    // Nothing visible changed: still no proposal.
    const same = await server.api(`/api/resolutions/${id}/amendments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'replace', blockId: blocks[0], justification: 'Rien.', wording: [[{ text: PARAGRAPH }]] }),
      token: tokens['lucia']!,
    })
    expect(same.status).toBe(422)
    await send(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat')
    await send(`/api/amendments/${first}/decision`, { decision: 'accept' }, 'ingrid')
    await send(`/api/amendments/${second}/decision`, { decision: 'acceptModified', wording: [[{ text: PARAGRAPH.replace('défend', 'promeut résolument') }]] }, 'ingrid')
    const compromise = (await send(`/api/resolutions/${id}/compromises`, { amendmentIds: [third, fourth], justification: 'Les deux.', wording: [[{ text: PARAGRAPH.replace('La juge', 'Notre juge').replace('défend', 'appuie') }]] }, 'ingrid')) as Amendment
    await send(`/api/amendments/${compromise.id}/decision`, { decision: 'accept' }, 'ingrid')
    // Opened again: with nobody connected the text unloads after UNLOAD_AFTER_MS (200 ms here), and the decisions load it
    // afresh, so the document opened at the start may be one the server has let go of (a loaded machine failed here).
    const decided = await server.hemicycle.services.collab.open(id)
    expect(paragraphs(decided.doc)).toEqual([
      PARAGRAPH.replace('défend', 'soutient'),
      PARAGRAPH.replace('défend', 'promeut résolument'),
      PARAGRAPH.replace('La juge', 'Notre juge').replace('défend', 'appuie'),
    ])
  })
})
