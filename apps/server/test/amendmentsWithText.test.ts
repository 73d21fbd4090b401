import type { Amendment } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../src/db/database.ts'
import { readBooklet } from '../src/documents/booklet.ts'
import { findResolution } from '../src/resolutions/repository.ts'
import { memoryDatabase, paragraphs, readBlocks, startTestServer, type TestServer } from './harness.ts'

/**
 * The list of amendments and the booklet read each tabled amendment against
 * the text. A decision stores its row and its change to the text together,
 * then applies the change to the live text: amendment rows read just before
 * a decision, with the text read just after it, showed the accepted
 * amendment as still tabled, beside a text that already held it (and read
 * its words against themselves). Here the rows' answer is held back, as a
 * slow answer from PostgreSQL would be, while the decision is taken.
 */

/** The database, with the next read of a resolution's amendment rows run at once but answered only when `release` is called. */
function holdingRows(db: Database) {
  let armed = false
  let release: () => void = () => {}
  let reached: () => void = () => {}
  const held = { reached: Promise.resolve(), release: () => release() }
  const query = async <Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> => {
    const rows = await db.query<Row>(sql, params)
    if (armed && /from amendments where resolution_id = \$1 order by number/.test(sql)) {
      armed = false
      reached()
      await new Promise<void>((resolve) => (release = resolve))
    }
    return rows
  }
  return {
    db: { ...db, query } as Database,
    /** Holds the next read of the rows; `reached` resolves once it has been read (and is being held). */
    hold() {
      armed = true
      held.reached = new Promise<void>((resolve) => (reached = resolve))
      return held
    },
  }
}

let server: TestServer
let raw: Database
let rows: ReturnType<typeof holdingRows>
const tokens: Record<string, string> = {}
let blocks: string[] = []
let texts: string[] = []

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

beforeAll(async () => {
  raw = await memoryDatabase()
  rows = holdingRows(raw)
  server = await startTestServer({ LOG_LEVEL: 'error', UNLOAD_AFTER_MS: '30000' }, { db: rows.db })
  for (const name of ['secretariat', 'claire', 'ingrid', 'tomas']) tokens[name] = await server.login(name)
  ;({ blocks, texts } = await readBlocks(server.wsUrl, server.resolutionId, tokens['tomas']!))
  expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
})
afterAll(async () => {
  await server?.close()
  await raw?.close()
})

/** Tables a change of a paragraph's words (during amendments). */
async function tabled(index: number, from: string, to: string): Promise<Amendment> {
  expect(texts[index]).toContain(from)
  const response = await post(`/api/resolutions/${server.resolutionId}/amendments`, { kind: 'replace', blockId: blocks[index], text: texts[index]!.replace(from, to), justification: 'Pourquoi pas.' }, 'claire')
  expect(response.status).toBe(201)
  return (await response.json()) as Amendment
}

const accept = async (amendment: Amendment) => expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)

it('the list never shows an amendment as tabled beside a text that holds it: a decision between the two reads is read again', async () => {
  const first = await tabled(6, 'progrès social', 'progrès social durable')
  const second = await tabled(7, 'économie mondiale', 'économie mondiale et locale')
  const third = await tabled(8, 'la base', 'la seule base')
  expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'consolidation' }, 'secretariat')).status).toBe(200)

  const held = rows.hold()
  const listed = server.api(`/api/resolutions/${server.resolutionId}/amendments`, { token: tokens['tomas']! })
  await held.reached
  await accept(first)
  held.release()
  const list = (await (await listed).json()) as Amendment[]
  expect(list.find((amendment) => amendment.id === first.id)?.status).toBe('accepted')
  expect(list.find((amendment) => amendment.id === second.id)?.status).toBe('tabled')
  expect(list.find((amendment) => amendment.id === third.id)?.status).toBe('tabled')

  // One amendment asked for alone: the same.
  const asked = rows.hold()
  const one = server.api(`/api/amendments/${third.id}`, { token: tokens['tomas']! })
  await asked.reached
  await accept(third)
  asked.release()
  expect(((await (await one).json()) as Amendment).status).toBe('accepted')

  // The booklet reads the rows, then the text, on the way to its export thread: the same.
  const resolution = (await findResolution(raw, server.resolutionId))!
  const booklet = rows.hold()
  const reading = readBooklet(server.hemicycle.services, resolution, {})
  await booklet.reached
  await accept(second)
  booklet.release()
  const { unread, text } = await reading
  expect(unread.amendments.find((amendment) => amendment.id === second.id)?.status).toBe('accepted')
  expect(unread.tabled.map((candidate) => candidate.id)).toEqual([])
  // The text is read all the same, as of the same moment: each entry is placed and cited where its paragraph stands now.
  expect(text).not.toBeNull()
  const live = paragraphs(server.hemicycle.services.collab.peek(server.resolutionId)!.doc)
  expect(live[7]).toContain('économie mondiale et locale')
  expect(live[6]).toContain('progrès social durable')
}, 60_000)
