import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { schema } from './extensions.ts'
import { normalizeYText, textsChangedBy } from './normalizedYText.ts'
import { composed } from './unicode.ts'

function written(write: (text: Y.XmlText) => void): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment('body').insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  doc.transact(() => write(text))
  return { doc, text }
}

describe('normalizing text written into a Y.Doc', () => {
  it('composes each run with its own formatting, leaving what does not change and the pairs of an emoji whole', () => {
    const { text } = written((text) => {
      text.insert(0, '🎉Cafe\u0301🎉 \u212b ')
      text.insert(text.length, 'o\u0308🇫🇷', { bold: {} })
      // A plain "e" and an italic accent: marks part them, as they part the editor's text nodes, so they stay apart.
      text.insert(text.length, 'e', {})
      text.insert(text.length, '\u0301', { italic: {} })
    })
    expect(normalizeYText(text)).toBe(2)
    expect(text.toDelta()).toEqual([
      { insert: '🎉Café🎉 Å ' },
      { insert: 'ö🇫🇷', attributes: { bold: {} } },
      { insert: 'e' },
      { insert: '\u0301', attributes: { italic: {} } },
    ])
    expect(normalizeYText(text)).toBe(0)
  })

  it('takes bidi controls out, a run of nothing else included', () => {
    const { text } = written((text) => {
      text.insert(0, 'admits \u202e61\u202c and ')
      text.insert(text.length, '\u2067\u2069', { bold: {} })
      text.insert(text.length, ' more', {})
    })
    expect(normalizeYText(text)).toBe(2)
    expect(text.toDelta()).toEqual([{ insert: 'admits 61 and  more' }])
  })

  it('takes the right-to-left, left-to-right and Arabic letter marks out: they reorder the words on screen, not in print', () => {
    // Chromium showed "12\u200f-\u200f34" as "1234-" and "article \u200f3 \u200f1\u200f" as "article 1 3"; the PDFs and the
    // hashed Markdown read "12-34" and "article 3 1".
    const { text } = written((text) => text.insert(0, 'article \u200f3 \u200f1\u200f, 12\u200e-\u061c34'))
    expect(normalizeYText(text)).toBeGreaterThan(0)
    expect(text.toString()).toBe('article 3 1, 12-34')
  })

  it('finds the texts a transaction changed and those in the elements it created, not the others', () => {
    const { doc, text } = written((text) => text.insert(0, 'kept'))
    const other = new Y.XmlText()
    doc.transact(() => (doc.getXmlFragment('body').get(0) as Y.XmlElement).insert(1, [other]))
    let changed: Y.XmlText[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => (changed = textsChangedBy(transaction)))
    doc.transact(() => text.insert(0, 'a'))
    expect(changed).toEqual([text])
    const added = new Y.XmlElement('paragraph')
    const inside = new Y.XmlText()
    added.insert(0, [inside])
    doc.transact(() => doc.getXmlFragment('body').insert(1, [added]))
    expect(changed).toEqual([inside])
  })
})

describe('an imported text', () => {
  it('is composed and loses its bidi controls, a text of nothing else included', () => {
    const body = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('Cafe\u0301 \u202e61\u202c '), schema.text('\u2067\u2069', [schema.marks['bold']!.create()])])])
    expect(composed(body).textContent).toBe('Café 61 ')
  })
})
