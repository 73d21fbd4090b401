import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { changesDocument, refuseUpdate } from './updateGuard.ts'

const updateOf = (edit: (doc: Y.Doc) => void, base?: Y.Doc) => {
  const doc = new Y.Doc()
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(doc)
  edit(doc)
  return Y.encodeStateAsUpdate(doc, before)
}

const paragraph = (text: string) => {
  const element = new Y.XmlElement('paragraph')
  element.insert(0, [new Y.XmlText(text)])
  return element
}

describe('refuseUpdate', () => {
  it('accepts blocks, text, formatting and attributes in the body', () => {
    const update = updateOf((doc) => {
      const p = paragraph('Hello')
      doc.getXmlFragment('body').insert(0, [p])
      p.setAttribute('id', 'x')
      ;(p.get(0) as Y.XmlText).format(0, 2, { bold: true })
    })
    expect(refuseUpdate(update)).toBeNull()
  })

  it('refuses any other root, a key on the body, loose text in it, subdocuments and garbage', () => {
    expect(refuseUpdate(updateOf((doc) => doc.getMap('meta').set('a', 1)))).toMatch(/"meta"/)
    expect(refuseUpdate(updateOf((doc) => doc.getMap('body').set('a', 1)))).toMatch(/key on "body"/)
    expect(refuseUpdate(updateOf((doc) => doc.getText('body').insert(0, 'x')))).toMatch(/other than blocks/)
    const sub = updateOf((doc) => {
      const p = paragraph('x')
      doc.getXmlFragment('body').insert(0, [p])
      p.setAttribute('doc', new Y.Doc() as unknown as string)
    })
    expect(refuseUpdate(sub)).toMatch(/cannot contain/)
    expect(refuseUpdate(new Uint8Array([1, 2, 3, 250, 250]))).toMatch(/cannot be decoded/)
  })
})

describe('changesDocument', () => {
  it('tells a resent state from a real change, deletions included', () => {
    const server = new Y.Doc()
    Y.applyUpdate(server, updateOf((doc) => doc.getXmlFragment('body').insert(0, [paragraph('Hello'), paragraph('World')])))
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    expect(changesDocument(server, Y.encodeStateAsUpdate(client))).toBe(false)

    const typed = updateOf((doc) => ((doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '!'), server)
    expect(changesDocument(server, typed)).toBe(true)

    const deleted = updateOf((doc) => doc.getXmlFragment('body').delete(1, 1), server)
    expect(changesDocument(server, deleted)).toBe(true)
    Y.applyUpdate(server, deleted)
    expect(changesDocument(server, deleted)).toBe(false)
  })
})
