import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { heading, paragraph, quote, typedDraftSession } from './typedDrafts.ts'

/**
 * A word in italics inside a quotation, or in a third-level heading, stays
 * apart from its neighbours in every export, as in the editor and the PDF:
 * the DOCX's quotation and heading styles, the HTML's and the print page's
 * quotations set every word in italics, and an emphasis the text holds
 * (or one a redline says was taken off) could not be seen. LibreOffice lays
 * out the DOCX, Chromium prints the HTML, pdftohtml names each word's font.
 */
const { libreOffice, post, get, connect, bytesOf, file, chromiumPdf, importMarkdown, typeDraft } = typedDraftSession('emphasis')
const SLOW = 180_000

/**
 * The font each word of a PDF is set in, as poppler's pdftohtml reads it: [word, font family] in page order. The
 * families name their style ("NotoSerif-Italic", "LiberationSerif-Italic"…), so two words in one family look alike.
 */
function wordFonts(pdf: Uint8Array): Array<[string, string]> {
  const xml = execFileSync('pdftohtml', ['-xml', '-i', '-stdout', '-q', file('f.pdf', pdf)], { encoding: 'utf8' })
  const families = new Map([...xml.matchAll(/<fontspec id="(\d+)"[^>]*family="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]))
  const out: Array<[string, string]> = []
  for (const match of xml.matchAll(/<text [^>]*font="(\d+)"[^>]*>([\s\S]*?)<\/text>/g)) {
    const text = match[2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    for (const word of text.split(/\s+/).filter(Boolean)) out.push([word, families.get(match[1]!)!])
  }
  return out
}
const fontOf = (fonts: Array<[string, string]>, word: string) => fonts.find(([w]) => w === word)?.[1]

/** The faces a word is set in, wherever it stands (pdftohtml joins a struck and an inserted word of one face: "mustmust"). */
const facesOf = (fonts: Array<[string, string]>, word: string) => new Set(fonts.filter(([each]) => each.includes(word)).map(([, font]) => font))

describe('emphasis inside a quotation or a third-level heading', () => {
  it('is seen in the DOCX laid out by LibreOffice, the HTML printed by Chromium and the redline DOCX, as in the PDF', async () => {
    const id = await importMarkdown('Quoted', 'Draft.\n')
    await typeDraft(id, () => [
      heading(3, 'Annex on the ', { text: 'Acquis', italic: true }, ' of the Alliance'),
      paragraph('The Council recalls its Charter:'),
      quote(paragraph('Every member party ', { text: 'shall', italic: true }, ' respect the decisions the Congress ', { text: 'must', italic: true }, ' take.')),
      paragraph('The Council ', { text: 'insists', italic: true }, ' on it.'),
    ])
    expect(await (await get(`/api/resolutions/${id}/export.md`)).text()).toContain('> Every member party *shall* respect the decisions the Congress *must* take.')
    // The control: Hemicycle's own PDF sets them apart.
    const pdfFonts = wordFonts(await bytesOf(`/api/resolutions/${id}/export.pdf`))
    expect(fontOf(pdfFonts, 'shall')).not.toBe(fontOf(pdfFonts, 'member'))
    expect(fontOf(pdfFonts, 'Acquis')).not.toBe(fontOf(pdfFonts, 'Annex'))

    const saved = await post(`/api/resolutions/${id}/versions`, { label: 'before' }, 'secretariat')
    expect(saved.status, await saved.clone().text()).toBe(201)
    const from = ((await saved.json()) as { id: number }).id
    // Lucía takes the italics off "must" and "insists", as the editor's Ctrl+I does: a change of formatting only.
    const client = connect(id, 'lucia')
    try {
      await client.synced
      const body = client.doc.getXmlFragment('body')
      const quoted = ((body.get(2) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText
      const plain = (body.get(3) as Y.XmlElement).get(0) as Y.XmlText
      client.doc.transact(() => {
        quoted.format('Every member party shall respect the decisions the Congress '.length, 'must'.length, { italic: null })
        plain.format('The Council '.length, 'insists'.length, { italic: null })
      })
      await client.saved()
    } finally {
      client.destroy()
    }

    const [docx, redline] = await libreOffice.convert(
      [
        { name: 'quoted.docx', bytes: await bytesOf(`/api/resolutions/${id}/export.docx`) },
        { name: 'redline.docx', bytes: await bytesOf(`/api/resolutions/${id}/redline.docx?from=${from}`) },
      ],
      'pdf',
    )
    const html = await (await get(`/api/resolutions/${id}/export.html`)).text()
    for (const [reader, fonts] of [
      ['DOCX by LibreOffice', wordFonts(new Uint8Array(readFileSync(docx!)))],
      ['HTML by Chromium', wordFonts(chromiumPdf(html))],
    ] as const) {
      expect(fontOf(fonts, 'shall'), reader).not.toBe(fontOf(fonts, 'member'))
      expect(fontOf(fonts, 'must'), reader).toBe(fontOf(fonts, 'member'))
      expect(fontOf(fonts, 'Acquis'), reader).not.toBe(fontOf(fonts, 'Annex'))
    }
    // The redline: the struck italic word and the inserted plain one in two faces, inside the quote as outside it.
    const fonts = wordFonts(new Uint8Array(readFileSync(redline!)))
    expect(facesOf(fonts, 'insists').size).toBe(2)
    expect(facesOf(fonts, 'must').size).toBe(2)
  }, SLOW)
})
