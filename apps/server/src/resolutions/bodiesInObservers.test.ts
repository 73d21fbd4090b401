import { BLOCK_ID, bodyOf, encodeBody, readBody, schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { liveBody } from './bodies.ts'

/** liveBody against readBody under replicas, out-of-order delivery, undo, nested transactions from observers. */
const body = (...texts: string[]) => schema.node('doc', null, texts.map((text, index) => schema.node('paragraph', { [BLOCK_ID]: `b${index}` }, text ? [schema.text(text)] : [])))

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
}

describe('liveBody while observers run', () => {
  it('serves no body older than the document once a change made among observers has landed', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeBody(body('un')))
    const text = () => (bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
    let repaired = false
    bodyOf(doc).observeDeep(() => {
      // A reader among the observers (e.g. an extension reading the text), then a repair in a transaction of its own.
      liveBody(doc)
      if (!repaired) {
        repaired = true
        doc.transact(() => text().insert(0, 'X'))
      }
    })
    const seen: Array<[string, string]> = []
    doc.on('afterTransaction', () => seen.push([liveBody(doc).textContent, readBody(doc).textContent]))
    text().insert(2, '!')
    // The first transaction's afterTransaction runs after the repair changed the text: liveBody still gives 'un!'.
    for (const [served, actual] of seen) expect(served).toBe(actual)
  })
})

describe('liveBody', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`equals readBody after every step (seed ${seed})`, () => {
      const random = rng(seed)
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
      const initial = encodeBody(body('un deux trois', 'quatre cinq', 'six'))
      const replicas = [0, 1, 2].map(() => {
        const doc = new Y.Doc()
        Y.applyUpdate(doc, initial)
        return doc
      })
      const live = replicas[0]!
      const queued: Uint8Array[] = []
      for (const other of replicas.slice(1)) other.on('update', (update: Uint8Array) => queued.push(update))
      const undo = new Y.UndoManager(bodyOf(live), { captureTimeout: 0 })
      const mismatches: string[] = []
      live.on('afterTransaction', () => {
        if (!liveBody(live).eq(readBody(live))) mismatches.push('afterTransaction')
      })
      let nested = 0
      bodyOf(live).observeDeep(() => {
        // An observer reading, then another changing the text in a transaction of its own (as a repair would).
        liveBody(live)
        if (nested < 3 && random() < 0.2) {
          nested++
          live.transact(() => {
            const el = bodyOf(live).get(0) as Y.XmlElement | undefined
            const text = el?.get(0)
            if (text instanceof Y.XmlText) text.insert(0, '*')
          })
        }
      })
      const edit = (doc: Y.Doc) => {
        const fragment = bodyOf(doc)
        if (fragment.length === 0 || random() < 0.1) {
          const element = new Y.XmlElement('paragraph')
          element.setAttribute(BLOCK_ID, `n${Math.floor(random() * 1e6)}`)
          element.insert(0, [new Y.XmlText('neuf')])
          fragment.insert(Math.floor(random() * (fragment.length + 1)), [element])
          return
        }
        const element = fragment.get(Math.floor(random() * fragment.length)) as Y.XmlElement
        const text = element.get(0)
        if (!(text instanceof Y.XmlText)) return
        const op = pick(['insert', 'delete', 'format', 'attr', 'removeBlock'] as const)
        if (op === 'insert') text.insert(Math.floor(random() * (text.length + 1)), pick(['a', 'bc', ' ', 'é']))
        else if (op === 'delete' && text.length > 0) text.delete(Math.floor(random() * text.length), 1)
        else if (op === 'format' && text.length > 1) text.format(0, 1, { bold: random() < 0.5 ? true : null })
        else if (op === 'attr') element.setAttribute(BLOCK_ID, `r${Math.floor(random() * 1e6)}`)
        else if (op === 'removeBlock' && fragment.length > 1) fragment.delete(fragment.toArray().indexOf(element), 1)
      }
      for (let step = 0; step < 400; step++) {
        nested = 0
        const action = random()
        if (action < 0.3) edit(live)
        else if (action < 0.55) edit(pick(replicas.slice(1)))
        else if (action < 0.8 && queued.length > 0) {
          // Out of order: pending structs and pending deletes.
          const index = Math.floor(random() * queued.length)
          Y.applyUpdate(live, queued.splice(index, 1)[0]!, 'remote')
        } else if (action < 0.9) {
          if (random() < 0.5) undo.undo()
          else undo.redo()
        } else live.transact(() => {
          edit(live)
          edit(live)
        })
        expect(liveBody(live).eq(readBody(live)), `step ${step}`).toBe(true)
      }
      expect(mismatches).toEqual([])
    })
  }
})
