import { CloseCode } from '@hemicycle/protocol'
import { splitResolutionFile } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { docx, p, r } from './handWrittenDocx.ts'
import { type Client, connectClient, startTestServer, type TestServer } from './harness.ts'

/**
 * The C1 control characters (U+0080–U+009F) are what text decoded as
 * Latin-1 when it was Windows-1252 holds ("l\u0092Alliance" for
 * "l’Alliance"). The screen draws nothing for them, while the PDF and the
 * archival record printed "�" in the word, and the canonical Markdown and
 * the hash kept them: the adopted text read one way and printed another.
 * They are kept out as the other control characters are: refused when
 * typed, read as spaces when imported.
 */
let server: TestServer
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const name of ['secretariat', 'lucia']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  await server?.close()
})

const exportedBody = async () =>
  splitResolutionFile(await (await server.api(`/api/resolutions/${server.resolutionId}/export.md`, { token: tokens['lucia']! })).text()).body
/** The code the client's socket is closed with, or 'still open' after 10 s. */
const closeOf = (client: Client) =>
  new Promise<number | undefined | 'still open'>((resolve) => {
    client.provider.on('connection-close', (event) => resolve(event?.code))
    setTimeout(() => resolve('still open'), 10_000)
  })
/** What the import would create from `file`, read but not created. */
async function preview(file: File): Promise<{ status: number; markdown: string }> {
  const form = new FormData()
  form.append('file', file)
  const response = await server.api('/api/resolutions/import?dryRun=1', { method: 'POST', body: form, token: tokens['secretariat']! })
  return { status: response.status, markdown: ((await response.json()) as { markdown?: string }).markdown ?? '' }
}

describe('a control character in a paragraph', () => {
  for (const [name, typed] of [
    ['a C1 control (Windows-1252 read as Latin-1)', 'Le Conseil de l\u0092Alliance se réunit\u0085 à Kuala Lumpur.'],
    ['a C0 control', 'Le Conseil de l\u0007Alliance se réunit à Kuala Lumpur.'],
  ] as const) {
    it(`is refused when typed, ${name}: the connection is closed (4400) and the text stays as it was`, async () => {
      const before = await exportedBody()
      const writer = connectClient(server.wsUrl, server.resolutionId, tokens['lucia']!)
      await writer.synced
      const closed = closeOf(writer)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(typed)])
      writer.doc.getXmlFragment('body').insert(0, [paragraph])
      expect(await closed).toBe(CloseCode.BadMessage)
      writer.destroy()
      expect(await exportedBody()).toBe(before)
    })
  }
})

describe('a control character in a file to import', () => {
  it('reads as a space in a Markdown file, C1 as C0', async () => {
    const { status, markdown } = await preview(new File(['---\ntitle: "Imported"\nlanguage: fr\n---\n\nLe Conseil de l\u0092Alliance et l\u000bAssemblée.\n'], 'draft.md'))
    expect(status).toBe(200)
    expect(splitResolutionFile(markdown).body).toBe('Le Conseil de l Alliance et l Assemblée.\n')
  })

  it('reads as a space in a Word file', async () => {
    const { status, markdown } = await preview(new File([docx(p(r('Le Conseil de l\u0092Alliance se réunit.')))], 'draft.docx'))
    expect(status).toBe(200)
    expect(splitResolutionFile(markdown).body).toBe('Le Conseil de l Alliance se réunit.\n')
  })
})
