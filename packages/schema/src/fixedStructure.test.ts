import { Slice } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { schema } from './extensions.ts'
import { reshapes, wordsOfSlice } from './fixedStructure.ts'

const block = (sourceId: string, text: string) => schema.node('paragraph', { id: `v-${sourceId}`, sourceId }, text ? [schema.text(text)] : [])
const version = EditorState.create({ doc: schema.node('doc', null, [block('a', 'First.'), block('b', 'Second.')]) })
const startOfSecond = version.doc.child(0).nodeSize + 1

describe('a change to a version’s structure', () => {
  it('is a join, a split, a block added, removed or relabelled', () => {
    expect(reshapes(version.tr.join(version.doc.child(0).nodeSize))).toBe(true)
    expect(reshapes(version.tr.split(4))).toBe(true)
    expect(reshapes(version.tr.delete(startOfSecond - 1, version.doc.content.size))).toBe(true)
    expect(reshapes(version.tr.insert(0, block('c', 'Third.')))).toBe(true)
    expect(reshapes(version.tr.setNodeAttribute(0, 'sourceId', 'b'))).toBe(true)
    // A selection from one block into the next, typed over.
    expect(reshapes(version.tr.insertText('x', 3, startOfSecond + 2))).toBe(true)
  })

  it('is not typing, deleting or marking words inside one block, nor a new block id', () => {
    expect(reshapes(version.tr.insertText('Very ', 1))).toBe(false)
    expect(reshapes(version.tr.delete(startOfSecond, startOfSecond + 3))).toBe(false)
    expect(reshapes(version.tr.addMark(1, 4, schema.marks['bold']!.create()))).toBe(false)
    expect(reshapes(version.tr.setNodeAttribute(0, 'id', 'v-new'))).toBe(false)
    expect(reshapes(version.tr.replaceSelectionWith(schema.text('x')))).toBe(false)
  })
})

describe('what is pasted into a version', () => {
  it('is the words of its paragraphs, a space between two, marks kept', () => {
    const pasted = new Slice(schema.node('doc', null, [schema.node('paragraph', null, [schema.text('One '), schema.text('bold', [schema.marks['bold']!.create()])]), schema.node('paragraph'), schema.node('bulletList', null, [schema.node('listItem', null, [schema.node('paragraph', null, [schema.text('Two.')])])])]).content, 0, 0)
    const words = wordsOfSlice(pasted, schema)
    expect([words.openStart, words.openEnd, words.content.childCount]).toEqual([1, 1, 1])
    expect(words.content.child(0).textContent).toBe('One bold Two.')
    expect(words.content.child(0).child(1).marks.map((mark) => mark.type.name)).toEqual(['bold'])
    const state = EditorState.create({ doc: version.doc })
    expect(reshapes(state.tr.replace(3, 3, words))).toBe(false)
  })

  it('is left as it is when it is words already', () => {
    const inline = new Slice(schema.node('paragraph', null, [schema.text('words')]).content, 0, 0)
    expect(wordsOfSlice(inline, schema)).toBe(inline)
  })
})
