import type MarkdownIt from 'markdown-it'
import type { Token } from 'markdown-it'
import { MarkdownParser } from 'prosemirror-markdown'
import { withBlockIds } from './blockId.ts'
import { schema } from './extensions.ts'
import { splitResolutionFile } from './frontMatter.ts'
import { MARKDOWN_TOKENS, markdownReader, markdownTokenizer, READ_AS_TEXT } from './markdown.ts'
import { tablesAsParagraphs } from './markdownTables.ts'
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
}

/**
 * A file someone wrote may use GitHub's strike-through and images, which
 * canonical Markdown never writes and CommonMark reads as text: the text
 * would hold "~~en 2030~~" and "![logo](logo.png)" as words, and be
 * adopted so. They are read as a Word file's are (the struck words kept
 * without the strike, the image left out) and counted, so the import can
 * say so. Canonical Markdown escapes `~` and `[`, so it reads here as it
 * reads anywhere.
 */
const reader = markdownReader(READ_AS_TEXT.filter((rule) => rule !== 'image')).enable('strikethrough')
const tokenizer = markdownTokenizer(reader)

/** A paragraph of nothing but images (and spaces): once they are left out, nothing of it remains to number. */
const onlyImages = (inline: Token) =>
  (inline.children ?? []).some((child) => child.type === 'image') &&
  (inline.children ?? []).every((child) => child.type === 'image' || child.type === 'softbreak' || (child.type === 'text' && child.content.trim() === ''))

const counting = {
  parse(source: string, found: MarkdownFound): Token[] {
    const tokens = tokenizer.parse(source, found)
    for (const token of tokens) {
      for (const child of token.type === 'inline' ? (token.children ?? []) : []) {
        if (child.type === 's_open') found.struck++
        else if (child.type === 'image') found.images++
      }
    }
    // A list item keeps its first paragraph, which the schema requires.
    return tokens.filter((token, index) => {
      const inline = token.type === 'paragraph_open' ? tokens[index + 1] : token.type === 'inline' ? token : token.type === 'paragraph_close' ? tokens[index - 1] : undefined
      const opening = token.type === 'paragraph_open' ? index : token.type === 'inline' ? index - 1 : index - 2
      return !(inline && onlyImages(inline) && tokens[opening - 1]?.type !== 'list_item_open')
    })
  },
}

const parser = new MarkdownParser(schema, counting as unknown as MarkdownIt, {
  ...MARKDOWN_TOKENS,
  s: { ignore: true },
  image: { ignore: true, noCloseToken: true },
})

/** A Markdown file to import: its front matter, its body (tables as paragraphs, see `tablesAsParagraphs`) and what it held that the text cannot. */
export function readImportedMarkdown(text: string): ParsedResolution & { found: MarkdownFound } {
  const { frontMatter, body } = splitResolutionFile(text)
  const { markdown, tables, rows } = tablesAsParagraphs(body)
  const found: MarkdownFound = { tables, rows, struck: 0, images: 0 }
  const doc = parser.parse(markdown, found)
  return { frontMatter, doc: withBlockIds(doc.childCount > 0 ? doc : schema.node('doc', null, [schema.node('paragraph')])), found }
}
