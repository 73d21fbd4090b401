import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment, Meeting, Resolution, Vote } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, ok, startTestServer, type TestServer } from './harness.ts'

// 17:30 in UTC is 01:30 the next day in Kuala Lumpur, where the meeting sits.
const LATE = '2019-08-30T17:30:00Z'
let server: TestServer
let clock = new Date('2019-08-29T09:00:00Z')
const tokens: Record<string, string> = {}
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-dates-'))
const post = async (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const send = (method: string, path: string, body: unknown) =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens['secretariat']! })
const download = async (path: string) => new Uint8Array(await (await server.api(path, { token: tokens['claire']! })).arrayBuffer())

function pdfText(pdf: Uint8Array): string {
  expect(strFromU8(pdf.slice(0, 5))).toBe('%PDF-')
  const path = join(workdir, `booklet-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0]+/g, ' ')
}

async function loginAll() {
  for (const name of ['secretariat', 'claire', 'lucia', 'mateo', 'kwame', 'ingrid']) tokens[name] = await server.login(name)
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  await loginAll()
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

describe('the dates of decisions in the record', () => {
  it('are the days they were taken where the meeting sits, as the adoption beside them is, not the day in UTC', async () => {
    const client = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
    await client.synced
    const blocks: string[] = []
    readBody(client.doc).forEach((node) => void blocks.push(node.attrs['id'] as string))
    client.destroy()
    const id = server.resolutionId
    await ok(await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2019-08-30T08:00:00Z' }, 'secretariat'))
    const table = async (blockId: string, text: string) =>
      ok<Amendment>(await post(`/api/resolutions/${id}/amendments`, { kind: 'replace', blockId, text, justification: 'Plus juste.' }, 'claire'), 201)
    const voted = await table(blocks[2]!, 'Le socialisme et la social-démocratie ont toujours été les forces de la justice sociale.')
    const byHand = await table(blocks[3]!, 'Ce n’est pas une tâche facile.')
    clock = new Date('2019-08-30T09:00:00Z')
    await loginAll()
    await ok(await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))

    // A second, short resolution on the same agenda, locked, for an adoption recorded by hand.
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "On the climate"\nlanguage: en\n---\n\nWe act now.\n'], 'climate.md'))
    const small = ((await (await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })).json()) as Resolution).id
    for (const [to, as] of [['amendments', 'secretariat'], ['consolidation', 'secretariat'], ['final', 'mateo']] as const) {
      await ok(await post(`/api/resolutions/${small}/stage`, { to, deadline: '2019-08-30T10:00:00Z', confirm: true }, as))
    }
    const meeting = await ok<Meeting>(
      await post('/api/meetings', { kind: 'council', title: 'Council', place: 'Kuala Lumpur', startsAt: '2019-08-30', endsAt: '2019-08-31', timeZone: 'Asia/Kuala_Lumpur', resolutionIds: [id, small] }, 'secretariat'),
      201,
    )
    for (const [delegation, voting] of [['fr-pp', 'claire'], ['cl-psp', 'lucia'], ['gh-sdp', 'kwame']] as const) {
      await ok(await send('PUT', `/api/meetings/${meeting.id}/roll/${delegation}`, { votingId: `person-${voting}` }))
      await ok(await post(`/api/meetings/${meeting.id}/attendance`, { personId: `person-${voting}`, present: true }, 'secretariat'))
    }
    const vote = async (subject: unknown) => {
      const opened = await ok<Vote>(await post(`/api/meetings/${meeting.id}/votes`, { subject, majority: 'simple' }, 'secretariat'), 201)
      for (const name of ['claire', 'lucia', 'kwame']) await ok(await post(`/api/votes/${opened.id}/ballots`, { choice: 'yes' }, name))
      return opened
    }
    const onAmendment = await vote({ kind: 'amendment', amendmentId: voted.id })

    // The sitting runs past midnight in Kuala Lumpur.
    clock = new Date(LATE)
    await loginAll()
    await ok(await post(`/api/votes/${onAmendment.id}/close`, {}, 'secretariat'))
    expect((await (await server.api(`/api/amendments/${voted.id}`, { token: tokens['claire']! })).json()) as Amendment).toMatchObject({ decision: { day: '2019-08-31' } })
    await ok(await post(`/api/amendments/${byHand.id}/decision`, { decision: 'reject', reason: 'Non.' }, 'ingrid'))
    // Adopted by hand with no date given: today where the meeting sits.
    const handAdopted = await ok<Resolution>(await post(`/api/resolutions/${small}/stage`, { to: 'adopted', adoptedBy: 'Steering Committee' }, 'secretariat'))
    expect(handAdopted.adoption?.at).toBe('2019-08-31')
    await ok(await post(`/api/resolutions/${id}/stage`, { to: 'final', confirm: true }, 'mateo'))
    const adoption = await vote({ kind: 'adoption', resolutionId: id })
    await ok(await post(`/api/votes/${adoption.id}/close`, {}, 'secretariat'))
    const resolution = (await (await server.api(`/api/resolutions/${id}`, { token: tokens['claire']! })).json()) as Resolution
    expect(resolution.adoption?.at).toBe('2019-08-31')

    const booklet = pdfText(await download(`/api/resolutions/${id}/booklet.pdf`))
    expect(booklet).toContain('adopté — par vote, 31 août 2019 (3 voix pour, 0 contre, 0 abstention)')
    expect(booklet).toMatch(/rejeté — [^,]+, 31 août 2019/)
    expect(booklet).not.toContain('30 août 2019')
    // The version the lock saved, at the same hour, is dated that day too in a redline's header.
    const versions = (await (await server.api(`/api/resolutions/${id}/versions`, { token: tokens['claire']! })).json()) as Array<{ id: number; stage: string }>
    const locked = versions.find((version) => version.stage === 'final')!
    const redline = (await (await server.api(`/api/resolutions/${id}/redline.json?from=1&to=${locked.id}`, { token: tokens['claire']! })).json()) as { to: string }
    expect(redline.to).toMatch(/ · 31 août 2019$/)
    const docx = strFromU8(unzipSync(await download(`/api/resolutions/${id}/booklet.docx`))['word/document.xml']!)
    expect(docx).toContain('31 août 2019')
    expect(docx).not.toContain('30 août 2019')
  }, 60_000)
})

describe('the meeting a resolution takes its time zone from', () => {
  it('is the latest to start, by the instant it starts, not by how its start is written', async () => {
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "Two Pacific meetings"\nlanguage: en\n---\n\nOne paragraph.\n'], 'r.md'))
    const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! }), 201)
    // 19:00 UTC on the 9th, and 07:00 UTC on the 10th: written the other way round.
    const kiritimati = { kind: 'council', title: 'Kiritimati', place: 'Kiritimati', startsAt: '2026-12-10T09:00:00+14:00', endsAt: '2026-12-10T18:00:00+14:00', timeZone: 'Pacific/Kiritimati', resolutionIds: [id] }
    const pagoPago = { kind: 'council', title: 'Pago Pago', place: 'Pago Pago', startsAt: '2026-12-09T20:00:00-11:00', endsAt: '2026-12-09T23:00:00-11:00', timeZone: 'Pacific/Pago_Pago', resolutionIds: [id] }
    const first = await ok<Meeting>(await post('/api/meetings', kiritimati, 'secretariat'), 201)
    const second = await ok<Meeting>(await post('/api/meetings', pagoPago, 'secretariat'), 201)
    const resolution = await ok<Resolution>(await server.api(`/api/resolutions/${id}`, { token: tokens['claire']! }))
    expect({ timeZone: resolution.timeZone, meetingEndsAt: resolution.meetingEndsAt }).toEqual({ timeZone: 'Pacific/Pago_Pago', meetingEndsAt: '2026-12-09T23:00:00-11:00' })
    const listed = (await ok<Meeting[]>(await server.api('/api/meetings', { token: tokens['claire']! }))).map((meeting) => meeting.id)
    expect(listed.indexOf(second.id)).toBeLessThan(listed.indexOf(first.id))
  })

  it('has its dates checked in its own zone: a day is its day there', async () => {
    const meeting = (startsAt: string, endsAt: string, timeZone: string) => post('/api/meetings', { kind: 'council', title: 'Dates', place: 'Somewhere', startsAt, endsAt, timeZone, resolutionIds: [] }, 'secretariat')
    // One day in Kuala Lumpur, from 09:00: it ends that day, after it starts.
    await ok(await meeting('2026-12-01T09:00:00+08:00', '2026-12-01', 'Asia/Kuala_Lumpur'), 201)
    // Ending at 20:00 the evening before its first day in Los Angeles.
    const refused = await meeting('2026-12-02', '2026-12-01T20:00:00-08:00', 'America/Los_Angeles')
    expect(refused.status).toBe(422)
  })
})
