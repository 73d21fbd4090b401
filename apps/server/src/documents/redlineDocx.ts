import { authorLabel, colon, type RedlineBlock, type RedlineModel, redlineAuthors, VOCABULARY } from '@hemicycle/documents'
import { DeletedTextRun, HeadingLevel, InsertedTextRun, Paragraph, type ParagraphChild, TextRun } from 'docx'
import { DOCUMENT_KIND, letterheadParagraphs, nestedIndent, numberRun, packDocx, STYLE, textRuns, TWIPS } from './docxLayout.ts'

/**
 * The redline as a Word file with real tracked changes: every insertion a
 * w:ins and every deletion a w:del, authored by the amendment or the
 * delegation it came from and dated when it was made or decided, so Word or
 * LibreOffice lists who changed what and when, and can accept or reject each
 * change. The § numbers are tracked too: a paragraph whose number the
 * changes moved shows the old number deleted and the new one inserted, so
 * rejecting every change gives back the earlier version, numbering and
 * all, and accepting every change the later one. Change tracking stays on
 * for whatever the reader edits next.
 */
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const

const wordDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** The latest moment among a block's changes, if any is known. */
const latest = (block: RedlineBlock): string | null =>
  block.runs.reduce<string | null>((found, run) => (run.at !== null && (found === null || run.at > found) ? run.at : found), null)

export async function renderRedlineDocx(model: RedlineModel, date: Date): Promise<Buffer> {
  let revision = 0
  const change = (authors: readonly string[], at: string | null) => ({ id: ++revision, author: authorLabel(model, authors), date: wordDate(at ? new Date(at) : date) })
  const words = VOCABULARY[model.language]
  const sep = colon(model.language)

  const runs = (block: RedlineBlock): ParagraphChild[] =>
    block.runs.map((run) => {
      const format = { text: run.text, ...(run.bold || block.kind === 'heading' ? { bold: true } : {}), ...(run.italic ? { italics: true } : {}) }
      if (run.change === 'insert') return new InsertedTextRun({ ...format, ...change(run.authors, run.at) })
      if (run.change === 'delete') return new DeletedTextRun({ ...format, ...change(run.authors, run.at) })
      return new TextRun(format)
    })

  // A paragraph added or removed renumbers those after it: their number changes are dated and authored as that change.
  // A list item's bullet or number is tracked as a § is: rejecting every change gives back the earlier list, numbers and all.
  let renumberedBy: { authors: string[]; at: string | null } = { authors: [], at: null }
  const numbering = (block: RedlineBlock): ParagraphChild[] => {
    const before = block.status === 'inserted' ? null : block.numberBefore !== null ? `§${block.numberBefore}` : block.markerBefore
    const after = block.status === 'deleted' ? null : block.number !== null ? `§${block.number}` : block.marker
    if ((block.status === 'inserted' || block.status === 'deleted') && (before ?? after)) {
      renumberedBy = { authors: block.runs[0]?.authors ?? [], at: latest(block) }
    }
    if (before === after) return before ? [numberRun(before)] : []
    const revised = () => ({ style: STYLE.number, ...change(renumberedBy.authors, renumberedBy.at) })
    return [
      ...(before ? [new DeletedTextRun({ ...revised(), children: [before, '\t'] })] : []),
      ...(after ? [new InsertedTextRun({ ...revised(), children: [after, '\t'] })] : []),
    ]
  }

  const paragraph = (block: RedlineBlock): Paragraph => {
    const labelled = block.number !== null || block.numberBefore !== null || block.marker !== null || block.markerBefore !== null
    // A whole block added or removed carries its paragraph mark in the revision, so accepting it leaves no empty line.
    const mark = block.status === 'inserted' || block.status === 'deleted' ? change(block.runs[0]?.authors ?? [], latest(block)) : null
    // The text stands a centimetre in, after its number, and a centimetre further a level, capped in the column left.
    const indent = nestedIndent(block.depth, TWIPS.textWidth - TWIPS.cm)
    return new Paragraph({
      ...(block.kind === 'heading' ? { heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3 } : block.quote ? { style: STYLE.quote } : {}),
      ...(labelled ? { indent: { left: TWIPS.cm + indent, hanging: TWIPS.cm } } : block.depth > 0 ? { indent: { left: TWIPS.cm + indent } } : {}),
      ...(mark ? { run: block.status === 'inserted' ? { insertion: mark } : { deletion: mark } } : {}),
      children: [...numbering(block), ...runs(block)],
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
    customProperties: [{ name: DOCUMENT_KIND, value: 'redline' }],
    title: `${words.redline} — ${model.title}`,
    subject: `${model.from} / ${model.to}`,
    language: model.language,
    footer: `${words.redline} — ${model.title} — ${words.page}`,
    trackRevisions: true,
    children: [...letterheadParagraphs({ letterhead: model.letterhead, title: model.title, stamp: words.redline, event: model.sides }), ...intro, ...model.blocks.map(paragraph)],
  })
}
