import { type Node as CommonMarkNode, Parser } from 'commonmark'
import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { readImportedMarkdown } from './importedMarkdown.ts'
import { parseMarkdownBody } from './markdown.ts'

/** Each textblock's text, in order, with its kind. */
const blocks = (doc: PMNode) => {
  const out: string[] = []
  doc.descendants((node, _pos, parent) => {
    if (node.isTextblock) out.push(`${node.type.name === 'heading' ? '# ' : parent?.type.name === 'listItem' && parent.firstChild === node ? '- ' : ''}${node.textContent}`)
    return !node.isTextblock
  })
  return out
}
const read = (body: string) => readImportedMarkdown(body)

/**
 * What a reader of the file sees, as CommonMark's reference implementation
 * (commonmark.js) renders it: each block's visible words, images, comments
 * and thematic breaks showing nothing, a line break a space, runs of spaces one. The outside
 * reference for everything CommonMark itself defines (GitHub's tables and
 * strike-through are not CommonMark).
 */
function rendered(markdown: string): string[] {
  const out: string[] = []
  const words = (node: CommonMarkNode): string => {
    let text = ''
    for (let child = node.firstChild; child; child = child.next) {
      if (child.type === 'text' || child.type === 'code') text += child.literal ?? ''
      else if (child.type === 'softbreak' || child.type === 'linebreak') text += ' '
      else if (child.type === 'image' || child.type === 'html_inline') continue
      else text += words(child)
    }
    return text
  }
  const visit = (node: CommonMarkNode, inItem: boolean) => {
    for (let child = node.firstChild; child; child = child.next) {
      if (child.type === 'paragraph' || child.type === 'heading') {
        const text = words(child)
        if (text.trim() !== '') out.push(`${child.type === 'heading' ? '# ' : inItem && child === node.firstChild ? '- ' : ''}${text}`)
      } else if (child.type === 'code_block') {
        for (const line of (child.literal ?? '').split('\n')) if (line.trim() !== '') out.push(line)
      } else if (child.type === 'item') visit(child, true)
      else if (child.type !== 'thematic_break' && child.type !== 'html_block') visit(child, false)
    }
  }
  visit(new Parser().parse(markdown), false)
  return out
}

describe('a Markdown file someone wrote, imported', () => {
  it('reads as CommonMark’s reference renders it: line breaks, setext headings, links, code, images, comments, thematic breaks', () => {
    const files = [
      'Le Conseil  \ndécide de réformer la PAC.\n',
      'Le Conseil\\\ndécide.\n',
      'Résolution\n==========\n\nSous-titre\n---\n\nTexte.\n',
      'Voir [la déclaration](https://example.org/d "titre") et <https://example.org>.\n',
      'Voir [la charte][c].\n\n[c]: https://example.org/c\n',
      'La variable `taux_max` vaut 3.\n',
      '```\n# pas un titre\n- pas une liste\n```\n',
      '~~~md\n1. un\n\n2. deux\n~~~\n',
      'Premier alinéa.\n\n* * *\n\nSecond alinéa.\n',
      'Premier.\n\n- - -\n\n___\n\nSecond.\n',
      'Un <!-- note de la rédaction --> mot.\n\n<!-- seul -->\n\nFin.\n',
      'Texte.\n\n<!--\nNote interne\n\navant envoi\n-->\n\n<!-- en-tête -->\nSuite.\n',
      'Le barème :\n\n    taux_max = *2*\n    seuil = 4\n',
      '![Logo](logo.png)\n\nTexte ![x](x.png) ici.\n',
      '- item\n\n  ```\n  code\n  ```\n- second\n',
    ]
    // A browser shows runs of spaces as one.
    const shown = (texts: string[]) => texts.map((text) => text.replace(/\s+/g, ' '))
    for (const file of files) expect(blocks(read(file).doc), JSON.stringify(file)).toEqual(shown(rendered(file)))
    // CommonMark alone, the reading of canonical Markdown, glued the words of a hard break and made nested lists of a break.
    expect(blocks(parseMarkdownBody('Le Conseil  \ndécide.\n'))).toEqual(['Le Conseil décide.'])
    expect(blocks(parseMarkdownBody('* * *\n'))).toEqual(['- ', '- ', '- '])
  })

  it('counts what it left out or changed, so the import can say so', () => {
    expect(read('Voir [la déclaration](https://example.org) et <https://example.org>, `x`.\n\n```\ncode\n```\n\n* * *\n\nUn <!-- note --> <br> <sup>2</sup>.\n').found).toEqual({
      tables: 0,
      rows: 0,
      struck: 0,
      images: 0,
      comments: 1,
      links: 2,
      code: 2,
      breaks: 1,
      html: 3,
    })
  })

  it('keeps struck words without the strike and leaves images out, as a Word file does, and counts both', () => {
    const { doc, found, frontMatter } = read('---\ntitle: T\n---\nReach it ~~in 2030~~ by 2035.\n\n![Logo of the alliance](logo.png)\n\nThe *end* ~~~~.\n')
    expect(frontMatter).toEqual({ title: 'T' })
    expect(blocks(doc)).toEqual(['Reach it in 2030 by 2035.', 'The end ~~~~.'])
    expect(found).toMatchObject({ struck: 1, images: 1 })
    // CommonMark alone, the reading of canonical Markdown, kept the markup as words of the text.
    expect(blocks(parseMarkdownBody('Reach it ~~in 2030~~ by 2035.\n\n![Logo](logo.png)\n'))).toEqual(['Reach it ~~in 2030~~ by 2035.', '![Logo](logo.png)'])
  })

  it('keeps the formatting around and inside struck words and links', () => {
    const { doc } = read('**Bold ~~struck *it*~~** and [*linked*](x) words.\n')
    expect(doc.firstChild!.toJSON().content).toEqual([
      { type: 'text', marks: [{ type: 'bold' }], text: 'Bold struck ' },
      { type: 'text', marks: [{ type: 'bold' }, { type: 'italic' }], text: 'it' },
      { type: 'text', text: ' and ' },
      { type: 'text', marks: [{ type: 'italic' }], text: 'linked' },
      { type: 'text', text: ' words.' },
    ])
  })

  it('leaves out a paragraph of nothing but images or comments, but for a list item’s first, which holds the item', () => {
    const { doc, found } = read('Before.\n\n![a](a.png) ![b](b.png)\n\n- ![c](c.png)\n\n  ![d](d.png)\n- item\n\n<!-- x -->\n\nAfter.\n')
    expect(blocks(doc)).toEqual(['Before.', '- ', '- item', 'After.'])
    expect(found).toMatchObject({ images: 4, comments: 1 })
  })

  it('makes each row of a table a paragraph, its cells separated by " | ", as a Word table does, at any depth', () => {
    const source = 'Before.\n\n| Country | Seats |\n|---|---:|\n| Chile | *3* |\n| Ghana | 2 |\nAfter.\n\n> | Pays | Plafond |\n> |---|---|\n> | Chili | Oui |\n'
    const { doc, found } = read(source)
    // GitHub's tables take a line that follows without a blank line ("After.") as one more row.
    expect(blocks(doc)).toEqual(['Before.', 'Country | Seats', 'Chile | 3', 'Ghana | 2', 'After.', 'Pays | Plafond', 'Chili | Oui'])
    expect(doc.child(1).marks).toEqual([])
    expect(doc.child(2).child(1).marks.map((mark) => mark.type.name)).toEqual(['italic'])
    expect(doc.lastChild!.type.name).toBe('blockquote')
    expect(found).toMatchObject({ tables: 2, rows: 6 })
    // Read as CommonMark, as canonical Markdown is, the same file ran the table into one paragraph of pipes.
    expect(blocks(parseMarkdownBody(source))[1]).toBe('| Country | Seats | |---|---:| | Chile | 3 | | Ghana | 2 | After.')
  })

  it('keeps a table row’s first cell as its words, never as a heading or a list marker, and leaves empty cells and rows out', () => {
    const { doc } = read('| # | Mesure |\n|---|---|\n| 1. | Réduire |\n| - | Sans objet |\n| > | x |\n|  |  |\n|  | seul |\n')
    expect(blocks(doc)).toEqual(['# | Mesure', '1. | Réduire', '- | Sans objet', '> | x', 'seul'])
    expect(doc.childCount).toBe(5)
    doc.forEach((block) => expect(block.type.name).toBe('paragraph'))
  })

  it('leaves a text without tables as it is, pipes in a sentence and in the front matter included', () => {
    const { doc, found, frontMatter } = read('---\ntitle: "A | B"\n---\nA | B are letters.\n\n- one\n- two\n')
    expect(frontMatter['title']).toBe('A | B')
    expect(blocks(doc)).toEqual(['A | B are letters.', '- one', '- two'])
    expect(found).toMatchObject({ tables: 0, rows: 0 })
  })
})
