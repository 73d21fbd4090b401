import { BODY } from '@hemicycle/schema'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Logger } from '../../logger.ts'
import { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'
import { blockIds } from './blockIds.ts'

const documents: LiveDocument[] = []
afterEach(() => {
  for (const document of documents.splice(0)) document.destroy()
})

const logger = { error: () => {}, info: () => {}, warn: () => {}, debug: () => {} } as unknown as Logger

/** A live document whose body holds two paragraphs under one id, and a third holding no text. */
function damaged(): LiveDocument {
  const document = new LiveDocument('r', 'draft')
  documents.push(document)
  const body = document.doc.getXmlFragment(BODY)
  for (const [id, words] of [['p-1', 'Premier.'], ['p-1', 'Second.'], ['p-3', null]] as const) {
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('id', id)
    if (words) paragraph.insert(0, [new Y.XmlText(words)])
    body.insert(body.length, [paragraph])
  }
  return document
}

const ids = (document: LiveDocument) => document.doc.getXmlFragment(BODY).toArray().map((node) => (node as Y.XmlElement).getAttribute('id'))
const thirdHasText = (document: LiveDocument) => (document.doc.getXmlFragment(BODY).get(2) as Y.XmlElement).length > 0

async function changed(document: LiveDocument, origin: UpdateOrigin, structural: boolean): Promise<void> {
  blockIds({ logger }).onChange!({ document, update: new Uint8Array(), origin, seq: 1, structural })
  await Promise.resolve()
}

const connection: UpdateOrigin = { kind: 'connection', connectionId: 'c', person: { id: 'p', username: 'claire', name: 'Claire', role: 'delegate', gender: 'f', delegationId: 'd' } } as unknown as UpdateOrigin

describe('the block-id repair after a change', () => {
  it('fixes ids and gives texts after a structural change a connection made here', async () => {
    const document = damaged()
    await changed(document, connection, true)
    expect(new Set(ids(document)).size).toBe(3)
    expect(ids(document)[0]).toBe('p-1')
    expect(thirdHasText(document)).toBe(true)
  })

  it('fixes ids, and only ids, after a structural change another instance made: that instance gives the texts', async () => {
    const document = damaged()
    await changed(document, { kind: 'remote', instanceId: 'other' }, true)
    expect(new Set(ids(document)).size).toBe(3)
    expect(thirdHasText(document)).toBe(false)
  })

  it('does nothing after typing, wherever it came from', async () => {
    for (const origin of [connection, { kind: 'remote', instanceId: 'other' } as UpdateOrigin]) {
      const document = damaged()
      await changed(document, origin, false)
      expect(ids(document)).toEqual(['p-1', 'p-1', 'p-3'])
      expect(thirdHasText(document)).toBe(false)
    }
  })
})
