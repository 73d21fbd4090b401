import { indentSteps, pendingNote, VOCABULARY, wrapPieces } from '@hemicycle/documents'
import type { ParallelModel } from '@hemicycle/translations'
import { INK, MARGIN, PAGE, PdfWriter } from './pdfWriter.ts'

/**
 * The parallel edition as PDF: the languages in columns, each block of the
 * original a row with its § in the margin and each language's text of it
 * in that language's column, set line by line from the same top, so the
 * rows stay level across the columns and across page breaks.
 */
const SIZE = 9
const GAP = 12
const NUMBER_ROOM = 28
/** An average character of the text face, in ems: how many characters a column holds per line. */
const CHARACTER = 0.47
/** How far each level of nesting sets a cell's text in, in points, and how many characters of its lines that takes. */
const STEP = 10
const STEP_CHARACTERS = 3

export async function renderParallelPdf(model: ParallelModel): Promise<Buffer> {
  const first = model.columns[0]!
  const writer = new PdfWriter({ title: model.columns.map((column) => column.title).join(' / '), subject: model.columns.map((column) => column.stamp).join(' / '), language: first.language })
  const left = MARGIN.left + NUMBER_ROOM
  const width = (PAGE.width - MARGIN.right - left - GAP * (model.columns.length - 1)) / model.columns.length
  const xOf = (index: number) => left + index * (width + GAP)
  const characters = Math.floor(width / (SIZE * CHARACTER))

  writer.flow(model.letterhead, { style: 'sansBold', size: 8.5, color: INK.muted, align: 'center', x: MARGIN.left, width: PAGE.width - MARGIN.left - MARGIN.right })
  if (model.event) writer.flow(model.event, { style: 'serifItalic', size: 10, align: 'center', x: MARGIN.left, width: PAGE.width - MARGIN.left - MARGIN.right })
  writer.gap(14)
  const top = writer.y
  let bottom = top
  model.columns.forEach((column, index) => {
    writer.y = top
    writer.flow(column.title, { style: 'serifBold', size: 11.5, x: xOf(index), width })
    writer.gap(3)
    writer.flow(column.stamp, { style: 'sansBold', size: 9, color: INK.stamp, x: xOf(index), width, characterSpacing: 0.8 })
    bottom = Math.max(bottom, writer.y)
  })
  writer.y = bottom
  writer.gap(14)

  const height = SIZE * 1.38
  for (const row of model.rows) {
    const heading = row.kind === 'heading'
    // Capped (`indentSteps`): a row nested deep enough left its cells' lines no character, then a negative width.
    const steps = indentSteps(row.depth, STEP, width)
    const cells = row.cells.map(({ runs, pending }, index) => {
      const marked = row.marker ? [{ text: `${row.marker} ` }, ...runs] : runs
      const styled = heading ? marked.map((run) => ({ ...run, bold: true as const })) : marked
      const room = characters - steps * STEP_CHARACTERS
      // A version's outstanding translation is noted in its cell, under its text, in italics (`pendingNote`).
      const note = pendingNote({ ...row, pending }, model.columns[index]!.language)
      return [...wrapPieces(styled, room), ...(note ? wrapPieces([{ text: note, italic: true as const }], room) : [])]
    })
    const lines = Math.max(...cells.map((cell) => cell.length))
    if (heading) writer.gap(4)
    // A row starts where its first two lines fit.
    writer.ensure(height * Math.min(lines, 2))
    for (let line = 0; line < lines; line++) {
      writer.ensure(height)
      const at = writer.y
      cells.forEach((cell, index) => {
        writer.y = at
        const label = index === 0 && line === 0 && row.number !== null ? `§${row.number}` : undefined
        writer.line(cell[line] ?? [], { x: xOf(index) + steps * STEP, width: width - steps * STEP, size: SIZE, ...(label ? { label, labelX: MARGIN.left } : {}) })
      })
      writer.y = at + height
    }
    writer.gap(5)
  }
  if (model.columns.some((column) => column.record)) {
    writer.gap(8)
    const at = writer.y
    let end = at
    model.columns.forEach((column, index) => {
      writer.y = at
      writer.flow(column.record ?? '', { style: 'serifItalic', size: SIZE, x: xOf(index), width })
      end = Math.max(end, writer.y)
    })
    writer.y = end
  }
  const page = VOCABULARY[first.language].page
  return writer.finish((current, pages) => `${model.columns.map((column) => column.title).join(' / ')} — ${page} ${current}/${pages}`)
}
