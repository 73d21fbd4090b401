import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, startTestServer, type TestServer } from './harness.ts'
import { LibreOffice } from './libreoffice.ts'

/**
 * Words written right to left in a left-to-right resolution (a party named
 * in Hebrew or Arabic) are printed in the order Word, LibreOffice and
 * browsers set them (the Unicode Bidirectional Algorithm): the PDF drew
 * each word right to left but the words left to right, and a reader read
 * "עתיד יש" for "יש עתיד". LibreOffice's layout of the DOCX export is the
 * oracle, pdftotext the reader of both.
 */
let server: TestServer
const tokens: Record<string, string> = {}
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-right-to-left-'))
const libreOffice = new LibreOffice()
const SLOW = 180_000

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'lucia', 'mateo', 'tomas']) tokens[name] = await server.login(name)
}, SLOW)
afterAll(async () => {
  await server?.close()
  libreOffice.dispose()
  rmSync(workdir, { recursive: true, force: true })
})

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = (path: string, as = 'tomas') => server.api(path, { token: tokens[as]! })
const bytesOf = async (path: string) => {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  return new Uint8Array(await response.arrayBuffer())
}
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(workdir, `${Math.random().toString(36).slice(2)}-${name}`)
  writeFileSync(path, bytes)
  return path
}

async function importMarkdown(title: string, body: string, language = 'en'): Promise<string> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: ${language}\n---\n\n${body}`], 'draft.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
  expect(response.status, await response.clone().text()).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function adopt(id: string): Promise<void> {
  for (const [body, as] of [
    [{ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'],
    [{ to: 'consolidation' }, 'secretariat'],
    [{ to: 'final', confirm: true }, 'mateo'],
    [{ to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-09-14' }, 'secretariat'],
  ] as const) {
    const response = await post(`/api/resolutions/${id}/stage`, body, as)
    expect(response.status, await response.clone().text()).toBe(200)
  }
}

/** A delegate (Lucía, Chile) replaces the draft's body, as the editor would write it, and waits until it is stored. */
async function typeDraft(id: string, blocks: () => Y.XmlElement[]): Promise<void> {
  const client = connectClient(server.wsUrl, id, tokens['lucia']!)
  try {
    await client.synced
    const body = client.doc.getXmlFragment('body')
    client.doc.transact(() => {
      body.delete(0, body.length)
      body.insert(0, blocks())
    })
    await client.saved()
  } finally {
    client.destroy()
  }
}

type Piece = string | { text: string; italic?: true; bold?: true }
function element(name: string, attributes: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const node = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string)
  node.insert(0, children)
  return node
}
function words(...pieces: Piece[]): Y.XmlText {
  const text = new Y.XmlText()
  text.applyDelta(pieces.map((piece) => (typeof piece === 'string' ? { insert: piece } : { insert: piece.text, attributes: { ...(piece.bold ? { bold: {} } : {}), ...(piece.italic ? { italic: {} } : {}) } })))
  return text
}
const paragraph = (...pieces: Piece[]) => element('paragraph', {}, [words(...pieces)])

/** pdftotext's reading of a PDF in reading order (its default mode, which puts right-to-left runs in logical order), without the embedding marks it adds. */
const pdfText = (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', file('x.pdf', pdf), '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '')
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim()

describe('right-to-left words in the printed PDF', () => {
  it('are read in the order typed, as in the DOCX laid out by LibreOffice: across styles, brackets and figures', async () => {
    const id = await importMarkdown('Observers', 'Draft.\n')
    const phrases = ['יש עתיד', 'حركة النهضة', 'מפלגת העבודה', 'חוק 2024 (תיקון)']
    await typeDraft(id, () => [
      paragraph('The Council welcomes the observers of יש עתיד and of حركة النهضة to the Congress.'),
      // One name across two styles: the italic word is still the name's second.
      paragraph('It thanks ', { text: 'מפלגת', bold: true }, ' ', { text: 'העבודה', italic: true }, ' for its report.'),
      paragraph('It recalls the חוק 2024 (תיקון) of the Knesset.'),
    ])
    await adopt(id)

    const [converted] = await libreOffice.convert([{ name: 'observers.docx', bytes: await bytesOf(`/api/resolutions/${id}/export.docx`) }], 'pdf')
    const control = squash(pdfText(new Uint8Array(readFileSync(converted!))))
    // pdftotext reads a line's right-to-left words back in the order typed; figures and brackets among them it reads
    // in the order they stand on the page. Where both pages set the words alike, both read alike: what stands between
    // the same left-to-right words is compared, without spaces (LibreOffice's page loses the one after a right-to-left run).
    const between = (text: string, from: string, to: string) => {
      const start = text.indexOf(from)
      expect(start, `"${from}" in ${text}`).toBeGreaterThanOrEqual(0)
      return text.slice(start + from.length, text.indexOf(to, start)).replace(/\s+/g, '')
    }
    // Brackets among right-to-left words are drawn mirrored (rule L4): LibreOffice's page names each by the character
    // typed, Hemicycle's by the glyph drawn, its mirror. The same glyph stands at the same place when one is the other's mirror.
    const mirrored = (text: string) => text.replace(/[()]/g, (bracket) => (bracket === '(' ? ')' : '('))
    const stretches = [
      ['observers of', 'to the Congress', (text: string) => text],
      ['It thanks', 'for its report', (text: string) => text],
      ['It recalls the', 'of the Knesset', mirrored],
    ] as const
    for (const phrase of phrases.slice(0, 3)) expect(control, 'LibreOffice').toContain(phrase)

    // The printed resolution and its record (the booklet and the redline are drawn by the same writer).
    for (const path of [`/api/resolutions/${id}/export.pdf`, `/api/resolutions/${id}/record.pdf`]) {
      const printed = squash(pdfText(await bytesOf(path)))
      expect(printed, path).toContain('The Council welcomes the observers of')
      for (const phrase of phrases.slice(0, 3)) expect(printed, path).toContain(phrase)
      for (const [from, to, glyphs] of stretches) expect(glyphs(between(printed, from, to)), `${path}: ${from} … ${to}`).toBe(between(control, from, to))
    }
  }, SLOW)
})
