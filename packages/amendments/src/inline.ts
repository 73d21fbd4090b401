import { type DocumentNode, type MarkupFound, markupIn, parseMarkdownBody, schema, serializeMarkdownBody } from '@hemicycle/schema'

/** A stretch of paragraph text with one set of formatting. */
export interface Run {
  text: string
  bold?: true
  italic?: true
}

const MARKS = ['bold', 'italic'] as const

export function runsOfNode(node: DocumentNode): Run[] {
  const runs: Run[] = []
  node.forEach((child) => {
    if (!child.isText || !child.text) return
    const run: Run = { text: child.text }
    for (const mark of child.marks) if ((MARKS as readonly string[]).includes(mark.type.name)) run[mark.type.name as 'bold' | 'italic'] = true
    runs.push(run)
  })
  return normalizeRuns(runs)
}

/** Adjacent runs with the same formatting become one; empty runs go. */
export function normalizeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = []
  for (const run of runs) {
    if (run.text.length === 0) continue
    const last = out[out.length - 1]
    if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic) last.text += run.text
    else out.push({ ...run })
  }
  return out
}

/** A paragraph's text as inline Markdown (`**bold**`, `*italic*`), the form amendments are written and compared in. */
export function runsToMarkdown(runs: readonly Run[]): string {
  const content = runs
    .filter((run) => run.text.length > 0)
    .map((run) => schema.text(run.text, MARKS.filter((mark) => run[mark]).map((mark) => schema.marks[mark]!.create())))
  // No wording is no Markdown (canonical Markdown writes an empty paragraph of a text as `<!---->`).
  if (content.length === 0) return ''
  return serializeMarkdownBody(schema.node('doc', null, [schema.node('paragraph', null, content)])).replace(/\n$/, '')
}

/** Inline Markdown, blank lines between paragraphs, as paragraphs of runs (any heading or list is read as a paragraph). */
export function markdownToParagraphs(markdown: string): Run[][] {
  const paragraphs: Run[][] = []
  parseMarkdownBody(markdown).descendants((node) => {
    if (!node.isTextblock) return true
    if (node.textContent.trim().length > 0) paragraphs.push(runsOfNode(node))
    return false
  })
  return paragraphs
}

/** The kinds of block other than paragraphs canonical Markdown reads in `markdown` ("heading", "orderedList", "blockquote" …). */
function blocksIn(markdown: string): string[] {
  const kinds = new Set<string>()
  parseMarkdownBody(markdown).descendants((node) => {
    if (node.isBlock && node.type.name !== 'paragraph' && node.type.name !== 'doc') kinds.add(node.type.name)
    return true
  })
  return [...kinds]
}

const MARKUP: ReadonlyArray<[Exclude<keyof MarkupFound, 'headings' | 'rows'>, string]> = [
  ['links', 'a link'],
  ['definitions', 'a link definition'],
  ['images', 'an image'],
  ['code', 'code'],
  ['struck', 'a strike-through'],
  ['html', 'HTML'],
  ['comments', 'an HTML comment'],
  ['tables', 'a table'],
  ['breaks', 'a rule'],
]

/**
 * What `markdown`, meant as paragraphs of words in bold and italics, writes
 * beside them: `blocks`, the kinds of block other than paragraphs ("heading",
 * "orderedList", "blockquote" …: an amendment's text is read as paragraphs,
 * so "# Calls upon" lost its "#" and "1. Calls upon" its "1." without a
 * word, and "Le Conseil" over "===" kept the line as words); `markup`, what
 * a reader of Markdown sees that a paragraph's runs cannot hold ("a link",
 * "code", "a strike-through", "HTML", "a link definition" …: read as a
 * text's own Markdown is, "[le Conseil](https://…)", "`x`", "~~2030~~" and
 * "<u>x</u>" were tabled, accepted and adopted as those characters, unsaid,
 * and "[1]: https://…" as words a reader never sees).
 */
export function markdownBeyondWords(markdown: string): { blocks: string[]; markup: string[] } {
  const found = markupIn(markdown)
  const blocks = blocksIn(markdown)
  if (found.headings > 0 && !blocks.includes('heading')) blocks.push('heading')
  return { blocks, markup: MARKUP.filter(([kind]) => found[kind] > 0).map(([, name]) => name) }
}

/** The canonical inline Markdown of what someone typed: parsed and written back, so equal wordings compare equal. */
export function normalizeMarkdown(markdown: string): string {
  return markdownToParagraphs(markdown).map(runsToMarkdown).join('\n\n')
}

export const plainText = (runs: readonly Run[]) => runs.map((run) => run.text).join('')
