import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import * as Y from 'yjs'
import { connectClient, startTestServer, type TestServer } from './harness.ts'
import { LibreOffice } from './libreoffice.ts'

/**
 * A server on the embedded database where a delegate types a draft's body as
 * the editor writes it (a stock y-websocket client), and the files it exports
 * are kept in a work directory for outside readers (pdftotext, pdftohtml,
 * LibreOffice, Chromium). Registers its own hooks: call it at a file's top.
 */
export function typedDraftSession(label: string) {
  let server: TestServer
  const tokens: Record<string, string> = {}
  const workdir = mkdtempSync(join(tmpdir(), `hemicycle-${label}-`))
  const libreOffice = new LibreOffice()

  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
    for (const name of ['secretariat', 'lucia', 'mateo', 'tomas']) tokens[name] = await server.login(name)
  }, 180_000)
  afterAll(async () => {
    await server?.close()
    libreOffice.dispose()
    rmSync(workdir, { recursive: true, force: true })
  })

  const post = (path: string, body: unknown, as: string) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
  const get = (path: string, as = 'tomas') => server.api(path, { token: tokens[as]! })
  /** Writes `bytes` into the work directory under a name of its own; returns its path. */
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(workdir, `${Math.random().toString(36).slice(2)}-${name}`)
    writeFileSync(path, bytes)
    return path
  }

  return {
    libreOffice,
    post,
    get,
    /** A person's live copy of a resolution. */
    connect: (id: string, as: string) => connectClient(server.wsUrl, id, tokens[as]!),
    async bytesOf(path: string): Promise<Uint8Array> {
      const response = await get(path)
      expect(response.status, path).toBe(200)
      return new Uint8Array(await response.arrayBuffer())
    },
    file,
    /** Chromium's print of an HTML page, as a reader printing the HTML export gets it. */
    chromiumPdf(html: string): Uint8Array {
      const source = file('page.html', html)
      const target = file('page.pdf', '')
      execFileSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${target}`, `file://${source}`], { stdio: 'ignore', timeout: 60_000 })
      return new Uint8Array(readFileSync(target))
    },
    /** The text of a PDF as poppler's pdftotext reads it. */
    pdfText: (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', file('t.pdf', pdf), '-'], { encoding: 'utf8' }),
    async importMarkdown(title: string, body: string, language = 'en'): Promise<string> {
      const form = new FormData()
      form.append('file', new File([`---\ntitle: "${title}"\nlanguage: ${language}\n---\n\n${body}`], 'draft.md'))
      const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! })
      expect(response.status, await response.clone().text()).toBe(201)
      return ((await response.json()) as { id: string }).id
    },
    async adopt(id: string): Promise<void> {
      for (const [body, as] of [
        [{ to: 'amendments', deadline: '2099-01-01T00:00:00Z' }, 'secretariat'],
        [{ to: 'consolidation' }, 'secretariat'],
        [{ to: 'final', confirm: true }, 'mateo'],
        [{ to: 'adopted', adoptedBy: 'Council', adoptedAt: '2026-09-14' }, 'secretariat'],
      ] as const) {
        const response = await post(`/api/resolutions/${id}/stage`, body, as)
        expect(response.status, await response.clone().text()).toBe(200)
      }
    },
    /** A delegate (Lucía, Chile) replaces the draft's body, as the editor would write it, and waits until it is stored. */
    async typeDraft(id: string, blocks: () => Y.XmlElement[]): Promise<void> {
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
    },
  }
}

export type Piece = string | { text: string; italic?: true; bold?: true }

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
export const paragraph = (...pieces: Piece[]) => element('paragraph', {}, [words(...pieces)])
export const heading = (level: number, ...pieces: Piece[]) => element('heading', { level }, [words(...pieces)])
export const quote = (...blocks: Y.XmlElement[]) => element('blockquote', {}, blocks)
