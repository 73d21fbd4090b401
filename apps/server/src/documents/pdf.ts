import type { DocumentModel, ModelBlock } from '@hemicycle/documents'
import { indentation, pendingNote, VOCABULARY } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import { advanceWidth } from './fonts.ts'
import { INK, PdfWriter, TEXT_LEFT, TEXT_WIDTH } from './pdfWriter.ts'

/**
 * The resolution as PDF: every block set in the lines the numbering cites
 * (so the printed page and the screen agree even without line numbers),
 * § numbers in the gutter, and with `lineNumbers` every line's number in
 * the margin.
 */
const INDENT = 18
/** A list item's number or bullet, in the gutter's 8.5 pt sans, ends this far left of its text at least. */
const MARKER_GAP = 4

/** Where a list item's marker starts: 16 pt left of its text, further for a number too wide for that ("100." is 19 pt), so it never covers the text. */
function markerX(marker: string, x: number): number {
  return x - Math.max(16, advanceWidth(marker, 'dejavuSans', 8.5) + MARKER_GAP)
}

function drawBlock(writer: PdfWriter, block: ModelBlock, lineNumbers: boolean, language: Language): void {
  const heading = block.kind === 'heading'
  const size = heading ? (block.level === 1 ? 13 : 12) : 10.5
  // Capped (`indentation`): a block nested 20 deep keeps most of the column, where it was left a few points.
  const indent = indentation(block.depth, INDENT, TEXT_WIDTH)
  const x = TEXT_LEFT + indent
  const width = TEXT_WIDTH - indent
  // A heading is kept with the first line that follows it.
  writer.ensure(heading ? size * 1.38 * 3 : size * 1.38 * Math.min(block.lines.length, 2))
  block.lines.forEach((line, index) => {
    const runs = heading ? line.map((run) => ({ ...run, bold: true as const })) : line
    const label = index > 0 ? undefined : block.number !== null ? `§${block.number}` : (block.marker ?? undefined)
    writer.line(runs, {
      x,
      width,
      size,
      ...(lineNumbers ? { lineNumber: block.lineLabels[index]! } : {}),
      ...(label ? { label, labelX: block.marker && block.number === null ? markerX(label, x) : TEXT_LEFT - 36 } : {}),
    })
  })
  // Under the text, smaller, in italics and grey, with no line number: the text's lines keep theirs.
  const note = pendingNote(block, language)
  if (note) writer.flow(note, { style: 'serifItalic', size: 9, color: INK.muted, x, width })
  writer.gap(heading ? 5 : 6)
}

/** The heading and the text, on a writer the caller finishes. */
export function drawResolution(writer: PdfWriter, model: DocumentModel, { lineNumbers }: { lineNumbers: boolean }): void {
  writer.heading(model)
  for (const block of model.blocks) {
    if (block.kind === 'heading') writer.gap(6)
    drawBlock(writer, block, lineNumbers, model.language)
  }
  if (model.record) {
    writer.gap(12)
    writer.flow(model.record)
  }
}

export async function renderPdf(model: DocumentModel, { lineNumbers }: { lineNumbers: boolean }): Promise<Buffer> {
  const writer = new PdfWriter({ title: model.title, subject: model.stamp, language: model.language })
  drawResolution(writer, model, { lineNumbers })
  const page = VOCABULARY[model.language].page
  return writer.finish((current, pages) => `${model.title} — ${model.stamp} — ${page} ${current}/${pages}`)
}
