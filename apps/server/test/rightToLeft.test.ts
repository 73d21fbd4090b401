import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { paragraph, typedDraftSession } from './typedDrafts.ts'

/**
 * Words written right to left in a left-to-right resolution (a party named
 * in Hebrew or Arabic) are printed in the order Word, LibreOffice and
 * browsers set them (the Unicode Bidirectional Algorithm): the PDF drew
 * each word right to left but the words left to right, and a reader read
 * "עתיד יש" for "יש עתיד". LibreOffice's layout of the DOCX export is the
 * oracle, pdftotext the reader of both.
 */
const { libreOffice, bytesOf, file, importMarkdown, adopt, typeDraft } = typedDraftSession('right-to-left')
const SLOW = 180_000

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

  it('are read in the order typed in every page\'s footer, whose face also draws the spaces between them', async () => {
    // DejaVu Sans, the footer's face, draws Hebrew and the space alike: the title came out as one piece, turned a word at
    // a time by the shaper, "החדשוהחוק הישראלית העבודה מפלגת" on every page.
    const title = 'מפלגת העבודה הישראלית והחוק החדש'
    const id = await importMarkdown(title, 'Draft.\n')
    await adopt(id)
    for (const path of [`/api/resolutions/${id}/export.pdf`, `/api/resolutions/${id}/record.pdf`]) {
      const pages = pdfText(await bytesOf(path)).split('\f').map((page) => page.split('\n').filter((line) => line.trim().length > 0))
      const footers = pages.filter((lines) => lines.length > 0).map((lines) => squash(lines.at(-1)!))
      expect(footers.length, path).toBeGreaterThan(0)
      for (const footer of footers) expect(footer, path).toContain(title)
    }
  }, SLOW)
})
