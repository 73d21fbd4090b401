import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, eventually, expectError, paragraphs, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'
import { listen } from './sse.ts'

let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'ingrid', 'mateo', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

const stage = (body: Record<string, unknown>, as: string) =>
  server.api(`/api/resolutions/${server.resolutionId}/stage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    token: tokens[as]!,
  })

describe('the procedure on the server', () => {
  it('walks a resolution from PROJET to adopted, refusing every move out of turn', async () => {
    const sse = await listen(`${server.url}/api/resolutions/${server.resolutionId}/events`, tokens['claire']!)
    const delegate = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
    await delegate.synced
    await eventually(() => expect(sse.events[0]).toEqual({ type: 'rights', mayEdit: true, reason: null, versions: { mayEdit: false, reason: 'role' } }))

    await expectError(await stage({ to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'claire'), 403, 'forbidden')
    await expectError(await stage({ to: 'amendments' }, 'secretariat'), 400, 'deadline_required')
    await expectError(await stage({ to: 'final', confirm: true }, 'mateo'), 409, 'invalid_transition')
    const opened = await stage({ to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')
    expect(opened.status).toBe(200)
    expect(await opened.json()).toMatchObject({ stage: 'amendments', deadline: '2026-11-30T17:00:00.000Z', stamp: { label: 'PROJET' } })

    // The delegate's open connection loses its right at once, and its edits go nowhere.
    await eventually(() => expect(delegate.denials).toContain('stage: the text cannot be edited directly at this stage'))
    await eventually(() => expect(sse.events).toContainEqual({ type: 'rights', mayEdit: false, reason: 'stage', versions: { mayEdit: false, reason: 'role' } }))
    expect(sse.events.some((event) => event.type === 'stage' && event.resolution.stage === 'amendments')).toBe(true)
    const before = paragraphs(delegate.doc)[0]
    typeInto(delegate.doc, 0, 0, 'too late ')
    await sleep(200)
    const reader = connectClient(server.wsUrl, server.resolutionId, tokens['tomas']!)
    await reader.synced
    expect(paragraphs(reader.doc)[0]).toBe(before)

    await expectError(await stage({ to: 'draft' }, 'mateo'), 400, 'reason_required')
    await expectError(await stage({ to: 'consolidation' }, 'ingrid'), 403, 'forbidden')
    expect((await stage({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    await expectError(await stage({ to: 'final' }, 'mateo'), 400, 'confirmation_required')
    await expectError(await stage({ to: 'final', confirm: true }, 'secretariat'), 403, 'forbidden')
    expect((await stage({ to: 'final', confirm: true }, 'mateo')).status).toBe(200)
    await expectError(await stage({ to: 'adopted' }, 'secretariat'), 400, 'adoption_body_required')
    const adopted = await stage({ to: 'adopted', adoptedBy: 'Council', adoptedAt: '2019-08-31', event: '31 août 2019, Kuala Lumpur' }, 'secretariat')
    expect(await adopted.json()).toMatchObject({
      stage: 'adopted',
      stamp: { label: 'ADOPTÉE', date: '2019-08-31' },
      adoption: { by: 'Council', at: '2019-08-31', event: '31 août 2019, Kuala Lumpur' },
    })
    await expectError(await stage({ to: 'final', reason: 'oops' }, 'mateo'), 409, 'invalid_transition')

    const versions = (await (await server.api(`/api/resolutions/${server.resolutionId}/versions`, { token: tokens['claire']! })).json()) as Array<{ id: number; stage: string }>
    expect(versions.map((version) => [version.id, version.stage])).toEqual([
      [1, 'draft'],
      [2, 'amendments'],
      [3, 'consolidation'],
      [4, 'final'],
      [5, 'adopted'],
    ])
    const audit = (await (await server.api(`/api/resolutions/${server.resolutionId}/audit`, { token: tokens['secretariat']! })).json()) as Array<{ action: string; person: string }>
    expect(audit.map((entry) => entry.action)).toEqual(['import', 'stage', 'stage', 'lock', 'stage'])
    await expectError(await server.api(`/api/resolutions/${server.resolutionId}/audit`, { token: tokens['claire']! }), 403, 'forbidden')
    const csv = await (await server.api('/api/audit?format=csv', { token: tokens['secretariat']! })).text()
    expect(csv.split('\r\n')[0]).toBe('id,at,person,delegation,action,resolution,detail')
    expect(csv).toContain(',login,')
    sse.close()
    delegate.destroy()
    reader.destroy()
  })
})

describe('the lock', () => {
  it('refuses every edit afterwards, keeps the stored text byte for byte as locked, and verify says so', async () => {
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "Lock test"\nlanguage: en\n---\n\nFirst paragraph.\n\nSecond paragraph.\n'], 'lock.md'))
    const created = (await (await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })).json()) as { id: string }
    const move = (body: Record<string, unknown>, as: string) =>
      server.api(`/api/resolutions/${created.id}/stage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
    expect((await move({ to: 'amendments', deadline: '2026-12-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)

    const chair = connectClient(server.wsUrl, created.id, tokens['ingrid']!)
    await chair.synced
    let typing = true
    let typed = 0
    const keepTyping = (async () => {
      while (typing) {
        typeInto(chair.doc, 1, 0, 'x')
        typed += 1
        await sleep(5)
      }
    })()
    await sleep(150)
    expect((await move({ to: 'final', confirm: true }, 'mateo')).status).toBe(200)
    const lockedVersion = (await (await server.api(`/api/resolutions/${created.id}/versions/4`, { token: tokens['claire']! })).json()) as { markdown: string; stage: string }
    expect(lockedVersion.stage).toBe('final')
    await eventually(() => expect(chair.denials.length).toBeGreaterThan(0))
    await sleep(300)
    typing = false
    await keepTyping
    expect(typed).toBeGreaterThan(20)

    const document = server.hemicycle.services.collab.peek(created.id)!
    await server.hemicycle.services.collab.store(document)
    const exported = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: tokens['claire']! })).text()
    expect(exported.slice(exported.indexOf('---\n\n', 4) + 5)).toBe(lockedVersion.markdown)
    const verify = (await (await server.api(`/api/resolutions/${created.id}/verify`)).json()) as { stage: string; hash: string; matches: boolean }
    expect(verify).toMatchObject({ stage: 'final', matches: true })
    expect(verify.hash).toMatch(/^[0-9a-f]{64}$/)
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(lockedVersion.markdown).digest('hex')).toBe(verify.hash)

    // What the chair typed after the lock is nowhere, not in memory, not in storage.
    const fresh = connectClient(server.wsUrl, created.id, tokens['tomas']!)
    await fresh.synced
    expect(`${paragraphs(fresh.doc).join('\n\n')}\n`).toBe(lockedVersion.markdown)
    chair.destroy()
    fresh.destroy()
  })
})
