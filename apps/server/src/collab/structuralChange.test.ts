import { BODY } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { changesStructure } from './structuralChange.ts'

/** A body of two paragraphs, each with its text, and what a change to it counts as. */
function fixture() {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment(BODY)
  doc.transact(() => {
    for (const words of ['Premier paragraphe.', 'Second paragraphe.']) {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', `p-${words.length}`)
      paragraph.insert(0, [new Y.XmlText(words)])
      body.insert(body.length, [paragraph])
    }
  })
  const paragraph = (index: number) => body.get(index) as Y.XmlElement
  const text = (index: number) => paragraph(index).get(0) as Y.XmlText
  const structural = (change: () => void) => {
    let seen: boolean | undefined
    const listener = (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => (seen = changesStructure(transaction))
    doc.on('update', listener)
    doc.transact(change)
    doc.off('update', listener)
    return seen
  }
  return { body, paragraph, text, structural }
}

describe('a change to the structure', () => {
  it('is not typing, deleting characters or formatting them inside texts, even in several paragraphs at once', () => {
    const { text, structural } = fixture()
    expect(structural(() => text(0).insert(3, 'xyz'))).toBe(false)
    expect(structural(() => text(1).delete(0, 6))).toBe(false)
    expect(structural(() => text(0).format(0, 4, { bold: {} }))).toBe(false)
    expect(structural(() => (text(0).insert(0, 'a'), text(1).insert(0, 'b')))).toBe(false)
  })

  it('is a paragraph put into or taken out of the body, even alongside typing', () => {
    const { body, text, structural } = fixture()
    expect(structural(() => body.insert(1, [new Y.XmlElement('paragraph')]))).toBe(true)
    expect(structural(() => (text(0).insert(0, 'a'), body.delete(1, 1)))).toBe(true)
  })

  it('is an attribute set or removed, and a text put into or taken out of a paragraph', () => {
    const { paragraph, structural } = fixture()
    expect(structural(() => paragraph(0).setAttribute('id', 'p-copy'))).toBe(true)
    expect(structural(() => paragraph(1).removeAttribute('id'))).toBe(true)
    expect(structural(() => paragraph(0).delete(0, 1))).toBe(true)
    expect(structural(() => paragraph(0).insert(0, [new Y.XmlText('Nouveau.')]))).toBe(true)
  })

  it('is a key set on a text, which is more than its characters', () => {
    const { text, structural } = fixture()
    expect(structural(() => text(0).setAttribute('lang', 'fr'))).toBe(true)
  })
})
