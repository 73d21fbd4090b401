import { indentation } from '@hemicycle/documents'
import type { ParallelModel } from '@hemicycle/translations'
import { escape, pendingHtml, runsHtml } from './html.ts'

/**
 * The parallel edition as one self-contained HTML page: a table with a
 * column per language and a row per block, the § number in front.
 */
const STYLE = `
  @page { size: A4 landscape; margin: 1.5cm; }
  body { font-family: "Times New Roman", Times, serif; font-size: 10.5pt; line-height: 1.4; margin: 2em; color: #111; }
  header { text-align: center; margin-bottom: 1.5em; }
  .letterhead { font-family: Helvetica, Arial, sans-serif; font-size: 8.5pt; letter-spacing: 0.12em; color: #444; }
  .event { font-style: italic; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  th, td { vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; }
  th { text-align: left; }
  .number { width: 3em; font-family: Helvetica, Arial, sans-serif; font-size: 8.5pt; color: #666; text-align: right; }
  .stamp { display: inline-block; font-family: Helvetica, Arial, sans-serif; font-weight: bold; letter-spacing: 0.08em; border: 2px solid #b3261e; color: #b3261e; padding: 0.1em 0.5em; margin-top: 0.3em; }
  tr.heading td { font-weight: bold; padding-top: 0.9em; }
  .marker { display: inline-block; min-width: 1.6em; }
  .record { font-style: italic; }
  .pending { display: block; margin-top: 0.2em; font-style: italic; font-weight: normal; font-size: 9pt; color: #555; }
`

/**
 * A cell's text printed on A4 landscape, in ems, with `columns` languages: 26.7 cm between the page's margins at
 * 10.5 pt, less the body's margins and the § column, shared out, less the cell's padding (see `STYLE`). What a row's
 * indentation (1.4 em a level) is capped in (`indentation`).
 */
const cellWidth = (columns: number) => (((26.7 / 2.54) * 72) / 10.5 - 4 - 3.6) / columns - 1.2
const STEP = 1.4

export function renderParallelHtml(model: ParallelModel): string {
  const heads = model.columns
    .map((column) => `<th lang="${column.language}"><div class="title">${escape(column.title)}</div><div class="stamp">${escape(column.stamp)}</div></th>`)
    .join('')
  const rows = model.rows
    .map((row) => {
      const cells = row.cells
        .map(({ runs, pending }, index) => {
          const indent = row.depth > 0 ? ` style="padding-left: ${0.6 + indentation(row.depth, STEP, cellWidth(model.columns.length))}em"` : ''
          const marker = row.marker ? `<span class="marker">${escape(row.marker)}</span>` : ''
          const language = model.columns[index]!.language
          return `<td lang="${language}"${indent}>${marker}${runsHtml(runs)}${pendingHtml({ ...row, pending }, language)}</td>`
        })
        .join('')
      return `<tr class="${row.kind}"${row.sourceId ? ` data-source-id="${escape(row.sourceId)}"` : ''}><td class="number">${row.number !== null ? `§${row.number}` : ''}</td>${cells}</tr>`
    })
    .join('\n')
  const records = model.columns.some((column) => column.record)
    ? `<tr><td class="number"></td>${model.columns.map((column) => `<td class="record" lang="${column.language}">${escape(column.record ?? '')}</td>`).join('')}</tr>`
    : ''
  return `<!doctype html>
<html lang="${model.columns[0]?.language ?? 'fr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(model.columns.map((column) => column.title).join(' / '))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<div class="letterhead">${escape(model.letterhead)}</div>
${model.event ? `<div class="event">${escape(model.event)}</div>` : ''}
</header>
<table>
<thead><tr><th class="number"></th>${heads}</tr></thead>
<tbody>
${rows}
${records}
</tbody>
</table>
</body>
</html>
`
}
