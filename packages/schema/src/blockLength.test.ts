import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { grownPastLimit, lengthensPastLimit, MAX_BLOCK_TEXT } from './blockLength.ts'
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

describe('a block written into a Y.Doc', () => {
  const written = (text: string) => {
    const doc = new Y.Doc()
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment('body').insert(0, [paragraph])
    const words = new Y.XmlText()
    paragraph.insert(0, [words])
    words.insert(0, text)
    return paragraph
  }

  it('is past the limit when its text, once normalized as the server will, is longer than the limit', () => {
    // Found by a hostile review: 10,000 × U+FB2C was admitted as typed, and NFC made it 30,000 characters.
    expect(grownPastLimit(written('\uFB2C'.repeat(MAX_BLOCK_TEXT)), new Y.Doc())).toBe(3 * MAX_BLOCK_TEXT)
    expect(grownPastLimit(written('\uFB2C'.repeat(3334)), new Y.Doc())).toBe(10_002)
    expect(grownPastLimit(written('\uFB2C'.repeat(3333)), new Y.Doc())).toBeNull()
    // What normalizing takes out does not count: the text as typed is the longer one.
    expect(grownPastLimit(written(`${'a'.repeat(MAX_BLOCK_TEXT)}\u200e`), new Y.Doc())).toBe(MAX_BLOCK_TEXT + 1)
    expect(grownPastLimit(written('a'.repeat(MAX_BLOCK_TEXT)), new Y.Doc())).toBeNull()
  })
})
