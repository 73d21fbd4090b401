import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseMarkdownBody, serializeMarkdownBody, splitResolutionFile } from '@hemicycle/schema'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, eventually, paragraphs, startTestServer, type TestServer } from './harness.ts'

/**
 * A review of the adopted text: what every export says, what the hash
 * vouches for, and what the adoption accepts. Each test is one defect: it
 * states what a reader of the adopted text must find, and fails where the
 * exports or the hash say something else.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-adopted-'))

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'mateo', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex')
const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = (path: string, as = 'tomas') => server.api(path, { token: tokens[as]! })

async function importMarkdown(title: string, body: string): Promise<string> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: en\n---\n\n${body}`], 'draft.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
  expect(response.status, await response.clone().text()).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function move(id: string, body: Record<string, unknown>, as: string): Promise<Response> {
  return post(`/api/resolutions/${id}/stage`, body, as)
}

/** Through every stage to adopted, each move answered 200. */
async function adopt(id: string, adoption: Record<string, unknown> = { adoptedBy: 'Council', adoptedAt: '2026-09-14' }): Promise<void> {
  for (const [body, as] of [
    [{ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'],
    [{ to: 'consolidation' }, 'secretariat'],
    [{ to: 'final', confirm: true }, 'mateo'],
    [{ to: 'adopted', ...adoption }, 'secretariat'],
  ] as const) {
    const response = await move(id, body, as)
    expect(response.status, await response.clone().text()).toBe(200)
  }
}

async function verify(id: string): Promise<{ stage: string; hash: string; matches: boolean }> {
  return (await (await server.api(`/api/resolutions/${id}/verify`)).json()) as { stage: string; hash: string; matches: boolean }
}

/** The body of an exported Markdown file: what the hash is taken of. */
async function exportedBody(id: string, query = ''): Promise<string> {
  const response = await get(`/api/resolutions/${id}/export.md${query}`)
  expect(response.status).toBe(200)
  return splitResolutionFile(await response.text()).body
}

function pdfText(pdf: Uint8Array): string {
  const path = join(workdir, `export-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', path, '-'], { encoding: 'utf8' })
}

/** Edits the body of a draft as a stock y-websocket client would (the secretariat may edit a draft), and waits until the server has stored it. */
async function editDraft(id: string, edit: (body: Y.XmlFragment) => void): Promise<void> {
  const client = connectClient(server.wsUrl, id, tokens['secretariat']!)
  try {
    await client.synced
    client.doc.transact(() => edit(client.doc.getXmlFragment('body')))
    await client.saved()
  } finally {
    client.destroy()
  }
}

/** An element with attributes and children, as y-tiptap writes them (numbers stay numbers). */
function element(name: string, attributes: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const node = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string)
  node.insert(0, children)
  return node
}
const text = (words: string) => {
  const node = new Y.XmlText()
  node.insert(0, words)
  return node
}
const listItem = (words: string) => element('listItem', {}, [element('paragraph', {}, [text(words)])])

describe('the canonical Markdown of an adopted text', () => {
  it('reads back as the adopted text when a paragraph begins "1)": the exported file, re-imported, has the same words and § numbers and so the same hash', async () => {
    // Sub-paragraphs typed "1) …", "2) …" are ordinary text in the editor (its list rule is "1. "), and in an import once escaped.
    const id = await importMarkdown('Numbered by hand', 'The Council,\n\n1\\) Calls upon every member party to ratify the convention;\n\n2\\) Asks the secretariat to report back.\n')
    await adopt(id)
    const adopted = await verify(id)
    const body = await exportedBody(id)
    // The exported file hashes to the adopted hash, so anyone checking it is told it is the adopted text…
    expect(sha256(body)).toBe(adopted.hash)

    // …but read as Markdown (by Hemicycle itself here) it is another text: "1)" and "2)" gone, the two § turned into a list.
    const form = new FormData()
    form.append('file', new File([await (await get(`/api/resolutions/${id}/export.md`)).text()], 'adopted.md'))
    const reimported = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
    expect(reimported.status).toBe(201)
    const copy = ((await reimported.json()) as { id: string }).id
    const readBack = await exportedBody(copy)
    expect(readBack).toBe(body)
    expect(sha256(readBack)).toBe(adopted.hash)
  })

  it('reads back as the adopted text when a hand-written client typed decomposed characters: the server composes them, so the re-imported file hashes alike', async () => {
    const id = await importMarkdown('Typed decomposed', 'Alpha.\n\nBeta.\n')
    const client = connectClient(server.wsUrl, id, tokens['secretariat']!)
    try {
      await client.synced
      const words = (client.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
      // "e" + a combining accent and the Ångström sign in one insert; then "e" and its accent in two inserts, and a
      // bold "o" + "̈" split apart by deleting the "x" between them: each of the last two is composed only once joined.
      client.doc.transact(() => words.insert(words.length, ' Cafe\u0301 \u212b'))
      client.doc.transact(() => words.insert(words.length, ' Pe'))
      client.doc.transact(() => words.insert(words.length, '\u0301rou'))
      client.doc.transact(() => {
        words.insert(words.length, ' ', {})
        words.insert(words.length, 'ox\u0308', { bold: {} })
      })
      client.doc.transact(() => words.delete(words.length - 2, 1))
      // A plain "e" and a bold accent: one character, given its letter's formatting (it was hashed as "Cafe**\u0301**").
      client.doc.transact(() => {
        words.insert(words.length, ' Cafe', {})
        words.insert(words.length, '\u0301', { bold: {} })
      })
      await client.saved()
      // The client that typed them has the composed text too: one text everywhere.
      await eventually(() => expect(paragraphs(client.doc)[0]).toBe('Alpha. Café Å Pérou ö Café'))
    } finally {
      client.destroy()
    }
    await adopt(id)
    const adopted = await verify(id)
    const exported = await (await get(`/api/resolutions/${id}/export.md`)).text()
    const body = splitResolutionFile(exported).body
    expect(sha256(body)).toBe(adopted.hash)
    // The adopted text is the one every way in gives: composed, as an import of its own Markdown composes it.
    expect(body).toBe('Alpha. Café Å Pérou **ö** Café\n\nBeta.\n')
    const form = new FormData()
    form.append('file', new File([exported], 'adopted.md'))
    const preview = await server.api('/api/resolutions/import?dryRun=1', { method: 'POST', body: form, token: tokens['secretariat']! })
    expect(preview.status).toBe(200)
    const readBack = splitResolutionFile(((await preview.json()) as { markdown: string }).markdown).body
    expect(sha256(readBack)).toBe(adopted.hash)
  })

  it('prints in the record the words the editor showed: a bidi override a hand-written client typed ("\\u202E61\\u202C", shown "16" on screen, printed "61") is taken out', async () => {
    const id = await importMarkdown('Overridden', 'Alpha.\n')
    const client = connectClient(server.wsUrl, id, tokens['secretariat']!)
    try {
      await client.synced
      const words = (client.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
      // A browser (the editor, the HTML export) lays these out right to left, "16"; the PDF draws them as stored, "61".
      client.doc.transact(() => words.insert(words.length, ' The Council admits \u202e61\u202c members and \u2067\u202b12\u202c\u2069 observers.'))
      await client.saved()
      await eventually(() => expect(paragraphs(client.doc)[0]).toBe('Alpha. The Council admits 61 members and 12 observers.'))
    } finally {
      client.destroy()
    }
    await adopt(id)
    const body = await exportedBody(id)
    expect(body).toBe('Alpha. The Council admits 61 members and 12 observers.\n')
    expect(sha256(body)).toBe((await verify(id)).hash)
    expect(pdfText(new Uint8Array(await (await get(`/api/resolutions/${id}/record.pdf`)).arrayBuffer()))).toContain('The Council admits 61 members and 12 observers.')
  })

  it('tells apart two adopted texts whose printed § numbers differ (an empty paragraph is a § in every print)', async () => {
    const plain = await importMarkdown('Without a gap', 'Alpha paragraph.\n\nBeta paragraph.\n')
    const gapped = await importMarkdown('With a gap', 'Alpha paragraph.\n\nBeta paragraph.\n')
    // An empty paragraph, as pressing Enter twice leaves one.
    await editDraft(gapped, (body) => body.insert(1, [element('paragraph', {}, [])]))
    await adopt(plain)
    await adopt(gapped)

    // The printed texts differ: "Beta paragraph." is §2 in one and §3 in the other (the empty one is §2).
    const printed = async (id: string) => pdfText(new Uint8Array(await (await get(`/api/resolutions/${id}/export.pdf`)).arrayBuffer()))
    expect(await printed(plain)).toMatch(/§2\s+Beta paragraph\./)
    expect(await printed(gapped)).toMatch(/§3\s+Beta paragraph\./)

    // One hash for both: the canonical Markdown has no trace of the empty §, so verify vouches for either numbering.
    expect((await verify(gapped)).hash).not.toBe((await verify(plain)).hash)
  })
})

describe('a text locked under rule 1, the canonical Markdown before rule 2', () => {
  it('is checked and exported under the rule it was hashed with: verify still says it matches, the Markdown export and the record hash to it', async () => {
    // The empty paragraph is where the two rules differ: rule 1 wrote nothing for it.
    const id = await importMarkdown('Locked long ago', 'Alpha paragraph.\n\nBeta paragraph.\n')
    await editDraft(id, (body) => body.insert(1, [element('paragraph', {}, [])]))
    await adopt(id)
    const current = await verify(id)
    expect(current.matches).toBe(true)
    expect(sha256(await exportedBody(id))).toBe(current.hash)

    // As a lock made before rule 2 stands in the database: the hash of rule 1's Markdown, and the rule.
    const legacy = serializeMarkdownBody(parseMarkdownBody('Alpha paragraph.\n\n<!---->\n\nBeta paragraph.\n'), 1)
    expect(legacy).toBe('Alpha paragraph.\n\nBeta paragraph.\n')
    await server.hemicycle.services.db.query('update resolutions set locked_hash = $2, hash_rule = 1 where id = $1', [id, sha256(legacy)])

    expect(await verify(id)).toMatchObject({ hash: sha256(legacy), matches: true })
    expect(await exportedBody(id)).toBe(legacy)
    // The browser's print view asks for today's rule, which keeps the empty § the PDF numbers.
    expect(await exportedBody(id, '?rule=current')).toBe('Alpha paragraph.\n\n<!---->\n\nBeta paragraph.\n')
    expect((await get(`/api/resolutions/${id}/export.md?rule=1`)).status).toBe(400)
    const record = await get(`/api/resolutions/${id}/record.pdf`)
    expect(record.status).toBe(200)
    const path = join(workdir, `record-${id}.pdf`)
    writeFileSync(path, new Uint8Array(await record.arrayBuffer()))
    execFileSync('pdfdetach', ['-saveall', '-o', workdir, path])
    expect(sha256(readFileSync(join(workdir, 'text.md')))).toBe(sha256(legacy))
  })

  it('is checked under rule 1 when the lock recorded no rule (an instance still running rule 1 locked it after 009 had run)', async () => {
    const id = await importMarkdown('Locked during the upgrade', 'Alpha paragraph.\n\nBeta paragraph.\n')
    await editDraft(id, (body) => body.insert(1, [element('paragraph', {}, [])]))
    await adopt(id)
    // What the older code wrote at the lock: rule 1's hash, and nothing in hash_rule, a column it does not know.
    const legacy = 'Alpha paragraph.\n\nBeta paragraph.\n'
    await server.hemicycle.services.db.query('update resolutions set locked_hash = $2, hash_rule = null where id = $1', [id, sha256(legacy)])
    expect(await verify(id)).toMatchObject({ hash: sha256(legacy), matches: true })
    expect(await exportedBody(id)).toBe(legacy)
  })
})

describe('a text locked under rule 2, before formatting beside the symbols Unicode 16 and 17 added took the exact form', () => {
  it('is checked and exported under rule 2; a text locked now is hashed under rule 3, which CommonMark\'s reference reads as Hemicycle does', async () => {
    // "᭎" (U+1B4E, Unicode 16): a letter to markdown-it, punctuation to commonmark.js on Node 20, so "a**᭎b**" read two ways.
    const id = await importMarkdown('Locked under rule 2', 'Le Conseil a<strong>\u1b4eb</strong> salue.\n')
    await adopt(id)
    const current = await verify(id)
    expect(current.matches).toBe(true)
    expect(await exportedBody(id)).toBe('Le Conseil a<strong>\u1b4eb</strong> salue.\n')
    expect((await server.hemicycle.services.db.query<{ hash_rule: number }>('select hash_rule from resolutions where id = $1', [id]))[0]!.hash_rule).toBe(3)

    // As a lock made under rule 2 stands in the database.
    const ruleTwo = 'Le Conseil a**\u1b4eb** salue.\n'
    await server.hemicycle.services.db.query('update resolutions set locked_hash = $2, hash_rule = 2 where id = $1', [id, sha256(ruleTwo)])
    expect(await verify(id)).toMatchObject({ hash: sha256(ruleTwo), matches: true })
    expect(await exportedBody(id)).toBe(ruleTwo)
    expect(await exportedBody(id, '?rule=current')).toBe('Le Conseil a<strong>\u1b4eb</strong> salue.\n')
  })
})

describe('a character reference in an imported file', () => {
  it('never makes one paragraph hash as two: "a&#10;&#10;b" (a line break no text may hold) and "a", "b" are two texts, two hashes', async () => {
    const one = await importMarkdown('One paragraph', 'Alpha&#10;&#10;Beta\n')
    const two = await importMarkdown('Two paragraphs', 'Alpha\n\nBeta\n')
    await adopt(one)
    await adopt(two)
    expect((await verify(one)).hash).not.toBe((await verify(two)).hash)
  })
})

describe('the exports of an adopted text', () => {
  it('number a list that starts at 0 from 0, as the text and its Markdown do', async () => {
    // The editor's own list rule makes one of "0. " (start: +match[1]); the server accepts start 0.
    const id = await importMarkdown('From zero', 'The Council adopts these measures:\n')
    await editDraft(id, (body) => body.insert(1, [element('orderedList', { start: 0 }, [listItem('Measure zero.'), listItem('Measure one.')])]))
    await adopt(id)
    expect(await exportedBody(id)).toBe('The Council adopts these measures:\n\n0. Measure zero.\n1. Measure one.\n')
    const html = await (await get(`/api/resolutions/${id}/export.html`)).text()
    expect(html).toContain('<span class="marker">0.</span>Measure zero.')
    expect(pdfText(new Uint8Array(await (await get(`/api/resolutions/${id}/export.pdf`)).arrayBuffer()))).toMatch(/0\.\s+Measure zero\.[\s\S]*1\.\s+Measure one\./)
  })

  it('keep the numbers of a list quoted in a blockquote in the Word file, as the PDF, HTML and Markdown do', async () => {
    const id = await importMarkdown('Quoting a list', 'The Council recalls its decision:\n\n> 1. Calls upon every member party to act;\n> 2. Asks the secretariat to report.\n')
    await adopt(id)
    expect(await exportedBody(id)).toContain('> 1. Calls upon')
    expect(await (await get(`/api/resolutions/${id}/export.html`)).text()).toContain('<span class="marker">2.</span>Asks the secretariat')
    const docx = new Uint8Array(await (await get(`/api/resolutions/${id}/export.docx`)).arrayBuffer())
    const xml = strFromU8(unzipSync(docx)['word/document.xml']!)
    const paragraph = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => p).find((p) => p.includes('Asks the secretariat'))!
    // Either a Word list (w:numPr) or the marker written out: a reader of the DOCX must see "2.".
    const words = [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('')
    expect(paragraph.includes('<w:numPr>') || /^2\.\s*Asks/.test(words)).toBe(true)
  })

  it('start a nested numbered list in the Word file where the text starts it', async () => {
    const id = await importMarkdown('Nested from three', 'The Council:\n\n1. Decides:\n\n   3. third measure;\n   4. fourth measure.\n')
    await adopt(id)
    const html = await (await get(`/api/resolutions/${id}/export.html`)).text()
    expect(html).toContain('<span class="marker">3.</span>third measure;')
    const docx = unzipSync(new Uint8Array(await (await get(`/api/resolutions/${id}/export.docx`)).arrayBuffer()))
    const document = strFromU8(docx['word/document.xml']!)
    const numbering = strFromU8(docx['word/numbering.xml']!)
    const paragraph = [...document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => p).find((p) => p.includes('third measure'))!
    const level = /<w:ilvl w:val="(\d+)"\/>/.exec(paragraph)![1]
    const numId = /<w:numId w:val="(\d+)"\/>/.exec(paragraph)![1]
    const num = new RegExp(`<w:num w:numId="${numId}"[\\s\\S]*?</w:num>`).exec(numbering)![0]
    // Word numbers the paragraph from the start its instance overrides the level with: it must print "3.", not "1.".
    const start = new RegExp(`<w:lvlOverride w:ilvl="${level}">\\s*<w:startOverride w:val="(\\d+)"/>`).exec(num)?.[1]
    expect(start).toBe('3')
  })

  it('never holds a lettered list (a., b.), which no print and no hash could tell from a numbered one: an update giving a list a letter style is refused, nothing stored', async () => {
    const id = await importMarkdown('Lettered', 'The Council calls upon States:\n')
    const client = connectClient(server.wsUrl, id, tokens['secretariat']!)
    try {
      await client.synced
      const closed = new Promise<number>((resolve) => client.provider.ws?.addEventListener('close', (event) => resolve(event.code)))
      client.doc.getXmlFragment('body').insert(1, [element('orderedList', { start: 1, type: 'a' }, [listItem('To act;'), listItem('To report.')])])
      expect(await closed).toBe(4400)
    } finally {
      client.destroy()
    }
    expect(await exportedBody(id)).toBe('The Council calls upon States:\n')
  })
})

describe('adopting', () => {
  it('keeps the adoption event as a title is kept: composed, on one line, without the bidi overrides that would print it reversed; a control character is 400', async () => {
    const id = await importMarkdown('Event', 'Text.\n')
    for (const [body, as] of [
      [{ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'],
      [{ to: 'consolidation' }, 'secretariat'],
      [{ to: 'final', confirm: true }, 'mateo'],
    ] as const) expect((await move(id, body, as)).status).toBe(200)
    const refused = await move(id, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-09-14', event: 'Kuala\u0007Lumpur' }, 'secretariat')
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_character')
    const adopted = await move(id, { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-09-14', event: '  Congre\u0300s\n de \u202eruopmuL alauK\u202c  ' }, 'secretariat')
    expect(adopted.status).toBe(200)
    const resolution = (await (await get(`/api/resolutions/${id}`)).json()) as { adoption: { event: string } }
    expect(resolution.adoption.event).toBe('Congrès de ruopmuL alauK')
  })


  it('refuses an adoption date that is not a calendar date (400), instead of printing a cut-off string on the adopted text for good', async () => {
    for (const adoptedAt of ['August 31, 2019', '2019-02-30', '1']) {
      const id = await importMarkdown(`Adopted on ${adoptedAt}`, 'The only paragraph.\n')
      for (const [body, as] of [
        [{ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'],
        [{ to: 'consolidation' }, 'secretariat'],
        [{ to: 'final', confirm: true }, 'mateo'],
      ] as const) expect((await move(id, body, as)).status).toBe(200)
      const response = await move(id, { to: 'adopted', adoptedBy: 'Council', adoptedAt }, 'secretariat')
      const answer = (await response.json()) as { stage?: string; stamp?: { date: string }; error?: { code: string } }
      // Accepted today: "August 31," (the first ten characters), "2019-02-30", "1" become the adoption date on every export, and an adopted text never moves again.
      expect({ adoptedAt, status: response.status, code: answer.error?.code, stamp: answer.stamp }).toEqual({ adoptedAt, status: 400, code: 'invalid_date', stamp: undefined })
    }
  })
})
