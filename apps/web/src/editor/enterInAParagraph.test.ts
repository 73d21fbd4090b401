import { BODY, BLOCK_ID, giveTextblocksText, parseMarkdownBody, resolutionExtensions, withBlockIds, writeBody } from '@hemicycle/schema'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { liveUndoManager } from './liveUndo.ts'

/**
 * What the editor's binding (TipTap and y-tiptap) writes into the shared
 * document when someone presses Enter in a paragraph. Amendments, a
 * translation's link and § numbers follow the element's id; late typing and
 * the redline's attribution follow the Yjs items of its words.
 */

let editor: Editor | null = null
afterEach(() => editor?.destroy())

const words = 'Le socialisme est une force.'

function setUp(markdown = `Premier paragraphe.\n\n${words}\n\nDernier.`) {
  const doc = new Y.Doc()
  writeBody(doc, withBlockIds(parseMarkdownBody(markdown)))
  const element = document.createElement('div')
  document.body.append(element)
  const body = doc.getXmlFragment(BODY)
  editor = new Editor({ element, extensions: [...resolutionExtensions, Collaboration.configure({ document: doc, field: BODY, yUndoOptions: { undoManager: liveUndoManager(body) } })] })
  const paragraph = body.get(1) as Y.XmlElement
  return { doc, editor, body, paragraph, id: paragraph.getAttribute(BLOCK_ID), items: itemsOf(paragraph) }
}

/** The ids of the Yjs items holding an element's characters, one per character. */
function itemsOf(element: Y.XmlElement): string[] {
  const out: string[] = []
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue
    for (let item = child._start; item; item = item.right) {
      if (item.deleted) continue
      for (let offset = 0; offset < item.length; offset++) out.push(`${item.id.client}:${item.id.clock + offset}`)
    }
  }
  return out
}

const textOf = (element: Y.XmlElement) => element.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : '')).join('')

function enterAt(editor: Editor, offset: number) {
  editor.commands.setTextSelection(1 + editor.state.doc.child(0).nodeSize + offset)
  editor.commands.keyboardShortcut('Enter')
}

describe('Enter in a paragraph, as it reaches the shared document', () => {
  it('at its very start inserts a new blank element before it: the paragraph keeps its element, its id and every item of its words', () => {
    const { editor, body, paragraph, id, items } = setUp()
    enterAt(editor, 0)
    const blocks = body.toArray() as Y.XmlElement[]
    expect(blocks.map(textOf)).toEqual(['Premier paragraphe.', '', words, 'Dernier.'])
    expect(blocks[2]).toBe(paragraph)
    expect(paragraph.getAttribute(BLOCK_ID)).toBe(id)
    expect(itemsOf(paragraph)).toEqual(items)
    expect(blocks[1]!.getAttribute(BLOCK_ID)).not.toBe(id)
    expect(new Set(blocks.map((block) => block.getAttribute(BLOCK_ID))).size).toBe(4)
  })

  it('in its middle keeps the element, the id and the first half’s items; the second half is new', () => {
    const { editor, body, paragraph, id, items } = setUp()
    enterAt(editor, 'Le '.length)
    const blocks = body.toArray() as Y.XmlElement[]
    expect(blocks.map(textOf)).toEqual(['Premier paragraphe.', 'Le ', 'socialisme est une force.', 'Dernier.'])
    expect(blocks[1]).toBe(paragraph)
    expect(paragraph.getAttribute(BLOCK_ID)).toBe(id)
    expect(itemsOf(paragraph)).toEqual(items.slice(0, 'Le '.length))
    expect(blocks[2]!.getAttribute(BLOCK_ID)).not.toBe(id)
  })

  it('at its very end keeps the element, the id and every item; the blank line after it is new', () => {
    const { editor, body, paragraph, id, items } = setUp()
    enterAt(editor, words.length)
    const blocks = body.toArray() as Y.XmlElement[]
    expect(blocks.map(textOf)).toEqual(['Premier paragraphe.', words, '', 'Dernier.'])
    expect(blocks[1]).toBe(paragraph)
    expect(paragraph.getAttribute(BLOCK_ID)).toBe(id)
    expect(itemsOf(paragraph)).toEqual(items)
    expect(blocks[2]!.getAttribute(BLOCK_ID)).not.toBe(id)
  })

  it('at the very start of a list item opens an empty item above it: the item keeps its element, its id and its words (the binding keeps the item on its own)', () => {
    const { editor, body } = setUp(`Premier paragraphe.\n\n1. Un.\n2. ${words}\n`)
    const list = body.get(1) as Y.XmlElement
    const item = list.get(1) as Y.XmlElement
    const paragraph = item.get(0) as Y.XmlElement
    const [id, items] = [paragraph.getAttribute(BLOCK_ID), itemsOf(paragraph)]
    let start = 0
    editor.state.doc.descendants((node, pos) => {
      if (node.isTextblock && node.textContent === words) start = pos + 1
      return !node.isTextblock
    })
    editor.commands.setTextSelection(start)
    editor.commands.keyboardShortcut('Enter')
    expect((list.toArray() as Y.XmlElement[]).map((child) => textOf(child.get(0) as Y.XmlElement))).toEqual(['Un.', '', words])
    expect(list.get(2)).toBe(item)
    expect(paragraph.getAttribute(BLOCK_ID)).toBe(id)
    expect(itemsOf(paragraph)).toEqual(items)
    expect(editor.state.selection.$from.parent.textContent).toBe(words)
  })

  it('is undone by Ctrl+Z like any edit, ids and all, at its start, in its middle and at its end', async () => {
    for (const offset of [0, 'Le '.length, words.length]) {
      const { doc, editor, body, paragraph, id } = setUp()
      // The undo plugin starts listening once the view is set up.
      await new Promise((resolve) => setTimeout(resolve, 0))
      enterAt(editor, offset)
      expect(body.length).toBe(4)
      // What the server does at once to a new paragraph, arriving as a remote change: it gives it an (empty) text.
      doc.transact(() => giveTextblocksText(body), 'server')
      expect(editor.commands.keyboardShortcut('Mod-z')).toBe(true)
      expect((body.toArray() as Y.XmlElement[]).map(textOf)).toEqual(['Premier paragraphe.', words, 'Dernier.'])
      expect(body.get(1)).toBe(paragraph)
      expect(paragraph.getAttribute(BLOCK_ID)).toBe(id)
      editor.destroy()
    }
  })

  it('is undone without taking away words someone else has typed into the blank line since', async () => {
    const { doc, editor, body } = setUp()
    await new Promise((resolve) => setTimeout(resolve, 0))
    enterAt(editor, words.length)
    doc.transact(() => giveTextblocksText(body), 'server')
    doc.transact(() => ((body.get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Ajout de Lucía.'), 'lucia')
    editor.commands.keyboardShortcut('Mod-z')
    expect((body.toArray() as Y.XmlElement[]).map(textOf)).toEqual(['Premier paragraphe.', words, 'Ajout de Lucía.', 'Dernier.'])
  })

  it('at the very start of a heading opens a blank heading above it, as a split did: the heading keeps its element, level, id and words', () => {
    const { editor, body } = setUp(`Premier paragraphe.\n\n## ${words}\n\nDernier.`)
    const heading = body.get(1) as Y.XmlElement
    const [id, items] = [heading.getAttribute(BLOCK_ID), itemsOf(heading)]
    enterAt(editor, 0)
    const blocks = body.toArray() as Y.XmlElement[]
    expect(blocks.map((block) => [block.nodeName, textOf(block)])).toEqual([['paragraph', 'Premier paragraphe.'], ['heading', ''], ['heading', words], ['paragraph', 'Dernier.']])
    expect(blocks[2]).toBe(heading)
    expect(heading.getAttribute('level')).toBe(2)
    expect(heading.getAttribute(BLOCK_ID)).toBe(id)
    expect(itemsOf(heading)).toEqual(items)
  })
})
