import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { followClientId } from './followClientId.ts'

describe('following the id Yjs gives a document', () => {
  it('tells of the new id when changes under the document’s own arrive from elsewhere, and of nothing else', () => {
    const server = new Y.Doc()
    server.getText('t').insert(0, 'base')
    const tab = new Y.Doc()
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(server))
    tab.clientID = 4242
    const moves: number[] = []
    followClientId(tab, new Set([4242]), (client) => moves.push(client))
    tab.getText('t').insert(0, 'mine ')
    Y.applyUpdate(server, Y.encodeStateAsUpdate(tab))
    expect(moves).toEqual([])

    // The last tab under the same id, whose change arrives late.
    const old = new Y.Doc()
    Y.applyUpdate(old, Y.encodeStateAsUpdate(server))
    old.clientID = 4242
    old.getText('t').insert(old.getText('t').length, ' late')
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(old, Y.encodeStateVector(tab)))
    expect(tab.clientID).not.toBe(4242)
    expect(moves).toEqual([tab.clientID])
    expect(tab.getText('t').toString()).toBe('mine base late')
  })
})
