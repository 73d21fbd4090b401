import { VOCABULARY } from '@hemicycle/documents'
import type { ParallelModel, ParallelRow } from '@hemicycle/translations'
import { BorderStyle, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import { DOCUMENT_KIND, numberRun, packDocx, STYLE, textRuns } from './docxLayout.ts'

/**
 * The parallel edition as a Word file: a table with a column per language
 * and a row per block of the original, its § in the first column, so each
 * paragraph sits level with its translations whatever the word processor.
 */
const border = { style: BorderStyle.SINGLE, size: 4, color: 'CCCCCC' }
const NUMBER_WIDTH = 6

const cell = (children: Paragraph[], width: number, shade = false) =>
  new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    margins: { top: 60, bottom: 60, left: 90, right: 90 },
    ...(shade ? { shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } } : {}),
    children,
  })

function row(entry: ParallelRow, width: number): TableRow {
  const heading = entry.kind === 'heading'
  return new TableRow({
    cantSplit: false,
    children: [
      cell([new Paragraph({ children: entry.number !== null ? [numberRun(`§${entry.number}`, 0)] : [] })], NUMBER_WIDTH),
      ...entry.cells.map((runs) =>
        cell(
          [
            new Paragraph({
              ...(entry.depth > 0 ? { indent: { left: entry.depth * 283 } } : {}),
              ...(entry.quote ? { style: STYLE.quote } : {}),
              children: [...(entry.marker ? [new TextRun(`${entry.marker} `)] : []), ...textRuns(heading ? runs.map((run) => ({ ...run, bold: true as const })) : runs)],
            }),
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
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
        rows: [
          new TableRow({
            tableHeader: true,
            children: [
              cell([new Paragraph({ children: [] })], NUMBER_WIDTH, true),
              ...model.columns.map((column) =>
                cell(
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
          ...model.rows.map((entry) => row(entry, width)),
          ...(model.columns.some((column) => column.record)
            ? [
                new TableRow({
                  children: [
                    cell([new Paragraph({ children: [] })], NUMBER_WIDTH),
                    ...model.columns.map((column) => cell([new Paragraph({ children: [new TextRun({ text: column.record ?? '', italics: true })] })], width)),
                  ],
                }),
              ]
            : []),
        ],
      }),
    ],
  })
}
