import { type BookletModel, colon, type MarkedRun, VOCABULARY, wrapPieces } from '@hemicycle/documents'
import { INK, PdfWriter, TEXT_LEFT, TEXT_WIDTH } from './pdfWriter.ts'

/**
 * The amendments booklet as PDF: each amendment under its number, with the
 * two wordings set side by side line by line (struck through in red what it
 * removes, underlined in blue what it adds), then its justification and
 * decision.
 */
const COLUMN_GAP = 14
const COLUMN_WIDTH = (TEXT_WIDTH - COLUMN_GAP) / 2
/** Characters per line in a half-width column. */
const COLUMN_CHARS = 46
const SIZE = 9.5

function columnLines(paragraphs: readonly MarkedRun[][]): MarkedRun[][] {
  const lines: MarkedRun[][] = []
  paragraphs.forEach((runs, index) => {
    if (index > 0) lines.push([])
    lines.push(...wrapPieces(runs, COLUMN_CHARS))
  })
  return lines.length > 0 ? lines : [[{ text: '—', change: 'equal' }]]
}

export async function renderBookletPdf(booklet: BookletModel): Promise<Buffer> {
  const words = VOCABULARY[booklet.language]
  const sep = colon(booklet.language)
  const writer = new PdfWriter({ title: `${booklet.heading} — ${booklet.title}`, subject: booklet.summary, language: booklet.language })
  writer.heading({ ...booklet, subtitle: booklet.heading })
  writer.flow([booklet.summary, booklet.filters].filter(Boolean).join(' · '), { style: 'sansBold', size: 9, color: INK.muted })
  writer.flow(words.legend, { style: 'sans', size: 8.5, color: INK.muted })
  writer.gap(12)

  const left = TEXT_LEFT
  const right = TEXT_LEFT + COLUMN_WIDTH + COLUMN_GAP
  for (const entry of booklet.entries) {
    writer.ensure(90)
    writer.flow(`${entry.heading}${entry.compromise ? ` — ${words.compromise}` : ''}`, { style: 'serifBold', size: 12.5 })
    writer.flow(entry.action, { style: 'sansBold', size: 8.5 })
    writer.flow(`${words.tabledBy}${sep}${entry.tabledBy}`, { style: 'sans', size: 8.5 })
    writer.flow(`${words.cosponsors}${sep}${entry.cosponsors}`, { style: 'sans', size: 8.5 })
    writer.gap(4)
    const caption = (text: string): MarkedRun[] => [{ text, bold: true, change: 'equal' }]
    const before = [caption(words.original), ...columnLines(entry.original)]
    const after = [caption(words.proposed), ...columnLines(entry.proposed)]
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      // Both halves of a row go on the same page: room is made first, then each half is set from the same top.
      writer.ensure(SIZE * 1.38)
      const top = writer.y
      writer.line(before[index] ?? [], { x: left, width: COLUMN_WIDTH, size: SIZE })
      writer.y = top
      writer.line(after[index] ?? [], { x: right, width: COLUMN_WIDTH, size: SIZE })
    }
    writer.gap(4)
    if (entry.beside) {
      entry.beside.paragraphs.forEach(({ runs, note }, index) => {
        const text = runs.map((run) => run.text).join('') || '—'
        writer.flow(index === 0 ? `${entry.beside!.label}${sep}${text}` : text, { size: 9.5, style: 'serifItalic' })
        if (note) writer.flow(note, { style: 'serifItalic', size: 9, color: INK.muted })
      })
      writer.gap(2)
    }
    writer.flow(`${words.justification}${sep}${entry.justification}`, { size: 10 })
    writer.flow(`${words.decision}${sep}${entry.decision}`, { style: 'serifBold', size: 10 })
    if (entry.decisionDetail) {
      const text = entry.decisionDetail.runs.map((runs) => runs.map((run) => run.text).join('')).join('\n')
      writer.flow(`${entry.decisionDetail.label}${sep}${text}`, { size: 10 })
    }
    writer.gap(16)
  }
  return writer.finish((current, pages) => `${booklet.heading} — ${booklet.title} — ${words.page} ${current}/${pages}`)
}
