import type { Amendment, BulkAcceptance } from '@hemicycle/protocol'
import { newBlockId } from '@hemicycle/schema'
import { findBlock } from '@hemicycle/amendments'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, freshStorage, paragraphs, sleep, type Storage } from './harness.ts'
import { apiOf, killHard, type ProcessApi, seeded, type ServerProcess, spawnServer } from './processes.ts'

/**
 * Decisions other than a single accept cut short by SIGKILL: a bulk
 * acceptance of 20 amendments, a reset. After a restart on the same data,
 * every amendment's status agrees with the stored text, and the lock's hash
 * matches.
 */
async function textAt(api: ProcessApi, resolutionId: string): Promise<string[]> {
  const reader = connectClient(api.url.replace('http', 'ws'), resolutionId, await api.token('tomas'))
  await reader.synced
  const text = paragraphs(reader.doc)
  reader.destroy()
  return text
}

async function importDraft(api: ProcessApi, texts: string[]): Promise<{ id: string; blocks: string[] }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Crash ${Math.random()}"\nlanguage: fr\n---\n\n${texts.join('\n\n')}\n`], 'draft.md'))
  const response = await fetch(`${api.url}/api/resolutions/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await api.token('secretariat')}` } })
  expect(response.status).toBe(201)
  const { id } = (await response.json()) as { id: string }
  const reader = connectClient(api.url.replace('http', 'ws'), id, await api.token('tomas'))
  await reader.synced
  const blocks: string[] = []
  reader.doc.getXmlFragment('body').forEach((element) => blocks.push((element as Y.XmlElement).getAttribute('id') as string))
  reader.destroy()
  return { id, blocks }
}

const DELEGATES = ['claire', 'kwame', 'lucia', 'erik', 'aisyah', 'hafiz', 'julien']
const N = 20

/** What each amendment says, and how to tell from the text whether it is in. */
function plan(i: number): { body: Record<string, unknown>; inText: (text: string[]) => boolean; outOfText: (text: string[]) => boolean } {
  const initial = `Paragraphe ${i} initial.`
  switch (i % 3) {
    case 0:
      return {
        body: { kind: 'replace', text: `Paragraphe ${i} amendé.` },
        inText: (t) => t.includes(`Paragraphe ${i} amendé.`) && !t.includes(initial),
        outOfText: (t) => t.includes(initial) && !t.includes(`Paragraphe ${i} amendé.`),
      }
    case 1:
      return {
        body: { kind: 'insertAfter', text: `Ajout après ${i}.` },
        inText: (t) => t.filter((p) => p === `Ajout après ${i}.`).length === 1 && t.indexOf(`Ajout après ${i}.`) === t.indexOf(initial) + 1,
        outOfText: (t) => !t.includes(`Ajout après ${i}.`),
      }
    default:
      return { body: { kind: 'delete' }, inText: (t) => !t.includes(initial), outOfText: (t) => t.includes(initial) }
  }
}

async function agreeing(api: ProcessApi, id: string, ids: string[]): Promise<string[]> {
  const text = await textAt(api, id)
  const problems: string[] = []
  for (let i = 0; i < N; i++) {
    const amendment = (await (await api.call(`/api/amendments/${ids[i]}`, 'claire')).json()) as Amendment
    const { inText, outOfText } = plan(i)
    if (amendment.status === 'accepted' && !inText(text)) problems.push(`A${i + 1} accepted, not in the text`)
    if (amendment.status === 'tabled' && !outOfText(text)) problems.push(`A${i + 1} tabled, in the text`)
    if (!['accepted', 'tabled'].includes(amendment.status)) problems.push(`A${i + 1} ${amendment.status}`)
  }
  return problems
}

describe('bulk acceptance and resets cut short by SIGKILL (pglite)', () => {
  let storage: Storage
  let server: ServerProcess | null = null
  beforeAll(async () => {
    storage = await freshStorage('pglite')
  })
  afterAll(async () => {
    if (server) await killHard(server)
    storage?.remove()
  })

  /** Sends `request`, kills the server `afterMs` later whatever it answered, and starts it again on the same data. */
  async function cutShort(request: () => Promise<Response>, afterMs: number): Promise<ProcessApi> {
    const sent = request().catch(() => null)
    await sleep(afterMs)
    await killHard(server!)
    await sent
    server = await spawnServer(storage.env)
    return apiOf(server)
  }

  it('leave every amendment’s status agreeing with the text, and the lock’s hash matching', { timeout: 600_000 }, async () => {
    server = await spawnServer(storage.env)
    let api = apiOf(server)
    const next = seeded(7)
    for (let round = 0; round < 2; round++) {
      const { id, blocks } = await importDraft(api, Array.from({ length: N }, (_, i) => `Paragraphe ${i} initial.`))
      expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
      const ids: string[] = []
      for (let i = 0; i < N; i++) {
        const response = await api.call(`/api/resolutions/${id}/amendments`, DELEGATES[i % DELEGATES.length]!, { blockId: blocks[i], justification: 'Test.', ...plan(i).body })
        expect(response.status).toBe(201)
        ids.push(((await response.json()) as Amendment).id)
      }
      expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)

      // The bulk acceptance, killed part-way.
      const delay = 20 + Math.floor(next() * 400)
      api = await cutShort(() => api.call(`/api/resolutions/${id}/amendments/accept-non-colliding`, 'ingrid', {}), delay)
      expect({ round, after: 'bulk', problems: await agreeing(api, id, ids) }).toEqual({ round, after: 'bulk', problems: [] })

      // Finish, then reset one after another with a kill part-way through a reset.
      const rest = (await (await api.call(`/api/resolutions/${id}/amendments/accept-non-colliding`, 'ingrid', {})).json()) as BulkAcceptance
      expect(rest.skipped).toEqual([])
      const target = ids[Math.floor(next() * N)]!
      const resetDelay = Math.floor(next() * 120)
      api = await cutShort(() => api.call(`/api/amendments/${target}/reset`, 'secretariat', { reason: 'Erreur.' }), resetDelay)
      expect({ round, after: 'reset', problems: await agreeing(api, id, ids) }).toEqual({ round, after: 'reset', problems: [] })

      expect((await api.call(`/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true, acceptOutstandingAmendments: true })).status).toBe(200)
      const verify = (await (await api.call(`/api/resolutions/${id}/verify`, null)).json()) as { matches: boolean }
      expect(verify.matches).toBe(true)
    }
  })

  it.each(['1000', '50'])('keeps an accepted insertion in the text after a crash, when a chair had just added a paragraph next to it (PERSIST_INTERVAL_MS=%s)', { timeout: 120_000 }, async (interval) => {
    // The chair's paragraph is not stored yet when the decision is (1000: the largest bound allowed; 50: the default).
    if (server) await killHard(server)
    const env = { ...storage.env, PERSIST_INTERVAL_MS: interval }
    server = await spawnServer(env)
    let api = apiOf(server)
    const { id, blocks } = await importDraft(api, ['Premier paragraphe.', 'Dernier paragraphe.'])
    expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
    const tabled = (await (await api.call(`/api/resolutions/${id}/amendments`, 'claire', { kind: 'insertAfter', blockId: blocks[0], text: 'Paragraphe ajouté par A1.', justification: 'Test.' })).json()) as Amendment
    expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)

    const chair = connectClient(server.url.replace('http', 'ws'), id, await api.token('ingrid'))
    await chair.synced
    chair.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', newBlockId())
      const text = new Y.XmlText()
      text.insert(0, 'Note de la présidence.')
      paragraph.insert(0, [text])
      const at = findBlock(chair.doc, blocks[0]!)!
      at.parent.insert(at.index + 1, [paragraph])
    })
    await sleep(interval === '50' ? 5 : 50)
    const decided = await api.call(`/api/amendments/${tabled.id}/decision`, 'ingrid', { decision: 'accept' })
    expect(decided.status).toBe(200)
    chair.provider.disconnect()
    chair.destroy()
    await killHard(server)

    server = await spawnServer(env)
    api = apiOf(server)
    const amendment = (await (await api.call(`/api/amendments/${tabled.id}`, 'claire')).json()) as Amendment
    const text = await textAt(api, id)
    expect({ status: amendment.status, text }).toEqual({ status: 'accepted', text: expect.arrayContaining(['Paragraphe ajouté par A1.']) })
  })
})
