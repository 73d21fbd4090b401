import type { Run } from '@hemicycle/amendments'
import { type DocumentModel, indentation, type ModelBlock, pendingNote } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'

/**
 * The resolution as one self-contained HTML page, for the print view and for
 * anyone who wants to paste it elsewhere: no script, no external style, the
 * stamp and the § numbers in the margin. With line numbers, every cited line
 * is its own row, cut where the numbering cuts it; one wider than the column
 * (capitals, a heading, another font than the PDF's) wraps under its number
 * rather than run past the printed page's edge, and so does a word longer
 * than the column, with or without them: a print never loses a character.
 */
export const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Runs as inline HTML, their bold and italic kept. */
export function runsHtml(runs: readonly Run[]): string {
  return runs
    .map((run) => {
      let html = escape(run.text)
      if (run.italic) html = `<em>${html}</em>`
      if (run.bold) html = `<strong>${html}</strong>`
      return html
    })
    .join('')
}

const STYLE = `
  @page { size: A4; margin: 2cm 2cm 2cm 2.5cm; }
  body { font-family: "Times New Roman", Times, serif; font-size: 11.5pt; line-height: 1.45; max-width: 46em; margin: 2em auto; padding: 0 3.5em; color: #111; }
  header { text-align: center; margin-bottom: 2em; }
  .letterhead { font-family: Helvetica, Arial, sans-serif; font-size: 8.5pt; letter-spacing: 0.12em; color: #444; }
  h1.title { font-size: 17pt; margin: 0.8em 0 0.4em; }
  .stamp { display: inline-block; font-family: Helvetica, Arial, sans-serif; font-weight: bold; letter-spacing: 0.08em; border: 2px solid #b3261e; color: #b3261e; padding: 0.15em 0.6em; margin: 0.3em 0; }
  .event { font-style: italic; }
  .block { position: relative; margin: 0 0 0.8em; overflow-wrap: anywhere; white-space: pre-wrap; }
  .block.heading { font-weight: bold; margin-top: 1.2em; }
  .block.heading.h1 { font-size: 13.5pt; } .block.heading.h2 { font-size: 12.5pt; }
  .number { position: absolute; left: -3.2em; width: 2.6em; text-align: right; font-family: Helvetica, Arial, sans-serif; font-size: 8.5pt; color: #666; padding-top: 0.2em; }
  .marker { display: inline-block; min-width: 1.6em; padding-right: 0.4em; box-sizing: border-box; }
  .quote { border-left: 2px solid #bbb; padding-left: 0.8em; }
  .lines .line { display: block; white-space: pre-wrap; position: relative; }
  .lines .ln { position: absolute; left: -6em; width: 2.4em; text-align: right; font-family: Helvetica, Arial, sans-serif; font-size: 7.5pt; color: #888; padding-top: 0.25em; }
  .lines .number { left: -3.2em; }
  .record { margin-top: 2em; font-style: italic; }
  .pending { display: block; margin-top: 0.2em; font-style: italic; font-weight: normal; font-size: 9.5pt; color: #555; }
`

/**
 * The text's column printed on A4, in ems: 16.5 cm between the page's margins at 11.5 pt, less the body's padding (see
 * `STYLE`). What a block's indentation (1.8 em a level) is capped in (`indentation`): in ems, as word processors the
 * page is pasted into read it.
 */
const PRINTED_COLUMN = ((16.5 / 2.54) * 72) / 11.5 - 7
const STEP = 1.8

/** A language version's note on a block whose translation is outstanding (`pendingNote`), set apart from the text, never a cited line. */
export function pendingHtml(block: Parameters<typeof pendingNote>[0], language: Language): string {
  const note = pendingNote(block, language)
  return note ? `<span class="pending">${escape(note)}</span>` : ''
}

function blockHtml(block: ModelBlock, lineNumbers: boolean, language: Language): string {
  const classes = ['block', block.kind, ...(block.kind === 'heading' ? [`h${block.level}`] : []), ...(block.quote ? ['quote'] : [])]
  const indent = block.depth > 0 ? ` style="margin-left: ${indentation(block.depth, STEP, PRINTED_COLUMN)}em"` : ''
  const number = block.number !== null ? `<span class="number">§${block.number}</span>` : ''
  const marker = block.marker ? `<span class="marker">${escape(block.marker)}</span>` : ''
  const id = block.id ? ` id="b-${escape(block.id)}"` : ''
  const pending = pendingHtml(block, language)
  if (!lineNumbers) return `<div class="${classes.join(' ')}"${id}${indent}>${number}${marker}${runsHtml(block.runs)}${pending}</div>`
  const lines = block.lines
    .map((line, index) => `<span class="line"><span class="ln">${block.lineLabels[index]}</span>${index === 0 ? marker : ''}${runsHtml(line)}</span>`)
    .join('')
  return `<div class="${classes.join(' ')}"${id}${indent}>${number}${lines}${pending}</div>`
}

export function renderHtml(model: DocumentModel, { lineNumbers }: { lineNumbers: boolean }): string {
  return `<!doctype html>
<html lang="${model.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<div class="letterhead">${escape(model.letterhead)}</div>
<h1 class="title">${escape(model.title)}</h1>
<div class="stamp">${escape(model.stamp)}</div>
${model.event ? `<div class="event">${escape(model.event)}</div>` : ''}
</header>
<main class="${lineNumbers ? 'lines' : 'text'}">
${model.blocks.map((block) => blockHtml(block, lineNumbers, model.language)).join('\n')}
</main>
${model.record ? `<p class="record">${escape(model.record)}</p>` : ''}
</body>
</html>
`
}
