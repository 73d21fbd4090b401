import type MarkdownIt from 'markdown-it'
import type { Token } from 'markdown-it'
import { MarkdownParser } from 'prosemirror-markdown'
import { withBlockIds } from './blockId.ts'
import { schema } from './extensions.ts'
import { splitResolutionFile } from './frontMatter.ts'
import { EMPTY_BLOCK, MARKDOWN_TOKENS, markdownReader, markdownTokenizer, READ_AS_TEXT, TAG_MARKS } from './markdown.ts'
import type { ParsedResolution } from './resolutionFile.ts'

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
  /** `[words](address)` links, kept as their words. */
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
 * breaks, HTML comments. Read as CommonMark alone (as canonical Markdown
 * is), they became words of the text ("~~en 2030~~", "![logo](logo.png)",
 * a table's pipes and dashes) or structure nobody wrote (three nested empty
 * list items for `* * *`). Here they are read as a Word file's are, and
 * counted so the import says what became of them. Canonical Markdown escapes
 * all of them, so it reads here exactly as it reads anywhere (property test).
 * Indented code and HTML blocks stay off: an indented paragraph is a
 * paragraph.
 */
const OFF_IN_CANONICAL_ONLY = new Set(['image', 'link', 'autolink', 'reference', 'backticks', 'fence', 'hr', 'lheading'])
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
      const cell = inlineRead(current.children ?? [], found)
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

/** One inline token's children, what canonical Markdown never writes read as the text holds it. */
function inlineRead(children: Token[], found: MarkdownFound): Token[] {
  const solelyEmptyBlock = children.length === 1 && children[0]!.type === 'html_inline' && children[0]!.content === EMPTY_BLOCK
  return children.flatMap((child): Token[] => {
    switch (child.type) {
      case 's_open':
        found.struck++
        return []
      case 's_close':
        return []
      case 'image':
        found.images++
        return []
      case 'link_open':
        // An autolink's words are its address: nothing is lost.
        if (child.markup !== 'autolink') found.links++
        return []
      case 'link_close':
        return []
      case 'code_inline':
        found.code++
        return [text(child, child.content)]
      case 'html_inline':
        if (solelyEmptyBlock || TAG_MARKS[child.content]) return [child]
        if (isComment(child.content)) {
          found.comments++
          return []
        }
        found.html++
        return [child]
      default:
        return [child]
    }
  })
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
    } else if (current.type === 'fence') {
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

const parser = new MarkdownParser(schema, markdownTokenizer(reader, prepare) as unknown as MarkdownIt, MARKDOWN_TOKENS)

/** A Markdown file to import: its front matter, its body, and what it held that the text cannot (see `MarkdownFound`). */
export function readImportedMarkdown(text: string): ParsedResolution & { found: MarkdownFound } {
  const { frontMatter, body } = splitResolutionFile(text)
  const found = nothingFound()
  const doc = parser.parse(body, found)
  return { frontMatter, doc: withBlockIds(doc.childCount > 0 ? doc : schema.node('doc', null, [schema.node('paragraph')])), found }
}
