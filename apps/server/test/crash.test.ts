import type { Amendment } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, ENGINES, freshStorage, paragraphs, sleep, type Storage } from './harness.ts'
import { apiOf, killHard, type ProcessApi, seeded, type ServerProcess, spawnServer } from './processes.ts'

/**
 * A decision is made whole or not at all: the server is killed (SIGKILL) at
 * a random instant 0–60 ms after a chair asks to accept an amendment, then
 * restarted; the amendment's status and the text must agree every time.
 */
const ROUNDS = 30

/** The live text as a reader connecting now sees it. */
async function textAt(api: ProcessApi, resolutionId: string): Promise<string[]> {
  const token = ((await (await fetch(`${api.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tomas', password: 'demo' }) })).json()) as { token: string }).token
  const reader = connectClient(api.url.replace('http', 'ws'), resolutionId, token)
  await reader.synced
  const text = paragraphs(reader.doc)
  reader.destroy()
  return text
}

describe.each(ENGINES)('a decision cut short by a crash, on %s', (engine) => {
  let storage: Storage
  let server: ServerProcess | null = null
  beforeAll(async () => {
    storage = await freshStorage(engine)
  })
  afterAll(async () => {
    if (server) await killHard(server)
    storage?.remove()
  })

  it(`leaves the amendment's status and the text agreeing, ${ROUNDS} times out of ${ROUNDS}`, { timeout: 600_000 }, async () => {
    server = await spawnServer(storage.env)
    let api = apiOf(server)
    const [draft] = (await (await api.call('/api/resolutions', 'secretariat')).json()) as Array<{ id: string }>
    const id = draft!.id
    expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
    const wordings: string[] = []
    const ids: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // Insertions never conflict with each other, so each can be accepted whatever was accepted before.
      const wording = `Ajout numéro ${round}, déposé pour le test.`
      const response = await api.call(`/api/resolutions/${id}/amendments`, 'claire', { kind: 'insertAfter', blockId: null, text: wording, justification: 'Test.' })
      expect(response.status).toBe(201)
      ids.push(((await response.json()) as Amendment).id)
      wordings.push(wording)
    }
    expect((await api.call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)

    const next = seeded(engine === 'pglite' ? 11 : 12)
    const outcomes: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const delay = Math.floor(next() * 61)
      const request = api.call(`/api/amendments/${ids[round]}/decision`, 'ingrid', { decision: 'accept' }).then(
        (response) => response.status,
        () => 'cut',
      )
      await sleep(delay)
      await killHard(server)
      const answered = await request
      server = await spawnServer(storage.env)
      api = apiOf(server)
      const amendment = (await (await api.call(`/api/amendments/${ids[round]}`, 'claire')).json()) as Amendment
      const text = await textAt(api, id)
      const present = text.filter((paragraph) => paragraph === wordings[round]).length
      outcomes.push(`${delay} ms: ${answered} → ${amendment.status}`)
      expect({ round, delay, status: amendment.status, present }).toEqual({ round, delay, status: amendment.status, present: amendment.status === 'accepted' ? 1 : 0 })
      // Acknowledged means done.
      if (answered === 200) expect(amendment.status).toBe('accepted')
      // A decision that did not happen can be made again.
      if (amendment.status === 'tabled') {
        expect((await api.call(`/api/amendments/${ids[round]}/decision`, 'ingrid', { decision: 'accept' })).status).toBe(200)
        expect((await textAt(api, id)).filter((paragraph) => paragraph === wordings[round])).toHaveLength(1)
      }
    }
    // Which side of the line each crash fell on depends on the machine's speed; both are shown.
    console.info(`crash rounds on ${engine}:`, outcomes.join('; '))
  })
})
