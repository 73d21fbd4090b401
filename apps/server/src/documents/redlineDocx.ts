import { authorLabel, colon, type RedlineBlock, type RedlineModel, redlineAuthors, VOCABULARY } from '@hemicycle/documents'
import { DeletedTextRun, HeadingLevel, InsertedTextRun, Paragraph, type ParagraphChild, TextRun } from 'docx'
import { letterheadParagraphs, numberRun, packDocx, STYLE, textRuns, TWIPS } from './docxLayout.ts'

/**
 * The redline as a Word file with real tracked changes: every insertion a
 * w:ins and every deletion a w:del, authored by the amendment or the
 * delegation it came from, so Word or LibreOffice lists who changed what
 * and can accept or reject each change. Change tracking stays on for
 * whatever the reader edits next.
 */
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const

export async function renderRedlineDocx(model: RedlineModel, date: Date): Promise<Buffer> {
  let revision = 0
  const when = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const change = (authors: readonly string[]) => ({ id: ++revision, author: authorLabel(model, authors), date: when })
  const words = VOCABULARY[model.language]
  const sep = colon(model.language)

  const runs = (block: RedlineBlock): ParagraphChild[] =>
    block.runs.map((run) => {
      const format = { text: run.text, ...(run.bold || block.kind === 'heading' ? { bold: true } : {}), ...(run.italic ? { italics: true } : {}) }
      if (run.change === 'insert') return new InsertedTextRun({ ...format, ...change(run.authors) })
      if (run.change === 'delete') return new DeletedTextRun({ ...format, ...change(run.authors) })
      return new TextRun(format)
    })

  const paragraph = (block: RedlineBlock): Paragraph => {
    const label = block.number !== null ? `§${block.number}` : block.marker
    // A whole block added or removed carries its paragraph mark in the revision, so accepting it leaves no empty line.
    const mark = block.status === 'inserted' || block.status === 'deleted' ? change(block.runs[0]?.authors ?? []) : null
    return new Paragraph({
      ...(block.kind === 'heading' ? { heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3 } : block.quote ? { style: STYLE.quote } : {}),
      ...(label ? { indent: { left: TWIPS.cm * (1 + block.depth), hanging: TWIPS.cm } } : block.depth > 0 ? { indent: { left: TWIPS.cm * (1 + block.depth) } } : {}),
      ...(mark ? { run: block.status === 'inserted' ? { insertion: mark } : { deletion: mark } } : {}),
      children: [...(label ? [numberRun(label)] : []), ...runs(block)],
    })
  }

  const authors = redlineAuthors(model.blocks).map((key) => authorLabel(model, [key]))
  const intro = [
    new Paragraph({ style: STYLE.note, children: textRuns([{ text: `${words.from}${sep}${model.from}`, bold: true }]) }),
    new Paragraph({ style: STYLE.note, children: textRuns([{ text: `${words.to}${sep}${model.to}`, bold: true }]) }),
    new Paragraph({ style: STYLE.note, children: textRuns([{ text: model.legend }]) }),
    ...(authors.length > 0 ? [new Paragraph({ style: STYLE.note, spacing: { after: 360 }, children: textRuns([{ text: `${words.changedBy}${sep}${authors.join(' ; ')}` }]) })] : []),
  ]
  return packDocx({
    title: `${words.redline} — ${model.title}`,
    subject: `${model.from} / ${model.to}`,
    language: model.language,
    footer: `${words.redline} — ${model.title} — ${words.page}`,
    trackRevisions: true,
    children: [...letterheadParagraphs({ letterhead: model.letterhead, title: model.title, stamp: words.redline, event: '' }), ...intro, ...model.blocks.map(paragraph)],
  })
}
