import { describe, expect, it } from 'vitest'
import { parseMarkdownBody } from './markdown.ts'
import { tablesAsParagraphs } from './markdownTables.ts'

const paragraphs = (markdown: string) => {
  const out: string[] = []
  parseMarkdownBody(markdown).forEach((node) => void out.push(node.textContent))
  return out
}

describe('a Markdown table in an imported file', () => {
  it('becomes one paragraph per row, its cells separated by " | ", as a Word table does', () => {
    const source = 'Before.\n\n| Country | Seats |\n|---|---:|\n| Chile | *3* |\n| Ghana | 2 |\nAfter.\n'
    const { markdown, tables } = tablesAsParagraphs(source)
    expect(tables).toBe(1)
    // Four rows: GitHub's tables take a line that follows without a blank line ("After.") as one more row.
    expect(tablesAsParagraphs(source).rows).toBe(4)
    expect(paragraphs(markdown)).toEqual(['Before.', 'Country | Seats', 'Chile | 3', 'Ghana | 2', 'After.'])
    // Read as CommonMark, as an import reads it, the same file ran the table into one paragraph of pipes.
    expect(paragraphs(source)).toEqual(['Before.', '| Country | Seats | |---|---:| | Chile | *3* | | Ghana | 2 | After.'.replace('*3*', '3')])
  })

  it('leaves a text without tables as it is, pipes in a sentence included', () => {
    const source = 'A | B are letters.\n\n- one\n- two\n'
    expect(tablesAsParagraphs(source)).toEqual({ markdown: source, tables: 0, rows: 0 })
  })
})
