import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { eventually, expectError, openRaw, sleep, startTestServer, type TestServer } from './harness.ts'

/** Hostile input at the routes: each case a clear refusal in the contract's shape, harming nothing. */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'kwame']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

const post = (path: string, body: unknown, as?: string, headers: Record<string, string> = {}) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(as ? { token: tokens[as]! } : {}) })

function upload(name: string, content: Uint8Array | string) {
  const form = new FormData()
  form.append('file', new File([content as Uint8Array<ArrayBuffer>], name))
  return server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
}

const resolutionCount = async () => ((await (await server.api('/api/resolutions', { token: tokens['kwame']! })).json()) as unknown[]).length

describe('NUL', () => {
  it('is refused with 400 in a JSON body, an address or a query, and in an imported file', async () => {
    await expectError(await post('/api/login', { username: 'claire\u0000', password: 'demo' }), 400, 'invalid_character')
    await expectError(await post('/api/login', { username: 'claire', password: 'demo', ['x\u0000']: 1 }), 400, 'invalid_character')
    await expectError(await server.api('/api/resolutions/abc%00def', { token: tokens['kwame']! }), 400, 'invalid_character')
    await expectError(await server.api(`/api/resolutions/${server.resolutionId}/booklet.pdf?status=%00`, { token: tokens['kwame']! }), 400, 'invalid_character')
    const before = await resolutionCount()
    await expectError(await upload('nul.md', '---\ntitle: "A\\0B"\n---\n\nText.\n'), 400, 'invalid_character')
    await expectError(await upload('nul-body.md', '---\ntitle: Fine\n---\n\nText \u0000 here.\n'), 400, 'invalid_character')
    expect(await resolutionCount()).toBe(before)
  })
})

describe('format characters in amendments', () => {
  let blockId: string
  let text: string
  beforeAll(async () => {
    expect((await post(`/api/resolutions/${server.resolutionId}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const markdown = await (await server.api(`/api/resolutions/${server.resolutionId}/export.md`, { token: tokens['kwame']! })).text()
    text = markdown.split('\n---\n\n')[1]!.split('\n\n')[2]!
    // Open whether or not it still is: an export (on its own thread, seconds to start in development) need not keep it loaded.
    const live = await server.hemicycle.services.collab.open(server.resolutionId)
    blockId = (live.doc.getXmlFragment('body').get(2) as unknown as { getAttribute(name: string): string }).getAttribute('id')
  })
  const table = (body: Record<string, unknown>) => post(`/api/resolutions/${server.resolutionId}/amendments`, { kind: 'replace', blockId, ...body }, 'claire')

  it('make no invisible amendment: a wording differing only by them is no change, a justification of only them is none', async () => {
    await expectError(await table({ text: `${text.slice(0, 10)}\u200b\u202e${text.slice(10)}\u2066`, justification: 'Invisible.' }), 422, 'no_change')
    await expectError(await table({ text: `${text} Visible addition.`, justification: '\u200b\u200c\u200d\u202e\u2067' }), 422, 'justification_required')
  })

  it('nor do characters drawn as nothing beyond them: fillers, the grapheme joiner, the braille blank, marks alone', async () => {
    // Found by a hostile review: U+034F in a word and U+3164 at the end were tabled as a change and accepted.
    await expectError(await table({ text: `${text.slice(0, 10)}\u034f${text.slice(10)}\u3164`, justification: 'Invisible.' }), 422, 'no_change')
    await expectError(await table({ wording: [[{ text: `${text.slice(0, 10)}\u115f${text.slice(10)}\uffa0` }]], justification: 'Invisible.' }), 422, 'no_change')
    for (const blank of ['\u3164', '\u2800\u2800', '\u115f \uffa0', '\ufe0f', '\u0301\u0308', '\ue000']) {
      await expectError(await table({ text: `${text} Visible addition.`, justification: blank }), 422, 'justification_required')
    }
    // A Markdown text of more paragraphs than a wording may hold, as the wording's own schema refuses them.
    await expectError(await table({ text: Array.from({ length: 201 }, (_, index) => `Paragraphe ${index}.`).join('\n\n'), justification: 'Long.' }), 413, 'too_many_paragraphs')
  })

  it('are taken out of what is stored', async () => {
    const response = await table({ text: `${text} Ajout\u200b visible.`, justification: 'Parce\u202e que.' })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ text: `${text} Ajout visible.`, justification: 'Parce que.' })
  })

  it('are taken out when Markdown character references write them', async () => {
    // A hostile review: "&#x202E;61&#x202C;" was decoded after the protocol's check, accepted, locked and hashed, and
    // read "16" in the editor and the HTML while the PDF printed "61".
    await expectError(await table({ text: `${text.slice(0, 10)}&ZeroWidthSpace;&#x202E;&shy;${text.slice(10)}&lrm;`, justification: 'Invisible.' }), 422, 'no_change')
    const response = await table({ text: `${text} Budget &#x202E;61&#x202C; &#8207;millions&#x2066;.`, justification: 'Chiffre.' })
    expect(response.status).toBe(201)
    const tabled = (await response.json()) as { text: string; wording: Array<Array<{ text: string }>> }
    expect(tabled.text).toBe(`${text} Budget 61 millions.`)
    expect(JSON.stringify(tabled.wording)).not.toMatch(/\\u20[0-6]|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u00ad]/)
  })

  it('refuse a Markdown text whose bold or italic marks do not pair up, that writes a heading, a list or a quote, or a link, code, a strike or a tag, rather than keep "**" or drop "#"', async () => {
    // Found by a hostile review: "**L'**Alliance" was tabled with its asterisks as written, headed for the adopted text.
    for (const unmatched of ["**L'**Alliance agit.", '__Le__Conseil agit.', 'Le Conseil ** agit.', "*L'*Alliance agit.", '_Conseil_s agit.', '***Le** Conseil agit.']) {
      await expectError(await table({ text: unmatched, justification: 'Gras.' }), 422, 'markdown_unmatched')
    }
    // A heading, list or quote mark was dropped without a word: "1. Agir" read as "Agir", "2024. Le Conseil" as "Le Conseil".
    for (const marked of ['# Le Conseil agit.', '1. Le Conseil agit.', '2024. Le Conseil agit.', '- Le Conseil agit.', '> Le Conseil agit.', 'Premier.\n\n2) Second.']) {
      await expectError(await table({ text: marked, justification: 'Marque.' }), 422, 'markdown_blocks')
    }
    // A link, code, a strike or a tag was tabled as the characters written, and adopted so: "[le Conseil](https://…)".
    // And a definition, which a reader never sees: "[1]: https://…" was tabled as words (helper-167).
    for (const markup of ['Le [Conseil](https://alliance.org) agit.', 'Le `Conseil` agit.', 'Le Conseil agit ~~vite~~.', 'Le <u>Conseil</u> agit.', 'Le Conseil agit.\n\n[1]: https://evil.example']) {
      await expectError(await table({ text: markup, justification: 'Balisage.' }), 422, 'markdown_unsupported')
    }
    // A heading underlined with "=" was tabled as "Le Conseil agit. ===" (helper-167).
    await expectError(await table({ text: 'Le Conseil agit.\n===', justification: 'Titre.' }), 422, 'markdown_blocks')
    // The `text` the server wrote for a wording, sent back as it was read, says that wording: never refused (helper-167:
    // "snake__case" and "a \\__b" were refused as unpaired marks).
    const literal = await table({ wording: [[{ text: 'Le fichier snake__case et a __b, |__2 et A:__1.' }]], justification: 'Tirets.' })
    expect(literal.status).toBe(201)
    const { id, text: written } = (await literal.json()) as { id: string; text: string }
    const patched = await server.api(`/api/amendments/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: written }), token: tokens['claire']! })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as { wording: unknown }).wording).toEqual([[{ text: 'Le fichier snake__case et a __b, |__2 et A:__1.' }]])
    const bold = await table({ text: "**L'Alliance** agit.", justification: 'Gras.' })
    expect(bold.status).toBe(201)
    expect(((await bold.json()) as { wording: Array<Array<{ text: string; bold?: boolean }>> }).wording).toEqual([[{ text: "L'Alliance", bold: true }, { text: ' agit.' }]])
  })
})

describe('characters no record can store, in amendments and titles', () => {
  // Taken, they reached the adopted text through an acceptance: Word refused its export, and a wording equal to its
  // paragraph but for U+0001 inside a word passed for a change nobody could see.
  it('are refused with 400 invalid_character, and nothing is tabled', async () => {
    const list = async () => ((await (await server.api(`/api/resolutions/${server.resolutionId}/amendments`, { token: tokens['kwame']! })).json()) as unknown[]).length
    const before = await list()
    const live = await server.hemicycle.services.collab.open(server.resolutionId)
    const blockId = (live.doc.getXmlFragment('body').get(2) as unknown as { getAttribute(name: string): string }).getAttribute('id')
    const table = (body: Record<string, unknown>) => post(`/api/resolutions/${server.resolutionId}/amendments`, { kind: 'replace', blockId, justification: 'Why.', ...body }, 'claire')
    for (const text of ['Par\u0001is', 'ligne\nnouvelle', 'non\uffff', 'moitié \ud800']) await expectError(await table({ wording: [[{ text }]] }), 400, 'invalid_character')
    for (const text of ['Par\u0001is', 'non\ufffe']) await expectError(await table({ text }), 400, 'invalid_character')
    await expectError(await table({ text: 'Visible words.', justification: 'Parce que\ufffe.' }), 400, 'invalid_character')
    await expectError(await post('/api/resolutions', { title: 'Titre \uffff' }, 'secretariat'), 400, 'invalid_character')
    await expectError(await post(`/api/resolutions/${server.resolutionId}/versions`, { label: 'Version \u0007' }, 'secretariat'), 400, 'invalid_character')
    expect(await list()).toBe(before)
  })
})

describe('DOCX import', () => {
  it('counts the bytes actually unpacked: a package that claims to be small but unpacks past 64 MiB is refused', async () => {
    const zeros = new Uint8Array(70 * 1024 * 1024)
    const zip = zipSync({ 'word/document.xml': zeros, '[Content_Types].xml': new TextEncoder().encode('<Types/>') }, { level: 9 })
    expect(zip.byteLength).toBeLessThan(1024 * 1024)
    // Make every header lie: a few bytes unpacked, whatever is really inside.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
    for (let at = 0; at + 4 <= zip.length; at++) {
      const signature = view.getUint32(at, true)
      if (signature === 0x04034b50) view.setUint32(at + 22, 100, true)
      if (signature === 0x02014b50) view.setUint32(at + 24, 100, true)
    }
    const before = await resolutionCount()
    const response = await upload('bomb.docx', zip)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(response.status).toBe(422)
    expect(body.error).toMatchObject({ code: 'invalid_docx', message: expect.stringMatching(/unpacks to more than 64 MiB/) })
    expect(await resolutionCount()).toBe(before)
  })
})

describe('front matter', () => {
  it('is written back through the YAML serialiser: an imported key cannot add a paragraph to export.md', async () => {
    const source = '---\ntitle: Injection test\n"note\\n---\\n\\nINJECTED PARAGRAPH\\n\\nx": "y"\n---\n\nThe only paragraph.\n'
    const response = await upload('inject.md', source)
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as { id: string }
    const exported = await (await server.api(`/api/resolutions/${id}/export.md`, { token: tokens['kwame']! })).text()
    const again = await upload('again.md', exported)
    const reimported = (await again.json()) as { id: string }
    const body = await (await server.api(`/api/resolutions/${reimported.id}/export.md`, { token: tokens['kwame']! })).text()
    expect(body.split('\n---\n\n')[1]).toBe('The only paragraph.\n')
    expect(exported).toBe(body)
  })

  it('refuses a draft date that is no day of the calendar: it would be printed in the stamp of every export', async () => {
    const before = await resolutionCount()
    for (const date of ['2019-02-30', '2019-13-01', '0999-01-01', '2019-07-03T10:00']) {
      const response = await upload('dated.md', `---\ntitle: Dated\ndraft_date: "${date}"\n---\n\nText.\n`)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(response.status, date).toBe(422)
      expect(body.error).toMatchObject({ code: 'invalid_front_matter', message: expect.stringMatching(/draft_date/) })
    }
    expect(await resolutionCount()).toBe(before)
    expect((await upload('dated.md', '---\ntitle: Dated\ndraft_date: 2024-02-29\n---\n\nText.\n')).status).toBe(201)
  })
})

describe('security headers', () => {
  it('are on every API answer and export: nothing in them runs, nothing frames them', async () => {
    for (const path of ['/api/health', `/api/resolutions/${server.resolutionId}/export.html`, '/api/nowhere']) {
      const response = await server.api(path, { token: tokens['kwame']! })
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'.*sandbox/)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      // The web app reads the server's clock from the Date header, which only a fresh answer tells truly.
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(Math.abs(Date.parse(response.headers.get('date') ?? '') - Date.now())).toBeLessThan(2000)
      await response.arrayBuffer()
    }
  })

  it('are on every page of the web app', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'hemicycle-web-'))
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Hemicycle</title>')
    const site = await startTestServer({ DATA_DIR: 'memory://', WEB_ROOT: webRoot, LOG_LEVEL: 'error' })
    try {
      for (const path of ['/', '/resolutions/abc']) {
        const response = await site.api(path)
        expect(response.status).toBe(200)
        expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/)
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      }
    } finally {
      await site.close()
      rmSync(webRoot, { recursive: true, force: true })
    }
  })
})

/** A websocket upgrade's refusal as a hand-written client reads it: no body comes with it, so its code is in a header. */
function upgradeRefusal(path: string, origin?: string) {
  return new Promise<{ status: number; code: string | undefined }>((resolve) => {
    const socket = new WebSocket(`${server.wsUrl}${path}`, origin ? { origin } : {})
    socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, code: response.headers['x-error-code'] as string | undefined }))
    socket.on('open', () => resolve({ status: 101, code: undefined }))
  })
}

describe('a refused websocket upgrade', () => {
  it('says why in its X-Error-Code header', async () => {
    expect(await upgradeRefusal(`/collab/${server.resolutionId}`)).toEqual({ status: 401, code: 'unauthorized' })
    expect(await upgradeRefusal(`/collab/${server.resolutionId}?token=forged`)).toEqual({ status: 401, code: 'unauthorized' })
    expect(await upgradeRefusal(`/collab/nowhere?token=${tokens['claire']}`)).toEqual({ status: 404, code: 'not_found' })
    expect(await upgradeRefusal(`/collab/${server.resolutionId}/de?token=${tokens['claire']}`)).toEqual({ status: 404, code: 'not_found' })
  })
})

describe('a session opening socket after socket', () => {
  it('holds at most MAX_SOCKETS_PER_SESSION on an instance, opened one by one or all at once, and gets its place back as one closes', async () => {
    const capped = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', MAX_SOCKETS_PER_SESSION: '3' })
    try {
      const path = `/collab/${capped.resolutionId}?token=${await capped.login('claire')}`
      const refusal = () =>
        new Promise<{ status: number; code: string | undefined }>((resolve) => {
          const socket = new WebSocket(`${capped.wsUrl}${path}`)
          socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, code: response.headers['x-error-code'] as string | undefined }))
          socket.on('open', () => resolve({ status: 101, code: undefined }))
        })
      const held = [await openRaw(capped.wsUrl, path), await openRaw(capped.wsUrl, path), await openRaw(capped.wsUrl, path)]
      expect(await refusal()).toEqual({ status: 429, code: 'too_many_connections' })
      // Another person's session is not counted with it.
      const other = await openRaw(capped.wsUrl, `/collab/${capped.resolutionId}?token=${await capped.login('kwame')}`)
      held[0]!.socket.close()
      await held[0]!.closed
      await eventually(async () => expect((await refusal()).status).toBe(101))
      for (const raw of [...held, other]) raw.socket.close()

      // Sent at once, upgrades all pass the check before any of them opens: those past the limit are closed as they open (4429).
      // The document's loading is held until all five are past the check, so the race is run every time, not by luck.
      const collab = capped.hemicycle.services.collab
      const open = collab.open.bind(collab)
      let waiting = 0
      let release = () => {}
      const released = new Promise<void>((resolve) => (release = resolve))
      collab.open = (async (...args: Parameters<typeof collab.open>) => {
        waiting += 1
        await released
        return open(...args)
      }) as typeof collab.open
      const fresh = `/collab/${capped.resolutionId}?token=${await capped.login('claire')}`
      const opening = Array.from({ length: 5 }, () => openRaw(capped.wsUrl, fresh))
      await eventually(() => expect(waiting).toBe(5))
      release()
      const burst = await Promise.all(opening)
      collab.open = open
      const closedCodes = await Promise.all(burst.map((raw) => Promise.race([raw.closed.then((closed) => closed.code), sleep(1_000).then(() => 'open')])))
      expect(closedCodes.filter((code) => code === 'open')).toHaveLength(3)
      expect(closedCodes.filter((code) => code === 4429)).toHaveLength(2)
      for (const raw of burst) raw.socket.close()
    } finally {
      await capped.close()
    }
  })
})

describe('another origin', () => {
  it('may not change anything or open a websocket; the same origin and scripts without one may', async () => {
    await expectError(await post('/api/login', { username: 'claire', password: 'demo' }, undefined, { origin: 'https://evil.example' }), 403, 'foreign_origin')
    await expectError(await post('/api/logout', {}, 'claire', { origin: 'null' }), 403, 'foreign_origin')
    await expectError(await post('/api/login', { username: 'claire', password: 'demo' }, undefined, { 'sec-fetch-site': 'cross-site' }), 403, 'foreign_origin')
    expect((await post('/api/login', { username: 'claire', password: 'demo' }, undefined, { origin: server.url })).status).toBe(200)
    // Reading stays open to other origins' links (CORS keeps the answer from their scripts).
    expect((await server.api('/api/health', { headers: { origin: 'https://evil.example' } })).status).toBe(200)

    expect(await upgradeRefusal(`/collab/${server.resolutionId}?token=${tokens['claire']}`, 'https://evil.example')).toEqual({ status: 403, code: 'foreign_origin' })
    const same = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${tokens['claire']}`)
    same.socket.close()
  })

  it('is judged against PUBLIC_URL when set, which over https also makes cookies Secure', async () => {
    const site = await startTestServer({ DATA_DIR: 'memory://', PUBLIC_URL: 'https://hemicycle.example.org', LOG_LEVEL: 'error' })
    try {
      const login = (origin: string) =>
        site.api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username: 'claire', password: 'demo' }) })
      expect((await login(site.url)).status).toBe(403)
      const ok = await login('https://hemicycle.example.org')
      expect(ok.status).toBe(200)
      const cookies = ok.headers.getSetCookie()
      expect(cookies.find((cookie) => cookie.startsWith('hemicycle_session='))).toMatch(/; Secure/)
      expect(cookies.find((cookie) => cookie.startsWith('hemicycle_device='))).toMatch(/; Secure/)
      expect(ok.headers.get('strict-transport-security')).toMatch(/max-age=/)
    } finally {
      await site.close()
    }
  })
})

/** Sends raw bytes on a fresh TCP connection (and `next` once the first answer has come) and reads until the server closes it. */
function rawExchange(request: string, next?: string): Promise<string> {
  const { hostname, port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      if (answer === '' && next !== undefined) socket.write(next)
      answer += chunk
    })
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => reject(new Error(`no close; got ${JSON.stringify(answer.slice(0, 200))}`)))
  })
}

function parsedAnswer(raw: string): { status: number; headers: string; body: { error: { code: string; message: string } } } {
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) as { error: { code: string; message: string } } }
}

describe('requests the HTTP parser refuses', () => {
  it('are answered in the contract JSON shape, on the API and the websocket route alike, and the server goes on', async () => {
    const long = 'x'.repeat(20_000)
    for (const path of [`/api/resolutions?q=${long}`, `/collab/${server.resolutionId}?token=${long}`]) {
      const answer = parsedAnswer(await rawExchange(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\n\r\n`))
      expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 431, code: 'headers_too_large' })
      expect(answer.body.error.message).toMatch(/16 KB/)
      expect(answer.headers).toContain('content-type: application/json')
      // The token in an oversized query is not echoed back.
      expect(JSON.stringify(answer.body)).not.toContain(long)
    }
    const garbled = parsedAnswer(await rawExchange('GET / HTTP/1.1\r\nhost localhost\r\n\r\n'))
    expect({ status: garbled.status, code: garbled.body.error.code }).toEqual({ status: 400, code: 'malformed_request' })
    expect((await server.api('/api/health')).status).toBe(200)
  })

  it('are answered after an earlier request on the connection was, never in its place while it is under way (pipelined)', async () => {
    const garbage = 'GET / HTTP/1.1\r\nhost localhost\r\n\r\n'
    const health = 'GET /api/health HTTP/1.1\r\nhost: localhost\r\n\r\n'
    const answered = await rawExchange(health, garbage)
    expect(answered).toMatch(/^HTTP\/1.1 200 /)
    expect(answered).toContain('HTTP/1.1 400 Bad Request')
    expect(answered).toContain('"malformed_request"')

    const sessionsOf = async () => (await server.hemicycle.services.db.query<{ n: number }>(`select count(*)::int as n from sessions where person_id = 'person-julien'`))[0]!.n
    const before = await sessionsOf()
    const body = JSON.stringify({ username: 'julien', password: 'demo' })
    const login = `POST /api/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    // Both in one write: the login is still being answered when the parser refuses what follows.
    const pipelined = await rawExchange(login + garbage)
    // The login took effect: a 400 in its place would tell the client it had not.
    await eventually(async () => expect(await sessionsOf()).toBe(before + 1))
    expect(pipelined === '' || pipelined.startsWith('HTTP/1.1 200 ')).toBe(true)
    expect((await server.api('/api/health')).status).toBe(200)
  })
})

describe('a meeting title and place', () => {
  const meeting = (fields: Record<string, unknown>) =>
    post('/api/meetings', { kind: 'council', title: 'Council', startsAt: '2019-09-01', endsAt: '2019-09-01', ...fields }, 'secretariat')

  it('are kept on one line, composed, without format characters, as titles and names are', async () => {
    const response = await meeting({ title: ' Conseil\n\nde\u202e Kuala\u200b Lumpur ', place: 'Kuala Lumpur,\r\nMalaisie\u2066' })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ title: 'Conseil de Kuala Lumpur', place: 'Kuala Lumpur, Malaisie' })
    const listed = (await (await server.api('/api/meetings', { token: tokens['kwame']! })).json()) as Array<{ title: string }>
    expect(listed.map((entry) => entry.title)).toContain('Conseil de Kuala Lumpur')
    expect(listed.some((entry) => /[\n\u202e\u200b]/.test(entry.title))).toBe(false)
  })

  it('are refused when the title is only invisible characters or holds a control character', async () => {
    await expectError(await meeting({ title: '\u200b\u202e\n ' }), 400, 'invalid_request')
    await expectError(await meeting({ title: 'Council \u0007' }), 400, 'invalid_character')
    await expectError(await meeting({ place: 'Escape \u001b[31m' }), 400, 'invalid_character')
  })
})

describe('unknown fields', () => {
  /** Object schemas in `schema` (refs resolved) that let an unknown field through, by where they are. */
  function looseObjects(schema: unknown, components: Record<string, unknown>, where: string, seen = new Set<unknown>()): string[] {
    if (typeof schema !== 'object' || schema === null || seen.has(schema)) return []
    seen.add(schema)
    const node = schema as Record<string, unknown>
    if (typeof node['$ref'] === 'string') return looseObjects(components[node['$ref'].split('/').pop()!], components, where, seen)
    const loose = node['type'] === 'object' && node['properties'] !== undefined && node['additionalProperties'] !== false ? [where] : []
    const children = Object.entries(node).flatMap(([key, value]) =>
      key === 'properties'
        ? Object.entries(value as Record<string, unknown>).map(([name, property]) => [`${where}.${name}`, property] as const)
        : Array.isArray(value)
          ? value.map((item) => [where, item] as const)
          : typeof value === 'object' && value !== null ? [[where, value] as const] : [],
    )
    return [...loose, ...children.flatMap(([path, child]) => looseObjects(child, components, path, seen))]
  }

  it('are refused in every JSON body the API takes: a misspelt optional field is not silently dropped', async () => {
    const doc = (await (await server.api('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: unknown }> } }>>
      components: { schemas: Record<string, unknown> }
    }
    const bodies = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => {
        const schema = operation.requestBody?.content?.['application/json']?.schema
        return schema === undefined ? [] : [[`${method.toUpperCase()} ${path}`, schema] as const]
      }),
    )
    expect(bodies.length).toBeGreaterThan(20)
    expect(bodies.flatMap(([route, schema]) => looseObjects(schema, doc.components.schemas, route))).toEqual([])
  })

  it('are answered 400 naming the field, and nothing is done', async () => {
    const refusal = async (response: Response) => {
      const body = (await response.json()) as { error: { code: string; message: string } }
      return [response.status, body.error.code, body.error.message]
    }
    const tabled = async () => ((await (await server.api(`/api/resolutions/${server.resolutionId}/amendments`, { token: tokens['kwame']! })).json()) as unknown[]).length
    const before = await tabled()
    const amendment = { kind: 'replace', blockId: 'b1', text: 'Words.', justification: '', justifcation: 'Why.' }
    expect(await refusal(await post(`/api/resolutions/${server.resolutionId}/amendments`, amendment, 'claire'))).toEqual([400, 'invalid_request', expect.stringContaining('justifcation')])
    expect(await tabled()).toBe(before)
    expect(await refusal(await post('/api/login', { username: 'claire', password: 'demo', remember: true }))).toEqual([400, 'invalid_request', expect.stringContaining('remember')])
    const read = { ids: ['n1'], all: true }
    expect((await refusal(await post('/api/notifications/read', read, 'claire')))[0]).toBe(400)
  })
})
