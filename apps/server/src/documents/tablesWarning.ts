import type { ImportWarning } from '@hemicycle/protocol'

/** "1 table", "3 paragraphs": a count with its noun. */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What an import says of the tables it turned into paragraphs, one per row: a Word file's and a Markdown file's alike. */
export function tablesWarning(tables: number, rows: number): ImportWarning {
  return {
    code: 'tables',
    count: tables,
    message: `${plural(tables, 'table', 'tables')} became ${plural(rows, 'paragraph', 'paragraphs')}, one per row, the cells separated by " | ": a resolution's text has no tables.`,
  }
}
