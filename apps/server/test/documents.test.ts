import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment, ImportPreview, ImportWarning, Redline } from '@hemicycle/protocol'
import { findBlock } from '@hemicycle/amendments'
import { buildRedlineModel, computeRedline, type ModelBlock } from '@hemicycle/documents'
import { BLOCK_ID, numberBlocks, parseResolutionMarkdown, readBody, serializeMarkdownBody, splitResolutionFile, wrapLines } from '@hemicycle/schema'
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
import * as Y from 'yjs'
import { SERVER_ORIGIN } from '../src/collab/origin.ts'
import { FIXTURE_PATH } from '../src/config.ts'
import { DOCX_STYLE_MAP } from '../src/documents/docxReading.ts'
import { htmlToBody } from '../src/documents/importHtml.ts'
import { renderRedlineDocx } from '../src/documents/redlineDocx.ts'
import { connectClient, eventually, expectError, startTestServer, type TestServer, typeIntoBlock } from './harness.ts'
import { LibreOffice } from './libreoffice.ts'

let server: TestServer
const tokens: Record<string, string> = {}
/** The server's clock: set forward between steps, so a date printed can be told from another. */
const clock = new Date('2026-11-23T09:00:00Z')
const libreOffice = new LibreOffice()
/** LibreOffice starts in seconds, more on a busy machine. */
const LIBREOFFICE_TIMEOUT = 120_000
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-documents-'))
const fixture = readFileSync(FIXTURE_PATH, 'utf8')
/** The fixture's paragraphs, in order, as plain text. */
const fixtureParagraphs: string[] = []
parseResolutionMarkdown(fixture).doc.descendants((node) => {
  if (node.isTextblock) fixtureParagraphs.push(node.textContent)
  return !node.isTextblock
})

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'kwame', 'lucia', 'erik', 'ingrid', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
  libreOffice.dispose()
  rmSync(workdir, { recursive: true, force: true })
})

const get = (path: string, as = 'tomas') => server.api(path, { token: tokens[as]! })
const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const doc = (path: string) => `/api/resolutions/${server.resolutionId}/${path}`

async function bytes(response: Response, type: string): Promise<Uint8Array> {
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(200)
  expect(response.headers.get('content-type')).toContain(type)
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+"$/)
  return new Uint8Array(await response.arrayBuffer())
}
const docxBytes = (response: Response) => bytes(response, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
const pdfBytes = (response: Response) => bytes(response, 'application/pdf')

/** A part of a DOCX package, as text: the file must open as a zip. */
function part(docx: Uint8Array, name: string): string {
  const file = unzipSync(docx)[name]
  if (!file) throw new Error(`no ${name} in the package`)
  return strFromU8(file)
}

const decodeXml = (text: string) =>
  text.replace(/&(#\d+|amp|lt|gt|quot|apos);/g, (_, name: string) =>
    name[0] === '#' ? String.fromCodePoint(Number(name.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name]!,
  )

interface WordParagraph {
  text: string
  xml: string
}

/** The paragraphs of word/document.xml, their text read from the runs, leaving out Hemicycle's number runs (§, lines). */
function wordParagraphs(xml: string): WordParagraph[] {
  const body = xml.slice(xml.indexOf('<w:body>'))
  return [...body.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([paragraph]) => {
    const runs = [...paragraph.matchAll(/<w:r>[\s\S]*?<\/w:r>|<w:r [\s\S]*?<\/w:r>/g)].map(([run]) => run)
    const text = runs
      .filter((run) => !run.includes('w:val="HemicycleNumber"'))
      .map((run) => [...run.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((match) => decodeXml(match[1]!)).join(''))
      .join('')
    return { text, xml: paragraph }
  })
}

/** The text of a PDF as pdftotext (poppler) reads it, one line per line, page footers left out. */
function pdfText(pdf: Uint8Array): string {
  expect(strFromU8(pdf.slice(0, 5))).toBe('%PDF-')
  const path = join(workdir, `document-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
}

/** PDF text as one line: page footers and § labels out, line breaks and spacing collapsed, so a paragraph reads in one piece. */
const flat = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/ — page \d+\/\d+$/.test(line) && !/^§\d+$/.test(line.trim()))
    .join(' ')
    .replace(/[\s\u00a0]+/g, ' ')
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim()

function form(name: string, content: Uint8Array | string): FormData {
  const body = new FormData()
  body.append('file', new File([content as Uint8Array<ArrayBuffer>], name))
  return body
}

function upload(name: string, content: Uint8Array | string, as = 'secretariat') {
  return server.api('/api/resolutions/import', { method: 'POST', body: form(name, content), token: tokens[as]! })
}

describe('exporting a resolution', () => {
  it('writes a DOCX whose document.xml holds the header, title, stamp and event, then every paragraph in order, bold kept', async () => {
    const started = performance.now()
    const docx = await docxBytes(await get(doc('export.docx')))
    const elapsed = performance.now() - started
    const paragraphs = wordParagraphs(part(docx, 'word/document.xml'))
    expect(paragraphs.slice(0, 4).map((paragraph) => paragraph.text)).toEqual([
      'PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA PROGRESISTA',
      'Résolution : cohésion sociale et progrès',
      'PROJET 03 juillet 2019',
      '30-31 août 2019, Kuala Lumpur, Malaisie',
    ])
    expect(paragraphs.slice(4).map((paragraph) => paragraph.text)).toEqual(fixtureParagraphs)
    const bold = paragraphs.find((paragraph) => paragraph.text === "L'Alliance progressiste offre une vision d'un avenir meilleur pour tous.")!
    expect(bold.xml).toMatch(/<w:b\/>/)
    expect(paragraphs[4]!.xml).not.toMatch(/<w:b\/>/)
    // § numbers count paragraphs: the first paragraph is §1, the seventh §7.
    expect(paragraphs[4]!.xml).toContain('>§1<')
    expect(paragraphs[10]!.xml).toContain('>§7<')
    console.info(`export.docx: ${docx.length} bytes in ${elapsed.toFixed(0)} ms`)
  })

  it('writes a PDF whose text holds the title, the stamp, the event and every paragraph', async () => {
    const started = performance.now()
    const pdf = await pdfBytes(await get(doc('export.pdf')))
    const elapsed = performance.now() - started
    const text = flat(pdfText(pdf))
    expect(text).toContain('PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA PROGRESISTA')
    expect(text).toContain('Résolution : cohésion sociale et progrès')
    expect(text).toContain('PROJET 03 juillet 2019')
    expect(text).toContain('30-31 août 2019, Kuala Lumpur, Malaisie')
    for (const paragraph of fixtureParagraphs) expect(text).toContain(squash(paragraph))
    let at = -1
    for (const paragraph of fixtureParagraphs) {
      const next = text.indexOf(squash(paragraph), at + 1)
      expect(next, paragraph.slice(0, 40)).toBeGreaterThan(at)
      at = next
    }
    console.info(`export.pdf: ${pdf.length} bytes in ${elapsed.toFixed(0)} ms`)
  })

  it('numbers the lines as the schema does, 80 characters a line, in HTML, DOCX and PDF alike', async () => {
    const blocks = numberBlocks(parseResolutionMarkdown(fixture).doc)
    const last = blocks[blocks.length - 1]!.lastLine
    const html = await (await get(doc('export.html?lines=1'))).text()
    const numbers = [...html.matchAll(/<span class="ln">(\d+)<\/span>/g)].map((match) => Number(match[1]))
    expect(numbers).toEqual(Array.from({ length: last }, (_, index) => index + 1))
    expect(html).toContain('<div class="stamp">PROJET 03 juillet 2019</div>')
    expect(html).toMatch(/<span class="number">§7<\/span>/)

    const docx = await docxBytes(await get(doc('export.docx?lines=1')))
    const xml = part(docx, 'word/document.xml')
    const lineRuns = [...xml.matchAll(/<w:rStyle w:val="HemicycleNumber"\/><\/w:rPr><w:t(?: [^>]*)?>(\d+)<\/w:t>/g)].map((match) => Number(match[1]))
    expect(lineRuns).toEqual(Array.from({ length: last }, (_, index) => index + 1))

    const pdf = pdfText(await pdfBytes(await get(doc('export.pdf?lines=1'))))
    const printed = pdf.split('\n').map((line) => line.trim())
    expect(printed).toContain(String(last))
    expect(printed).not.toContain(String(last + 1))
    // Each cited line is a line of its own in the PDF, exactly as wrapLines cut it.
    expect(printed).toContain('Nous vivons une époque de changements rapides. Les nouvelles technologies')
  })

  it('writes in the line-numbered DOCX the words its fonts lack as they are, never "�" as the file\'s text', async () => {
    // Found by a hostile review: the file a delegation edits and sends back held "�� (Japan) and ��� �" as its words.
    const words = 'Welcomes the delegation of 日本 (Japan) and नेपाल 👍.'
    const created = (await (await upload('scripts.md', `---\ntitle: "Scripts"\nstatus: DRAFT\nlanguage: en\n---\n\n${words}\n`)).json()) as { id: string }
    for (const lines of ['1', '0']) {
      const xml = part(await docxBytes(await get(`/api/resolutions/${created.id}/export.docx?lines=${lines}`)), 'word/document.xml')
      expect(wordParagraphs(xml).map(({ text }) => text), `lines=${lines}`).toContain(words)
      expect(xml).not.toContain('\uFFFD')
    }
  })

  it('keeps the screen\'s numbering when LibreOffice lays out the line-numbered DOCX: every line numbered, none wrapped again', async () => {
    const blocks = numberBlocks(parseResolutionMarkdown(fixture).doc)
    const last = blocks[blocks.length - 1]!.lastLine
    expect(last).toBe(88)
    const docx = await docxBytes(await get(doc('export.docx?lines=1')))
    // The widest letters there are, in three scripts: lines that only fit set smaller.
    const wide = ['WWWWWWWWW MMMMMMMMMM', 'ШШШШШШШШШ ЖЖЖЖЖЖЖЖЖЖ', 'ჭჭჭჭჭჭჭჭჭ ლლლლლლლლლლ'].map((words) => Array.from({ length: 8 }, () => words).join(' ')).join('\n\n')
    const created = (await (await upload('wide.md', `---\ntitle: "Test of widths"\nstatus: DRAFT\nlanguage: en\n---\n\n${wide}\n`)).json()) as { id: string }
    const wideDocx = await docxBytes(await get(`/api/resolutions/${created.id}/export.docx?lines=1`))
    const [converted, wideConverted] = await libreOffice.convert([{ name: 'lined.docx', bytes: docx }, { name: 'wide.docx', bytes: wideDocx }], 'pdf')
    const wideLines = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', wideConverted!, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[\dWMШЖჭლ]/.test(line))
    expect(wideLines.map((line) => line.split(/ +/)[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9'])
    const layout = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', converted!, '-'], { encoding: 'utf8' }).split('\n')
    // The text starts at line 1; from there, every line LibreOffice set is a numbered line or a page footer.
    const body = layout
      .slice(layout.findIndex((line) => /^1 +§1 +Nous vivons/.test(line)))
      .map((line) => line.trimStart())
      .filter((line) => line.length > 0 && !/ — page — \d+ \/ \d+$/.test(line))
    expect(body.filter((line) => !/^\d+ /.test(line)), 'lines LibreOffice wrapped again, without a number').toEqual([])
    expect(body.map((line) => Number(/^(\d+) /.exec(line)![1]))).toEqual(Array.from({ length: last }, (_, index) => index + 1))
    // Each numbered line holds the words the numbering gives it.
    const lines = blocks.flatMap((block) => wrapLines(block.text))
    body.forEach((line, index) => expect(squash(line.replace(/^\d+ +(§\d+ +)?/, ''))).toBe(squash(lines[index]!)))
    // LibreOffice set the lines in the fonts the file carries, not a substitute of other widths.
    expect(execFileSync('pdffonts', [converted!], { encoding: 'utf8' })).toContain('NotoSerif-Regular')
  }, LIBREOFFICE_TIMEOUT)

  it('writes a DOCX Word and LibreOffice can open when a text stored before such characters were refused holds one XML cannot carry', async () => {
    const created = (await (await upload('anciens.md', '---\ntitle: Caractères anciens\nlanguage: fr\n---\n\nParis et Lyon.\n')).json()) as { id: string }
    // As it was stored before the routes refused them: written by the server, no guard between.
    const live = await server.hemicycle.services.collab.open(created.id)
    const words = (live.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    live.doc.transact(() => words.insert(3, '\uffff\u0001\ufffe'), SERVER_ORIGIN)
    const docx = await docxBytes(await get(`/api/resolutions/${created.id}/export.docx`))
    // An outside reader: before, LibreOffice refused the file ("source file could not be loaded") and wrote nothing.
    const [converted] = await libreOffice.convert([{ name: 'anciens.docx', bytes: docx }], 'txt')
    // U+FFFF and U+FFFE marked; the writer itself already left U+0001 out.
    expect(readFileSync(converted!, 'utf8')).toContain('Par\ufffd\ufffdis et Lyon.')
  }, LIBREOFFICE_TIMEOUT)

  it('writes HTML with the stamp, bold and italic', async () => {
    const response = await get(doc('export.html'))
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('<html lang="fr">')
    expect(html).toContain('<h1 class="title">Résolution : cohésion sociale et progrès</h1>')
    expect(html).toContain("<strong>L'Alliance progressiste offre une vision d'un avenir meilleur pour tous.</strong>")
  })

  it('answers an unknown resolution or version with 404, a malformed one with 400, and strangers with 401', async () => {
    await expectError(await get('/api/resolutions/nope/export.pdf'), 404, 'not_found')
    await expectError(await get(doc('export.docx?version=99')), 404, 'not_found')
    await expectError(await get(doc('export.pdf?version=first')), 400, 'invalid_request')
    await expectError(await get(doc('export.html?lines=yes')), 400, 'invalid_request')
    await expectError(await server.api(doc('export.pdf')), 401, 'unauthorized')
  })
})

describe('Markdown in and out', () => {
  it('gives back a saved version exactly as imported, text and metadata, after the text has changed', async () => {
    const source = '---\ntitle: "Resolution on campaigns"\nstatus: DRAFT\ndraft_date: 2026-10-01\nevent: "Council, Berlin"\nlanguage: en\ncommittee: campaigns\n---\n\n# Preamble\n\nWe *note* the **campaigns**.\n\n- first\n- second\n'
    const created = (await (await upload('campaigns.md', source)).json()) as { id: string }
    const client = connectClient(server.wsUrl, created.id, tokens['claire']!)
    await client.synced
    const first = readBody(client.doc).child(1).attrs['id'] as string
    typeIntoBlock(client.doc, first, 0, 'Today ')
    await client.saved()
    client.destroy()
    const saved = await post(`/api/resolutions/${created.id}/versions`, { label: 'after Claire' }, 'secretariat')
    expect(saved.status).toBe(201)

    const original = await (await get(`/api/resolutions/${created.id}/export.md?version=1`)).text()
    expect(original).toBe(source)
    const current = await (await get(`/api/resolutions/${created.id}/export.md`)).text()
    expect(current).toBe(source.replace('We *note*', 'Today We *note*'))
    expect(await (await get(`/api/resolutions/${created.id}/export.md?version=2`)).text()).toBe(current)
    const pdf = flat(pdfText(await pdfBytes(await get(`/api/resolutions/${created.id}/export.pdf?version=1`))))
    expect(pdf).toContain('DRAFT 01 October 2026')
    expect(pdf).not.toContain('Today')
  })
})

/**
 * `body` imported as Markdown reads back as itself, and so does the DOCX Hemicycle exports of it: as sent back, and
 * as a delegation that opened it in LibreOffice and saved it sends it back, without a warning.
 */
async function expectDocxRoundTrip(name: string, body: string) {
  const markdown = await upload(`${name}.md`, `---\ntitle: ${name}\nlanguage: fr\n---\n\n${body}`)
  expect(markdown.status).toBe(201)
  const { id } = (await markdown.json()) as { id: string }
  expect(splitResolutionFile(await (await get(`/api/resolutions/${id}/export.md`)).text()).body).toBe(body)
  const docx = await docxBytes(await get(`/api/resolutions/${id}/export.docx`))
  const [resaved] = await libreOffice.convert([{ name: `${name}-resaved.docx`, bytes: docx }], 'docx')
  for (const [file, bytes] of [[`${name}.docx`, docx], [`${name}-resaved.docx`, new Uint8Array(readFileSync(resaved!))]] as const) {
    const exported = await upload(file, bytes)
    expect(exported.status).toBe(201)
    const created = (await exported.json()) as { id: string; warnings: ImportWarning[] }
    expect(splitResolutionFile(await (await get(`/api/resolutions/${created.id}/export.md`)).text()).body, file).toBe(body)
    expect(created.warnings).toEqual([])
  }
}

describe('importing a Word draft', () => {
  it('reads back the DOCX it exports: same text, same metadata', async () => {
    const docx = await docxBytes(await get(doc('export.docx')))
    const response = await upload('cohesion.docx', docx)
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; title: string; stage: string; stamp: { label: string; date: string }; language: string }
    // Its own page footer is Hemicycle's printing, not something the draft loses.
    expect(created).toMatchObject({ title: 'Résolution : cohésion sociale et progrès', stage: 'draft', stamp: { label: 'PROJET', date: '2019-07-03' }, language: 'fr', warnings: [] })
    expect(await (await get(`/api/resolutions/${created.id}/export.md`)).text()).toBe(fixture)
  })

  it('reads back the lists of the DOCX it exports: their numbers, starts and nesting, and two lists side by side', async () => {
    const body = 'Le Conseil :\n\n3. demande ;\n4. exige :\n   1. d’abord,\n   2. ensuite ;\n\n\n1) invite.\n\n- une puce\n- deux puces\n\nFin.\n'
    const markdown = await upload('listes.md', `---\ntitle: Listes\nlanguage: fr\n---\n\n${body}`)
    expect(markdown.status).toBe(201)
    const { id } = (await markdown.json()) as { id: string }
    const exported = await upload('listes.docx', await docxBytes(await get(`/api/resolutions/${id}/export.docx`)))
    expect(exported.status).toBe(201)
    const created = (await exported.json()) as { id: string; warnings: ImportWarning[] }
    expect(created.warnings).toEqual([])
    expect(splitResolutionFile(await (await get(`/api/resolutions/${created.id}/export.md`)).text()).body).toBe(body)
  })

  it('reads back an empty paragraph of the DOCX it exports as an empty paragraph, so every later § keeps its number', async () => {
    // First, twice in a row, beside a heading and a list (neither numbered), and last.
    const body = '<!---->\n\nPremier.\n\n<!---->\n\n<!---->\n\n## Titre\n\n<!---->\n\n1. un ;\n2. deux.\n\nSixième.\n\n<!---->\n'
    await expectDocxRoundTrip('vide', body)
  })

  it('reads back a list item\'s later paragraphs, a quoted heading and a quoted list of the DOCX it exports, as sent and as LibreOffice saves it: every later § keeps its number, every quoted number its place, an empty item stays', async () => {
    // Word numbers paragraphs, not items: set as plain indented paragraphs, later paragraphs came back as §s of their
    // own; a quoted list, set as quoted paragraphs with its numbers printed, came back without them; a quoted heading
    // came back outside its quote.
    const body =
      'Premier.\n\n1. d’abord ;\n\n   suite du premier point.\n   - une puce\n\n     suite de la puce.\n\n   encore le premier point.\n2. ensuite.\n\nDeux.\n\n' +
      '> L’article dit :\n>\n> ## Article 3\n>\n> 3. troisièmement ;\n> 4. quatrièmement :\n>    - une puce citée.\n\n1. après la citation.\n2. <!---->\n3. après un point vide.\n\nDernier.\n'
    await expectDocxRoundTrip('suites', body)
  })

  it('reads back a heading inside a list item of the DOCX it exports, as sent and as LibreOffice saves it: the item goes on after it, and the list', async () => {
    // Set as Word's plain heading, it came back outside the list: the item ended there, its next paragraph became a §
    // of its own, and the list started again after it.
    const body =
      'Premier.\n\n1. d’abord :\n\n   ## Titre du point\n\n   suite du point.\n   - une puce :\n\n     ### Titre de la puce\n\n     suite de la puce.\n2. ensuite.\n\nFin.\n'
    await expectDocxRoundTrip('titres', body)
  })

  it('imports a Word draft Hemicycle did not write, keeping headings, paragraphs, lists, bold and italic', async () => {
    const draft = new Document({
      numbering: { config: [{ reference: 'points', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] }] },
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Resolución sobre la vivienda')] }),
            new Paragraph({ children: [new TextRun('PROYECTO 12 de marzo de 2026')] }),
            new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Preámbulo')] }),
            new Paragraph({ children: [new TextRun('La vivienda es un '), new TextRun({ text: 'derecho', bold: true }), new TextRun(' y no una '), new TextRun({ text: 'mercancía', italics: true }), new TextRun('.')] }),
            new Paragraph({ numbering: { reference: 'points', level: 0 }, children: [new TextRun('Alquileres justos')] }),
            new Paragraph({ numbering: { reference: 'points', level: 0 }, children: [new TextRun('Vivienda pública')] }),
            new Paragraph({ children: [new TextRun('Segundo párrafo.')] }),
          ],
        },
      ],
    })
    const response = await upload('vivienda.docx', new Uint8Array(await Packer.toBuffer(draft)))
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string }
    const markdown = await (await get(`/api/resolutions/${created.id}/export.md`)).text()
    const { frontMatter, body } = splitResolutionFile(markdown)
    expect(frontMatter).toMatchObject({ title: 'Resolución sobre la vivienda', status: 'PROYECTO', draft_date: '2026-03-12', language: 'es' })
    expect(body).toBe('# Preámbulo\n\nLa vivienda es un **derecho** y no una *mercancía*.\n\n- Alquileres justos\n- Vivienda pública\n\nSegundo párrafo.\n')
    const pdf = flat(pdfText(await pdfBytes(await get(`/api/resolutions/${created.id}/export.pdf`))))
    expect(pdf).toContain('PROYECTO 12 de marzo de 2026')
  })

  it('says what a Word draft held that the text cannot keep, before anything is created, and asks about pending tracked changes', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] })
    const revision = { date: '2026-03-01T10:00:00Z' }
    const draft = new Document({
      comments: { children: [{ id: 0, author: 'Erik', date: new Date('2026-03-01'), children: [new Paragraph('Is this right?')] }] },
      footnotes: { 1: { children: [new Paragraph('A note at the foot.')] } },
      sections: [
        {
          headers: { default: new Header({ children: [new Paragraph('Confidential draft')] }) },
          children: [
            new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Resolution on housing')] }),
            new Paragraph({ children: [new TextRun('Housing is a right'), new FootnoteReferenceRun(1), new TextRun(', not a '), new TextRun({ text: 'commodity', strike: true }), new TextRun(' market.')] }),
            new Table({ rows: [new TableRow({ children: [cell('Country'), cell('Rent cap')] }), new TableRow({ children: [cell('Chile'), cell('Yes')] })] }),
            new Paragraph({ children: [new TextRun('We '), new InsertedTextRun({ text: 'warmly ', id: 1, author: 'Lucía Fernández', ...revision }), new DeletedTextRun({ text: 'coldly ', id: 2, author: 'Erik Lindqvist', ...revision }), new TextRun('welcome it.')] }),
            new Paragraph({ children: [new CommentRangeStart(0), new TextRun('A commented sentence.'), new CommentRangeEnd(0), new TextRun({ children: [new CommentReference(0)] })] }),
            new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 10, height: 10 } })] }),
            new Paragraph('Last paragraph.'),
          ],
        },
      ],
    })
    const bytes = new Uint8Array(await Packer.toBuffer(draft))
    const count = async () => ((await (await get('/api/resolutions')).json()) as unknown[]).length
    const before = await count()

    const dry = await server.api('/api/resolutions/import?dryRun=1', { method: 'POST', body: form('housing.docx', bytes), token: tokens['secretariat']! })
    expect(dry.status).toBe(200)
    const preview = (await dry.json()) as ImportPreview
    expect(preview.warnings.map((warning) => warning.code)).toEqual(['tables', 'tracked_changes', 'strikethrough', 'comments', 'images', 'headers_footers', 'notes'])
    const warning = (code: string) => preview.warnings.find((entry) => entry.code === code)!
    expect(warning('tables')).toMatchObject({ count: 1 })
    expect(warning('tracked_changes')).toMatchObject({ count: 2, choices: ['accept', 'reject'] })
    expect(warning('tracked_changes').message).toContain('Lucía Fernández, Erik Lindqvist')
    expect(warning('images')).toMatchObject({ count: 1 })
    expect(warning('headers_footers').message).toContain('"Confidential draft"')
    // The table is two paragraphs, one per row: the text after it keeps its §.
    expect(preview).toMatchObject({ title: 'Resolution on housing', paragraphs: 6 })
    expect(splitResolutionFile(preview.markdown).body).toBe('Housing is a right, not a commodity market.\n\nCountry | Rent cap\n\nChile | Yes\n\nWe warmly welcome it.\n\nA commented sentence.\n\nLast paragraph.\n')
    expect(await count()).toBe(before)

    // Pending changes are never decided silently.
    await expectError(await upload('housing.docx', bytes), 422, 'tracked_changes')
    expect(await count()).toBe(before)
    const rejected = await server.api('/api/resolutions/import?trackedChanges=reject', { method: 'POST', body: form('housing.docx', bytes), token: tokens['secretariat']! })
    expect(rejected.status).toBe(201)
    const created = (await rejected.json()) as { id: string; warnings: ImportWarning[] }
    expect(created.warnings.find((entry) => entry.code === 'tracked_changes')!.message).toContain('were rejected')
    expect(await (await get(`/api/resolutions/${created.id}/export.md`)).text()).toContain('\n\nWe coldly welcome it.\n\n')
    await expectError(await server.api('/api/resolutions/import?trackedChanges=maybe', { method: 'POST', body: form('housing.docx', bytes), token: tokens['secretariat']! }), 400, 'invalid_request')
  })

  it('recognises a redline or an amendments booklet it printed, and refuses to import it as a draft', async () => {
    for (const file of ['redline.docx?from=1', 'booklet.docx']) {
      const bytes = await docxBytes(await get(doc(file)))
      await expectError(await upload(file.replace(/\?.*$/, ''), bytes), 422, 'not_a_draft')
    }
  })

  it('refuses its line-numbered print as a draft, saying which file to import: read back, its lists came in as numbered paragraphs', async () => {
    const lined = await docxBytes(await get(doc('export.docx?lines=1')))
    // Also as LibreOffice saves it again, and as printed before the print said so in its properties.
    const [resaved] = await libreOffice.convert([{ name: 'lined-resaved.docx', bytes: lined }], 'docx')
    const files = unzipSync(lined)
    const unsaid = zipSync({ ...files, 'docProps/custom.xml': strToU8(strFromU8(files['docProps/custom.xml']!).replace('lined resolution', 'resolution')) })
    const before = ((await (await get('/api/resolutions')).json()) as unknown[]).length
    for (const [name, bytes] of [['lined.docx', lined], ['lined-resaved.docx', new Uint8Array(readFileSync(resaved!))], ['lined-unsaid.docx', unsaid]] as const) {
      const refused = await expectError(await upload(name, bytes), 422, 'not_a_draft')
      expect(refused.message, name).toContain('line-numbered print')
      expect(refused.message, name).toContain('export.docx without line numbers')
    }
    expect(((await (await get('/api/resolutions')).json()) as unknown[]).length).toBe(before)
    // The print without line numbers is still a draft to read back.
    expect((await upload('flowing.docx', await docxBytes(await get(doc('export.docx'))))).status).toBe(201)
  })

  it('refuses a corrupt, empty, oversized or non-DOCX file with a clear error, creating nothing', async () => {
    const count = async () => ((await (await get('/api/resolutions')).json()) as unknown[]).length
    const before = await count()
    await expectError(await upload('corrupt.docx', new TextEncoder().encode('this is not a zip at all')), 422, 'invalid_docx')
    await expectError(await upload('empty-zip.docx', zipSync({ 'hello.txt': new TextEncoder().encode('hi') })), 422, 'invalid_docx')
    const truncated = await docxBytes(await get(doc('export.docx')))
    await expectError(await upload('truncated.docx', truncated.slice(0, truncated.length / 2)), 422, 'invalid_docx')
    await expectError(await upload('empty.docx', new Uint8Array(0)), 422, 'empty_file')
    await expectError(await upload('huge.docx', new Uint8Array(6 * 1024 * 1024)), 413, 'payload_too_large')
    await expectError(await upload('draft.doc', new TextEncoder().encode('old Word')), 422, 'unsupported_format')
    const blank = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Only a title')] })] }] })))
    await expectError(await upload('blank.docx', blank), 422, 'empty_document')
    await expectError(await upload('by-a-delegate.docx', truncated, 'claire'), 403, 'forbidden')
    expect(await count()).toBe(before)
  })
})

describe('the amendments booklet and the redline', () => {
  const blocks: string[] = []
  const texts: string[] = []
  const numbers: Record<string, string> = {}

  beforeAll(async () => {
    const client = connectClient(server.wsUrl, server.resolutionId, tokens['claire']!)
    await client.synced
    readBody(client.doc).forEach((node) => {
      blocks.push(node.attrs['id'] as string)
      texts.push(node.textContent)
    })
    // Claire edits the draft herself before amendments open: a change that belongs to her, not to an amendment.
    typeIntoBlock(client.doc, blocks[1]!, 0, 'Depuis toujours, ')
    // …and in the paragraph an amendment will change later: each change there must keep its own author.
    typeIntoBlock(client.doc, blocks[6]!, texts[6]!.length, ' Maintenant.')
    // Changes of formatting and of structure, which a diff of the words alone does not see: a word no longer bold, a
    // paragraph made a heading (the editor writes a new element, keeping the block's id).
    ;(findBlock(client.doc, blocks[5]!)!.element.get(0) as Y.XmlText).format(0, texts[5]!.indexOf(' '), { bold: null })
    client.doc.transact(() => {
      const { parent, index } = findBlock(client.doc, blocks[8]!)!
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', 2 as unknown as string)
      heading.setAttribute(BLOCK_ID, blocks[8]!)
      const words = new Y.XmlText()
      heading.insert(0, [words])
      words.insert(0, texts[8]!)
      parent.delete(index, 1)
      parent.insert(index, [heading])
    })
    // …and a paragraph put in a bulleted list: its bullet is tracked with it, so rejecting it leaves none behind.
    client.doc.transact(() => {
      const { parent, index } = findBlock(client.doc, blocks[10]!)!
      const [list, item, paragraph, words] = [new Y.XmlElement('bulletList'), new Y.XmlElement('listItem'), new Y.XmlElement('paragraph'), new Y.XmlText()]
      paragraph.setAttribute(BLOCK_ID, blocks[10]!)
      paragraph.insert(0, [words])
      words.insert(0, texts[10]!)
      item.insert(0, [paragraph])
      list.insert(0, [item])
      parent.delete(index, 1)
      parent.insert(index, [list])
    })
    await client.saved()
    client.destroy()

    // Amendments are tabled and decided an hour after Claire's edits, and the version saved an hour after that: each change keeps its own moment.
    clock.setTime(Date.parse('2026-11-23T10:00:00Z'))
    expect((await post(doc('stage'), { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const table = async (as: string, body: Record<string, unknown>) => {
      const response = await post(doc('amendments'), body, as)
      expect(response.status).toBe(201)
      return (await response.json()) as Amendment
    }
    const justice = await table('claire', { kind: 'replace', blockId: blocks[6], text: 'Notre vision allie le progrès social, la **justice** et la cohésion sociale. Maintenant.', justification: 'La justice manque.' })
    const deletion = await table('kwame', { kind: 'delete', blockId: blocks[9], justification: 'Redondant.' })
    const preamble = await table('lucia', { kind: 'insertAfter', blockId: null, text: '**Préambule.** Nous, partis progressistes,', justification: 'Ouvrir.' })
    const rejected = await table('erik', { kind: 'replace', blockId: blocks[3], text: texts[3]!.replace('tâche facile', 'tâche impossible'), justification: 'Réalisme.' })
    expect((await post(`/api/amendments/${justice.id}/cosponsor`, {}, 'kwame')).status).toBe(200)
    Object.assign(numbers, { justice: justice.number, deletion: deletion.number, preamble: preamble.number, rejected: rejected.number })
    expect((await post(doc('stage'), { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    for (const amendment of [justice, deletion, preamble]) expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    expect((await post(`/api/amendments/${rejected.id}/decision`, { decision: 'reject', reason: 'Trop pessimiste.' }, 'ingrid')).status).toBe(200)
    // The accepted wordings reach the update log within 100 ms, stamped with the server's clock: let them land before it moves on.
    await new Promise((resolve) => setTimeout(resolve, 300))
    clock.setTime(Date.parse('2026-11-23T11:00:00Z'))
    expect((await post(doc('versions'), { label: 'amended' }, 'secretariat')).status).toBe(201)
  })

  const latestVersion = async () => ((await (await get(doc('versions'))).json()) as Array<{ id: number }>).at(-1)!.id
  const redlineDocx = async () => docxBytes(await get(doc(`redline.docx?from=1&to=${await latestVersion()}`)))
  /** The w:ins and w:del of a redline, the self-closing ones (a paragraph mark) left out. */
  const revisionsOf = (xml: string) =>
    [...xml.matchAll(/<w:(ins|del) ([^>]*[^/])>([\s\S]*?)<\/w:\1>/g)].map(([, kind, attributes, content]) => ({
      kind: kind!,
      author: decodeXml(/w:author="([^"]*)"/.exec(attributes!)?.[1] ?? ''),
      date: /w:date="([^"]*)"/.exec(attributes!)?.[1] ?? '',
      text: [...content!.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((match) => decodeXml(match[1]!)).join(''),
    }))

  it('prints every amendment number in the PDF booklet, in the order of the text', async () => {
    const text = flat(pdfText(await pdfBytes(await get(doc('booklet.pdf')))))
    expect(text).toContain('Cahier des amendements')
    expect(text).toContain('4 amendements')
    const order = [numbers['preamble']!, numbers['rejected']!, numbers['justice']!, numbers['deletion']!].map((number) => text.indexOf(`${number} · `))
    expect(order.every((position) => position >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(text).toContain('Déposé par : Parti progressiste (France) — Claire Martin')
    expect(text).toContain('Cosignataires : Social Democratic Party (Ghana)')
    expect(text).toContain('Motif : Trop pessimiste.')
    expect(text).toContain('rejeté — Ingrid Johansson, 23 novembre 2026')
  })

  it('filters the DOCX booklet by status and by delegation, and marks the changed words', async () => {
    const headings = async (query: string) =>
      wordParagraphs(part(await docxBytes(await get(doc(`booklet.docx${query}`))), 'word/document.xml'))
        .map((paragraph) => paragraph.text)
        .filter((text) => /^A\d+ · /.test(text))
        .map((text) => text.split(' · ')[0])
    expect(await headings('')).toEqual([numbers['preamble'], numbers['rejected'], numbers['justice'], numbers['deletion']])
    expect(await headings('?status=rejected')).toEqual([numbers['rejected']])
    // Ghana tabled the deletion and co-sponsors the justice amendment.
    expect(await headings('?delegation=gh-sdp')).toEqual([numbers['justice'], numbers['deletion']])
    const xml = part(await docxBytes(await get(doc('booklet.docx?status=accepted'))), 'word/document.xml')
    expect(xml).toMatch(/<w:u w:val="single"\/>[\s\S]{0,200}<w:t(?: [^>]*)?>justice<\/w:t>/)
    expect(xml).toMatch(/<w:strike\/>/)
    await expectError(await get(doc('booklet.docx?status=maybe')), 400, 'invalid_status')
    await expectError(await get(doc('booklet.pdf?delegation=atlantis')), 404, 'not_found')
  })

  it('writes the redline from PROJET to the amended text as DOCX with real tracked changes, each authored by its amendment or delegation', async () => {
    const versions = (await (await get(doc('versions'))).json()) as Array<{ id: number; label: string }>
    const latest = versions[versions.length - 1]!.id
    const started = performance.now()
    const docx = await docxBytes(await get(doc(`redline.docx?from=1&to=${latest}`)))
    const elapsed = performance.now() - started
    const xml = part(docx, 'word/document.xml')
    // Revisions around runs; the self-closing ones mark a whole paragraph's mark as inserted or deleted.
    const revisions = [...xml.matchAll(/<w:(ins|del) ([^>]*[^/])>([\s\S]*?)<\/w:\1>/g)].map(([, kind, attributes, content]) => ({
      kind,
      author: decodeXml(/w:author="([^"]*)"/.exec(attributes!)?.[1] ?? ''),
      text: [...content!.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((match) => decodeXml(match[1]!)).join(''),
    }))
    // The § numbers the changes moved are revisions too (checked below); here, the words.
    const by = (author: string) => revisions.filter((revision) => revision.author === author && !/^§\d+[a-z]*\t$/.test(revision.text))
    expect(revisions.every((revision) => revision.author.length > 0 && /w:date="\d{4}-/.test(xml))).toBe(true)
    const justice = by(`${numbers['justice']} · Parti progressiste (France)`)
    expect(justice.filter((revision) => revision.kind === 'ins').map((revision) => revision.text).join('')).toContain('justice')
    expect(justice.map((revision) => revision.text).join('')).not.toContain('Maintenant')
    const deletion = by(`${numbers['deletion']} · Social Democratic Party (Ghana)`)
    expect(deletion.filter((revision) => revision.kind === 'del').map((revision) => revision.text).join('')).toBe(texts[9])
    const preamble = by(`${numbers['preamble']} · Partido Socialista Progresista (Chili)`)
    expect(preamble.filter((revision) => revision.kind === 'ins').map((revision) => revision.text).join('')).toBe('Préambule. Nous, partis progressistes,')
    const claire = by('Parti progressiste (France) · Claire Martin')
    const firstWord = texts[5]!.slice(0, texts[5]!.indexOf(' '))
    expect(claire.map((revision) => [revision.kind, revision.text])).toEqual([
      ['ins', 'Depuis toujours, '],
      // Her formatting and structure changes, shown as the words struck as they were and inserted as they are.
      ['del', firstWord],
      ['ins', firstWord],
      ['ins', ' Maintenant.'],
      ['del', texts[8]],
      ['ins', texts[8]],
      ['del', texts[10]],
      ['ins', '•\t'],
      ['ins', texts[10]],
    ])
    expect(by(`${numbers['rejected']} · Arbetarpartiet (Suède)`)).toEqual([])
    expect(part(docx, 'word/settings.xml')).toContain('<w:trackRevisions/>')
    // Each change is dated when it was made or decided, not when the version was saved (11:00) nor when the file was made.
    const dated = revisionsOf(xml)
    expect(new Set(dated.filter((revision) => revision.author.startsWith('Parti progressiste (France) · Claire')).map((revision) => revision.date))).toEqual(new Set(['2026-11-23T09:00:00Z']))
    expect(new Set(dated.filter((revision) => /^A\d+ · /.test(revision.author)).map((revision) => revision.date))).toEqual(new Set(['2026-11-23T10:00:00Z']))
    // Numbers stand frozen through consolidation (CONTRACT.md): the preamble comes in as §0a, in its amendment's name,
    // and moves no other § (numbered live, it pushed every § down by one: the old numbers deleted, the new inserted).
    const renumbered = dated.filter((revision) => /^§\d+[a-z]*\t?$/.test(revision.text))
    expect(renumbered.filter((revision) => revision.author === preamble[0]!.author).map((revision) => [revision.kind, revision.text.trim()])).toEqual([['ins', '§0a']])
    // What renumbering there is comes from Claire's changes in the draft, before numbers froze, and the deleted §10.
    expect(new Set(renumbered.filter((revision) => revision.author !== preamble[0]!.author).map((revision) => revision.author))).toEqual(
      new Set(['Parti progressiste (France) · Claire Martin', `${numbers['deletion']} · Social Democratic Party (Ghana)`]),
    )
    console.info(`redline.docx: ${docx.length} bytes, ${revisions.length} revisions, in ${elapsed.toFixed(0)} ms`)
  })

  it('writes the redline as PDF with both the deleted and the inserted words, and who made them', async () => {
    const versions = (await (await get(doc('versions'))).json()) as Array<{ id: number }>
    const text = flat(pdfText(await pdfBytes(await get(doc(`redline.pdf?from=1&to=${versions[versions.length - 1]!.id}`)))))
    expect(text).toContain('Texte comparé')
    expect(text).toContain('Version 1 · PROJET 03 juillet 2019 · importée')
    expect(text).toContain(squash(texts[9]!))
    expect(text).toContain('justice')
    expect(text).toContain('Depuis toujours,')
    expect(text).toContain(`Modifié par : ${numbers['deletion']} · Social Democratic Party (Ghana)`)
  })

  it('gives the redline as JSON for the browser, each change with the amendment or person it came from', async () => {
    const versions = (await (await get(doc('versions'))).json()) as Array<{ id: number }>
    const redline = (await (await get(doc(`redline.json?from=1&to=${versions[versions.length - 1]!.id}`))).json()) as Redline
    const changes = redline.blocks.flatMap((block) => block.runs.filter((run) => run.change !== 'equal'))
    const by = (author: string) => changes.filter((run) => run.authors.includes(author)).map((run) => [run.change, run.text])
    const deleted = by(`${numbers['deletion']} · Social Democratic Party (Ghana)`)
    expect(deleted.every(([change]) => change === 'delete')).toBe(true)
    expect(deleted.map(([, text]) => text).join('')).toBe(texts[9])
    const firstWord = texts[5]!.slice(0, texts[5]!.indexOf(' '))
    expect(by('Parti progressiste (France) · Claire Martin')).toEqual([
      ['insert', 'Depuis toujours, '],
      ['delete', firstWord],
      ['insert', firstWord],
      ['insert', ' Maintenant.'],
      ['delete', texts[8]],
      ['insert', texts[8]],
      ['delete', texts[10]],
      ['insert', texts[10]],
    ])
    const whole = (block: Redline['blocks'][number]) => block.runs.filter((run) => run.change !== 'delete').map((run) => run.text).join('')
    const unbolded = redline.blocks.find((block) => block.status === 'changed' && whole(block) === texts[5])!.runs.filter((run) => run.change !== 'equal')
    expect(unbolded.map((run) => [run.change, run.bold ?? false, run.at])).toEqual([
      ['delete', true, '2026-11-23T09:00:00.000Z'],
      ['insert', false, '2026-11-23T09:00:00.000Z'],
    ])
    const headings = redline.blocks.filter((block) => block.runs.map((run) => run.text).join('') === texts[8]).map((block) => [block.status, block.kind, block.number])
    expect(headings).toEqual([
      ['deleted', 'paragraph', null],
      ['inserted', 'heading', null],
    ])
    expect(by(`${numbers['justice']} · Parti progressiste (France)`).map(([, text]) => text).join('')).toContain('justice')
    expect(changes.every((run) => run.authors.length > 0)).toBe(true)
    expect(redline.from).toMatch(/^Version 1 · PROJET 03 juillet 2019/)
  })

  it('LibreOffice reads the redline DOCX as tracked changes, one per change, each with its author', async () => {
    const docx = await redlineDocx()
    const expected = revisionsOf(part(docx, 'word/document.xml'))
    const [odt] = await libreOffice.convert([{ name: 'redline.docx', bytes: docx }], 'odt')
    const content = strFromU8(unzipSync(readFileSync(odt!))['content.xml']!)
    const regions = [...content.matchAll(/<text:changed-region[^>]*>\s*<text:(insertion|deletion)>([\s\S]*?)<\/text:\1>\s*<\/text:changed-region>/g)].map(([, kind, body]) => ({
      kind: kind === 'insertion' ? 'ins' : 'del',
      author: decodeXml(/<dc:creator>([^<]*)<\/dc:creator>/.exec(body!)?.[1] ?? ''),
      date: /<dc:date>([^<]*)<\/dc:date>/.exec(body!)?.[1] ?? '',
    }))
    // LibreOffice joins neighbouring revisions of one author, kind and moment into one change; it never drops one, nor changes whose it is or when.
    const key = (revision: { kind: string; author: string; date: string }) => `${revision.kind} · ${revision.author} · ${revision.date.replace(/(\.\d+)?Z?$/, '')}`
    const count = (list: ReadonlyArray<Parameters<typeof key>[0]>) => list.reduce((counts, revision) => counts.set(key(revision), (counts.get(key(revision)) ?? 0) + 1), new Map<string, number>())
    const found = count(regions)
    const written = count(expected)
    expect([...found.keys()].sort()).toEqual([...written.keys()].sort())
    for (const [revision, times] of found) expect(times, revision).toBeLessThanOrEqual(written.get(revision)!)
    expect(regions.length).toBeGreaterThanOrEqual(8)
  }, LIBREOFFICE_TIMEOUT)

  it('gives back the earlier version, text and § numbers, when LibreOffice rejects every change of the redline', async () => {
    const rejected = readFileSync(await libreOffice.rejectAll('redline.docx', await redlineDocx()))
    const html = (await mammoth.convertToHtml({ buffer: rejected }, { styleMap: DOCX_STYLE_MAP })).value
    const projet = splitResolutionFile(await (await get(doc('export.md?version=1'))).text()).body
    expect(serializeMarkdownBody(htmlToBody(html).doc)).toBe(projet)
    const numbersLeft = wordParagraphs(part(rejected, 'word/document.xml'))
      .map((paragraph) => [...paragraph.xml.matchAll(/<w:r>(?:(?!<\/w:r>)[\s\S])*?w:val="HemicycleNumber"(?:(?!<\/w:r>)[\s\S])*?<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]!.trim()).join(''))
      .filter((label) => label.startsWith('§'))
    expect(numbersLeft).toEqual(fixtureParagraphs.map((_, index) => `§${index + 1}`))
  }, LIBREOFFICE_TIMEOUT)

  it('gives back the earlier lists, bullets and numbers, when LibreOffice rejects every change of a redline between two lists', async () => {
    const item = (id: string, text: string, marker: string | null): ModelBlock => ({
      id,
      kind: 'paragraph',
      level: 0,
      number: null,
      paragraph: 0,
      section: '0',
      marker,
      depth: 1,
      quote: false,
      lists: 1,
      runs: [{ text }],
      lines: [[{ text }]],
      lineLabels: ['1'],
      pending: null,
    })
    // A list item's first paragraph deleted (its second takes the bullet), and an item put in a numbered list (those after it renumbered).
    const from = { blocks: [item('a', 'Premier point.', '•'), item('b', 'Suite du premier.', null), item('c', 'Un.', '1.'), item('e', 'Trois.', '2.')] }
    const to = { blocks: [item('b', 'Suite du premier.', '•'), item('c', 'Un.', '1.'), item('d', 'Deux.', '2.'), item('e', 'Trois.', '3.')] }
    const blocks = computeRedline(from, to, { insertedBy: () => null, deletedBy: () => null, touchedBy: () => ['person:claire'] })
    const side = (id: number) => ({ id, label: null, stamp: { label: 'PROJET', date: null }, createdAt: '2026-11-23T09:00:00Z' })
    const model = buildRedlineModel({ title: 'Listes', organisation: 'Alliance', language: 'fr' }, { from: side(1), to: side(2) }, blocks, new Map([['person:claire', 'Claire Martin']]))
    const rejected = readFileSync(await libreOffice.rejectAll('lists.docx', await renderRedlineDocx(model, new Date('2026-11-23T12:00:00Z'))))
    const label = (paragraph: WordParagraph) =>
      [...paragraph.xml.matchAll(/<w:r>(?:(?!<\/w:r>)[\s\S])*?w:val="HemicycleNumber"(?:(?!<\/w:r>)[\s\S])*?<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]!.trim()).join('')
    const read = wordParagraphs(part(rejected, 'word/document.xml')).map((paragraph) => `${label(paragraph)} ${paragraph.text}`.trim())
    expect(read.slice(-4)).toEqual(['• Premier point.', 'Suite du premier.', '1. Un.', '2. Trois.'])
  }, LIBREOFFICE_TIMEOUT)

  it('compares a version with the text as it stands: a change typed a second earlier is in the redline', async () => {
    clock.setTime(Date.parse('2026-11-23T12:00:00Z'))
    const client = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await client.synced
    typeIntoBlock(client.doc, blocks[2]!, texts[2]!.length, ' Dès aujourd’hui.')
    await client.saved()
    try {
      const redline = (await (await get(doc('redline.json?from=1'))).json()) as Redline
      expect(redline.to).toMatch(/^Texte actuel · PROJET 03 juillet 2019 · 23 novembre 2026/)
      const typed = redline.blocks.flatMap((block) => block.runs).filter((run) => run.text.includes('Dès aujourd’hui.'))
      expect(typed.map((run) => [run.change, run.authors, run.at])).toEqual([['insert', ['Arbetarpartiet (Suède) · Ingrid Johansson'], '2026-11-23T12:00:00.000Z']])
      expect(await (await get(doc('redline.json?from=1&to=current'))).json()).toEqual(redline)
      const pdf = flat(pdfText(await pdfBytes(await get(doc('redline.pdf?from=1')))))
      expect(pdf).toContain('Version 1 → Texte actuel')
      expect(pdf).toContain('Dès aujourd’hui.')
      const docx = await docxBytes(await get(doc('redline.docx?from=1&to=current')))
      expect(revisionsOf(part(docx, 'word/document.xml'))).toContainEqual({ kind: 'ins', author: 'Arbetarpartiet (Suède) · Ingrid Johansson', date: '2026-11-23T12:00:00Z', text: ' Dès aujourd’hui.' })
    } finally {
      client.destroy()
    }
  })

  it('names who typed a change the server took but has not stored yet, when compared with the text as it stands', async () => {
    clock.setTime(Date.parse('2026-11-23T12:30:00Z'))
    const client = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await client.synced
    const live = server.hemicycle.services.collab.peek(server.resolutionId)!
    const before = client.acknowledgements()
    typeIntoBlock(client.doc, blocks[4]!, 0, 'Sans délai, ')
    try {
      // Asked the moment the server holds the words, before it writes them (within PERSIST_INTERVAL_MS): the text shown and who typed it must come from the same moment.
      await eventually(() => expect(readBody(live.doc).textContent).toContain('Sans délai, '), { interval: 1 })
      expect(client.acknowledgements()).toBe(before)
      const redline = (await (await get(doc('redline.json?from=1'))).json()) as Redline
      const typed = redline.blocks.flatMap((block) => block.runs).filter((run) => run.text.includes('Sans délai'))
      expect(typed.map((run) => [run.change, run.text, run.authors])).toEqual([['insert', 'Sans délai, ', ['Arbetarpartiet (Suède) · Ingrid Johansson']]])
    } finally {
      client.destroy()
    }
  })

  it('asks for the earlier version, and knows only the saved ones', async () => {
    await expectError(await get(doc('redline.pdf')), 400, 'invalid_request')
    await expectError(await get(doc('redline.docx?from=1&to=now')), 400, 'invalid_request')
    await expectError(await get(doc('redline.pdf?from=1&to=99')), 404, 'not_found')
    await expectError(await get(doc('redline.json?from=99')), 404, 'not_found')
    await expectError(await server.api(doc('redline.docx?from=1&to=2')), 401, 'unauthorized')
  })

  it('are all described in the OpenAPI document', async () => {
    const openapi = (await (await server.api('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(
        ['export.md', 'export.html', 'export.docx', 'export.pdf', 'booklet.docx', 'booklet.pdf', 'redline.docx', 'redline.pdf', 'redline.json', 'record.pdf'].map((name) => `/api/resolutions/{id}/${name}`),
      ),
    )
  })
})
