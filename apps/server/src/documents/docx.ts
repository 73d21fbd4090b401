import type { DocumentModel, ModelBlock } from '@hemicycle/documents'
import { VOCABULARY } from '@hemicycle/documents'
import type { FrontMatter } from '@hemicycle/schema'
import { AlignmentType, HeadingLevel, type ILevelsOptions, type INumberingOptions, LevelFormat, Paragraph, type ParagraphChild, TabStopType, TextRun } from 'docx'
import { FRONT_MATTER_PROPERTY, letterheadParagraphs, numberRun, packDocx, STYLE, textRuns, TWIPS } from './docxLayout.ts'

/**
 * The resolution as a Word file. Without line numbers the text flows as
 * Word likes, § numbers hanging in front of each paragraph and lists as real
 * Word lists (so a delegation can edit it naturally and send it back). With
 * line numbers, each cited line is set on its own, after its number, exactly
 * as the numbering cuts it.
 */
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const
const CM = TWIPS.cm

/** Word lists: one numbering definition per kind and start, one instance per list, so each list counts from its own start. */
class Lists {
  private readonly configs = new Map<string, ILevelsOptions[]>()
  private instance = 0
  private readonly last = new Map<number, { reference: string; value: number; instance: number }>()

  place(block: ModelBlock): { reference: string; level: number; instance: number } | null {
    if (!block.marker || block.depth === 0) return null
    const level = Math.min(block.depth - 1, 8)
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
      start: level === 0 && ordered ? start : 1,
      alignment: AlignmentType.LEFT,
      style: { paragraph: { indent: { left: (level + 1) * CM, hanging: CM / 2 + 70 } } },
    }))
  }

  numbering(): INumberingOptions {
    return { config: [...this.configs].map(([reference, levels]) => ({ reference, levels })) }
  }
}

function flowingParagraph(block: ModelBlock, lists: Lists): Paragraph {
  if (block.kind === 'heading') return new Paragraph({ heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3, children: textRuns(block.runs) })
  const list = block.quote ? null : lists.place(block)
  if (!list) lists.interrupt(block)
  const children: ParagraphChild[] = [...(block.number !== null ? [numberRun(`§${block.number}`)] : []), ...textRuns(block.runs)]
  return new Paragraph({
    ...(block.quote ? { style: STYLE.quote } : {}),
    ...(list ? { numbering: list } : {}),
    ...(block.number !== null ? { indent: { left: CM, hanging: CM } } : !list && block.depth > 0 ? { indent: { left: block.depth * CM } } : {}),
    children,
  })
}

function linedParagraph(block: ModelBlock): Paragraph {
  const label = block.number !== null ? `§${block.number}` : (block.marker ?? '')
  const children: ParagraphChild[] = block.lines.flatMap((line, index) => [
    ...(index > 0 ? [new TextRun({ break: 1 })] : []),
    numberRun(String(block.firstLine + index)),
    numberRun(index === 0 ? label : ''),
    ...textRuns(line),
  ])
  return new Paragraph({
    ...(block.kind === 'heading' ? { heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_3 } : block.quote ? { style: STYLE.quote } : {}),
    indent: { left: 0, right: 0 },
    tabStops: [
      { type: TabStopType.LEFT, position: CM },
      { type: TabStopType.LEFT, position: 2 * CM },
    ],
    children,
  })
}

export async function renderDocx(model: DocumentModel, { lineNumbers, frontMatter }: { lineNumbers: boolean; frontMatter: FrontMatter }): Promise<Buffer> {
  const lists = new Lists()
  const body = model.blocks.map((block) => (lineNumbers ? linedParagraph(block) : flowingParagraph(block, lists)))
  const page = VOCABULARY[model.language].page
  return packDocx({
    title: model.title,
    subject: model.stamp,
    language: model.language,
    footer: `${model.title} — ${model.stamp} — ${page}`,
    numbering: lists.numbering(),
    customProperties: [{ name: FRONT_MATTER_PROPERTY, value: JSON.stringify(frontMatter) }],
    children: [
      ...letterheadParagraphs(model),
      ...body,
      ...(model.record ? [new Paragraph({ spacing: { before: 360 }, children: [new TextRun({ text: model.record, italics: true })] })] : []),
    ],
  })
}
