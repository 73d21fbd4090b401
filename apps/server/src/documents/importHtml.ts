import type { Run } from '@hemicycle/amendments'
import { type DocumentNode, forbiddenAsSpaces, schema } from '@hemicycle/schema'
import { EMPTY_PARAGRAPH_MARK } from './numberedEmptyParagraphs.ts'
import { takeNumberMarks } from './printedNumbers.ts'

/**
 * Reads the HTML mammoth makes of a Word file into a body of the shared
 * schema: headings, paragraphs, lists, quotes, bold and italic; everything
 * else keeps its text and loses its form (a table row becomes one
 * paragraph, its cells separated by " | ", so a table does not turn into as
 * many numbered § as it has cells; links keep their text; images and note
 * marks go). mammoth writes a small, well-formed vocabulary, so a
 * tokenizer is enough; the server has no DOM to lend.
 *
 * Paragraphs carrying one of `SPECIAL` classes (the title, stamp, event and
 * letterhead Hemicycle's own DOCX export styles) are set aside for the
 * metadata instead of entering the body.
 */
export const SPECIAL = ['title', 'letterhead', 'stamp', 'event'] as const
export type Special = (typeof SPECIAL)[number]

export interface ImportedHtml {
  doc: DocumentNode
  special: Partial<Record<Special, string>>
  /** The text of the body's blocks before the first paragraph that is not a heading: where a title without a Title style sits. */
  leading: Array<{ kind: 'heading' | 'paragraph'; level: number; text: string }>
  /** The numbers Word prints before paragraphs (carried by number marks) that the text does not print as they are: "a)", "Article 1 –". */
  numbersNotKept: string[]
}

interface JsonNode {
  type: string
  attrs?: Record<string, unknown>
  content?: JsonNode[]
  text?: string
  marks?: Array<{ type: string }>
  /** A list item's number as Word printed it, until its list is finished. */
  number?: number
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/**
 * Word's soft returns and runs of spaces read as one space; non-breaking spaces (French typography) stay. A character no
 * text may hold (a C1 control, from text once decoded as the wrong code page) is a space too, as in a Markdown import.
 */
function tidy(runs: readonly Run[]): Run[] {
  const out: Run[] = []
  for (const run of runs) {
    const text = forbiddenAsSpaces(run.text).replace(/[ \t\r\n]+/g, ' ')
    const last = out[out.length - 1]
    if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic) last.text += text
    else out.push({ ...run, text })
  }
  while (out.length > 0 && out[0]!.text.trimStart().length === 0) out.shift()
  while (out.length > 0 && out[out.length - 1]!.text.trimEnd().length === 0) out.pop()
  if (out.length > 0) {
    out[0]!.text = out[0]!.text.replace(/^ +/, '')
    out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/ +$/, '')
  }
  return out
}

const textNodes = (runs: readonly Run[]): JsonNode[] =>
  runs.map((run) => {
    const marks = [...(run.bold ? [{ type: 'bold' }] : []), ...(run.italic ? [{ type: 'italic' }] : [])]
    return { type: 'text', text: run.text, ...(marks.length > 0 ? { marks } : {}) }
  })

interface Container {
  type: 'doc' | 'bulletList' | 'orderedList' | 'listItem' | 'blockquote'
  content: JsonNode[]
  /** A list item's number as Word printed it. */
  number?: number
}

interface Textblock {
  type: 'paragraph' | 'heading'
  level: number
  special: Special | null
  runs: Run[]
}

/** A cell's paragraph, or a row of a table inside the cell, added to the row's runs, a space from the cell's words before it. */
function joinInto(row: { runs: Run[] }, runs: readonly Run[]): void {
  if (runs.length === 0) return
  const last = row.runs.at(-1)
  row.runs.push(...(last && last.text !== CELL_SEPARATOR ? [{ text: ' ' }] : []), ...runs)
}

const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(\/?)>|<!--[\s\S]*?-->|([^<]+)/g

/** Where cells of a table row meet in the paragraph the row becomes. */
const CELL_SEPARATOR = ' | '

/** mammoth's footnote and endnote marks ("[1]") and the notes it lists at the end: not part of the text. */
function withoutNotes(html: string): string {
  return html
    .replace(/<sup><a href="#(?:footnote|endnote)-[^"]*" id="(?:footnote|endnote)-ref-[^"]*">[^<]*<\/a><\/sup>/g, '')
    .replace(/<ol>(?:<li id="(?:footnote|endnote)-[^"]*">[\s\S]*?<\/li>)+<\/ol>/g, '')
}

export function htmlToBody(source: string): ImportedHtml {
  const html = withoutNotes(source)
  const stack: Container[] = [{ type: 'doc', content: [] }]
  /**
   * The table rows being read, innermost last: each row's cells become one paragraph, and a table inside a cell
   * is read into that cell, its rows' words between the cell's words before and after it.
   */
  const rows: Array<{ runs: Run[]; cells: number }> = []
  const row = () => rows.at(-1)
  const special: Partial<Record<Special, string>> = {}
  const leading: ImportedHtml['leading'] = []
  const numbersNotKept: string[] = []
  let leadingOpen = true
  /** Whether the last block read was the title: a Title-styled paragraph right after it continues it. */
  let titleOpen = false
  let current: Textblock | null = null
  let bold = 0
  let italic = 0

  const top = () => stack[stack.length - 1]!

  /** A textblock always sits in a list item inside a list, never directly in the list. */
  const place = (node: JsonNode) => {
    const container = top()
    if ((container.type === 'bulletList' || container.type === 'orderedList') && node.type !== 'listItem') {
      container.content.push({ type: 'listItem', content: node.type === 'paragraph' ? [node] : [{ type: 'paragraph' }, node] })
    }
    else container.content.push(node)
  }

  /** A block's runs without their number marks; the number Word printed before it goes to its list item, or is said not kept. */
  const takeNumber = (runs: readonly Run[]): Run[] => {
    const taken = runs.map((run) => ({ run, ...takeNumberMarks(run.text) }))
    const printed = taken.flatMap(({ numbers }) => numbers).at(-1)
    if (printed) {
      const item = top()
      const list = stack[stack.length - 2]
      const first = item.type === 'listItem' && item.content.length === 0 && item.number === undefined
      if (printed.value !== undefined && first && list?.type === 'orderedList' && !row()) item.number = printed.value
      // A number Word printed that the text leaves out, or prints otherwise.
      else if (printed.label.trim() !== '' || list?.type === 'orderedList') numbersNotKept.push(printed.label)
    }
    return taken.map(({ run, text }) => ({ ...run, text }))
  }

  const flush = () => {
    let block = current
    current = null
    if (!block) return
    block = { ...block, runs: takeNumber(block.runs) }
    // The mark of an empty numbered paragraph is never text: taken out wherever it is (a cell, a heading, beside
    // anything else), and only a paragraph that held it alone is kept, empty.
    const marked = tidy(block.runs).map((run) => run.text).join('') === EMPTY_PARAGRAPH_MARK
    block = { ...block, runs: block.runs.map((run) => ({ ...run, text: run.text.replaceAll(EMPTY_PARAGRAPH_MARK, '') })) }
    const inRow = row()
    if (inRow) {
      joinInto(inRow, tidy(block.runs))
      return
    }
    const runs = tidy(block.runs)
    const text = runs.map((run) => run.text).join('')
    if (text.length === 0) {
      if (marked && block.type === 'paragraph' && !block.special) {
        titleOpen = false
        leadingOpen = false
        place({ type: 'paragraph' })
      }
      return
    }
    const wasTitle = titleOpen
    titleOpen = block.special === 'title'
    if (block.special === 'title' && special.title !== undefined) {
      // A title set on two lines is one title; a Title-styled paragraph further on ("Annexe") heads that part of the text.
      if (wasTitle) {
        special.title += ` ${text}`
        return
      }
      titleOpen = false
      block = { ...block, type: 'heading', level: 1, special: null }
    } else if (block.special) {
      if (special[block.special] === undefined) special[block.special] = text
      return
    }
    if (leadingOpen && stack.length === 1) {
      leading.push({ kind: block.type, level: block.level, text })
      if (block.type === 'paragraph') leadingOpen = false
    } else leadingOpen = false
    place(block.type === 'heading' ? { type: 'heading', attrs: { level: block.level }, content: textNodes(runs) } : { type: 'paragraph', content: textNodes(runs) })
  }

  const open = (type: Container['type']) => {
    flush()
    if (type === 'listItem' && top().type !== 'bulletList' && top().type !== 'orderedList') stack.push({ type: 'bulletList', content: [] })
    stack.push({ type, content: [] })
  }

  const close = (type: Container['type']) => {
    flush()
    const index = stack.map((container) => container.type).lastIndexOf(type)
    if (index <= 0) return
    while (stack.length > index) for (const node of finish(stack.pop()!)) place(node)
  }

  const start = (type: Textblock['type'], level: number, className: string) => {
    flush()
    const found = SPECIAL.find((name) => className.split(/\s+/).includes(name)) ?? null
    current = { type, level, special: found, runs: [] }
  }

  for (const match of html.matchAll(TOKEN)) {
    const [, slash, rawName, attributes = '', , text] = match
    if (text !== undefined) {
      const content = decode(text)
      if (!current) {
        if (content.trim().length === 0) continue
        current = { type: 'paragraph', level: 0, special: null, runs: [] }
      }
      current.runs.push({ text: content, ...(bold > 0 ? { bold: true } : {}), ...(italic > 0 ? { italic: true } : {}) })
      continue
    }
    if (!rawName) continue
    const name = rawName.toLowerCase()
    const closing = slash === '/'
    const className = /\bclass="([^"]*)"/.exec(attributes)?.[1] ?? ''
    if (/^h[1-6]$/.test(name)) {
      if (closing) flush()
      else start('heading', Math.min(3, Number(name[1])), className)
    } else if (name === 'p') {
      if (closing) flush()
      else start('paragraph', 0, className)
    } else if (name === 'ul' || name === 'ol') {
      if (closing) close(name === 'ul' ? 'bulletList' : 'orderedList')
      else open(name === 'ul' ? 'bulletList' : 'orderedList')
    } else if (name === 'li') {
      if (closing) close('listItem')
      else open('listItem')
    } else if (name === 'blockquote') {
      if (closing) close('blockquote')
      else open('blockquote')
    } else if (name === 'strong' || name === 'b') {
      bold = Math.max(0, bold + (closing ? -1 : 1))
    } else if (name === 'em' || name === 'i') {
      italic = Math.max(0, italic + (closing ? -1 : 1))
    } else if (name === 'br') {
      current?.runs.push({ text: ' ' })
    } else if (name === 'tr') {
      flush()
      if (!closing) rows.push({ runs: [], cells: 0 })
      else {
        const runs = rows.pop()?.runs ?? []
        const outer = row()
        if (outer) joinInto(outer, runs)
        else if (runs.length > 0) {
          current = { type: 'paragraph', level: 0, special: null, runs }
          flush()
        }
      }
    } else if (name === 'td' || name === 'th') {
      flush()
      const inRow = row()
      if (!closing && inRow && inRow.cells++ > 0) inRow.runs.push({ text: CELL_SEPARATOR })
    } else if (name === 'table') {
      flush()
    }
  }
  flush()
  while (stack.length > 1) for (const node of finish(stack.pop()!)) place(node)
  const content = stack[0]!.content
  const json: JsonNode = { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] }
  const doc = schema.nodeFromJSON(json)
  doc.check()
  return { doc, special, leading, numbersNotKept }
}

/**
 * An ordered list's items as lists numbered as Word printed them: from the first item's number, and a new
 * list wherever Word's number is not the one before plus one (two lists mammoth ran together). An item
 * whose number is not known follows the one before.
 */
function numberedLists(items: readonly JsonNode[]): JsonNode[] {
  const lists: Array<{ start: number; content: JsonNode[] }> = []
  let next: number | undefined
  for (const { number, ...item } of items) {
    if (next === undefined || (number !== undefined && number !== next)) lists.push({ start: number ?? 1, content: [] })
    lists[lists.length - 1]!.content.push(item)
    next = (number ?? next ?? 1) + 1
  }
  return lists.map(({ start, content }) => ({ type: 'orderedList', attrs: { start }, content }))
}

/** A finished container as the nodes the schema accepts: none if it holds nothing. */
function finish(container: Container): JsonNode[] {
  const content = container.content
  switch (container.type) {
    case 'listItem':
      // A list item starts with a paragraph, even when Word put a nested list first.
      return [{ type: 'listItem', content: content[0]?.type === 'paragraph' ? content : [{ type: 'paragraph' }, ...content], ...(container.number !== undefined ? { number: container.number } : {}) }]
    case 'orderedList':
      return numberedLists(content)
    case 'bulletList':
      return content.length > 0 ? [{ type: container.type, content }] : []
    case 'blockquote':
      return content.length > 0 ? [{ type: 'blockquote', content }] : []
    default:
      return []
  }
}
