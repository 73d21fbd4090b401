import type { Run } from '@hemicycle/amendments'
import { type BookletEntry, type BookletModel, colon, type MarkedRun, VOCABULARY } from '@hemicycle/documents'
import { HeadingLevel, Paragraph, type Table, TableRow, TextRun } from 'docx'
import { DOCUMENT_KIND, gridCell, gridTable, letterheadParagraphs, packDocx, STYLE, textRuns } from './docxLayout.ts'

/**
 * The amendments booklet as a Word file: one section per amendment, the
 * original and proposed wordings side by side in a table, words the
 * amendment removes struck through and words it adds underlined.
 */
const markedRuns = (runs: readonly MarkedRun[]) =>
  runs.map(
    (run) =>
      new TextRun({
        text: run.text,
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italics: true } : {}),
        ...(run.change === 'delete' ? { strike: true, color: 'B3261E' } : {}),
        ...(run.change === 'insert' ? { underline: {}, color: '1A5FB4' } : {}),
      }),
  )

const cell = (paragraphs: readonly MarkedRun[][], shade = false) =>
  gridCell(paragraphs.length > 0 ? paragraphs.map((runs) => new Paragraph({ children: markedRuns(runs) })) : [new Paragraph({ children: [new TextRun('—')] })], 50, shade)

function entryParagraphs(entry: BookletEntry, booklet: BookletModel): Array<Paragraph | Table> {
  const words = VOCABULARY[booklet.language]
  const sep = colon(booklet.language)
  const note = (label: string, text: string) =>
    new Paragraph({ style: STYLE.note, children: [new TextRun({ text: `${label}${sep}`, bold: true }), new TextRun(text)] })
  const labelled = (label: string, paragraphs: readonly Run[][]) =>
    paragraphs.map((runs, index) => new Paragraph({ children: [...(index === 0 ? [new TextRun({ text: `${label}${sep}`, bold: true })] : []), ...textRuns(runs)] }))
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [new TextRun(entry.heading), ...(entry.compromise ? [new TextRun({ text: ` — ${words.compromise}`, italics: true })] : [])] }),
    new Paragraph({ style: STYLE.note, keepNext: true, children: [new TextRun({ text: entry.action, bold: true })] }),
    note(words.tabledBy, entry.tabledBy),
    note(words.cosponsors, entry.cosponsors),
    gridTable([
        new TableRow({
          tableHeader: true,
          children: [
            cell([[{ text: words.original, bold: true, change: 'equal' }]], true),
            cell([[{ text: words.proposed, bold: true, change: 'equal' }]], true),
          ],
        }),
        new TableRow({ cantSplit: false, children: [cell(entry.original), cell(entry.proposed)] }),
      ]),
    ...(entry.beside?.paragraphs ?? []).flatMap(({ runs, note: pending }, index) => {
      const shown = runs.length > 0 ? runs : [{ text: '—' }]
      return [
        ...(index === 0 ? labelled(entry.beside!.label, [shown]) : [new Paragraph({ children: textRuns(shown) })]),
        ...(pending ? [new Paragraph({ style: STYLE.note, children: [new TextRun({ text: pending, italics: true })] })] : []),
      ]
    }),
    ...labelled(words.justification, [[{ text: entry.justification }]]),
    ...labelled(words.decision, [[{ text: entry.decision }]]),
    ...(entry.decisionDetail ? labelled(entry.decisionDetail.label, entry.decisionDetail.runs) : []),
    new Paragraph({ spacing: { after: 240 }, children: [] }),
  ]
}

export async function renderBookletDocx(booklet: BookletModel): Promise<Buffer> {
  const words = VOCABULARY[booklet.language]
  return packDocx({
    customProperties: [{ name: DOCUMENT_KIND, value: 'booklet' }],
    title: `${booklet.heading} — ${booklet.title}`,
    subject: booklet.summary,
    language: booklet.language,
    footer: `${booklet.heading} — ${booklet.title} — ${words.page}`,
    children: [
      ...letterheadParagraphs({ ...booklet, subtitle: booklet.heading }),
      new Paragraph({ style: STYLE.note, children: [new TextRun({ text: [booklet.summary, booklet.filters].filter(Boolean).join(' · '), bold: true })] }),
      new Paragraph({ style: STYLE.note, spacing: { after: 360 }, children: [new TextRun(words.legend)] }),
      ...booklet.entries.flatMap((entry) => entryParagraphs(entry, booklet)),
    ],
  })
}
