import { deleteBlock, replaceBlock, traceOf } from '@hemicycle/amendments'
import type { Person } from '@hemicycle/protocol'
import { BLOCK_ID, bodyOf } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'
import type { StoredDecision } from '../storage.ts'
import { type LateTyping, lateTyping, MAX_WATCHED_DECISIONS } from './lateTyping.ts'

const BEFORE = 'Nous devons agir vite pour la cohésion.'
const person = (id: string): Person => ({ id, username: id, name: id, role: 'secretariat', delegation: null })
const chair = person('ingrid')

/** A live document holding one paragraph, the extension watching it, and what it reported. */
function setup() {
  const document = new LiveDocument('r1', 'consolidation')
  const element = new Y.XmlElement('paragraph')
  element.setAttribute(BLOCK_ID, 'b1')
  const text = new Y.XmlText()
  element.insert(0, [text])
  bodyOf(document.doc).insert(0, [element])
  text.insert(0, BEFORE)
  const reports: LateTyping[] = []
  let clock = 0
  /** The decisions' rows of the log, as storage keeps them. */
  const decisions: StoredDecision[] = []
  const extension = lateTyping({ report: async (typing) => void reports.push(typing), stored: async () => decisions, now: () => clock, logger: { error: () => {} } })
  const change = (update: Uint8Array, origin: UpdateOrigin) => {
    Y.applyUpdate(document.doc, update, origin)
    extension.onChange!({ document, update, origin, seq: 0, structural: false })
  }
  /** An acceptance of "rapidement" for "vite", as the service makes it; returns the state before it, for typing made without it. */
  const accept = (amendmentId: string, target = BEFORE.replace('vite', 'rapidement'), elsewhere = false) => {
    const before = Y.encodeStateAsUpdate(document.doc)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, before)
    copy.clientID = 1_000_000 + Number(amendmentId.replace(/\D/g, ''))
    let update: Uint8Array | null = null
    copy.on('update', (u: Uint8Array) => (update = u))
    copy.transact(() => replaceBlock(copy, 'b1', [{ text: target }]))
    decisions.push({ amendmentId, trace: traceOf(update!)! })
    change(update!, elsewhere ? { kind: 'remote', instanceId: 'b', decision: { amendmentId } } : { kind: 'amendment', amendmentId, person: chair, stored: true, accepted: true })
    return before
  }
  /** What a client with the state `seen` sends when it types `typed` at `at`. */
  const typing = (seen: Uint8Array, at: number, typed: string, client: number) => {
    const doc = new Y.Doc()
    doc.clientID = client
    Y.applyUpdate(doc, seen)
    const from = Y.encodeStateVector(doc)
    ;((bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(at, typed)
    return Y.encodeStateAsUpdate(doc, from)
  }
  const from = (id: string) => ({ kind: 'connection', connectionId: `c-${id}`, person: person(id) }) as const
  /**
   * What a client holding the state `seen` sends when it deletes `length` characters at `at`: live, the update of that
   * edit; `relayed`, its answer to the server's sync request (all it has that the server lacks, with every deletion it
   * holds) after announcing `seen`'s state vector. The server takes it, then the extension reads it as sent.
   */
  const deleting = (seen: Uint8Array, at: number, length: number, client: number, id: string, relayed = false) => {
    const doc = new Y.Doc()
    doc.clientID = client
    Y.applyUpdate(doc, seen)
    const announced = Y.encodeStateVector(doc)
    let update: Uint8Array | null = null
    doc.on('update', (u: Uint8Array) => (update = u))
    ;((bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(at, length)
    const sent = relayed ? Y.encodeStateAsUpdate(doc, Y.encodeStateVector(document.doc)) : update!
    change(sent, from(id))
    extension.onReceive!({ document, decoded: Y.decodeUpdate(sent), origin: from(id), relayed, announced: relayed ? announced : null })
  }
  /** The text unloaded and loaded again (or the server restarted): the watch reads the log. */
  const reload = async () => {
    await extension.onUnloadDocument!({ document })
    await extension.onLoadDocument!({ document })
  }
  return { document, reports, decisions, accept, typing, change, from, deleting, reload, tick: (ms: number) => (clock += ms) }
}

describe('the late typing watch', () => {
  it('reports typing made without the decision once per decision and person, however often a client sends it', () => {
    const { reports, accept, typing, change, from } = setup()
    const unseen = accept('a1')
    for (let at = BEFORE.indexOf('vite'); at <= BEFORE.indexOf('vite') + 4; at++) change(typing(unseen, at, 's', 7), from('amina'))
    for (let round = 0; round < 100; round++) change(typing(unseen, BEFORE.indexOf('vite') + 2, 'x', 8 + round), from('amina'))
    change(typing(unseen, BEFORE.indexOf('vite'), 'y', 200), from('mateo'))
    expect(reports).toEqual([
      { resolutionId: 'r1', amendmentId: 'a1', personId: 'amina' },
      { resolutionId: 'r1', amendmentId: 'a1', personId: 'mateo' },
    ])
  })

  it('watches every decision the log holds once the text is loaded again, however long after', async () => {
    const { reports, accept, typing, change, from, reload, tick } = setup()
    const unseen = accept('a1')
    tick(7 * 24 * 3_600_000)
    await reload()
    change(typing(unseen, BEFORE.indexOf('vite') + 4, 's', 7), from('amina'))
    expect(reports).toEqual([{ resolutionId: 'r1', amendmentId: 'a1', personId: 'amina' }])
  })

  it('keeps the latest decisions of a document, as many as a resolution could take and more', async () => {
    const { reports, accept, typing, change, from, reload, decisions } = setup()
    const first = accept('a2')
    // Later decisions, each as blind-making as the first: the typing below is blind to every one still watched.
    for (let n = 0; n < MAX_WATCHED_DECISIONS; n++) decisions.push({ amendmentId: `x${n}`, trace: { ...decisions[0]!.trace, client: 5_000_000 + n } })
    await reload()
    change(typing(first, BEFORE.indexOf('vite') + 4, 's', 9), from('amina'))
    expect(reports.map((report) => report.amendmentId)).not.toContain('a2')
    expect(reports.map((report) => report.amendmentId)).toContain(`x${MAX_WATCHED_DECISIONS - 1}`)
  })

  it('says nothing of changes the server makes, nor of a decision taken back', () => {
    const { reports, typing, change, from, document } = setup()
    const before = Y.encodeStateAsUpdate(document.doc)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, before)
    copy.clientID = 424242
    let update: Uint8Array | null = null
    copy.on('update', (u: Uint8Array) => (update = u))
    copy.transact(() => replaceBlock(copy, 'b1', [{ text: BEFORE.replace('vite', 'rapidement') }]))
    change(update!, { kind: 'amendment', amendmentId: 'a1', person: chair, stored: true })
    change(typing(before, BEFORE.indexOf('vite') + 4, 's', 7), from('amina'))
    expect(reports).toEqual([])
  })

  it('reports a deletion of what the decision deleted by a client without it, live or in its sync answer, and not by one that had it', () => {
    const { reports, accept, deleting, document } = setup()
    const unseen = accept('a1')
    const seen = Y.encodeStateAsUpdate(document.doc)
    const now = BEFORE.replace('vite', 'rapidement')
    deleting(seen, now.indexOf('agir'), 'agir rapidement '.length, 7, 'mateo', true)
    deleting(seen, now.indexOf('agir'), 'agir '.length, 8, 'mateo')
    deleting(unseen, BEFORE.indexOf('agir'), 'agir '.length, 9, 'mateo', true)
    expect(reports).toEqual([])
    deleting(unseen, BEFORE.indexOf('agir'), 'agir vite '.length, 10, 'amina')
    deleting(unseen, BEFORE.indexOf('vite'), 'vite pour'.length, 11, 'lea', true)
    expect(reports.map((report) => report.personId)).toEqual(['amina', 'lea'])
  })

  it('watches an acceptance another instance made, carried with its change, as one made here', () => {
    const { reports, accept, typing, change, from, deleting } = setup()
    const unseen = accept('a1', undefined, true)
    change(typing(unseen, BEFORE.indexOf('vite') + 4, 's', 7), from('amina'))
    deleting(unseen, BEFORE.indexOf('agir'), 'agir vite '.length, 8, 'lea')
    expect(reports.map((report) => report.personId)).toEqual(['amina', 'lea'])
  })

  describe('decisions that delete paragraphs', () => {
    /** Three paragraphs, and acceptances deleting some of them, each stored as the log keeps it; `reload` reads them back. */
    function deletions() {
      const document = new LiveDocument('r1', 'consolidation')
      const paragraph = (id: string, words: string) => {
        const element = new Y.XmlElement('paragraph')
        element.setAttribute(BLOCK_ID, id)
        const text = new Y.XmlText()
        element.insert(0, [text])
        text.insert(0, words)
        return element
      }
      bodyOf(document.doc).insert(0, [paragraph('b1', 'Premier.'), paragraph('b2', 'Second et dernier.'), paragraph('b3', 'Troisième.')])
      const reports: LateTyping[] = []
      const decisions: StoredDecision[] = []
      const extension = lateTyping({ report: async (typing) => void reports.push(typing), stored: async () => decisions, logger: { error: () => {} } })
      const change = (update: Uint8Array, origin: UpdateOrigin) => {
        Y.applyUpdate(document.doc, update, origin)
        extension.onChange!({ document, update, origin, seq: 0, structural: true })
      }
      const decide = (amendmentId: string, edit: (doc: Y.Doc) => void) => {
        const copy = new Y.Doc()
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(document.doc))
        copy.clientID = 2_000_000 + decisions.length
        let update: Uint8Array | null = null
        copy.on('update', (u: Uint8Array) => (update = u))
        copy.transact(() => edit(copy))
        decisions.push({ amendmentId, trace: traceOf(update!)! })
        change(update!, { kind: 'amendment', amendmentId, person: chair, stored: true, accepted: true })
      }
      /** What an editor holding the text as it stands now sends for `edit`. */
      const edited = (edit: (doc: Y.Doc) => void, client: number) => {
        const doc = new Y.Doc()
        doc.clientID = client
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(document.doc))
        let update: Uint8Array | null = null
        doc.on('update', (u: Uint8Array) => (update = u))
        edit(doc)
        return update!
      }
      const reload = async () => {
        await extension.onUnloadDocument!({ document })
        await extension.onLoadDocument!({ document })
      }
      return { document, reports, decide, edited, change, reload, paragraph }
    }
    const claire = { kind: 'connection', connectionId: 'c-claire', person: person('claire') } as const

    it('says nothing of a paragraph added next to one a decision deleted by an editor that had the decision', async () => {
      const { reports, decide, edited, change, reload, paragraph } = deletions()
      decide('a1', (doc) => deleteBlock(doc, 'b2'))
      // Enter at the end of "Premier.": the editor adds a paragraph whose right neighbour is the deleted one.
      change(edited((doc) => bodyOf(doc).insert(1, [paragraph('b9', '')]), 7), claire)
      await reload()
      change(edited((doc) => bodyOf(doc).insert(1, [paragraph('b8', '')]), 8), claire)
      expect(reports).toEqual([])
    })

    it('watches each decision that only deleted, live and once the text is loaded again, however many', async () => {
      const { reports, decide, change, reload, document } = deletions()
      const unseen = Y.encodeStateAsUpdate(document.doc)
      decide('a1', (doc) => replaceBlock(doc, 'b2', [{ text: 'Second.' }]))
      decide('a2', (doc) => deleteBlock(doc, 'b3'))
      /** Typing in " et dernier", which a1 took out, by an editor that had neither decision. */
      const typedBlind = (client: number, id: string) => {
        const blind = new Y.Doc()
        blind.clientID = client
        Y.applyUpdate(blind, unseen)
        const from = Y.encodeStateVector(blind)
        ;((bodyOf(blind).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert('Second et'.length, ' vraiment')
        change(Y.encodeStateAsUpdate(blind, from), { kind: 'connection', connectionId: `c-${id}`, person: person(id) })
      }
      typedBlind(9, 'claire')
      await reload()
      typedBlind(10, 'mateo')
      expect(reports).toEqual([
        { resolutionId: 'r1', amendmentId: 'a1', personId: 'claire' },
        { resolutionId: 'r1', amendmentId: 'a1', personId: 'mateo' },
      ])
    })
  })
})
