import { describe, expect, it } from 'vitest'
import { readImportedMarkdown } from './importedMarkdown.ts'
import { parseMarkdownBody } from './markdown.ts'

const paragraphs = (doc: ReturnType<typeof parseMarkdownBody>) => {
  const out: string[] = []
  doc.forEach((node) => void out.push(node.textContent))
  return out
}

describe('a Markdown file someone wrote, imported', () => {
  it('keeps struck words without the strike and leaves images out, as a Word file does, and counts both', () => {
    const file = '---\ntitle: T\n---\nReach it ~~in 2030~~ by 2035.\n\n![Logo of the alliance](logo.png)\n\nThe *end* ~~~~.\n'
    const { doc, found, frontMatter } = readImportedMarkdown(file)
    expect(frontMatter).toEqual({ title: 'T' })
    expect(paragraphs(doc)).toEqual(['Reach it in 2030 by 2035.', 'The end ~~~~.'])
    expect(found).toEqual({ tables: 0, rows: 0, struck: 1, images: 1 })
    // CommonMark alone, the reading of canonical Markdown, kept the markup as words of the text.
    expect(paragraphs(parseMarkdownBody('Reach it ~~in 2030~~ by 2035.\n\n![Logo](logo.png)\n'))).toEqual(['Reach it ~~in 2030~~ by 2035.', '![Logo](logo.png)'])
  })

  it('keeps the formatting around and inside struck words, and an image beside words leaves the words', () => {
    const { doc, found } = readImportedMarkdown('**Bold ~~struck *it*~~** and ![x](y.png) words.\n')
    expect(doc.firstChild!.toJSON().content).toEqual([
      { type: 'text', marks: [{ type: 'bold' }], text: 'Bold struck ' },
      { type: 'text', marks: [{ type: 'bold' }, { type: 'italic' }], text: 'it' },
      { type: 'text', text: ' and  words.' },
    ])
    expect(found).toMatchObject({ struck: 1, images: 1 })
  })

  it('leaves out a paragraph of nothing but images, but for a list item\'s first, which holds the item', () => {
    const { doc, found } = readImportedMarkdown('Before.\n\n![a](a.png) ![b](b.png)\n\n- ![c](c.png)\n\n  ![d](d.png)\n- item\n\nAfter.\n')
    expect(paragraphs(doc)).toEqual(['Before.', 'item', 'After.'])
    expect(doc.child(1).childCount).toBe(2)
    expect(doc.child(1).child(0).childCount).toBe(1)
    expect(found.images).toBe(4)
  })

  it('reads tables in the body as paragraphs, and leaves a pipe in the front matter alone', () => {
    const { doc, found, frontMatter } = readImportedMarkdown('---\ntitle: "A | B"\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n')
    expect(frontMatter['title']).toBe('A | B')
    expect(paragraphs(doc)).toEqual(['a | b', '1 | 2'])
    expect(found).toMatchObject({ tables: 1, rows: 2 })
  })
})
