import type { Amendment } from '@hemicycle/protocol'
import { BODY, blockIdOf, parseMarkdownBody, resolutionExtensions, withBlockIds, writeBody } from '@hemicycle/schema'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { showSuggestions, Suggestions } from './suggestionMarks.ts'

let editor: Editor | null = null
afterEach(() => editor?.destroy())

const base = 'Le socialisme a toujours été une force du progrès social.'

function setUp() {
  const doc = new Y.Doc()
  writeBody(doc, withBlockIds(parseMarkdownBody(`${base}\n\nSecond paragraphe.`)))
  const element = document.createElement('div')
  document.body.append(element)
  editor = new Editor({ element, extensions: [...resolutionExtensions, Collaboration.configure({ document: doc, field: BODY }), Suggestions] })
  const blockId = blockIdOf(editor.state.doc.child(0))!
  const amendment = {
    id: 'a1',
    number: 'A1',
    kind: 'replace',
    status: 'tabled',
    blockId,
    baseWording: [{ text: base }],
    wording: [[{ text: 'Le socialisme a toujours été une grande force du progrès.' }]],
    delegation: null,
    updatedAt: '2026-11-28T08:00:00Z',
  } as unknown as Amendment
  return { doc, element, editor, amendment }
}

const show = (editor: Editor, amendments: Amendment[], on = true) => showSuggestions(editor, { show: on, amendments, label: (a) => `${a.number}, suggested` })

describe('amendments shown in the text', () => {
  it('draws the inserted and removed words with the amendment’s number, and leaves the shared document exactly as it was', () => {
    const { doc, element, editor, amendment } = setUp()
    const before = Y.encodeStateAsUpdate(doc)
    const text = editor.state.doc.textContent
    show(editor, [amendment])
    expect([...element.querySelectorAll('.suggestion-insert')].map((node) => [node.textContent, node.getAttribute('data-amendment')])).toEqual([['grande ', 'A1']])
    expect([...element.querySelectorAll('.suggestion-delete')].map((node) => node.textContent)).toEqual([' social'])
    expect(element.querySelector('.suggestion-label')?.textContent).toBe('A1')
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    expect(editor.state.doc.textContent).toBe(text)

    show(editor, [amendment], false)
    expect(element.querySelectorAll('.suggestion-insert, .suggestion-delete, .suggestion-label')).toHaveLength(0)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('follows the live text: words typed elsewhere by someone else move the suggestion with them', () => {
    const { doc, element, editor, amendment } = setUp()
    show(editor, [amendment])
    // Another participant's edit at the start of the paragraph, arriving through the shared document.
    const paragraph = doc.getXmlFragment(BODY).get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, 'Depuis toujours, ')
    expect(editor.state.doc.child(0).textContent).toBe(`Depuis toujours, ${base}`)
    const inserted = element.querySelector('.suggestion-insert')!
    expect(inserted.textContent).toBe('grande ')
    // Labelled, right before "force", in the paragraph as it now stands.
    expect(element.querySelector('p')?.textContent).toBe('Depuis toujours, Le socialisme a toujours été une A1grande force du progrès social.')
  })
})
