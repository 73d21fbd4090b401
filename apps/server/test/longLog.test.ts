import type { Redline } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { connectClient, eventually, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'
import { lateness, longResolution } from './eventLoop.ts'

/**
 * A resolution typed into for months has an update log of 100,000 rows and
 * more (a row per person per 200 ms of typing; two people taking turns, a row
 * per frame). Compaction folds their payloads into a snapshot, but each row
 * keeps who inserted, deleted and moved which ids. Reading that log for a
 * redline, or when the text is opened, must not hold the event loop, and so
 * everyone's typing, for seconds: on the embedded database a query runs on
 * the event loop.
 */
const ROWS = 150_000

let server: TestServer
const tokens: Record<string, string> = {}
let id = ''

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'claire', 'tomas']) tokens[name] = await server.login(name)
  id = await longResolution(server, tokens['secretariat']!, 20)
}, 120_000)
afterAll(async () => {
  await server?.close()
})

const redline = async (): Promise<Redline> => {
  const response = await server.api(`/api/resolutions/${id}/redline.json?from=1`, { token: tokens['tomas']! })
  expect(response.status).toBe(200)
  return (await response.json()) as Redline
}
const typedBy = (read: Redline, words: string) => read.blocks.flatMap((block) => block.runs).filter((run) => run.text.includes(words)).map((run) => [run.change, run.authors])

describe('a long update log', () => {
  it('is read for a redline and on opening the text without holding the event loop, and the redline is the same as before it grew', { timeout: 240_000 }, async () => {
    const { db, collab } = server.hemicycle.services
    const claire = connectClient(server.wsUrl, id, tokens['claire']!)
    await claire.synced
    typeInto(claire.doc, 1, 0, 'Avant le long journal. ')
    await claire.saved()
    claire.destroy()
    const before = await redline()
    expect(typedBy(before, 'Avant le long journal.')).toEqual([['insert', ['Parti progressiste (France) · Claire Martin']]])

    // Months of typing and deleting, already compacted: rows with no payload, inserting and deleting ids of their own.
    const [person] = await db.query<{ id: string; delegation_id: string }>("select id, delegation_id from people where username = 'claire'")
    await db.query(
      `insert into doc_updates (resolution_id, document, origin, person_id, delegation_id, inserts, deletes)
       select $1, 'original', 'connection', $2, $3,
              jsonb_build_array(jsonb_build_array(3000000000 + g % 2, g, g + 1)), jsonb_build_array(jsonb_build_array(3000000000 + (g + 1) % 2, g - 1, 1))
       from generate_series(1, ${ROWS}) as g`,
      [id, person!.id, person!.delegation_id],
    )
    // Nobody has the text open: it is unloaded, and opening it reads the log again (whose ids are whose).
    await eventually(() => expect(collab.peek(id)).toBeUndefined(), { timeout: 10_000 })

    // Typed after the long log: its row is read last.
    const later = connectClient(server.wsUrl, id, tokens['claire']!)
    const opening = await lateness(() => later.synced)
    typeInto(later.doc, 2, 0, 'Après le long journal. ')
    await later.saved()
    later.destroy()

    let after: Redline | null = null
    const reading = await lateness(async () => {
      after = await redline()
    })
    console.log(`a log of ${ROWS} more rows: opening the text held the event loop at most ${Math.round(opening)} ms, the redline ${Math.round(reading)} ms`)
    expect(typedBy(after!, 'Après le long journal.')).toEqual([['insert', ['Parti progressiste (France) · Claire Martin']]])
    // The rows' ids are in neither text: the redline reads as it did, but for the words typed since.
    const typed = after!.blocks.findIndex((block) => block.runs.some((run) => run.text.includes('Après le long journal.')))
    expect(after!.blocks.filter((_, index) => index !== typed)).toEqual(before.blocks.filter((_, index) => index !== typed))
    // Read in one go: 683 ms and 3.7 s on the reference machine; paged, 90 to 130 ms each there.
    expect(opening).toBeLessThan(300)
    expect(reading).toBeLessThan(300)
  })

  it('stops being read for a redline whose client went away', { timeout: 120_000 }, async () => {
    const queries = vi.spyOn(server.hemicycle.services.db, 'query')
    const pages = () => queries.mock.calls.filter(([sql]) => /from doc_updates\s+where resolution_id = \$1 and document = 'original' and id > \$2/.test(sql)).length
    try {
      const leaving = new AbortController()
      const asked = fetch(`${server.url}/api/resolutions/${id}/redline.json?from=1`, { headers: { authorization: `Bearer ${tokens['tomas']}` }, signal: leaving.signal }).catch(() => null)
      await eventually(() => expect(pages()).toBeGreaterThan(0), { timeout: 30_000, interval: 1 })
      leaving.abort()
      expect(await asked).toBeNull()
      const read = pages()
      await sleep(1_000)
      // Read to its end, the log is 300 pages.
      expect(pages() - read).toBeLessThan(3)
      expect(pages()).toBeLessThan(ROWS / 500 / 2)
    } finally {
      queries.mockRestore()
    }
  })
})
