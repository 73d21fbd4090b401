import { authorLabel, colon, indentation, type RedlineModel, redlineAuthors, VOCABULARY, wrapPieces } from '@hemicycle/documents'
import { INK, PdfWriter, TEXT_LEFT, TEXT_WIDTH } from './pdfWriter.ts'

/**
 * The redline as PDF: insertions underlined in blue, deletions struck
 * through in red, and under each changed block who made its changes.
 * The lines mix old and new words, so they carry no line numbers.
 */
const INDENT = 18

export async function renderRedlinePdf(model: RedlineModel): Promise<Buffer> {
  const words = VOCABULARY[model.language]
  const sep = colon(model.language)
  const writer = new PdfWriter({ title: `${words.redline} — ${model.title}`, subject: `${model.from} / ${model.to}`, language: model.language })
  writer.heading({ letterhead: model.letterhead, title: model.title, stamp: words.redline, event: model.sides })
  writer.flow(`${words.from}${sep}${model.from}`, { style: 'sansBold', size: 8.5, color: INK.muted })
  writer.flow(`${words.to}${sep}${model.to}`, { style: 'sansBold', size: 8.5, color: INK.muted })
  writer.flow(model.legend, { style: 'sans', size: 8.5, color: INK.muted })
  const authors = redlineAuthors(model.blocks).map((key) => authorLabel(model, [key]))
  if (authors.length > 0) writer.flow(`${words.changedBy}${sep}${authors.join(' ; ')}`, { style: 'sans', size: 8.5, color: INK.muted })
  writer.gap(14)

  for (const block of model.blocks) {
    const heading = block.kind === 'heading'
    const size = heading ? 12 : 10.5
    const indent = indentation(block.depth, INDENT, TEXT_WIDTH)
    const x = TEXT_LEFT + indent
    const runs = heading ? block.runs.map((run) => ({ ...run, bold: true as const })) : block.runs
    if (heading) writer.gap(6)
    const label = block.number !== null ? `§${block.number}` : (block.marker ?? undefined)
    wrapPieces(runs).forEach((line, index) => {
      writer.line(line, { x, width: TEXT_WIDTH - indent, size, ...(index === 0 && label ? { label, labelX: block.number !== null ? TEXT_LEFT - 36 : x - 16 } : {}) })
    })
    const changed = block.runs.filter((run) => run.change !== 'equal')
    if (changed.length > 0) {
      const names = [...new Set(changed.map((run) => authorLabel(model, run.authors)))]
      writer.flow(`${words.changedBy}${sep}${names.join(' ; ')}`, { style: 'sansItalic', size: 7.5, color: INK.muted, x })
    }
    writer.gap(6)
  }
  return writer.finish((current, pages) => `${words.redline} — ${model.title} — ${words.page} ${current}/${pages}`)
}
