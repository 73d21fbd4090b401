import fc from 'fast-check'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BLOCK_ID } from './blockId.ts'
import { schema } from './extensions.ts'
import { parseMarkdownBody } from './markdown.ts'
import { bodyOf, readBody, repairYBlockIds, writeBody } from './ydoc.ts'

/** A Y.Doc whose body is this Markdown, then changed by hand as a stock client might, oddities included. */
const oddity = fc.constantFrom('unknown element', 'text in the body', 'bad heading level', 'unknown mark', 'nothing')
const markdown = fc
  .array(fc.constantFrom('Plain text.', '**Bold** and *italic*.', '# Heading', '- one\n- two', '> quoted\n>\n> - listed', '1. first\n2. second'), { minLength: 1, maxLength: 6 })
  .map((blocks) => blocks.join('\n\n'))

function build(source: string, odd: string): Y.Doc {
  const doc = new Y.Doc()
  writeBody(doc, parseMarkdownBody(source))
  const body = bodyOf(doc)
  if (odd === 'unknown element') body.insert(0, [new Y.XmlElement('script')])
  if (odd === 'text in the body') body.insert(body.length, [new Y.XmlText('loose')])
  if (odd === 'bad heading level') {
    const heading = new Y.XmlElement('heading')
    body.insert(0, [heading])
    heading.setAttribute('level', 'x' as unknown as string)
  }
  const first = (body.get(0) as Y.XmlElement).get(0)
  if (odd === 'unknown mark' && first instanceof Y.XmlText) first.format(0, 1, { link: { href: 'x' } })
  return doc
}

describe('readBody', () => {
  it('reads what the editor’s binding reads, and changes nothing where the binding deletes', () => {
    fc.assert(
      fc.property(markdown, oddity, (source, odd) => {
        const doc = build(source, odd)
        const before = Y.encodeStateAsUpdate(doc)
        const ours = readBody(doc)
        expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
        // The binding cannot read loose text at all; everywhere else it must agree.
        if (odd === 'text in the body') return
        const theirs = yXmlFragmentToProseMirrorRootNode(bodyOf(build(source, odd)), schema)
        expect(ours.toJSON()).toEqual(theirs.toJSON())
      }),
      { numRuns: 200 },
    )
  })

  it('reads a body nested 20,000 deep, and repairs its ids, without running out of stack', () => {
    const doc = new Y.Doc()
    doc.transact(() => {
      let parent: Y.XmlFragment | Y.XmlElement = bodyOf(doc)
      for (let level = 0; level < 20_000; level++) {
        const quote = new Y.XmlElement('blockquote')
        parent.insert(0, [quote])
        parent = quote
      }
      const paragraph = new Y.XmlElement('paragraph')
      parent.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('deep')])
    })
    let node = readBody(doc)
    let depth = 0
    while (node.firstChild && !node.firstChild.isText) {
      node = node.firstChild
      depth += 1
    }
    // ProseMirror's own textContent recurses, so the innermost block is read directly.
    expect([depth, node.type.name, node.firstChild?.text]).toEqual([20_001, 'paragraph', 'deep'])
    expect(doc.transact(() => repairYBlockIds(bodyOf(doc)))).toBe(1)
  })

  it('repairs ids in document order: the first of two blocks sharing an id keeps it', () => {
    const doc = new Y.Doc()
    writeBody(doc, parseMarkdownBody('> a\n>\n> b\n\nc\n'))
    const blocks = [((bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlElement), ((bodyOf(doc).get(0) as Y.XmlElement).get(1) as Y.XmlElement), bodyOf(doc).get(1) as Y.XmlElement]
    for (const block of blocks) block.setAttribute(BLOCK_ID, 'same')
    let next = 0
    expect(repairYBlockIds(bodyOf(doc), () => `fresh-${next++}`)).toBe(2)
    expect(blocks.map((block) => block.getAttribute(BLOCK_ID))).toEqual(['same', 'fresh-0', 'fresh-1'])
  })

  it('repairs a blank line sharing its id with the paragraph after it (a split at its start) by keeping the words', () => {
    const doc = new Y.Doc()
    writeBody(doc, parseMarkdownBody('<!---->\n\nLe socialisme.\n\n<!---->\n'))
    const blocks = bodyOf(doc).toArray() as Y.XmlElement[]
    for (const block of blocks) block.setAttribute(BLOCK_ID, 'same')
    let next = 0
    expect(repairYBlockIds(bodyOf(doc), () => `fresh-${next++}`)).toBe(2)
    expect(blocks.map((block) => block.getAttribute(BLOCK_ID))).toEqual(['fresh-0', 'same', 'fresh-1'])
  })
})

describe('a list stored with a letter style (before lists lost it)', () => {
  it('reads as a numbered list, the style left out', () => {
    const doc = new Y.Doc()
    const list = new Y.XmlElement('orderedList')
    bodyOf(doc).insert(0, [list])
    list.setAttribute('start', 1 as unknown as string)
    list.setAttribute('type', 'a')
    const item = new Y.XmlElement('listItem')
    const paragraph = new Y.XmlElement('paragraph')
    const words = new Y.XmlText()
    list.insert(0, [item])
    item.insert(0, [paragraph])
    paragraph.insert(0, [words])
    words.insert(0, 'To act;')
    const body = readBody(doc)
    expect(body.child(0).type.name).toBe('orderedList')
    expect(body.child(0).attrs).toEqual({ start: 1 })
    expect(body.textContent).toBe('To act;')
  })
})
