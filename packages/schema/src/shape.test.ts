import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { cleanPaste } from './characters.ts'
import { schema } from './extensions.ts'
import { attributeProblem, childProblem, childrenProblem, formatProblem, MAX_DEPTH, MAX_NODES, shapeProblem, textProblem } from './shape.ts'

const paragraph = (text = 'x') => schema.node('paragraph', null, text ? [schema.text(text)] : [])
const nest = (depth: number): PMNode => {
  let node = paragraph()
  for (let level = 1; level < depth; level++) node = schema.node('blockquote', null, [node])
  return schema.node('doc', null, [node])
}

describe('the shape of a body', () => {
  it('puts blocks in the body, items in lists, text only in textblocks', () => {
    expect(childProblem(null, 'paragraph')).toBeNull()
    expect(childProblem(null, 'bulletList')).toBeNull()
    expect(childProblem('bulletList', 'listItem')).toBeNull()
    expect(childProblem('listItem', 'orderedList')).toBeNull()
    expect(childProblem('blockquote', 'heading')).toBeNull()
    expect(childProblem(null, 'listItem')).toMatch(/cannot sit inside the body/)
    expect(childProblem('paragraph', 'paragraph')).toMatch(/inside a paragraph/)
    expect(childProblem(null, 'script')).toMatch(/not an element/)
    expect(childProblem(null, 'doc')).toMatch(/not an element/)
    expect(childProblem(null, 'text')).toMatch(/not an element/)
  })

  it('knows each element’s attributes and the values they may take', () => {
    expect(attributeProblem('paragraph', 'id', 'a2c1')).toBeNull()
    expect(attributeProblem('paragraph', 'id', null)).toBeNull()
    expect(attributeProblem('heading', 'level', 2)).toBeNull()
    expect(attributeProblem('orderedList', 'start', 4)).toBeNull()
    // No list style: no print, Markdown or hash could tell a lettered list from a numbered one.
    expect(attributeProblem('orderedList', 'type', 'a')).toMatch(/no attribute "type"/)
    expect(attributeProblem('paragraph', 'level', 2)).toMatch(/no attribute "level"/)
    expect(attributeProblem('paragraph', 'onclick', 'x')).toMatch(/no attribute/)
    expect(attributeProblem('heading', 'level', 7)).toMatch(/cannot take/)
    expect(attributeProblem('heading', 'level', '2')).toMatch(/cannot take/)
    expect(attributeProblem('paragraph', 'id', 'x'.repeat(101))).toMatch(/cannot take/)
    expect(attributeProblem('paragraph', 'id', { nested: true })).toMatch(/cannot take/)
    expect(attributeProblem('orderedList', 'start', 1.5)).toMatch(/cannot take/)
    expect(attributeProblem('paragraph', 'id', undefined)).toBeNull()
  })

  it('knows the order children must stand in: a list item starts with a paragraph', () => {
    expect(childrenProblem('listItem', ['paragraph', 'heading', 'bulletList', 'paragraph'])).toBeNull()
    expect(childrenProblem('listItem', ['heading', 'paragraph'])).toMatch(/starts with a paragraph/)
    expect(childrenProblem('listItem', ['bulletList'])).toMatch(/starts with a paragraph/)
    expect(childrenProblem('blockquote', ['heading', 'paragraph', 'orderedList'])).toBeNull()
    expect(childrenProblem('bulletList', ['listItem', 'listItem'])).toBeNull()
    // Emptied by concurrent deletions: nothing lost, nothing refused.
    expect(childrenProblem('listItem', [])).toBeNull()
    expect(childrenProblem('paragraph', ['anything'])).toBeNull()
  })

  it('reads an attribute named as a property every object has as any unknown one: refused, never thrown or let in', () => {
    // "__proto__" made the check throw (the update half-checked), "constructor" and "toString" passed as attributes.
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']) {
      for (const element of ['paragraph', 'heading', 'orderedList']) expect(attributeProblem(element, key, 'x'), `${element} ${key}`).toMatch(/no attribute/)
    }
    for (const key of ['__proto__', 'constructor', 'toString']) expect(formatProblem(key, true), key).toMatch(/cannot be formatted/)
    expect(childProblem(null, 'constructor')).toMatch(/not an element/)
  })

  it('formats text bold or italic only, on or off', () => {
    expect(formatProblem('bold', true)).toBeNull()
    expect(formatProblem('italic', {})).toBeNull()
    expect(formatProblem('bold', null)).toBeNull()
    expect(formatProblem('link', { href: 'javascript:alert(1)' })).toMatch(/cannot be formatted/)
    expect(formatProblem('bold', { weight: 900 })).toMatch(/cannot take/)
    expect(formatProblem('bold', 'yes')).toMatch(/cannot take/)
  })

  it('keeps control characters out of the text, tabs aside, the C1 controls of text decoded with the wrong code page included', () => {
    expect(textProblem('Nous vivons\tune époque — « ensemble » à 5 €, l’Alliance\u00a0!')).toBeNull()
    for (const bad of ['\u0000', 'a\nb', '\r', '\u001b[31m', '\u007f', 'l\u0092Alliance', '\u0080', '\u0085', '\u009f', '\uffff']) expect(textProblem(bad), JSON.stringify(bad)).toMatch(/control characters/)
  })

  it(`holds an imported document to ${MAX_DEPTH} levels and ${MAX_NODES} nodes`, () => {
    expect(shapeProblem(nest(MAX_DEPTH))).toBeNull()
    expect(shapeProblem(nest(MAX_DEPTH + 1))).toMatch(/deeper than/)
    expect(shapeProblem(nest(20_000))).toMatch(/deeper than/)
    const wide = (count: number) => schema.node('doc', null, Array.from({ length: count }, () => paragraph('')))
    expect(shapeProblem(wide(MAX_NODES))).toBeNull()
    expect(shapeProblem(wide(MAX_NODES + 1))).toMatch(/more than/)
  })
})

describe('pasting', () => {
  it('turns control characters into spaces and keeps tabs and line breaks', () => {
    expect(cleanPaste('Word\u000bsoft break\fpage\u0000nul\ttab\r\nnext\uffff')).toBe('Word soft break page nul\ttab\r\nnext ')
    // Text decoded as Latin-1 when it was Windows-1252: the screen showed nothing where the PDF printed "�".
    expect(cleanPaste('l\u0092Alliance se réunit\u0085')).toBe('l Alliance se réunit ')
    expect(cleanPaste('<p>é 😀 «»</p>')).toBe('<p>é 😀 «»</p>')
    // Invisible splits of a word go; joiners that shape a script or an emoji stay.
    expect(cleanPaste('Con\u00adseil mo\u2060tion \ufeffvu\u200b')).toBe('Conseil motion vu')
    expect(cleanPaste('\u0915\u094d\u200d\u0937 👩\u200d⚖️')).toBe('\u0915\u094d\u200d\u0937 👩\u200d⚖️')
  })
})
