import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARGIN, PAGE } from '../src/documents/pdfWriter.ts'
import { startTestServer, type TestServer } from './harness.ts'

/**
 * Printing in every script the alliance writes (Mongolian Cyrillic,
 * Georgian, Vietnamese, Greek, Filipino beside French), checked with
 * poppler's own reading of the PDFs; and the archival record of the adopted
 * text, checked with qpdf, poppler and a SHA-256 of its attachment.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-printing-'))

const TITLE = 'Нийгмийн эв нэгдэл ба дэвшил — სოციალური ერთიანობა & solidarité <sociale> : Tiếng Việt đoàn kết xã hội và tiến bộ'
const EVENT = 'Улаанбаатар — თბილისი — Manila — Kuala Lumpur, 2026'
const PARAGRAPHS = [
  'Монгол Ардын Нам: Өнөөдөр бид нийгмийн эв нэгдлийг дэмжинэ. Үүнийг бүх гишүүд баталлаа.',
  'საქართველოს სოციალ-დემოკრატები მხარს უჭერენ სოციალურ სამართლიანობას და თანასწორობას.',
  'Chúng tôi ủng hộ quyền của người lao động, đoàn kết xã hội và tiến bộ cho mọi người.',
  'Ang mga manggagawa ay may karapatan sa makatarungang sahod. Ελληνικά: Δημοκρατία και αλληλεγγύη.',
]
const MARKDOWN = `---
title: "${TITLE}"
status: PROJET
draft_date: 2026-03-12
event: "${EVENT}"
organisation: "Progressive Alliance / Прогрессив холбоо / პროგრესული ალიანსი"
language: fr
---

${PARAGRAPHS.join('\n\n')}

Un emoji 🦀 ne s’imprime pas : il laisse une marque visible.
`
let id = ''

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'mateo', 'tomas']) tokens[name] = await server.login(name)
  const form = new FormData()
  form.append('file', new File([MARKDOWN], 'scripts.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
  expect(response.status).toBe(201)
  id = ((await response.json()) as { id: string }).id
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

const get = (path: string, as = 'tomas') => server.api(`/api/resolutions/${id}/${path}`, { token: tokens[as]! })
const post = (path: string, body: unknown, as: string) =>
  server.api(`/api/resolutions/${id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

async function saved(response: Response, name: string): Promise<string> {
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(200)
  const path = join(workdir, name)
  writeFileSync(path, new Uint8Array(await response.arrayBuffer()))
  return path
}
const tool = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: 'utf8' })
/** pdffonts' table: one row per font, with whether it is embedded. */
const fonts = (pdf: string) =>
  tool('pdffonts', pdf)
    .split('\n')
    .slice(2)
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ name: line.split(/\s+/)[0]!, embedded: / (yes|no) +(yes|no) +(yes|no) +\d+ +\d+\s*$/.exec(line)?.[1] === 'yes' }))
const oneLine = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim()

describe('every script the alliance writes', () => {
  it('embeds every font of the PDF, and pdftotext gives back the Cyrillic, Georgian, Vietnamese and Greek text exactly', async () => {
    const pdf = await saved(await get('export.pdf'), 'scripts.pdf')
    const used = fonts(pdf)
    expect(used.length).toBeGreaterThan(2)
    expect(used.filter((font) => !font.embedded)).toEqual([])
    const text = oneLine(tool('pdftotext', '-enc', 'UTF-8', pdf, '-'))
    for (const paragraph of PARAGRAPHS) expect(text).toContain(paragraph)
    expect(text).toContain(TITLE)
    expect(text).toContain(EVENT)
    // Georgian has no capitals in the fonts: the letterhead leaves it as written, and capitalises the rest.
    expect(text).toContain('PROGRESSIVE ALLIANCE · ПРОГРЕССИВ ХОЛБОО')
    expect(text).toContain('· პროგრესული ალიანსი')
    // What no font has is a visible placeholder, never another letter.
    expect(text).toContain('Un emoji \uFFFD ne s’imprime pas')
  })

  it('wraps the long title within the margins of a rendered page', async () => {
    const pdf = await saved(await get('export.pdf'), 'rendered.pdf')
    const dpi = 72
    tool('pdftoppm', '-f', '1', '-l', '1', '-r', String(dpi), '-gray', pdf, join(workdir, 'page'))
    const image = readFileSync(join(workdir, 'page-1.pgm'))
    // Binary PGM: "P5 width height maxval" then one byte per pixel.
    const [, width, height] = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(image.subarray(0, 40).toString('latin1'))!.map(Number) as [string, number, number]
    const pixels = image.subarray(image.length - width * height)
    const inked = (x: number, y: number) => pixels[y * width + x]! < 160
    const scale = dpi / 72
    const left = Math.floor(MARGIN.left * scale) - 1
    const right = Math.ceil((PAGE.width - MARGIN.right) * scale) + 1
    const outside: Array<[number, number]> = []
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inked(x, y) && (x < left || x > right)) outside.push([x, y])
    expect(outside.slice(0, 5), 'ink outside the margins').toEqual([])
    // The title takes several lines of its own between the letterhead and the stamp.
    const lines = tool('pdftotext', '-f', '1', '-l', '1', '-enc', 'UTF-8', pdf, '-').split('\n').filter((line) => line.trim().length > 0)
    const title = lines.slice(1, lines.findIndex((line) => line.startsWith('PROJET 12 mars 2026')))
    expect(title.length).toBeGreaterThanOrEqual(2)
    expect(oneLine(title.join(' '))).toBe(TITLE)
    // Every word on the page ends within the right margin.
    const bbox = tool('pdftotext', '-f', '1', '-l', '1', '-bbox', pdf, '-')
    const xMax = Math.max(...[...bbox.matchAll(/xMax="([\d.]+)"/g)].map((match) => Number(match[1])))
    expect(xMax).toBeLessThanOrEqual(PAGE.width - MARGIN.right + 0.5)
  })

  it('keeps the text in DOCX and HTML, and prints the redline\'s arrow and symbols', async () => {
    const docx = new Uint8Array(await (await get('export.docx')).arrayBuffer())
    const xml = strFromU8(unzipSync(docx)['word/document.xml']!)
    for (const paragraph of PARAGRAPHS) expect(xml).toContain(paragraph)
    const html = await (await get('export.html')).text()
    for (const paragraph of PARAGRAPHS) expect(html).toContain(paragraph)
    const redline = await saved(await get('redline.pdf?from=1'), 'redline.pdf')
    expect(fonts(redline).filter((font) => !font.embedded)).toEqual([])
    const text = oneLine(tool('pdftotext', '-enc', 'UTF-8', redline, '-'))
    expect(text).toContain('Version 1 → Texte actuel')
    expect(text).toContain('§2')
    expect(text).toContain(PARAGRAPHS[1])
  })
})

describe('what a PDF must not hide', () => {
  /** A new resolution of `body`, its PDF saved under `name`. */
  async function printed(body: string, name: string, lines = false): Promise<string> {
    const form = new FormData()
    form.append('file', new File([`---\ntitle: "Printed"\nlanguage: fr\n---\n\n${body}`], `${name}.md`))
    const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
    expect(response.status).toBe(201)
    const created = ((await response.json()) as { id: string }).id
    return saved(await server.api(`/api/resolutions/${created}/export.pdf${lines ? '?lines=1' : ''}`, { token: tokens['tomas']! }), `${name}.pdf`)
  }

  it('sets a word in italics or bold upright rather than lose it when no italic or bold face has its script', async () => {
    const pdf = await printed('Le parti *حركة النهضة* et le parti **حركة النهضة**, ***ⵜⴰⵎⴰⵣⵉⵖⵜ*** et *ߒߞߏ*.', 'italic-scripts')
    const text = oneLine(tool('pdftotext', '-enc', 'UTF-8', pdf, '-'))
    expect(text).not.toContain('\uFFFD')
    expect(text.match(/حركة النهضة/g)).toHaveLength(2)
    expect(text).toContain('ⵜⴰⵎⴰⵣⵉⵖⵜ')
  })

  it('keeps a list item\'s number, however long, clear of its words', async () => {
    for (const lines of [false, true]) {
      const pdf = await printed('Le Conseil,\n\n99. note la décision ;\n100. décide ;\n101. lance un appel.\n\nEnsuite :\n\n10000. rappelle ;\n10001. invite.\n', `numbers-${lines}`, lines)
      const words = [...tool('pdftotext', '-bbox', pdf, '-').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((match) => ({
        x0: Number(match[1]),
        y: Number(match[2]),
        x1: Number(match[3]),
        word: match[4]!,
      }))
      const markers = words.filter((word) => /^\d+\.$/.test(word.word) && Number(word.word.slice(0, -1)) >= 99)
      expect(markers.map((marker) => marker.word)).toEqual(['99.', '100.', '101.', '10000.', '10001.'])
      for (const marker of markers) {
        const first = words.filter((word) => Math.abs(word.y - marker.y) < 6 && word.x0 > marker.x0).sort((a, b) => a.x0 - b.x0)[0]!
        expect(first.x0 - marker.x1, `${marker.word} ${first.word}`).toBeGreaterThan(1)
      }
    }
  })
})

describe('the archival record', () => {
  it('is refused before the text is locked, and verify says there is none yet', async () => {
    const response = await get('record.pdf')
    expect(response.status).toBe(409)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_locked')
    const verify = (await (await server.api(`/api/resolutions/${id}/verify`)).json()) as { hash: null; howToCheck: { record: string | null } }
    expect(verify.hash).toBeNull()
    expect(verify.howToCheck.record).toBeNull()
  })

  it('is a PDF/A-3b of the adopted text with its fonts embedded, its XMP carrying id, stage, adoption and hash, and the hashed text attached', async () => {
    expect((await post('stage', { to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await post('stage', { to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post('stage', { to: 'final', confirm: true }, 'mateo')).status).toBe(200)
    const adopted = await post('stage', { to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-09-14', event: 'Council, Tbilisi' }, 'secretariat')
    expect(adopted.status, await adopted.clone().text()).toBe(200)
    const verify = (await (await server.api(`/api/resolutions/${id}/verify`)).json()) as {
      stage: string
      hash: string
      matches: boolean
      howToCheck: { algorithm: string; record: string; attachment: string; metadata: string; steps: string[] }
    }
    expect(verify).toMatchObject({ stage: 'adopted', matches: true, howToCheck: { algorithm: 'SHA-256', record: `/api/resolutions/${id}/record.pdf`, attachment: 'text.md' } })
    expect(verify.howToCheck.steps.join(' ')).toMatch(/pdfdetach[\s\S]*sha256sum/)

    const pdf = await saved(await server.api(verify.howToCheck.record, { token: tokens['tomas']! }), 'record.pdf')
    // qpdf reads every object and stream of the file without an error or a warning.
    const check = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' })
    expect(check.status, check.stdout + check.stderr).toBe(0)
    expect(check.stdout).toContain('No syntax or stream encoding errors found')
    expect(fonts(pdf).filter((font) => !font.embedded)).toEqual([])

    // The XMP, read back: PDF/A-3b, well-formed, with the record's facts and a title escaped, not broken, by its "&" and "<".
    const xmp = tool('pdfinfo', '-meta', pdf)
    expect(wellFormed(xmp)).toBe(true)
    const property = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xmp)?.[1]
    expect({ part: property('pdfaid:part'), conformance: property('pdfaid:conformance') }).toEqual({ part: '3', conformance: 'B' })
    expect({
      resolutionId: property('hemicycle:resolutionId'),
      stage: property('hemicycle:stage'),
      sha256: property('hemicycle:sha256'),
      adoptedBy: property('hemicycle:adoptedBy'),
      adoptedAt: property('hemicycle:adoptedAt'),
      adoptionEvent: property('hemicycle:adoptionEvent'),
    }).toEqual({ resolutionId: id, stage: 'adopted', sha256: verify.hash, adoptedBy: 'Council', adoptedAt: '2026-09-14', adoptionEvent: 'Council, Tbilisi' })
    expect(xmp).toContain('<pdfaSchema:prefix>hemicycle</pdfaSchema:prefix>')
    expect(xmp).toContain(TITLE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'))
    expect(/^Title:\s+(.*)$/m.exec(tool('pdfinfo', pdf))?.[1]).toBe(TITLE)

    // What verify tells a holder to do works: the attachment hashes to the recorded hash.
    const out = join(workdir, 'detached')
    tool('mkdir', '-p', out)
    tool('pdfdetach', '-saveall', '-o', out, pdf)
    const attached = readFileSync(join(out, 'text.md'))
    expect(createHash('sha256').update(attached).digest('hex')).toBe(verify.hash)
    expect(attached.toString('utf8')).toBe(`${PARAGRAPHS.join('\n\n')}\n\nUn emoji 🦀 ne s’imprime pas : il laisse une marque visible.\n`)
    const text = oneLine(tool('pdftotext', '-enc', 'UTF-8', pdf, '-'))
    for (const paragraph of PARAGRAPHS) expect(text).toContain(paragraph)
    expect(text).toContain(`SHA-256 : ${verify.hash}`)
  })
})

/** Every tag closed in order and every "&" an entity: enough to tell metadata an XML reader can read from metadata it cannot. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '')
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(body)) return false
  const open: string[] = []
  for (const [, closing, name, , selfClosing] of body.matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (selfClosing) continue
    if (!closing) open.push(name!)
    else if (open.pop() !== name) return false
  }
  const stray = body.replace(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g, '')
  return open.length === 0 && !stray.includes('<')
}
