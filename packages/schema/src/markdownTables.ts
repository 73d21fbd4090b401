import MarkdownIt from 'markdown-it'

/** A reader that knows GitHub's tables, which CommonMark (what an import reads) does not. */
const withTables = new MarkdownIt('commonmark', { html: true }).enable('table')

/**
 * The Markdown with each top-level table written as paragraphs, one per row
 * (the header row included), its cells separated by " | ", as a Word
 * table is imported: a resolution's text has no tables, and CommonMark
 * would otherwise run a table's lines together into one paragraph of pipes
 * and dashes. Says how many tables it rewrote, into how many paragraphs.
 */
export function tablesAsParagraphs(markdown: string): { markdown: string; tables: number; rows: number } {
  const tokens = withTables.parse(markdown, {})
  const found: Array<{ from: number; to: number; rows: string[] }> = []
  for (let index = 0; index < tokens.length; index++) {
    const open = tokens[index]!
    if (open.type !== 'table_open' || open.level !== 0 || !open.map) continue
    const rows: string[] = []
    let cells: string[] = []
    for (index++; index < tokens.length && tokens[index]!.type !== 'table_close'; index++) {
      const token = tokens[index]!
      if (token.type === 'tr_open') cells = []
      else if (token.type === 'inline') cells.push(token.content.trim())
      else if (token.type === 'tr_close') rows.push(cells.filter((cell) => cell !== '').join(' | '))
    }
    found.push({ from: open.map[0], to: open.map[1], rows: rows.filter((row) => row !== '') })
  }
  if (found.length === 0) return { markdown, tables: 0, rows: 0 }
  const lines = markdown.split('\n')
  for (const { from, to, rows } of found.reverse()) lines.splice(from, to - from, '', ...rows.flatMap((row) => [row, '']))
  return { markdown: lines.join('\n'), tables: found.length, rows: found.reduce((sum, table) => sum + table.rows.length, 0) }
}
