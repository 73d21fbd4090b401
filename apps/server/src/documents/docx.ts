import type { DocumentModel, ModelBlock } from '@hemicycle/documents'
import { VOCABULARY } from '@hemicycle/documents'
import type { FrontMatter } from '@hemicycle/schema'
import type { Run } from '@hemicycle/amendments'
import { AlignmentType, HeadingLevel, type ILevelsOptions, type INumberingOptions, LevelFormat, Paragraph, type ParagraphChild, TabStopType, TextRun } from 'docx'
import { continuationStyle, DOCUMENT_KIND, FRONT_MATTER_PROPERTY, LINED_KIND, letterheadParagraphs, listHeadingStyle, nestedIndent, numberRun, packDocx, pendingParagraphs, quotedHeadingStyle, STYLE, textRuns, TWIPS } from './docxLayout.ts'
import { advanceWidth, FAMILY, type FaceName, face, segmentText, type Style } from './fonts.ts'

/**
 * The resolution as a Word file. Without line numbers the text flows as
 * Word likes, § numbers hanging in front of each paragraph and lists as real
 * Word lists (so a delegation can edit it naturally and send it back). With
 * line numbers, each cited line is set on its own, after its number, exactly
 * as the numbering cuts it, and must never wrap again in the reader's word
 * processor: the lines are set in the PDF's fonts, embedded in the file,
 * each character in the face that has it, and each line at a size at which
 * its measured width fits the column with room to spare.
 */
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const
const CM = TWIPS.cm

/** Word lists: one numbering definition per kind and start, one instance per list, so each list counts from its own start. */
class Lists {
  private readonly configs = new Map<string, ILevelsOptions[]>()
  private instance = 0
  private readonly last = new Map<number, { reference: string; value: number; instance: number }>()
  /** Whether the lists in progress are quoted: a list in a quote and one outside it are two lists. */
  private quoted = false

  place(block: ModelBlock): { reference: string; level: number; instance: number } | null {
    if (!block.marker || block.lists === 0) return null
    if (block.quote !== this.quoted) this.last.clear()
    this.quoted = block.quote
    const level = Math.min(block.lists - 1, 8)
    const ordered = /^\d+\.$/.test(block.marker)
    const value = ordered ? Number.parseInt(block.marker, 10) : 0
    const previous = this.last.get(level)
    const continues = previous && (ordered ? previous.reference.startsWith('ordered') && previous.value + 1 === value : previous.reference === 'bullet')
    const reference = continues ? previous.reference : ordered ? `ordered-${value}` : 'bullet'
    if (!this.configs.has(reference)) this.configs.set(reference, this.levels(ordered, value))
    const instance = continues ? previous.instance : ++this.instance
    // A list at this level ends any deeper one.
    for (const depth of this.last.keys()) if (depth > level) this.last.delete(depth)
    this.last.set(level, { reference, value, instance })
    return { reference, level, instance }
  }

  /** Anything but a list item ends the lists in progress. */
  interrupt(block: ModelBlock): void {
    if (block.depth === 0) this.last.clear()
  }

  private levels(ordered: boolean, start: number): ILevelsOptions[] {
    return Array.from({ length: 9 }, (_, level) => ({
      level,
      format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
      text: ordered ? `%${level + 1}.` : '•',
      // A reference is made per start and used at whatever level its list sits: a nested list from 3 counts from 3 too.
      start: ordered ? start : 1,
      alignment: AlignmentType.LEFT,
      style: { paragraph: { indent: { left: nestedIndent(level + 1), hanging: CM / 2 + 70 } } },
    }))
  }

  numbering(): INumberingOptions {
    return { config: [...this.configs].map(([reference, levels]) => ({ reference, levels })) }
  }
}

function flowingParagraph(block: ModelBlock, lists: Lists): Paragraph {
  if (block.kind === 'heading' && block.quote) return new Paragraph({ style: quotedHeadingStyle(block.level).id, children: textRuns(block.runs) })
  if (block.kind === 'heading' && block.depth > 0) return new Paragraph({ style: listHeadingStyle(block.depth, block.level).id, children: textRuns(block.runs) })
  if (block.kind === 'heading') return new Paragraph({ heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3, children: textRuns(block.runs) })
  // A list in a quote is a Word list too, in the quote's style: set as quoted paragraphs with its markers printed, it
  // came back without them ("1.", "2." gone from the quoted words), the printed numbers not being text.
  const list = lists.place(block)
  if (!list) lists.interrupt(block)
  const marker = !list && block.marker ? [numberRun(block.marker)] : []
  const children: ParagraphChild[] = [...(block.number !== null ? [numberRun(`§${block.number}`)] : []), ...marker, ...textRuns(block.runs)]
  // A list item's paragraph after its first (a quote inside the item is set as quoted paragraphs, as any quote).
  const continued = block.kind === 'paragraph' && !block.quote && !list && block.marker === null && block.depth > 0 && block.number === null
  return new Paragraph({
    ...(block.quote ? { style: STYLE.quote } : continued ? { style: continuationStyle(block.depth).id } : {}),
    ...(list ? { numbering: list } : {}),
    ...(block.number !== null ? { indent: { left: CM, hanging: CM } } : !list && !continued && block.depth > 0 ? { indent: { left: nestedIndent(block.depth) } } : {}),
    children,
  })
}

/** The line-numbered layout: narrower margins, the line number at the margin, the § or marker at the first tab, the text at the second. */
const LINED = {
  margin: 1.5 * CM,
  labelTab: 0.8 * CM,
  textTab: 1.6 * CM,
  /** Points: the size lines are set at when they fit. */
  size: 10,
  /** A line may fill this share of its column; the rest absorbs rounding in the reader's layout. */
  fill: 0.94,
  smallest: 5,
}
/** The width a cited line may take, in points. */
const LINED_COLUMN = ((TWIPS.pageWidth - 2 * LINED.margin - LINED.textTab) / 20) * LINED.fill

const styleOf = (run: Run, heading: boolean): Style => (run.bold || heading ? (run.italic ? 'serifBoldItalic' : 'serifBold') : run.italic ? 'serifItalic' : 'serif')

/** The faces a line-numbered file sets its text in, so it can embed exactly those. */
class Faces {
  readonly used = new Set<FaceName>()

  /**
   * A line's runs, each cut into one run per face, at the size at which the whole line fits the column. A character
   * no face has stays in the text, in the chain's last face, for Word to find a font for.
   */
  line(runs: readonly Run[], heading: boolean): TextRun[] {
    const pieces = runs.flatMap((run) => segmentText(run.text, styleOf(run, heading), 'kept'))
    // What the faces lack is counted an em a character, as wide as a CJK ideograph: wider than it sets, the line still fits.
    const natural = pieces.reduce((sum, piece) => sum + (piece.uncovered ? [...piece.text].length * LINED.size : advanceWidth(piece.text, piece.face, LINED.size)), 0)
    // Word sizes go by half points; a line too wide is set at the largest that fits.
    const size = natural > LINED_COLUMN ? Math.max(LINED.smallest, Math.floor((2 * LINED.size * LINED_COLUMN) / natural) / 2) : LINED.size
    return pieces.map((piece) => {
      this.used.add(piece.face)
      const { family, bold, italic } = FAMILY[piece.face]
      return new TextRun({ text: piece.text, font: family, size: size * 2, bold, italics: italic })
    })
  }

  /** Word embeds a font as its regular face plus the bold and italic ones it has: each family used, with its faces used. */
  embedded() {
    const families = new Map<string, Partial<Record<'regular' | 'bold' | 'italic' | 'boldItalic', FaceName>>>()
    for (const name of Object.keys(FAMILY) as FaceName[]) {
      const { family, bold, italic } = FAMILY[name]
      const member = bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular'
      if (member === 'regular' || this.used.has(name)) families.set(family, { ...families.get(family), [member]: name })
    }
    return [...families]
      .filter(([, members]) => Object.values(members).some((name) => this.used.has(name)))
      .map(([family, members]) => ({
        name: family,
        data: face(members.regular!).bytes,
        ...(members.bold ? { bold: face(members.bold).bytes } : {}),
        ...(members.italic ? { italic: face(members.italic).bytes } : {}),
        ...(members.boldItalic ? { boldItalic: face(members.boldItalic).bytes } : {}),
      }))
  }
}

function linedParagraph(block: ModelBlock, faces: Faces): Paragraph {
  const label = block.number !== null ? `§${block.number}` : (block.marker ?? '')
  const heading = block.kind === 'heading'
  const children: ParagraphChild[] = block.lines.flatMap((line, index) => [
    ...(index > 0 ? [new TextRun({ break: 1 })] : []),
    numberRun(block.lineLabels[index]!),
    numberRun(index === 0 ? label : ''),
    ...faces.line(line, heading),
  ])
  return new Paragraph({
    ...(heading ? { heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3 } : block.quote ? { style: STYLE.quote } : {}),
    indent: { left: 0, right: 0 },
    tabStops: [
      { type: TabStopType.LEFT, position: LINED.labelTab },
      { type: TabStopType.LEFT, position: LINED.textTab },
    ],
    children,
  })
}

export async function renderDocx(model: DocumentModel, { lineNumbers, frontMatter }: { lineNumbers: boolean; frontMatter: FrontMatter }): Promise<Buffer> {
  const lists = new Lists()
  const faces = new Faces()
  const body = model.blocks.flatMap((block) => [
    lineNumbers ? linedParagraph(block, faces) : flowingParagraph(block, lists),
    ...pendingParagraphs(block, model.language, lineNumbers ? LINED.textTab : block.number !== null ? CM : nestedIndent(block.depth)),
  ])
  const page = VOCABULARY[model.language].page
  return packDocx({
    title: model.title,
    subject: model.stamp,
    language: model.language,
    footer: `${model.title} — ${model.stamp} — ${page}`,
    numbering: lists.numbering(),
    customProperties: [
      { name: FRONT_MATTER_PROPERTY, value: JSON.stringify(frontMatter) },
      { name: DOCUMENT_KIND, value: lineNumbers ? LINED_KIND : 'resolution' },
    ],
    children: [
      ...letterheadParagraphs(model),
      ...body,
      ...(model.record ? [new Paragraph({ spacing: { before: 360 }, children: [new TextRun({ text: model.record, italics: true })] })] : []),
    ],
    ...(lineNumbers ? { fonts: faces.embedded(), margins: { left: LINED.margin, right: LINED.margin } } : {}),
  })
}
