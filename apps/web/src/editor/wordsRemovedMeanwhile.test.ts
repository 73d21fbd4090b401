import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { unsavedWordsRemoved } from './wordsRemovedMeanwhile.ts'

/** A text of paragraphs with block ids, as the server holds it. */
function server(...paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  body.insert(
    0,
    paragraphs.map((words, index) => {
      const element = new Y.XmlElement('paragraph')
      element.setAttribute('id', `p${index + 1}`)
      element.insert(0, [new Y.XmlText(words)])
      return element
    }),
  )
  return doc
}

const copyOf = (doc: Y.Doc) => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}
const textOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment('body').get(index) as Y.XmlElement).get(0) as Y.XmlText

/** What this tab hears of `others`' change: the words it reports removed, with its server-stored clock at `stored`. */
function heard(tab: Y.Doc, others: Y.Doc, stored: number): Map<string, string> {
  let removed = new Map<string, string>()
  const listen = (transaction: Y.Transaction) => {
    if (!transaction.local) removed = unsavedWordsRemoved(transaction, tab.clientID, stored)
  }
  tab.on('afterTransaction', listen)
  Y.applyUpdate(tab, Y.encodeStateAsUpdate(others, Y.encodeStateVector(tab)))
  tab.off('afterTransaction', listen)
  return removed
}

describe('words this tab typed, not yet stored, that someone else\'s change took out', () => {
  it('are those in a paragraph deleted meanwhile, by block, in the order typed', () => {
    const start = server('Premier.', 'Deuxième.', 'Troisième.')
    const tab = copyOf(start)
    const other = copyOf(start)
    textOf(tab, 1).insert(0, 'IMPORTANT : ')
    textOf(tab, 1).insert(textOf(tab, 1).length, ' Fin.')
    other.getXmlFragment('body').delete(1, 1)
    expect(heard(tab, other, 0)).toEqual(new Map([['p2', 'IMPORTANT :  Fin.']]))
    expect(tab.getXmlFragment('body').length).toBe(2)
  })

  it('leave out what the server had stored already, and letters taken out of a paragraph that stays', () => {
    const start = server('Premier.', 'Deuxième.')
    const tab = copyOf(start)
    textOf(tab, 0).insert(0, 'Vu. ')
    const stored = Y.getState(tab.store, tab.clientID)
    textOf(tab, 0).insert(0, 'Lu. ')
    textOf(tab, 1).insert(0, 'Mot ')
    const other = copyOf(tab)
    // The second paragraph loses the word typed in it (the server composing it, or someone's selection): it stays.
    textOf(other, 1).delete(0, 4)
    other.getXmlFragment('body').delete(0, 1)
    expect(heard(tab, other, stored)).toEqual(new Map([['p1', 'Lu. ']]))
  })

  it('are nothing for this tab\'s own deletion, nor for a change that removes none of its words', () => {
    const start = server('Premier.', 'Deuxième.')
    const tab = copyOf(start)
    textOf(tab, 1).insert(0, 'Ajout ')
    const other = copyOf(start)
    textOf(other, 0).insert(0, 'Autre ')
    expect(heard(tab, other, 0)).toEqual(new Map())
    let removed: Map<string, string> | null = null
    tab.on('afterTransaction', (transaction: Y.Transaction) => (removed = unsavedWordsRemoved(transaction, tab.clientID, 0)))
    tab.getXmlFragment('body').delete(1, 1)
    expect(removed).toEqual(new Map())
  })
})
