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

/** Stars or underscores Markdown did not read as marks ("**L’**Alliance"), kept as characters of the text. */
export function unpairedMarksWarning(marks: number): ImportWarning {
  return {
    code: 'unpaired_marks',
    count: marks,
    message: `${plural(marks, '"*" or "_" was', '"*" or "_" were')} kept as written, as characters of the text: bold or italic marks that do not pair up as Markdown reads them ("**L’**Alliance") stay in the words. Mark whole words ("**L’Alliance**"), or write "\\*" for a star meant as one.`,
  }
}

/** Bold or italic starting or ending between two digits ("2*3*4" read as 2, an italic 3, then 4): a figure nobody wrote. */
export function marksInNumbersWarning(places: number): ImportWarning {
  return {
    code: 'marks_in_numbers',
    count: places,
    message: `${plural(places, 'mark was', 'marks were')} read as bold or italic between two digits ("2*3*4" becomes 234 with the 3 in italics): check those figures, and write "\\*" for a star meant as one.`,
  }
}
