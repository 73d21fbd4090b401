import { indentation, VOCABULARY } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import type { ParallelModel, ParallelRow } from '@hemicycle/translations'
import { Paragraph, TableRow, TextRun } from 'docx'
import { DOCUMENT_KIND, gridCell, gridTable, numberRun, packDocx, pendingParagraphs, STYLE, textRuns, TWIPS } from './docxLayout.ts'

/**
 * The parallel edition as a Word file: a table with a column per language
 * and a row per block of the original, its § in the first column, so each
 * paragraph sits level with its translations whatever the word processor.
 */
const NUMBER_WIDTH = 6
/** How far each level of nesting sets a cell's text in (half a centimetre), in twips, and the cell's own margins (`gridCell`). */
const STEP = 283
const CELL_MARGINS = 200

function row(entry: ParallelRow, width: number, languages: readonly Language[]): TableRow {
  const heading = entry.kind === 'heading'
  // Capped (`indentation`) in the cell's text width: its share of the page's, its margins aside.
  const indent = indentation(entry.depth, STEP, (TWIPS.textWidth * width) / 100 - CELL_MARGINS)
  return new TableRow({
    cantSplit: false,
    children: [
      gridCell([new Paragraph({ children: entry.number !== null ? [numberRun(`§${entry.number}`, 0)] : [] })], NUMBER_WIDTH),
      ...entry.cells.map(({ runs, pending }, index) =>
        gridCell(
          [
            new Paragraph({
              ...(indent > 0 ? { indent: { left: indent } } : {}),
              ...(entry.quote ? { style: STYLE.quote } : {}),
              children: [...(entry.marker ? [new TextRun(`${entry.marker} `)] : []), ...textRuns(heading ? runs.map((run) => ({ ...run, bold: true as const })) : runs)],
            }),
            ...pendingParagraphs({ ...entry, pending }, languages[index]!, indent),
          ],
          width,
        ),
      ),
    ],
  })
}

export async function renderParallelDocx(model: ParallelModel): Promise<Buffer> {
  const width = (100 - NUMBER_WIDTH) / model.columns.length
  const first = model.columns[0]!
  const title = model.columns.map((column) => column.title).join(' / ')
  return packDocx({
    title,
    subject: model.columns.map((column) => column.stamp).join(' / '),
    language: first.language,
    footer: `${title} — ${VOCABULARY[first.language].page}`,
    customProperties: [{ name: DOCUMENT_KIND, value: 'parallel' }],
    children: [
      new Paragraph({ style: STYLE.letterhead, children: [new TextRun(model.letterhead)] }),
      ...(model.event ? [new Paragraph({ style: STYLE.event, children: [new TextRun(model.event)] })] : []),
      gridTable([
          new TableRow({
            tableHeader: true,
            children: [
              gridCell([new Paragraph({ children: [] })], NUMBER_WIDTH, true),
              ...model.columns.map((column) =>
                gridCell(
                  [
                    new Paragraph({ children: [new TextRun({ text: column.title, bold: true })] }),
                    new Paragraph({ children: [new TextRun({ text: column.stamp, bold: true, color: 'B3261E' })] }),
                  ],
                  width,
                  true,
                ),
              ),
            ],
          }),
          ...model.rows.map((entry) => row(entry, width, model.columns.map((column) => column.language))),
          ...(model.columns.some((column) => column.record)
            ? [
                new TableRow({
                  children: [
                    gridCell([new Paragraph({ children: [] })], NUMBER_WIDTH),
                    ...model.columns.map((column) => gridCell([new Paragraph({ children: [new TextRun({ text: column.record ?? '', italics: true })] })], width)),
                  ],
                }),
              ]
            : []),
      ]),
    ],
  })
}
