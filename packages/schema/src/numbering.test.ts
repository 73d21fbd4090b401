import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schema } from './extensions.ts'
import { LINE_WIDTH, numberBlocks, wrapLines } from './numbering.ts'

describe('wrapLines', () => {
  it('wraps at 80 characters without breaking words', () => {
    const text = 'word '.repeat(40).trim()
    const lines = wrapLines(text)
    expect(lines.every((line) => line.length <= LINE_WIDTH)).toBe(true)
    expect(lines[0]).toHaveLength(79)
    expect(lines.join(' ')).toBe(text)
  })

  it('gives an empty paragraph one line', () => {
    expect(wrapLines('')).toEqual([''])
  })

  it('keeps every word, in order, within the width, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zé]{1,120}$/), { maxLength: 60 }), fc.integer({ min: 5, max: 100 }), (words, width) => {
        const lines = wrapLines(words.join(' '), width)
        expect(lines.every((line) => line.length <= width)).toBe(true)
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''))
      }),
    )
  })
})

describe('numberBlocks', () => {
  it('numbers top-level paragraphs, not headings or nested paragraphs, and runs lines on', () => {
    const para = (text: string) => schema.node('paragraph', { id: text }, [schema.text(text)])
    const doc = schema.node('doc', null, [
      schema.node('heading', { level: 1, id: 'h' }, [schema.text('Title')]),
      para('one'),
      para('x'.repeat(100)),
      schema.node('bulletList', null, [schema.node('listItem', null, [para('item')])]),
      para('three'),
    ])
    expect(numberBlocks(doc).map(({ blockId, paragraph, numbered, firstLine, lastLine }) => [blockId, paragraph, numbered, firstLine, lastLine])).toEqual([
      ['h', 0, false, 1, 1],
      ['one', 1, true, 2, 2],
      ['x'.repeat(100), 2, true, 3, 4],
      ['item', 2, false, 5, 5],
      ['three', 3, true, 6, 6],
    ])
  })
})
