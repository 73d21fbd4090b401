import { MAX_AMENDMENTS_PER_DELEGATION } from '@hemicycle/rules'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectError, startTestServer, type TestServer } from './harness.ts'

/** The bound on what one delegation tables to one resolution, over HTTP against the real server and database. */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'julien', 'kwame']) tokens[name] = await server.login(name)
}, 120_000)
afterAll(() => server?.close())

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const table = (as: string, text: string) => post(`/api/resolutions/${server.resolutionId}/amendments`, { kind: 'insertAfter', blockId: null, text, justification: 'Compléter.' }, as)

describe('tabling', () => {
  it(`stops at ${MAX_AMENDMENTS_PER_DELEGATION} amendments of one delegation to one resolution, withdrawn ones counted; other delegations table on`, async () => {
    expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const first = await table('claire', 'Un premier ajout.')
    expect(first.status).toBe(201)
    const { id } = (await first.json()) as { id: string }
    expect((await post(`/api/amendments/${id}/withdraw`, {}, 'claire')).status).toBe(200)
    // All but the last place taken, as copies of the first (withdrawn too) written straight to the database.
    const columns = (await server.hemicycle.services.db.query<{ name: string }>(`select column_name as name from information_schema.columns where table_name = 'amendments' and column_name not in ('id', 'number')`)).map(({ name }) => name)
    await server.hemicycle.services.db.query(
      `insert into amendments (id, number, ${columns.join(', ')}) select $1 || n, 1000 + n, ${columns.join(', ')} from amendments, generate_series(1, $2::int) as n where id = $3`,
      [`copy-`, MAX_AMENDMENTS_PER_DELEGATION - 2, id],
    )
    expect((await table('julien', 'La dernière place.')).status).toBe(201)
    const refused = await expectError(await table('claire', 'Une de trop.'), 409, 'too_many_amendments')
    expect(refused.message).toContain(`${MAX_AMENDMENTS_PER_DELEGATION}`)
    expect((await table('kwame', 'Le Ghana propose.')).status).toBe(201)
    const [{ count }] = (await server.hemicycle.services.db.query<{ count: number }>(`select count(*)::int as count from amendments where delegation_id = 'fr-pp'`)) as [{ count: number }]
    expect(count).toBe(MAX_AMENDMENTS_PER_DELEGATION)
  })
})
