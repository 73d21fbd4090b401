import type MarkdownIt from 'markdown-it'
import type { Token } from 'markdown-it'
import { MarkdownParser } from 'prosemirror-markdown'
import { withBlockIds } from './blockId.ts'
import { schema } from './extensions.ts'
import { splitResolutionFile } from './frontMatter.ts'
import { EMPTY_BLOCK, MARKDOWN_TOKENS, markdownReader, markdownTokenizer, pairedTags, READ_AS_TEXT, TAG_MARKS } from './markdown.ts'
import type { ParsedResolution } from './resolutionFile.ts'
import { MAX_NODES } from './shape.ts'

/** What an imported file wrote that a resolution's text cannot hold, and how much of it. */
export interface MarkdownFound {
  /** GitHub tables, and the paragraphs their rows became. */
  tables: number
  rows: number
  /** `~~struck~~` passages, kept as plain text without the strike. */
  struck: number
  /** `![alt](src)` images, left out. */
  images: number
  /** `<!-- notes -->`, left out. */
  comments: number
  /** Links (`[words](address)`, `<https://…>`), kept as the words they show. */
  links: number
  /** Code spans and fenced code, kept as plain text. */
  code: number
  /** Thematic breaks (`* * *`), left out. */
  breaks: number
  /** Inline HTML other than bold and italic, kept as written. */
  html: number
}

const nothingFound = (): MarkdownFound => ({ tables: 0, rows: 0, struck: 0, images: 0, comments: 0, links: 0, code: 0, breaks: 0, html: 0 })

/**
 * A file someone wrote may use what canonical Markdown never writes:
 * GitHub's tables and strike-through, images, links, code, thematic
 * breaks, HTML comments and blocks. Read as CommonMark alone (as canonical
 * Markdown is), they became words of the text ("~~en 2030~~",
 * "![logo](logo.png)", a table's pipes and dashes) or structure nobody wrote
 * (three nested empty list items for `* * *`). Here they are read as
 * CommonMark's reference shows them, or as a Word file's are, and counted
 * so the import says what became of them. Canonical Markdown escapes all of
 * them, so it reads here exactly as it reads anywhere (property test); a
 * text locked under rule 1 wrote "<https://…>" as it was, which reads here
 * as the link a reader sees, and is said.
 */
const OFF_IN_CANONICAL_ONLY = new Set(['image', 'link', 'autolink', 'reference', 'backticks', 'code', 'fence', 'hr', 'html_block', 'lheading'])
const reader = markdownReader(READ_AS_TEXT.filter((rule) => !OFF_IN_CANONICAL_ONLY.has(rule))).enable(['strikethrough', 'table'])

const isComment = (html: string) => html.startsWith('<!--')

/** A new token of `type` at `level`, as markdown-it makes them. */
function token(like: Token, type: string, nesting: 1 | 0 | -1, level: number): Token {
  const made = new (like.constructor as new (type: string, tag: string, nesting: number) => Token)(type, type === 'inline' || type === 'text' ? '' : 'p', nesting)
  made.level = level
  made.block = type !== 'text'
  return made
}

/** A paragraph holding `children`, at `level`, as the parser reads one. */
function paragraph(like: Token, level: number, children: Token[]): Token[] {
  const inline = token(like, 'inline', 0, level + 1)
  inline.children = children
  inline.content = children.map((child) => child.content).join('')
  return [token(like, 'paragraph_open', 1, level), inline, token(like, 'paragraph_close', -1, level)]
}

function text(like: Token, content: string): Token {
  const made = token(like, 'text', 0, 0)
  made.content = content
  return made
}

/** A table's rows as paragraphs, the cells of each (empty ones left out) separated by " | ", as a Word table's are. */
function tableAsParagraphs(tokens: Token[], open: number, found: MarkdownFound): { out: Token[]; close: number } {
  const out: Token[] = []
  let cells: Token[][] = []
  let index = open + 1
  for (; tokens[index]!.type !== 'table_close'; index++) {
    const current = tokens[index]!
    if (current.type === 'tr_open') cells = []
    else if (current.type === 'inline') {
      const cell = inlineRead(current.children ?? [], found, true)
      if (cell.length > 0) cells.push(cell)
    }
    else if (current.type === 'tr_close' && cells.length > 0) {
      out.push(...paragraph(current, tokens[open]!.level, cells.flatMap((cell, i) => (i === 0 ? cell : [text(current, ' | '), ...cell]))))
      found.rows++
    }
  }
  found.tables++
  return { out, close: index }
}

/** Whitespace at the start (or end) of a run of inline tokens, where something left out stood. */
function trimAt(children: Token[], end: 'start' | 'end'): void {
  const edge = () => (end === 'start' ? children[0] : children[children.length - 1])
  while (edge()?.type === 'softbreak' || edge()?.type === 'hardbreak') void (end === 'start' ? children.shift() : children.pop())
  const token = edge()
  if (token?.type === 'text') token.content = end === 'start' ? token.content.replace(/^\s+/, '') : token.content.replace(/\s+$/, '')
}

/**
 * One inline token's children, what canonical Markdown never writes read as
 * the text holds it. Where an image or a comment is left out, the spaces on
 * either side fold into one, and none is left at an end, as a reader sees
 * it. In a table cell, `<!---->` is a comment, not an empty paragraph.
 */
function inlineRead(children: Token[], found: MarkdownFound, inCell = false): Token[] {
  const solelyEmptyBlock = !inCell && children.length === 1 && children[0]!.type === 'html_inline' && children[0]!.content === EMPTY_BLOCK
  const paired = pairedTags(children)
  const out: Token[] = []
  let leftOut = false
  let leftAtStart = false
  const leave = () => {
    leftOut = true
    if (out.length === 0) return void (leftAtStart = true)
    const last = out[out.length - 1]!
    if (last.type === 'text' && /\s$/.test(last.content)) last.content = last.content.replace(/\s+$/, ' ')
  }
  children.forEach((child, index) => {
    if (leftOut && out.length > 0) {
      const last = out[out.length - 1]!
      const spaceBefore = last.type === 'softbreak' || (last.type === 'text' && /\s$/.test(last.content))
      if (spaceBefore && child.type === 'softbreak') return
      if (spaceBefore && child.type === 'text') child.content = child.content.replace(/^\s+/, '')
    }
    leftOut = false
    switch (child.type) {
      case 's_open':
        found.struck++
        return
      case 's_close':
      case 'link_close':
        return
      case 'image':
        found.images++
        return leave()
      case 'link_open':
        found.links++
        return
      case 'code_inline':
        found.code++
        return void out.push(text(child, child.content))
      case 'html_inline':
        if (solelyEmptyBlock) return void out.push(child)
        if (isComment(child.content)) {
          found.comments++
          return leave()
        }
        // An unpaired <strong> or <em> is read as the characters it was written as: said, as any other tag.
        if (!TAG_MARKS[child.content] || !paired.has(index)) found.html++
        return void out.push(child)
      default:
        return void out.push(child)
    }
  })
  if (leftAtStart) trimAt(out, 'start')
  if (leftOut) trimAt(out, 'end')
  return out
}

/** An HTML block as a reader sees it: comments left out (`<!---->` alone is an empty paragraph), the rest its lines as written. */
function htmlBlock(block: Token, found: MarkdownFound): Token[] {
  if (block.content.trim() === EMPTY_BLOCK) return paragraph(block, block.level, [])
  const comments = block.content.match(/<!--[\s\S]*?(?:-->|$)/g) ?? []
  found.comments += comments.length
  const rest = block.content.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
  const lines = rest.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  if (lines.length > 0) found.html++
  return lines.flatMap((line) => paragraph(block, block.level, [text(block, line)]))
}

/** Nothing is left of a paragraph once its images or comments are left out but spaces (a paragraph of spaces alone stays one). */
const emptied = (before: Token[], after: Token[]) =>
  after.length < before.length && after.every((child) => child.type === 'softbreak' || child.type === 'hardbreak' || (child.type === 'text' && child.content.trim() === ''))

function prepare(tokens: Token[], found: MarkdownFound): Token[] {
  const out: Token[] = []
  for (let index = 0; index < tokens.length; index++) {
    const current = tokens[index]!
    if (current.type === 'table_open') {
      const table = tableAsParagraphs(tokens, index, found)
      out.push(...table.out)
      index = table.close
    } else if (current.type === 'hr') {
      found.breaks++
    } else if (current.type === 'html_block') {
      out.push(...htmlBlock(current, found))
    } else if (current.type === 'fence' || current.type === 'code_block') {
      found.code++
      for (const line of current.content.split('\n')) if (line.trim() !== '') out.push(...paragraph(current, current.level, [text(current, line)]))
    } else if (current.type === 'paragraph_open' && tokens[index + 1]?.type === 'inline') {
      const inline = tokens[index + 1]!
      const children = inlineRead(inline.children ?? [], found)
      // A list item keeps its first paragraph, which the schema requires.
      if (emptied(inline.children ?? [], children) && out.at(-1)?.type !== 'list_item_open') {
        index += 2
        continue
      }
      inline.children = children
      out.push(current, inline)
      index++
    } else {
      if (current.type === 'inline') current.children = inlineRead(current.children ?? [], found)
      out.push(current)
    }
  }
  return out
}

// markdown-it keeps its own things in the env it is given (link definitions): the counts travel beside them.
const tokenizer = markdownTokenizer(reader, (tokens, env: { found: MarkdownFound }) => prepare(tokens, env.found))
const parser = new MarkdownParser(schema, tokenizer as unknown as MarkdownIt, MARKDOWN_TOKENS)

/**
 * An upper bound on the blocks a body can make, told from its lines alone:
 * each line that is not blank, and each quote or list marker opening it
 * ("> - 1. a" opens six blocks on one line). Reading first and checking the
 * shape afterwards let 2.5 MB of "- - - … a" lines build 2.4 million
 * nodes (2.3 GB) before the check refused them.
 */
export function markdownWeight(body: string): number {
  let weight = 0
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue
    const opening = /^[\s>*+\-\d.)]*/.exec(line)![0]
    weight += 1 + (opening.match(/>|(?:^|\s)(?:[-+*]|\d{1,9}[.)])(?=\s|$)/g)?.length ?? 0)
  }
  return weight
}

/** More than this `markdownWeight` is more than a resolution's blocks (`MAX_NODES`) can be, whatever it reads as. */
export const MAX_MARKDOWN_WEIGHT = 2 * MAX_NODES

/** What `markupIn` finds: what an import counts, and what an import keeps but a paragraph's words cannot. */
export interface MarkupFound extends MarkdownFound {
  /** Headings, setext ones included ("Le Conseil" over "==="), which canonical Markdown reads as the words and the line. */
  headings: number
  /** Link reference definitions ("[1]: https://…"): a reader sees nothing of them. */
  definitions: number
}

/**
 * What Markdown written by hand (an amendment's `text`) writes that a
 * paragraph's words cannot hold, read as a file's body is: canonical
 * Markdown's reading keeps a link, code, a strike, a tag, a definition or
 * a heading's underline as the characters written, on their way to the
 * adopted text, where a reader of the Markdown sees a link, code, a
 * strike, a heading, or nothing. Tokens only: no document is built.
 */
export function markupIn(markdown: string): MarkupFound {
  const env: { found: MarkdownFound; references?: Record<string, unknown> } = { found: nothingFound() }
  const tokens = tokenizer.parse(markdown, env)
  return { ...env.found, headings: tokens.filter((token) => token.type === 'heading_open').length, definitions: Object.keys(env.references ?? {}).length }
}

/** A Markdown file to import: its front matter, its body, and what it held that the text cannot (see `MarkdownFound`). */
export function readImportedMarkdown(text: string): ParsedResolution & { found: MarkdownFound } {
  const { frontMatter, body } = splitResolutionFile(text)
  const weight = markdownWeight(body)
  if (weight > MAX_MARKDOWN_WEIGHT) {
    throw new Error(`The file has more lines and list or quote markers (${weight}) than a resolution of at most ${MAX_NODES} blocks can hold.`)
  }
  const found = nothingFound()
  const doc = parser.parse(body, { found })
  return { frontMatter, doc: withBlockIds(doc.childCount > 0 ? doc : schema.node('doc', null, [schema.node('paragraph')])), found }
}
