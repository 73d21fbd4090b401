import fc from 'fast-check'
import { history, redo, undo } from '@tiptap/pm/history'
import { splitBlock } from '@tiptap/pm/commands'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { blockIdOf, blockIdPlugin, repairBlockIds, withBlockIds } from './blockId.ts'
import { schema } from './extensions.ts'
import { bodyOf, encodeBody, readBody, repairYBlockIds } from './ydoc.ts'

const p = (id: string | null, text: string) => schema.node('paragraph', { id }, text ? [schema.text(text)] : [])
const docOf = (...blocks: PMNode[]) => schema.node('doc', null, blocks)

function ids(doc: PMNode): (string | null)[] {
  const out: (string | null)[] = []
  doc.descendants((node) => {
    if (node.isTextblock) out.push(blockIdOf(node))
    return !node.isTextblock
  })
  return out
}

function stateOf(doc: PMNode) {
  return EditorState.create({ doc, plugins: [history(), blockIdPlugin()] })
}

function run(state: EditorState, command: Command): EditorState {
  let next = state
  command(state, (tr) => {
    next = state.apply(tr)
  })
  return next
}

function at(state: EditorState, pos: number) {
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)))
}

const expectUnique = (doc: PMNode) => {
  const all = ids(doc)
  expect(all.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
  expect(new Set(all).size).toBe(all.length)
}

describe('block ids', () => {
  it('keep the id on the first half of a split and give the second half a new one', () => {
    let state = stateOf(docOf(p('a', 'Hello world'), p('b', 'Second')))
    state = run(at(state, 1 + 'Hello'.length), splitBlock)
    expect(state.doc.childCount).toBe(3)
    expect(state.doc.child(0).textContent).toBe('Hello')
    expect(blockIdOf(state.doc.child(0))).toBe('a')
    expect(blockIdOf(state.doc.child(1))).not.toBe('a')
    expect(blockIdOf(state.doc.child(2))).toBe('b')
    expectUnique(state.doc)
  })

  it('keep the id on the first half when splitting at the very end of a paragraph', () => {
    let state = stateOf(docOf(p('a', 'Hello')))
    state = run(at(state, 1 + 'Hello'.length), splitBlock)
    expect(ids(state.doc)[0]).toBe('a')
    expect(state.doc.child(1).textContent).toBe('')
    expectUnique(state.doc)
  })

  // Enter at the very start of a paragraph opens a blank line above it: the words are still that paragraph, and
  // its amendments, its translation and its § must stay with them, not move to the blank line.
  it('keep the id with the words when splitting at the very start of a paragraph', () => {
    let state = stateOf(docOf(p('z', 'Before'), p('a', 'Hello')))
    state = run(at(state, p('z', 'Before').nodeSize + 1), splitBlock)
    expect(state.doc.child(1).textContent).toBe('')
    expect(state.doc.child(2).textContent).toBe('Hello')
    expect(ids(state.doc)[2]).toBe('a')
    expect(ids(state.doc)[1]).not.toBe('a')
    expectUnique(state.doc)
  })

  it('keep the id with the words left when Enter replaces a selection at the very start of a paragraph', () => {
    let state = stateOf(docOf(p('a', 'Hello world')))
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 1, 1 + 'Hello '.length)))
    state = run(state, splitBlock)
    expect(state.doc.child(1).textContent).toBe('world')
    expect(ids(state.doc)[1]).toBe('a')
    expectUnique(state.doc)
  })

  it('keep the id on the first of two blank lines when splitting an empty paragraph', () => {
    let state = stateOf(docOf(p('a', '')))
    state = run(at(state, 1), splitBlock)
    expect(ids(state.doc)[0]).toBe('a')
    expectUnique(state.doc)
  })

  it('repair a blank line and its paragraph sharing an id without history (a remote split) by keeping the words', () => {
    // The server's repair decides the same (repairYBlockIds): a client and the server repairing one remote change
    // must rename the same block, or both would be renamed and the id lost.
    const tr = stateOf(docOf(p('a', ''), p('a', 'Hello'), p('b', 'Two'))).tr
    expect(repairBlockIds(tr, undefined, () => 'fresh')).toBe(true)
    expect(ids(tr.doc)).toEqual(['fresh', 'a', 'b'])
    expect(ids(withBlockIds(docOf(p('a', ''), p('a', 'Hello')), () => 'fresh'))).toEqual(['fresh', 'a'])
  })

  it('rename a pasted copy, never the original, wherever the copy lands', () => {
    const original = stateOf(docOf(p('a', 'First'), p('b', 'Second')))
    const copied = original.doc.slice(original.doc.child(0).nodeSize, original.doc.content.size)
    const pastedAbove = original.apply(original.tr.replace(0, 0, copied))
    expect(ids(pastedAbove.doc)[1]).toBe('a')
    expect(ids(pastedAbove.doc)[2]).toBe('b')
    expect(ids(pastedAbove.doc)[0]).not.toBe('b')
    expectUnique(pastedAbove.doc)

    const end = original.doc.content.size
    const pastedBelow = original.apply(original.tr.replace(end, end, copied))
    expect(ids(pastedBelow.doc).slice(0, 2)).toEqual(['a', 'b'])
    expectUnique(pastedBelow.doc)
  })

  it('never produce duplicates through undo and redo', () => {
    let state = stateOf(docOf(p('a', 'Hello world')))
    state = run(at(state, 6), splitBlock)
    const second = ids(state.doc)[1]
    state = run(state, undo)
    expect(ids(state.doc)).toEqual(['a'])
    state = run(state, redo)
    expect(ids(state.doc)[0]).toBe('a')
    expect(ids(state.doc)[1]).not.toBe('a')
    expect(typeof second).toBe('string')
    expectUnique(state.doc)
  })

  it('repair a duplicate that arrives without history (a remote change) by keeping the first', () => {
    const state = stateOf(docOf(p('a', 'One'), p('b', 'Two')))
    const next = state.apply(state.tr.insert(state.doc.content.size, p('a', 'Three')))
    expect(ids(next.doc).slice(0, 2)).toEqual(['a', 'b'])
    expectUnique(next.doc)
  })

  it('survive a reload through JSON and through Yjs', () => {
    const doc = withBlockIds(docOf(p(null, 'One'), p(null, 'Two'), schema.node('heading', { level: 2, id: null }, [schema.text('T')])))
    expectUnique(doc)
    expect(ids(schema.nodeFromJSON(doc.toJSON()))).toEqual(ids(doc))
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, encodeBody(doc))
    expect(ids(readBody(ydoc))).toEqual(ids(doc))
  })

  it('are repaired on the Yjs side when an undo resurrects a block whose id was reused', () => {
    const a = new Y.Doc()
    Y.applyUpdate(a, encodeBody(docOf(p('a', 'One'), p('b', 'Two'))))
    const undoManager = new Y.UndoManager(bodyOf(a))
    bodyOf(a).delete(1, 1)
    undoManager.stopCapturing()
    const copy = new Y.XmlElement('paragraph')
    copy.setAttribute('id', 'b')
    copy.insert(0, [new Y.XmlText('Copy of two')])
    a.transact(() => bodyOf(a).insert(1, [copy]), 'other')
    undoManager.undo()
    expect(ids(readBody(a)).filter((id) => id === 'b')).toHaveLength(2)
    a.transact(() => repairYBlockIds(bodyOf(a)))
    expect(ids(readBody(a))[0]).toBe('a')
    expectUnique(readBody(a))
  })

  it('stay unique under any sequence of splits, pastes, deletions and undos', () => {
    type Op = { kind: 'split' | 'paste' | 'delete' | 'undo' | 'redo'; block: number; offset: number; target: number }
    const op = fc.record({
      kind: fc.constantFrom('split', 'paste', 'delete', 'undo', 'redo'),
      block: fc.nat(20),
      offset: fc.nat(20),
      target: fc.nat(20),
    }) as fc.Arbitrary<Op>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        let state = stateOf(docOf(p('a', 'alpha beta'), p('b', 'gamma delta'), p('c', 'epsilon')))
        for (const { kind, block, offset, target } of ops) {
          const starts: number[] = []
          state.doc.forEach((_node, pos) => starts.push(pos))
          const i = block % starts.length
          const node = state.doc.child(i)
          const start = starts[i]!
          if (kind === 'split') state = run(at(state, start + 1 + (offset % (node.content.size + 1))), splitBlock)
          if (kind === 'paste') {
            const to = target % (starts.length + 1)
            const pos = to === starts.length ? state.doc.content.size : starts[to]!
            state = state.apply(state.tr.replace(pos, pos, state.doc.slice(start, start + node.nodeSize)))
          }
          if (kind === 'delete' && state.doc.childCount > 1) state = state.apply(state.tr.delete(start, start + node.nodeSize))
          if (kind === 'undo') state = run(state, undo)
          if (kind === 'redo') state = run(state, redo)
          expectUnique(state.doc)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('repairBlockIds', () => {
  it('fills missing ids with the generator it is given', () => {
    let n = 0
    const doc = withBlockIds(docOf(p(null, 'x'), p(null, 'y')), () => `id-${++n}`)
    expect(ids(doc)).toEqual(['id-1', 'id-2'])
  })

  it('reports whether it changed anything', () => {
    const state = stateOf(docOf(p('a', 'x')))
    expect(repairBlockIds(state.tr)).toBe(false)
  })
})
