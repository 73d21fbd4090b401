import type { Run } from '@hemicycle/amendments'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { indentation, pendingNote } from '@hemicycle/documents'
import type { Language } from '@hemicycle/protocol'
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  type INumberingOptions,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  type TableRow,
  TextRun,
  WidthType,
} from 'docx'

/**
 * What every Word file Hemicycle issues shares: A4 pages, Times New Roman,
 * the letterhead, title, stamp and event in named styles, and a character
 * style for the numbers Hemicycle prints (§, lines, markers). Those names
 * are how a file that comes back in is recognised: the import drops the
 * number runs and reads the header paragraphs as metadata.
 */
export const STYLE = {
  letterhead: 'HemicycleHeader',
  stamp: 'HemicycleStamp',
  event: 'HemicycleEvent',
  number: 'HemicycleNumber',
  quote: 'Quote',
  note: 'HemicycleNote',
} as const

/** A heading inside a quote, at its level (1–3): based on Word's heading, read back into the quote (a plain heading came back outside it, the quote cut in two). */
export const quotedHeadingStyle = (level: number) => {
  const at = Math.min(Math.max(level, 1), 3)
  return { id: `HemicycleQuotedHeading${at}`, name: `Hemicycle Quoted Heading ${at}`, basedOn: `Heading${at}` }
}

/** How many list levels Word has, and Hemicycle's continuation styles with them (a deeper list is set at the last). */
export const WORD_LIST_LEVELS = 9

/**
 * A list item's paragraph after its first, at list level `level` (1-based): Word lists number paragraphs, not items,
 * so it is a paragraph of this style, which the import reads back into the item open before it. Set as a plain
 * indented paragraph, it came back as a § of its own, and every § after it took the next number.
 */
export const continuationStyle = (level: number) => {
  const at = Math.min(Math.max(level, 1), WORD_LIST_LEVELS)
  return { id: `HemicycleListContinue${at}`, name: `Hemicycle List Continue ${at}` }
}

/**
 * A heading inside a list item, at list level `depth` (1-based) and heading level 1–3: based on Word's heading,
 * indented as the item's other paragraphs, and read back into the item open before it. As a plain heading it came back
 * outside the list: the item ended there, its later paragraphs became §s of their own, and the list restarted after.
 */
export const listHeadingStyle = (depth: number, level: number) => {
  const at = Math.min(Math.max(depth, 1), WORD_LIST_LEVELS)
  const size = Math.min(Math.max(level, 1), 3)
  return { id: `HemicycleListHeading${at}L${size}`, name: `Hemicycle List Heading ${at} Level ${size}`, basedOn: `Heading${size}` }
}

/** The names Word shows (and mammoth's style map matches on). */
export const STYLE_NAME = {
  letterhead: 'Hemicycle Header',
  stamp: 'Hemicycle Stamp',
  event: 'Hemicycle Event',
  number: 'Hemicycle Number',
  quote: 'Quote',
  note: 'Hemicycle Note',
} as const

/** The custom document property carrying the front matter, so a DOCX Hemicycle wrote comes back with every key. */
export const FRONT_MATTER_PROPERTY = 'Hemicycle front matter'

/** The custom document property naming what a DOCX Hemicycle wrote is: a resolution, a redline or a booklet (only a resolution may come back as a draft). */
export const DOCUMENT_KIND = 'Hemicycle document'
/** The kind of the line-numbered print of a resolution: a print to cite lines from, not a draft to read back. */
export const LINED_KIND = 'lined resolution'

const CM = 567
export const TWIPS = { cm: CM, pageWidth: 11906, pageHeight: 16838, margin: 2 * CM, textWidth: 11906 - 4 * CM }

/** How far a paragraph `depth` levels deep is set in, in twips: a centimetre a level, capped (`indentation`) in a column `width` wide. */
export const nestedIndent = (depth: number, width: number = TWIPS.textWidth) => indentation(depth, CM, width)

export const textRuns = (runs: readonly Run[], extra: { size?: number } = {}): TextRun[] =>
  runs.map((run) => new TextRun({ text: run.text, ...(run.bold ? { bold: true } : {}), ...(run.italic ? { italics: true } : {}), ...extra }))

const GRID_LINE = { style: BorderStyle.SINGLE, size: 4, color: 'BBBBBB' }

/** A full-width table ruled in light grey: how the booklet and the parallel edition set wordings side by side. */
export const gridTable = (rows: TableRow[]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: GRID_LINE, bottom: GRID_LINE, left: GRID_LINE, right: GRID_LINE, insideHorizontal: GRID_LINE, insideVertical: GRID_LINE },
    rows,
  })

/** A cell of such a table, `width` in percent of the page; header cells are shaded. */
export const gridCell = (children: Paragraph[], width: number, shade = false) =>
  new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    margins: { top: 70, bottom: 70, left: 100, right: 100 },
    ...(shade ? { shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } } : {}),
    children,
  })

/** A printed number (§, line, marker) followed by a tab: one run, in the style the import drops. */
export const numberRun = (text: string, tabs = 1) =>
  new TextRun({ style: STYLE.number, children: [text, ...Array.from({ length: tabs }, () => '\t')] })

export function letterheadParagraphs(head: { letterhead: string; title: string; stamp: string; event: string; subtitle?: string }): Paragraph[] {
  return [
    new Paragraph({ style: STYLE.letterhead, children: [new TextRun(head.letterhead)] }),
    ...(head.subtitle ? [new Paragraph({ style: STYLE.note, alignment: AlignmentType.CENTER, children: [new TextRun({ text: head.subtitle, bold: true, size: 24 })] })] : []),
    new Paragraph({ style: 'Title', children: [new TextRun(head.title)] }),
    new Paragraph({ style: STYLE.stamp, children: [new TextRun(head.stamp)] }),
    ...(head.event ? [new Paragraph({ style: STYLE.event, children: [new TextRun(head.event)] })] : []),
  ]
}

/**
 * A language version's note on a block whose translation is outstanding
 * (`pendingNote`): its own paragraph under the block, in Hemicycle's note
 * style and italics, so it reads as no part of the text, is never a cited
 * line, and is left out when the file is imported again.
 */
export function pendingParagraphs(block: Parameters<typeof pendingNote>[0], language: Language, left: number): Paragraph[] {
  const note = pendingNote(block, language)
  return note ? [new Paragraph({ style: STYLE.note, indent: { left }, children: [new TextRun({ text: note, italics: true })] })] : []
}

export interface DocxOptions {
  title: string
  subject: string
  language: string
  footer: string
  children: Array<Paragraph | Table>
  numbering?: INumberingOptions
  customProperties?: Array<{ name: string; value: string }>
  /** Turn on Word's change tracking, so edits made in Word to a redline are tracked too. */
  trackRevisions?: boolean
  /** Fonts the file carries (and the reader's word processor uses) rather than expects installed. */
  fonts?: NonNullable<ConstructorParameters<typeof Document>[0]['fonts']>
  /** Left and right page margins in twips, when not the usual 2 cm. */
  margins?: { left: number; right: number }
}

export async function packDocx(options: DocxOptions): Promise<Buffer> {
  const language = { fr: 'fr-FR', en: 'en-GB', es: 'es-ES' }[options.language] ?? options.language
  const doc = new Document({
    title: options.title,
    subject: options.subject,
    creator: 'Hemicycle',
    ...(options.customProperties ? { customProperties: options.customProperties } : {}),
    ...(options.numbering ? { numbering: options.numbering } : {}),
    ...(options.trackRevisions ? { features: { trackRevisions: true } } : {}),
    ...(options.fonts && options.fonts.length > 0 ? { fonts: options.fonts } : {}),
    styles: {
      default: {
        document: { run: { font: 'Times New Roman', size: 22, language: { value: language } }, paragraph: { spacing: { after: 120, line: 264 } } },
        title: { run: { font: 'Times New Roman', size: 34, bold: true, color: '111111' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 160 } } },
        heading1: { run: { font: 'Times New Roman', size: 27, bold: true, color: '111111' }, paragraph: { spacing: { before: 280, after: 120 }, keepNext: true } },
        heading2: { run: { font: 'Times New Roman', size: 25, bold: true, color: '111111' }, paragraph: { spacing: { before: 240, after: 100 }, keepNext: true } },
        heading3: { run: { font: 'Times New Roman', size: 23, bold: true, color: '111111' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
      },
      paragraphStyles: [
        {
          id: STYLE.letterhead,
          name: STYLE_NAME.letterhead,
          basedOn: 'Normal',
          run: { font: 'Arial', size: 16, bold: true, color: '555555', characterSpacing: 30 },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 360 } },
        },
        {
          id: STYLE.stamp,
          name: STYLE_NAME.stamp,
          basedOn: 'Normal',
          run: { font: 'Arial', size: 22, bold: true, color: 'B3261E', characterSpacing: 20 },
          paragraph: {
            alignment: AlignmentType.CENTER,
            spacing: { before: 120, after: 120 },
            border: {
              top: { style: BorderStyle.SINGLE, size: 12, color: 'B3261E', space: 2 },
              bottom: { style: BorderStyle.SINGLE, size: 12, color: 'B3261E', space: 2 },
            },
          },
        },
        {
          id: STYLE.event,
          name: STYLE_NAME.event,
          basedOn: 'Normal',
          run: { italics: true },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 480 } },
        },
        // Upright, as on screen and in the PDF: a style in italics hid the italics of the quoted words, which Word and
        // LibreOffice then set like the others.
        { id: STYLE.quote, name: STYLE_NAME.quote, basedOn: 'Normal', paragraph: { indent: { left: CM, right: CM } } },
        { id: STYLE.note, name: STYLE_NAME.note, basedOn: 'Normal', run: { size: 18, color: '555555' }, paragraph: { spacing: { after: 60 } } },
        ...Array.from({ length: WORD_LIST_LEVELS }, (_, index) => ({ ...continuationStyle(index + 1), basedOn: 'Normal', paragraph: { indent: { left: nestedIndent(index + 1) } } })),
        ...[1, 2, 3].map((level) => ({ ...quotedHeadingStyle(level), next: 'Normal', quickFormat: false, paragraph: { indent: { left: CM, right: CM } } })),
        ...Array.from({ length: WORD_LIST_LEVELS }, (_, index) =>
          [1, 2, 3].map((level) => ({ ...listHeadingStyle(index + 1, level), next: 'Normal', quickFormat: false, paragraph: { indent: { left: nestedIndent(index + 1) } } })),
        ).flat(),
      ],
      characterStyles: [{ id: STYLE.number, name: STYLE_NAME.number, basedOn: 'DefaultParagraphFont', run: { font: 'Arial', size: 16, color: '666666' } }],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: TWIPS.pageWidth, height: TWIPS.pageHeight },
            margin: { top: TWIPS.margin, bottom: TWIPS.margin, left: options.margins?.left ?? TWIPS.margin, right: options.margins?.right ?? TWIPS.margin },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ size: 15, color: '666666', children: [`${options.footer} — `, PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: options.children,
      },
    ],
  })
  return withXmlCharactersOnly(await Packer.toBuffer(doc))
}

/** Characters XML 1.0 cannot carry: Word and LibreOffice refuse a whole document whose part holds one. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NOT_XML = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g

/**
 * The package with each character XML cannot carry drawn as U+FFFD, the
 * mark of a character that could not be shown. The routes refuse them
 * (400 `invalid_character`), but a text or record stored before they did
 * may hold one, and one such character made every DOCX of the resolution
 * (a justification: the booklet of every delegation) a file nobody could
 * open. Marked rather than dropped, so the reader sees something is there.
 */
function withXmlCharactersOnly(packed: Buffer): Buffer {
  const parts = unzipSync(packed)
  let marked = false
  for (const [name, bytes] of Object.entries(parts)) {
    if (!/\.(xml|rels)$/.test(name)) continue
    const xml = strFromU8(bytes)
    const shown = xml.replace(NOT_XML, '\ufffd')
    if (shown === xml) continue
    parts[name] = strToU8(shown)
    marked = true
  }
  return marked ? Buffer.from(zipSync(parts)) : packed
}
