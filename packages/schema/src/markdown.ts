import MarkdownIt, { type Token } from 'markdown-it'
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { MarkdownParser, MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown'
import { isC1Control, isForbiddenCharacter } from './characters.ts'
import { holdsDelimiterDoubt } from './delimiterDoubt.ts'
import { schema } from './extensions.ts'
import { serializeInPieces } from './markdownWriter.ts'
import { textProblem } from './shape.ts'

/**
 * The body of a resolution as Markdown: the subset the schema can hold
 * (headings, paragraphs, lists, blockquotes, bold, italic). Everything else a
 * Markdown file may contain (code, links, images, HTML, rules) is read as
 * plain text rather than refused, because drafts come from many hands. Inline
 * HTML is read as text too, but for `<strong>`, `<em>` and `<!---->` (see
 * `htmlAsText`): canonical Markdown writes them where `**`, `*` and plain
 * text cannot say the text exactly.
 */
export const READ_AS_TEXT: readonly string[] = ['code', 'fence', 'hr', 'html_block', 'reference', 'image', 'link', 'autolink', 'backticks', 'lheading']
const markdownIt = markdownReader(READ_AS_TEXT)

/** CommonMark, HTML on, with `rules` read as text, and nesting as deep as the schema allows. */
export function markdownReader(rules: readonly string[]): MarkdownIt {
  const reader = new MarkdownIt('commonmark', { html: true }).disable([...rules])
  // Nesting as deep as the schema allows reads back (the CommonMark preset stops at 20 levels and drops what lies deeper); a
  // file nested deeper still is read, and refused by the import's shape check rather than cut short. (@types/markdown-it
  // leave the option out.)
  ;(reader.options as { maxNesting?: number }).maxNesting = 100
  return reader
}

/** What canonical Markdown writes for an empty paragraph, which Markdown otherwise cannot hold: an HTML comment, shown as nothing. */
export const EMPTY_BLOCK = '<!---->'
export const TAG_MARKS: Record<string, 'strong' | 'em'> = { '<strong>': 'strong', '</strong>': 'strong', '<em>': 'em', '</em>': 'em' }

/** Which of an inline's `<strong>`/`<em>` tags open and close a pair, by index: the others are read as text. */
export function pairedTags(children: readonly Token[]): Set<number> {
  const open: Array<{ index: number; kind: 'strong' | 'em' }> = []
  const paired = new Set<number>()
  children.forEach((token, index) => {
    const kind = token.type === 'html_inline' ? TAG_MARKS[token.content] : undefined
    if (!kind) return
    if (!token.content.startsWith('</')) return void open.push({ index, kind })
    const top = open[open.length - 1]
    if (top?.kind !== kind) return
    open.pop()
    paired.add(top.index).add(index)
  })
  return paired
}

/**
 * Turns a paragraph's inline HTML into what the schema holds: balanced
 * `<strong>`/`<em>` pairs into bold and italic, a paragraph of nothing but
 * `<!---->` into an empty one, and every other tag back into the text it
 * was written as.
 */
function htmlAsText(inline: Token): void {
  const children = inline.children ?? []
  if (children.length === 1 && children[0]!.type === 'html_inline' && children[0]!.content === EMPTY_BLOCK) {
    inline.children = []
    return
  }
  const paired = pairedTags(children)
  for (const [index, token] of children.entries()) {
    if (token.type !== 'html_inline') continue
    if (paired.has(index)) {
      const kind = TAG_MARKS[token.content]!
      const closing = token.content.startsWith('</')
      Object.assign(token, { type: `${kind}_${closing ? 'close' : 'open'}`, tag: kind, nesting: closing ? -1 : 1 })
    } else {
      token.type = 'text'
    }
  }
}

/**
 * The characters no text may hold that canonical Markdown writes as
 * references: all but the C1 controls (U+0080–U+009F). Those were forbidden
 * after texts holding them had been locked and hashed, written as
 * themselves (markdown-it reads a reference to one as U+FFFD): such a text
 * is still written, read back and hashed as it was.
 */
const writtenAsReference = (code: number) => isForbiddenCharacter(code) && !isC1Control(code)
const holdsWrittenAsReference = (text: string) => {
  for (let index = 0; index < text.length; index++) if (writtenAsReference(text.charCodeAt(index))) return true
  return false
}

/**
 * A character no text may hold (those `spaced` says), as a character
 * reference ("&#10;", "&#12;") or as itself, reads as a space, as pasting
 * reads it: else "a&#10;&#10;b" made one paragraph that canonical Markdown
 * writes, and hashes, as two.
 */
function withoutForbidden(inline: Token, spaced: (code: number) => boolean): void {
  for (const token of inline.children ?? []) {
    if (token.type !== 'text' || textProblem(token.content) === null) continue
    token.content = Array.from(token.content, (character) => (spaced(character.charCodeAt(0)) ? ' ' : character)).join('')
  }
}

/**
 * A markdown-it reader as the parser calls it: `prepare` first (an import's
 * own reading of what canonical Markdown never writes), then inline HTML,
 * line breaks and forbidden characters read as the text holds them: every
 * forbidden character as a space, or (`canonical`) those canonical Markdown
 * writes as references, the C1 controls of a text stored before read as
 * written.
 */
export function markdownTokenizer<Env extends object>(reader: MarkdownIt, prepare: (tokens: Token[], env: Env) => Token[] = (tokens) => tokens, { canonical = false } = {}) {
  const spaced = canonical ? writtenAsReference : isForbiddenCharacter
  return {
    parse(source: string, env: Env): Token[] {
      const tokens = prepare(reader.parse(source, env), env)
      for (const token of tokens) {
        if (token.type !== 'inline') continue
        htmlAsText(token)
        withoutForbidden(token, spaced)
        // A hard line break has no place in a resolution paragraph; it reads as a space, as a line break in the source does.
        for (const child of token.children ?? []) if (child.type === 'hardbreak') child.type = 'softbreak'
      }
      return tokens
    },
  }
}

/** How markdown-it's tokens become the schema's nodes and marks. */
export const MARKDOWN_TOKENS: ConstructorParameters<typeof MarkdownParser>[2] = {
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
}

const parser = new MarkdownParser(schema, markdownTokenizer(markdownIt, undefined, { canonical: true }) as unknown as MarkdownIt, MARKDOWN_TOKENS)

/** What opens a heading's line: as many `#` as its level, and a space. */
const headingMarker = (heading: PMNode) => `${'#'.repeat(Number(heading.attrs['level']))} `

function listItemPrefix(start: number, count: number) {
  const width = String(start + count - 1).length
  return (index: number) => {
    const label = String(start + index)
    return `${' '.repeat(width - label.length)}${label}. `
  }
}

/** The rule texts were hashed under until canonical Markdown said every text exactly (rule 2); kept to check what it hashed. */
const legacySerializer = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: (state, node) => {
      state.renderInline(node)
      state.closeBlock(node)
    },
    heading: (state, node) => {
      state.write(headingMarker(node))
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

/**
 * Which canonical Markdown a text's hash was taken of. Rule 1 wrote some
 * texts as Markdown that reads back as another text (a paragraph starting
 * "1)" became a list item, `__init__` bold, an empty paragraph nothing), and
 * so hashed two texts alike; rule 2 writes every text so that it reads back
 * as itself. A locked text keeps the rule it was hashed under.
 */
export type MarkdownRule = 1 | 2 | 3
/**
 * Rule 3 is rule 2 with formatting beside more characters in the exact form: rule 2 trusted the Basic Multilingual
 * Plane but three characters, and 35 symbols Unicode 16 and 17 added (᭎, ␧, ﯃…) are punctuation to CommonMark's
 * reference on today's Node and letters to markdown-it, so "a**᭎b**" read as bold in one and as asterisks in the other
 * (`delimiterDoubt.ts`).
 */
export const MARKDOWN_RULE: MarkdownRule = 3

/** The same content, block ids left aside: what Markdown carries. */
const sameText = (a: PMNode, b: PMNode) => a.type === b.type && a.attrs['level'] === b.attrs['level'] && a.content.eq(b.content)

/**
 * A textblock's inline Markdown under rule 2 or 3: rule 1's own where that
 * reads back as the block (so a text rule 1 wrote faithfully is written
 * alike), else the exact form.
 */
function inlineMarkdown(block: PMNode, rule: 2 | 3): string {
  // Rule 1 wrote nothing for an empty paragraph, which reads back as nothing wherever a block stands but alone in a document.
  if (block.type.name === 'paragraph' && block.childCount === 0) return EMPTY_BLOCK
  const prefix = block.type.name === 'heading' ? headingMarker(block) : ''
  const usual = legacySerializer.serialize(schema.node('doc', null, [block]), { tightLists: true }).replace(/\n+$/, '')
  // Rule 1 left "<" as it was: Hemicycle reads what follows as text, a reader with HTML on may read HTML or a link
  // (a bold "<!---->" shows nothing, "<!a" opens a block, "<Le:a>" is a link).
  const angle = usual.includes('<')
  // Readers differ on which whitespace a block's ends lose (markdown-it all of it, CommonMark's reference a no-break space in a list).
  const edgeSpace = /^\s|\s$/.test(block.textContent)
  // Readers differ on what stands beside a `*`: U+2028, U+2029 and U+FEFF are whitespace to CommonMark's reference and not to
  // markdown-it, and a character beyond U+FFFF (an emoji, a flag) is punctuation to markdown-it and half a letter to the
  // reference ("**Bravo!**🎉" is bold to one, asterisks to the other). Formatting beside them takes the exact form.
  const delimiterDoubt = hasMarks(block) && holdsDelimiterDoubt(block.textContent, rule)
  // A character no text may hold (one an import once let in) is written as a reference, never as itself ("\n\n" would part the block).
  const forbidden = holdsWrittenAsReference(block.textContent)
  if (usual.startsWith(prefix) && !usual.includes('\n') && !angle && !edgeSpace && !delimiterDoubt && !forbidden) {
    const back = parser.parse(usual)
    if (back.childCount === 1 && sameText(back.child(0), block)) return usual.slice(prefix.length)
  }
  return exactInline(block, prefix !== '')
}

const hasMarks = (block: PMNode) => {
  let marked = false
  block.forEach((child) => {
    if (child.marks.length > 0) marked = true
  })
  return marked
}

/** Backslash-escaped wherever it stands: every character inline Markdown or HTML could read as syntax. */
const escapeEverywhere = (text: string) => text.replace(/[\\`*_[\]<>&~!|]/g, '\\$&')
const characterReference = (character: string) => `&#x${character.codePointAt(0)!.toString(16).toUpperCase()};`
const MARK_TAGS: ReadonlyArray<[string, string]> = [
  ['bold', 'strong'],
  ['italic', 'em'],
]

/**
 * A textblock's inline content written so that it cannot be read otherwise:
 * bold and italic as `<strong>` and `<em>` (which, unlike `**` and `*`,
 * hold whatever they enclose, spaces and punctuation included), every
 * syntax character escaped, the whitespace Markdown strips at the ends of a
 * block as character references, a block marker at the start escaped, and
 * an empty block as `<!---->`.
 */
function exactInline(block: PMNode, heading: boolean): string {
  if (block.childCount === 0) return EMPTY_BLOCK
  let out = ''
  let open: string[] = []
  const close = (count: number) => {
    for (const tag of open.splice(open.length - count).reverse()) out += `</${tag}>`
  }
  block.forEach((child) => {
    const wanted = MARK_TAGS.filter(([mark]) => child.marks.some((m: Mark) => m.type.name === mark)).map(([, tag]) => tag)
    let kept = 0
    while (kept < open.length && open[kept] === wanted[kept]) kept++
    close(open.length - kept)
    for (const tag of wanted.slice(kept)) out += `<${tag}>`
    open = wanted
    out += Array.from(escapeEverywhere(child.text ?? ''), (character) => (writtenAsReference(character.charCodeAt(0)) ? characterReference(character) : character)).join('')
  })
  close(open.length)
  // Markdown trims a block of every kind of whitespace (markdown-it, as JavaScript's trim) and reads markers at its start.
  out = out.replace(/^\s+/, (lead) => [...lead].map(characterReference).join('')).replace(/\s+$/, (trail) => [...trail].map(characterReference).join(''))
  if (heading) return out.replace(/#$/, '\\#')
  return out.replace(/^([#>+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')
}

/**
 * Rule 2's list markers: lists of one kind right after each other take
 * turns between two markers, or Markdown would read them as one list.
 */
function takesOtherMarker(parent: PMNode, index: number, node: PMNode): boolean {
  let before = 0
  while (index - before - 1 >= 0 && parent.child(index - before - 1).type === node.type) before++
  return before % 2 === 1
}

const canonicalSerializer = (rule: 2 | 3) => new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: (state, node) => {
      state.text(inlineMarkdown(node, rule), false)
      state.closeBlock(node)
    },
    heading: (state, node) => {
      state.write(headingMarker(node))
      state.text(inlineMarkdown(node, rule), false)
      state.closeBlock(node)
    },
    blockquote: (state, node) => {
      state.wrapBlock('> ', null, node, () => state.renderContent(node))
    },
    bulletList: (state, node, parent, index) => {
      const marker = takesOtherMarker(parent, index, node) ? '+ ' : '- '
      state.renderList(node, '  ', () => marker)
    },
    orderedList: (state, node, parent, index) => {
      const start = Number(node.attrs['start'] ?? 1)
      // Only a list starting at 1 can follow a paragraph (in an item, in a quote in an item, …) on the next line, as a
      // tight list writes it: any other would read as more of the paragraph, so a blank line sets it apart.
      if (index > 0 && start !== 1 && (state as unknown as { inTightList: boolean }).inTightList) (state as unknown as { flushClose(size: number): void }).flushClose(2)
      const delimiter = takesOtherMarker(parent, index, node) ? ')' : '.'
      const width = String(start + node.childCount - 1).length
      // The continuation lines are indented as far as the widest marker, so blocks after an item's first line stay in the item.
      // A marker is padded to it by at most three spaces before (a fourth makes an indented code block) and the rest after
      // (up to four spaces may follow a marker): "    1." would open a list of 10,000 items as code.
      const marker = (item: number) => {
        const label = String(start + item)
        const before = Math.min(3, width - label.length)
        return `${' '.repeat(before)}${label}${delimiter}${' '.repeat(1 + width - label.length - before)}`
      }
      state.renderList(node, ' '.repeat(width + 2), marker)
    },
    listItem: (state, node) => state.renderContent(node),
  },
  // Textblocks write their inline content themselves (`inlineMarkdown`).
  {},
)
const serializers = { 1: legacySerializer, 2: canonicalSerializer(2), 3: canonicalSerializer(3) } as const

/** Parses a Markdown body into a document of the shared schema (blocks get no ids here). */
export function parseMarkdownBody(markdown: string): PMNode {
  const doc = parser.parse(markdown)
  return doc.childCount > 0 ? doc : schema.node('doc', null, [schema.node('paragraph')])
}

/**
 * The canonical Markdown of a body: blank lines between blocks, one
 * trailing newline, under `rule`: the rule a locked text was hashed under,
 * or (null, or none given: a text not locked) the current one.
 */
export function serializeMarkdownBody(doc: PMNode, rule: MarkdownRule | null = MARKDOWN_RULE): string {
  const out = serializeInPieces(serializers[rule ?? MARKDOWN_RULE], doc, { tightLists: true })
  return out.length > 0 ? `${out.replace(/\n+$/, '')}\n` : ''
}
