import type { Amendment, Vote } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshStorage, sleep, type Storage } from './harness.ts'
import { apiOf, killHard, seeded, type ServerProcess, spawnServer } from './processes.ts'

/**
 * A vote's close and its consequence are made whole or not at all. The server
 * is SIGKILLed at an instant inside the time a close takes, then restarted on
 * the same data; the vote and the amendment it decides must agree every time.
 * (Before they were one transaction, 12 rounds of 24 left a passed vote with
 * its amendment still tabled.)
 */
const ROUNDS = 12
const VOTERS = ['claire', 'lucia', 'aisyah', 'kwame', 'erik']

describe('a vote close cut short by a crash, on pglite', () => {
  let storage: Storage
  let server: ServerProcess | null = null
  beforeAll(async () => {
    storage = await freshStorage('pglite')
  })
  afterAll(async () => {
    if (server) await killHard(server)
    storage?.remove()
  })

  it(`leaves the vote and the amendment agreeing, ${ROUNDS} times out of ${ROUNDS}`, { timeout: 600_000 }, async () => {
    server = await spawnServer(storage.env)
    let call = apiOf(server).call
    const [draft] = (await (await call('/api/resolutions', 'secretariat')).json()) as Array<{ id: string }>
    const rid = draft!.id
    const mid = 'meeting-kuala-lumpur'
    expect((await call(`/api/resolutions/${rid}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })).status).toBe(200)
    const ids: string[] = []
    for (let round = 0; round <= ROUNDS; round++) {
      const response = await call(`/api/resolutions/${rid}/amendments`, 'claire', { kind: 'insertAfter', blockId: null, text: `Ajout ${round} pour le vote.`, justification: 'Test.' })
      expect(response.status).toBe(201)
      ids.push(((await response.json()) as Amendment).id)
    }
    expect((await call(`/api/resolutions/${rid}/stage`, 'secretariat', { to: 'consolidation' })).status).toBe(200)
    for (const as of VOTERS) expect((await call(`/api/meetings/${mid}/attendance`, 'secretariat', { personId: `person-${as}`, present: true })).status).toBe(200)

    const voteOn = async (amendmentId: string) => {
      const opened = await call(`/api/meetings/${mid}/votes`, 'secretariat', { subject: { kind: 'amendment', amendmentId }, majority: 'simple' })
      expect(opened.status).toBe(201)
      const vote = (await opened.json()) as Vote
      for (const as of VOTERS) expect((await call(`/api/votes/${vote.id}/ballots`, as, { choice: 'yes' })).status).toBe(200)
      return vote.id
    }
    // How long a close takes here, uninterrupted.
    const warm = await voteOn(ids[0]!)
    const started = performance.now()
    expect((await call(`/api/votes/${warm}/close`, 'secretariat', {})).status).toBe(200)
    const span = Math.max(5, performance.now() - started)

    const next = seeded(7)
    const bad: string[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const vid = await voteOn(ids[round]!)
      const delay = Math.floor(next() * span * 1.3)
      const request = call(`/api/votes/${vid}/close`, 'secretariat', {}).then((r) => r.status, () => 'cut')
      await sleep(delay)
      await killHard(server)
      const answered = await request
      server = await spawnServer(storage.env)
      call = apiOf(server).call
      const vote = (await (await call(`/api/votes/${vid}`, 'tomas')).json()) as Vote
      const amendment = (await (await call(`/api/amendments/${ids[round]}`, 'claire')).json()) as Amendment
      const line = `${delay}ms ${answered}: vote ${vote.status}${vote.result ? `/passed=${vote.result.passed}` : ''}, amendment ${amendment.status}`
      const agree = vote.status === 'open' ? amendment.status === 'tabled' : amendment.status === (vote.result!.passed ? 'accepted' : 'rejected')
      if (!agree) bad.push(`round ${round}: ${line}`)
      // Whatever happened, the meeting can go on: a vote still open is closed again.
      if (vote.status === 'open') expect((await call(`/api/votes/${vid}/close`, 'secretariat', {})).status).toBe(200)
    }
    expect(bad).toEqual([])
  })
})
