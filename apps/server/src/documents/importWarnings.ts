import type { ImportWarning } from '@hemicycle/protocol'

/** "1 table", "3 paragraphs": a count with its noun. */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Up to five passages, quoted, trimmed, each cut at 60 characters: what a warning names. */
export function quoted(texts: readonly string[]): string {
  const shown = texts.slice(0, 5).map((text) => `"${text.trim().slice(0, 60)}"`)
  return texts.length > shown.length ? `${shown.join(', ')}…` : shown.join(', ')
}

// What an import says of what a file held that a resolution's text cannot: a Word file's and a Markdown file's alike.

/** Tables turned into paragraphs, one per row. */
export function tablesWarning(tables: number, rows: number): ImportWarning {
  return {
    code: 'tables',
    count: tables,
    message: `${plural(tables, 'table', 'tables')} became ${plural(rows, 'paragraph', 'paragraphs')}, one per row, the cells separated by " | ": a resolution's text has no tables.`,
  }
}

/** Struck-through words kept without the strike: the author may have meant them gone. */
export function struckWarning(struck: number): ImportWarning {
  return {
    code: 'strikethrough',
    count: struck,
    message: `${plural(struck, 'struck-through passage was', 'struck-through passages were')} kept as plain text: strike-through is not a tracked deletion, so check whether those words should go.`,
  }
}

/** Images left out. */
export function imagesWarning(images: number): ImportWarning {
  return { code: 'images', count: images, message: `${plural(images, 'image was', 'images were')} left out: a resolution's text holds words only.` }
}

/** Comments left out. */
export function commentsWarning(comments: number): ImportWarning {
  return { code: 'comments', count: comments, message: `${plural(comments, 'comment was', 'comments were')} left out: comments are not part of the text.` }
}

/** Links kept as the words they show. */
export function linksWarning(links: number): ImportWarning {
  return { code: 'links', count: links, message: `${plural(links, 'link was', 'links were')} kept as the words ${links === 1 ? 'it shows' : 'they show'}: a resolution's text holds words, not links.` }
}

/** Code kept as plain text. */
export function codeWarning(code: number): ImportWarning {
  return { code: 'code', count: code, message: `${plural(code, 'piece of code was', 'pieces of code were')} kept as plain text.` }
}

/** Thematic breaks left out. */
export function thematicBreaksWarning(breaks: number): ImportWarning {
  return { code: 'thematic_breaks', count: breaks, message: `${plural(breaks, 'separator line was', 'separator lines were')} left out: a resolution's text has none.` }
}

/** HTML kept as written. */
export function htmlWarning(tags: number): ImportWarning {
  return { code: 'html', count: tags, message: `${plural(tags, 'HTML tag was', 'HTML tags were')} kept as written, as characters of the text: check whether they belong there.` }
}
