/**
 * Write rights that come back. A lock the server refuses (409
 * `translations_due`) must leave the rights of the stage it never left:
 * CONTRACT.md, "Write rights", consolidation: chairs and the secretariat edit
 * the text directly. And a connection whose changes were refused while it
 * could not write is asked to reconnect once it may write again, so its next
 * changes, which build on the refused ones, are not refused in turn.
 */
import { CloseCode } from '@hemicycle/protocol'
import { afterAll, describe, expect, it } from 'vitest'
import type { Database } from '../src/db/database.ts'
import { type Client, connectClient, eventually, memoryDatabase, sleep, slowed, startTestServer, type TestServer, typeInto } from './harness.ts'

let server: TestServer
let db: Database & { delayMs: number }
const clients: Client[] = []
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
  await db?.close()
})

const post = (path: string, body: unknown, token: string) =>
  server.api(`/api/resolutions/${server.resolutionId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })
const exported = async (token: string) => (await server.api(`/api/resolutions/${server.resolutionId}/export.md?rule=current`, { token })).text()

describe('write rights', () => {
  it('are never taken by a refused lock: the chair typing meanwhile is neither told "permission denied" nor loses what it typed', { timeout: 60_000 }, async () => {
    // A database answering 40 ms late (a networked PostgreSQL under load) widens the lock's window.
    db = slowed(await memoryDatabase())
    server = await startTestServer({ LOG_LEVEL: 'silent' }, { db })
    const [secretariat, mateo, ingrid] = [await server.login('secretariat'), await server.login('mateo'), await server.login('ingrid')]
    expect((await post('/languages', { language: 'en' }, secretariat)).status).toBe(201)
    expect((await post('/stage', { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, secretariat)).status).toBe(200)
    expect((await post('/stage', { to: 'consolidation' }, secretariat)).status).toBe(200)

    const chair = connectClient(server.wsUrl, server.resolutionId, ingrid)
    clients.push(chair)
    const closes: Array<{ code: number; reason: string }> = []
    chair.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && closes.push({ code: event.code, reason: event.reason }))
    await chair.synced
    typeInto(chair.doc, 0, 0, 'Avant ')
    await chair.saved()
    const denialsBefore = chair.denials.length

    db.delayMs = 40
    let settled = false
    const lock = post('/stage', { to: 'final', confirm: true }, mateo).then((response) => ((settled = true), response))
    let typed = 0
    while (!settled) {
      typeInto(chair.doc, 0, 0, 'x')
      typed += 1
      await sleep(5)
    }
    const refused = await lock
    db.delayMs = 0
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('translations_due')

    typeInto(chair.doc, 0, 0, 'markafterthelockwasrefusedmark ')
    await sleep(1000)
    const stored = await exported(secretariat)
    const storedX = /(x*)Avant/.exec(stored.replace('markafterthelockwasrefusedmark ', ''))?.[1]?.length ?? 0
    expect.soft(chair.denials.slice(denialsBefore), 'permission denied told to a chair at consolidation, whose stage never changed').toEqual([])
    expect.soft(closes, 'the chair’s socket closed').toEqual([])
    expect.soft({ typed, stored: storedX }, 'keystrokes typed during the refused lock, and stored').toEqual({ typed, stored: typed })
    expect.soft(stored, 'the chair’s edit after the refused lock is stored').toContain('markafterthelockwasrefusedmark')
  })

  it('given back close a socket whose changes were refused meanwhile, which reconnects and writes again', { timeout: 60_000 }, async () => {
    const [secretariat, mateo, ingrid] = [await server.login('secretariat'), await server.login('mateo'), await server.login('ingrid')]
    expect((await post('/stage', { to: 'final', confirm: true, acceptOutstandingTranslations: true }, mateo)).status).toBe(200)
    // A stock client of the chair, at the lock: what it types is refused.
    const chair = connectClient(server.wsUrl, server.resolutionId, ingrid)
    clients.push(chair)
    const closes: number[] = []
    chair.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && closes.push(event.code))
    await chair.synced
    typeInto(chair.doc, 0, 0, 'typedwhilelocked ')
    await eventually(() => expect(chair.denials.length).toBeGreaterThan(0))

    // The Steering Committee takes the text back: the chair may write again, and is asked to reconnect.
    expect((await post('/stage', { to: 'consolidation', reason: 'Une correction.' }, mateo)).status).toBe(200)
    await eventually(() => expect(closes).toContain(CloseCode.WriteRestored))
    await eventually(() => expect(chair.provider.wsconnected).toBe(true))
    await chair.synced
    typeInto(chair.doc, 0, 0, 'typedonceback ')
    await chair.saved()
    expect(closes).not.toContain(CloseCode.BadMessage)
    expect(await exported(secretariat)).toContain('typedonceback typedwhilelocked ')
  })
})
