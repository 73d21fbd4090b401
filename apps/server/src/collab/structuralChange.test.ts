import { BODY, giveTextblocksText, repairYBlockIds, TEXTBLOCK_NAMES } from '@hemicycle/schema'
import fc from 'fast-check'
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

/** What a client may do to its copy of the body: indices are taken modulo what there is to choose from. */
type Edit =
  | { kind: 'type'; text: number; at: number; words: string }
  | { kind: 'erase'; text: number; at: number; length: number }
  | { kind: 'format'; text: number; at: number; length: number; bold: boolean }
  | { kind: 'insertBlock'; container: number; at: number; id: 'none' | 'copied' | 'fresh'; withText: boolean; inQuote: boolean }
  | { kind: 'deleteChild'; container: number; at: number }
  | { kind: 'setId'; block: number; id: 'none' | 'copied' | 'fresh' }
  | { kind: 'dropText'; block: number }
  | { kind: 'addText'; block: number }
  | { kind: 'undo' }
  | { kind: 'redo' }

const index = fc.nat({ max: 20 })
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), text: index, at: index, words: fc.constantFrom('a', 'mot ', 'xyz') }),
  fc.record({ kind: fc.constant('erase' as const), text: index, at: index, length: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('format' as const), text: index, at: index, length: fc.integer({ min: 1, max: 5 }), bold: fc.boolean() }),
  fc.record({ kind: fc.constant('insertBlock' as const), container: index, at: index, id: fc.constantFrom('none' as const, 'copied' as const, 'fresh' as const), withText: fc.boolean(), inQuote: fc.boolean() }),
  fc.record({ kind: fc.constant('deleteChild' as const), container: index, at: index }),
  fc.record({ kind: fc.constant('setId' as const), block: index, id: fc.constantFrom('none' as const, 'copied' as const, 'fresh' as const) }),
  fc.record({ kind: fc.constant('dropText' as const), block: index }),
  fc.record({ kind: fc.constant('addText' as const), block: index }),
  fc.constant({ kind: 'undo' as const }),
  fc.constant({ kind: 'redo' as const }),
)

function walk(body: Y.XmlFragment): { blocks: Y.XmlElement[]; containers: Array<Y.XmlFragment | Y.XmlElement> } {
  const blocks: Y.XmlElement[] = []
  const containers: Array<Y.XmlFragment | Y.XmlElement> = [body]
  const stack: Array<Y.XmlFragment | Y.XmlElement> = [body]
  while (stack.length > 0) {
    for (const child of stack.pop()!.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (TEXTBLOCK_NAMES.has(child.nodeName)) {
        blocks.push(child)
      } else {
        containers.push(child)
        stack.push(child)
      }
    }
  }
  return { blocks, containers }
}

let freshIds = 0
function perform(doc: Y.Doc, undo: Y.UndoManager, change: Edit): void {
  const body = doc.getXmlFragment(BODY)
  const { blocks, containers } = walk(body)
  const texts = blocks.flatMap((block) => block.toArray().filter((child): child is Y.XmlText => child instanceof Y.XmlText))
  const pick = <T>(list: readonly T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length])
  const idFor = (mode: 'none' | 'copied' | 'fresh') => (mode === 'fresh' ? `f-${freshIds++}` : mode === 'copied' ? (pick(blocks, freshIds++)?.getAttribute('id') ?? null) : null)
  switch (change.kind) {
    case 'type': {
      const text = pick(texts, change.text)
      if (text) text.insert(change.at % (text.length + 1), change.words)
      return
    }
    case 'erase':
    case 'format': {
      const text = pick(texts, change.text)
      if (!text || text.length === 0) return
      const at = change.at % text.length
      const length = Math.min(change.length, text.length - at)
      if (change.kind === 'erase') text.delete(at, length)
      else text.format(at, length, { bold: change.bold ? {} : null })
      return
    }
    case 'insertBlock': {
      const container = pick(containers, change.container)!
      const paragraph = new Y.XmlElement('paragraph')
      const id = idFor(change.id)
      if (id !== null) paragraph.setAttribute('id', id)
      if (change.withText) paragraph.insert(0, [new Y.XmlText('Nouveau.')])
      let block: Y.XmlElement = paragraph
      if (change.inQuote) {
        block = new Y.XmlElement('blockquote')
        block.insert(0, [paragraph])
      }
      container.insert(change.at % (container.length + 1), [block])
      return
    }
    case 'deleteChild': {
      const container = pick(containers, change.container)!
      if (container.length > 0) container.delete(change.at % container.length, 1)
      return
    }
    case 'setId': {
      const block = pick(blocks, change.block)
      const id = idFor(change.id)
      if (block && id === null) block.removeAttribute('id')
      else if (block && id !== null) block.setAttribute('id', id)
      return
    }
    case 'dropText': {
      const block = pick(blocks, change.block)
      if (block && block.length > 0) block.delete(0, block.length)
      return
    }
    case 'addText': {
      pick(blocks, change.block)?.insert(0, [new Y.XmlText('Ajout.')])
      return
    }
    case 'undo':
      undo.undo()
      return
    case 'redo':
      undo.redo()
  }
}

describe('a change that is not structural', () => {
  // The server repairs ids and texts only after a structural change: whatever else reaches it must leave nothing to repair.
  it('never leaves a textblock without a unique id or without its text, whatever concurrent clients send, one update or several merged at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(edit, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ client: fc.nat(), merged: fc.integer({ min: 1, max: 3 }) }), { maxLength: 40 }),
        (editsPerClient, deliveries) => {
          const server = new Y.Doc()
          const body = server.getXmlFragment(BODY)
          server.transact(() => {
            for (const words of ['Un.', 'Deux.', 'Trois.']) {
              const paragraph = new Y.XmlElement('paragraph')
              paragraph.setAttribute('id', `p-${words}`)
              paragraph.insert(0, [new Y.XmlText(words)])
              body.insert(body.length, [paragraph])
            }
          })
          const sent = editsPerClient.map((edits) => {
            const doc = new Y.Doc()
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
            const undo = new Y.UndoManager(doc.getXmlFragment(BODY), { captureTimeout: 0 })
            const updates: Uint8Array[] = []
            doc.on('update', (update: Uint8Array) => updates.push(update))
            for (const change of edits) perform(doc, undo, change)
            return updates
          })
          const client = { kind: 'connection' }
          let structural = false
          // One update may make several transactions (Yjs tidies formatting in one of its own): the server hears each.
          server.on('update', (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => (structural ||= changesStructure(transaction)))
          const repair = () => {
            let repaired = 0
            server.transact(() => (repaired = repairYBlockIds(body) + giveTextblocksText(body)))
            return repaired
          }
          const deliver = (updates: Uint8Array[]) => {
            structural = false
            Y.applyUpdate(server, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), client)
            if (structural) repair()
            else expect(repair()).toBe(0)
          }
          for (const { client: which, merged } of deliveries) {
            const queue = sent[which % sent.length]!
            if (queue.length > 0) deliver(queue.splice(0, merged))
          }
          for (const queue of sent) while (queue.length > 0) deliver(queue.splice(0, 1))
        },
      ),
      { numRuns: 500 },
    )
  })
})
