import type { Amendment } from '@hemicycle/protocol'
import { BODY, blockIdOf, parseMarkdownBody, resolutionExtensions, withBlockIds, writeBody } from '@hemicycle/schema'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import fc from 'fast-check'
import type { DecorationSet } from '@tiptap/pm/view'
import { showSuggestions, suggestionDecorations, Suggestions, suggestionsKey } from './suggestionMarks.ts'

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

  it('draws no paragraph an insertion would not write: one the text already has, or one whose acceptance is refused as partly there', () => {
    const { element, editor, amendment } = setUp()
    const insertion = (id: string, extra: Partial<Amendment>) => ({ ...amendment, id, number: id, kind: 'insertAfter', baseWording: [], wording: [[{ text: 'Second paragraphe.' }]], ...extra }) as Amendment
    // As the server lists them once the paragraph stands after the block: accepting the first writes nothing, the second is refused.
    show(editor, [insertion('A2', { unchanged: true }), insertion('A3', { conflict: true, partlyInText: true, wording: [[{ text: 'Second paragraphe.' }], [{ text: 'Troisième.' }]] }), insertion('A4', {})])
    expect([...element.querySelectorAll('.suggestion-label')].map((node) => node.textContent)).toEqual(['A4'])
  })
})

/** A decoration set as comparable data: where each decoration is and what it draws. */
function drawn(set: DecorationSet | undefined) {
  return (set?.find() ?? [])
    .map((decoration) => [decoration.from, decoration.to, JSON.stringify(decoration.spec), JSON.stringify((decoration as unknown as { type: { attrs?: unknown } }).type.attrs ?? null)])
    .sort((a, b) => Number(a[0]) - Number(b[0]) || String(a).localeCompare(String(b)))
}

describe('suggestions kept up with the text', () => {
  function withAmendments(count: number) {
    const { doc, editor, amendment } = setUp()
    const amendments = Array.from({ length: count }, (_, index) => ({ ...amendment, id: `a${index}`, number: `A${index}` }) as Amendment)
    let labelled = 0
    showSuggestions(editor, {
      show: true,
      amendments,
      label: (a) => {
        labelled++
        return a.number
      },
    })
    return { doc, editor, amendments, labelled: () => labelled, reset: () => (labelled = 0) }
  }

  it('rebase only the amendments of the paragraph that changed, whether the change is typed here or arrives from someone else', () => {
    const { doc, editor, labelled, reset } = withAmendments(40)
    expect(labelled()).toBe(40)
    reset()
    // Typed here, in the second paragraph.
    editor.commands.insertContentAt(editor.state.doc.child(0).nodeSize + 1, 'Vite. ')
    expect(labelled()).toBe(0)
    // From someone else, in the second paragraph.
    ;((doc.getXmlFragment(BODY).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Ailleurs. ')
    expect(editor.state.doc.child(1).textContent).toMatch(/^Ailleurs\. /)
    expect(labelled()).toBe(0)
    // In their own paragraph: rebased again.
    ;((doc.getXmlFragment(BODY).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Ici. ')
    expect(labelled()).toBe(40)
    expect(drawn(suggestionsKey.getState(editor.state))).toHaveLength(40 * 3)
  })

  it('are what drawing them afresh gives, after any edits, here or from others (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            remote: fc.boolean(),
            paragraph: fc.integer({ min: 0, max: 1 }),
            at: fc.nat(80),
            text: fc.constantFrom('grande ', ' social', 'Le ', 'x', '. ', ''),
            erase: fc.nat(6),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (edits) => {
          const { doc, editor, amendments } = withAmendments(3)
          for (const { remote, paragraph, at, text, erase } of edits) {
            if (remote) {
              const yText = (doc.getXmlFragment(BODY).get(paragraph) as Y.XmlElement).get(0) as Y.XmlText
              const index = Math.min(at, yText.length)
              yText.delete(index, Math.min(erase, yText.length - index))
              if (text) yText.insert(index, text)
            } else {
              let start = 1
              for (let index = 0; index < paragraph; index++) start += editor.state.doc.child(index).nodeSize
              const from = start + Math.min(at, editor.state.doc.child(paragraph).content.size)
              const to = Math.min(from + erase, start + editor.state.doc.child(paragraph).content.size)
              editor.commands.insertContentAt({ from, to }, text || ' ')
            }
            const fresh = suggestionDecorations(editor.state.doc, { show: true, amendments, label: (a) => a.number })
            expect(drawn(suggestionsKey.getState(editor.state))).toEqual(drawn(fresh))
          }
          editor.destroy()
        },
      ),
      { numRuns: 60 },
    )
  }, 30_000) // 1.6 s alone; over 5 s on a 2-core machine busy with the rest of the run
})
