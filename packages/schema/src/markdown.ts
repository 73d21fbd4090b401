import MarkdownIt from 'markdown-it'
import type { Node as PMNode } from '@tiptap/pm/model'
import { MarkdownParser, MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown'
import { schema } from './extensions.ts'

/**
 * The body of a resolution as Markdown: the subset the schema can hold
 * (headings, paragraphs, lists, blockquotes, bold, italic). Everything else a
 * Markdown file may contain (code, links, images, HTML, rules) is read as
 * plain text rather than refused, because drafts come from many hands.
 */
const markdownIt = new MarkdownIt('commonmark', { html: false }).disable([
  'code',
  'fence',
  'hr',
  'html_block',
  'html_inline',
  'reference',
  'image',
  'link',
  'autolink',
  'backticks',
  'lheading',
])

const parser = new MarkdownParser(schema, markdownIt, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'listItem' },
  bullet_list: { block: 'bulletList' },
  ordered_list: {
    block: 'orderedList',
    // "0." starts a list at 0, as the editor and every export number it.
    getAttrs: (token) => {
      const start = Number(token.attrGet('start') ?? 1)
      return { start: Number.isInteger(start) ? start : 1 }
    },
  },
  heading: {
    block: 'heading',
    getAttrs: (token) => ({ level: Math.min(3, Number(token.tag.slice(1))) }),
  },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  // A hard line break has no place in a resolution paragraph; it reads as a space.
  hardbreak: { ignore: true, noCloseToken: true },
})

function listItemPrefix(start: number, count: number) {
  const width = String(start + count - 1).length
  return (index: number) => {
    const label = String(start + index)
    return `${' '.repeat(width - label.length)}${label}. `
  }
}

const serializer = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: (state, node) => {
      state.renderInline(node)
      state.closeBlock(node)
    },
    heading: (state, node) => {
      state.write(`${'#'.repeat(Number(node.attrs['level']))} `)
      state.renderInline(node, false)
      state.closeBlock(node)
    },
    blockquote: (state, node) => {
      state.wrapBlock('> ', null, node, () => state.renderContent(node))
    },
    bulletList: (state, node) => {
      state.renderList(node, '  ', () => '- ')
    },
    orderedList: (state, node) => {
      const start = Number(node.attrs['start'] ?? 1)
      const prefix = listItemPrefix(start, node.childCount)
      state.renderList(node, '   ', prefix)
    },
    listItem: (state, node) => state.renderContent(node),
    text: (state: MarkdownSerializerState, node) => state.text(node.text ?? ''),
  },
  {
    italic: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
    bold: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
  },
)

/** Parses a Markdown body into a document of the shared schema (blocks get no ids here). */
export function parseMarkdownBody(markdown: string): PMNode {
  const doc = parser.parse(markdown)
  return doc.childCount > 0 ? doc : schema.node('doc', null, [schema.node('paragraph')])
}

/** The canonical Markdown of a body: blank lines between blocks, one trailing newline. */
export function serializeMarkdownBody(doc: PMNode): string {
  const out = serializer.serialize(doc, { tightLists: true })
  return out.length > 0 ? `${out.replace(/\n+$/, '')}\n` : ''
}
