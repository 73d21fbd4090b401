import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { lengthensPastLimit } from './blockLength.ts'
import { schema } from './extensions.ts'

const doc = (...texts: string[]) => schema.node('doc', null, texts.map((text) => schema.node('paragraph', null, text ? [schema.text(text)] : [])))

describe('a change that lengthens a block past the limit', () => {
  const state = EditorState.create({ doc: doc('abcdefghij', 'klm') })

  it('is typing or pasting past it in the block it lands in, not in another', () => {
    expect(lengthensPastLimit(state.tr.insertText('x', 3), 10)).toBe(true)
    expect(lengthensPastLimit(state.tr.insertText('xyz', 15), 10)).toBe(false)
    expect(lengthensPastLimit(state.tr.insertText('12345678', 15), 10)).toBe(true)
  })

  it('is not a change that leaves a block over the limit no longer than it was, nor a split', () => {
    expect(lengthensPastLimit(state.tr.insertText('x', 2, 4), 9)).toBe(false)
    expect(lengthensPastLimit(state.tr.delete(2, 3), 5)).toBe(false)
    expect(lengthensPastLimit(state.tr.split(6), 5)).toBe(false)
    expect(lengthensPastLimit(state.tr.insertText('xx', 2, 3), 9)).toBe(true)
  })
})
