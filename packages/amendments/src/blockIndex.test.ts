import { BLOCK_ID } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findBlock } from './blockIndex.ts'
import { deleteBlock, insertAfter } from './document.ts'
import { docWith, sync, texts } from './testDocuments.ts'

describe('finding blocks in a long text', () => {
  /** How many times block ids are read while `run` looks blocks up. */
  const idReads = (run: () => void) => {
    let reads = 0
    const getAttribute = Y.XmlElement.prototype.getAttribute
    Y.XmlElement.prototype.getAttribute = function (this: Y.XmlElement, name: string) {
      reads += 1
      return getAttribute.call(this, name)
    } as typeof getAttribute
    try {
      run()
    } finally {
      Y.XmlElement.prototype.getAttribute = getAttribute
    }
    return reads
  }

  it('reads each block’s id once for many lookups while the text stands still', () => {
    // Listing or tabling amendments looks up every tabled amendment's block, twice: with a walk from the start each
    // time, 400 amendments on 20,000 paragraphs read ids 8 million times (4.2 s) on the event loop editors share.
    const paragraphs = 5_000
    const { doc, ids } = docWith(Array.from({ length: paragraphs }, (_, index) => `Paragraphe ${index}.`))
    const reads = idReads(() => {
      for (let round = 0; round < 2; round++) for (let k = 0; k < 200; k++) expect(findBlock(doc, ids[(k * 25) % paragraphs]!)!.index).toBe((k * 25) % paragraphs)
      expect(findBlock(doc, 'no-such-block')).toBeNull()
      expect(findBlock(doc, 'no-such-block')).toBeNull()
    })
    expect(reads).toBeLessThanOrEqual(paragraphs)
  })

  it('finds blocks where they are after every change, within a transaction too', () => {
    const { doc, ids } = docWith(['Un.', 'Deux.', 'Trois.'])
    expect(findBlock(doc, ids[2]!)!.index).toBe(2)
    const [added] = insertAfter(doc, null, [[{ text: 'Zéro.' }]])!
    expect(findBlock(doc, ids[2]!)!.index).toBe(3)
    expect(findBlock(doc, added!)!.index).toBe(0)
    doc.transact(() => {
      deleteBlock(doc, ids[0]!)
      expect(findBlock(doc, ids[0]!)).toBeNull()
      expect(findBlock(doc, ids[2]!)!.index).toBe(2)
    })
    expect(findBlock(doc, ids[2]!)!.index).toBe(2)
    // A change from another replica arrives as an update: it moves blocks too.
    const other = new Y.Doc()
    sync(doc, other)
    insertAfter(other, null, [[{ text: 'Moins un.' }]])
    sync(other, doc)
    expect(findBlock(doc, ids[2]!)!.index).toBe(3)
    expect(texts(doc)).toEqual(['Moins un.', 'Zéro.', 'Deux.', 'Trois.'])
  })

  it('finds the first of two blocks that share an id, as a walk from the start would', () => {
    const { doc, ids } = docWith(['Un.', 'Deux.'])
    const copy = new Y.XmlElement('paragraph')
    copy.setAttribute(BLOCK_ID, ids[0]!)
    doc.getXmlFragment('body').insert(2, [copy])
    expect(findBlock(doc, ids[1]!)!.index).toBe(1)
    expect(findBlock(doc, ids[0]!)!.index).toBe(0)
  })
})
