import { splitBlock } from '@tiptap/pm/commands'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { blockIdPlugin, withBlockIds } from './blockId.ts'
import { schema } from './extensions.ts'
import { type MovedRun, movedWords } from './movedWords.ts'
import { bodyOf, writeBody } from './ydoc.ts'

/**
 * Moves are read from the very transaction the editor's binding writes
 * (y-tiptap's `updateYFragment`, as the live editor calls it), and from
 * transactions a hand-written client could send: a move must never give a
 * character another's authorship unless it is that character, moved.
 */

type Run = { text: string; bold: boolean; italic: boolean }
const run: fc.Arbitrary<Run> = fc.record({
  text: fc.array(fc.constantFrom('a', 'b', ' ', 'é', '😀', '.', 'mot '), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
  bold: fc.boolean(),
  italic: fc.boolean(),
})
const paragraphs = fc.array(fc.array(run, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 4 })

function paragraph(runs: readonly Run[]): PMNode {
  const marks = (r: Run) => [...(r.bold ? [schema.marks['bold']!.create()] : []), ...(r.italic ? [schema.marks['italic']!.create()] : [])]
  return schema.node('paragraph', null, runs.map((r) => schema.text(r.text, marks(r))))
}

/** A Y.Doc holding the paragraphs (in a list when `listed`), and the editor's view of it, as the binding builds it. */
function setUp(blocks: readonly (readonly Run[])[], listed: boolean) {
  // Deleted characters keep their content, for the checks to read what a move gave back.
  const doc = new Y.Doc({ gc: false })
  const content = listed
    ? [schema.node('orderedList', null, blocks.map((runs) => schema.node('listItem', null, [paragraph(runs)])))]
    : blocks.map(paragraph)
  writeBody(doc, withBlockIds(schema.node('doc', null, content)))
  const body = bodyOf(doc)
  const { doc: pmDoc, meta } = initProseMirrorDoc(body, schema)
  return { doc, body, state: EditorState.create({ doc: pmDoc, plugins: [blockIdPlugin()] }), meta }
}

/** What each character id held before a transaction: to check a move against. */
function charsById(doc: Y.Doc): Map<string, { char: string; alive: boolean }> {
  const out = new Map<string, { char: string; alive: boolean }>()
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) continue
      const { str } = struct.content
      for (let offset = 0; offset < str.length; offset++) out.set(`${struct.id.client}:${struct.id.clock + offset}`, { char: str[offset]!, alive: !struct.deleted })
    }
  }
  return out
}

/** Runs `change` as one transaction and returns the moves read from it. */
function movesOf(doc: Y.Doc, change: () => void): MovedRun[] {
  let moves: MovedRun[] = []
  const listener = (transaction: Y.Transaction) => (moves = movedWords(transaction))
  doc.on('afterTransaction', listener)
  doc.transact(change, 'someone')
  doc.off('afterTransaction', listener)
  return moves
}

/** The textblocks' texts, with the character ids of each. */
function textblocks(doc: Y.Doc): Array<{ text: string; ids: string[] }> {
  const out: Array<{ text: string; ids: string[] }> = []
  const visit = (element: Y.XmlElement) => {
    if (element.nodeName !== 'paragraph') return element.toArray().forEach((child) => child instanceof Y.XmlElement && visit(child))
    const ids: string[] = []
    let text = ''
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlText)) continue
      for (let item = child._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue
        text += item.content.str
        for (let offset = 0; offset < item.length; offset++) ids.push(`${item.id.client}:${item.id.clock + offset}`)
      }
    }
    out.push({ text, ids })
  }
  bodyOf(doc).toArray().forEach((child) => child instanceof Y.XmlElement && visit(child))
  return out
}

const expand = (moves: readonly MovedRun[]) =>
  moves.flatMap(({ to, from, length }) => Array.from({ length }, (_, offset): [string, string] => [`${to.client}:${to.clock + offset}`, `${from.client}:${from.clock + offset}`]))

describe('words moved by Enter in the middle of a paragraph', () => {
  it('are every character after the caret, each given back the character it was, whatever the formatting, in a list or not', () => {
    fc.assert(
      fc.property(paragraphs, fc.nat(), fc.nat(), fc.boolean(), (blocks, which, where, listed) => {
        const { doc, body, state, meta } = setUp(blocks, listed)
        const before = textblocks(doc)
        const index = which % before.length
        const length = before[index]!.text.length
        // Between two UTF-16 units of one emoji the editor cannot put a caret.
        const offset = [...Array(length + 1).keys()].filter((at) => !/[\uDC00-\uDFFF]/.test(before[index]!.text[at] ?? ''))[where % (length + 1)] ?? 0
        let start = 0
        let seen = 0
        state.doc.descendants((node, pos) => {
          if (node.isTextblock && seen++ === index) start = pos + 1
          return !node.isTextblock
        })
        let next = state.apply(state.tr.setSelection(TextSelection.create(state.doc, start + offset)))
        splitBlock(next, (tr) => (next = next.apply(tr)))
        const moves = movesOf(doc, () => updateYFragment(doc, body, next.doc, meta))
        const after = textblocks(doc)
        expect(after.map((block) => block.text)).toEqual([...before.slice(0, index).map((block) => block.text), before[index]!.text.slice(0, offset), before[index]!.text.slice(offset), ...before.slice(index + 1).map((block) => block.text)])
        // The half before the caret keeps its own characters; the one after is new, and stands for the old one, character for character.
        expect(after[index]!.ids).toEqual(before[index]!.ids.slice(0, offset))
        const moved = new Map(expand(moves))
        if (offset === 0 || offset === length) return
        expect(after[index + 1]!.ids.map((id) => moved.get(id))).toEqual(before[index]!.ids.slice(offset))
        expect(moved.size).toBe(length - offset)
      }),
      { numRuns: 300 },
    )
  })

  it('are never claimed by a transaction that moved nothing: each move gives a new character the very character, deleted by it, that it stands for', () => {
    // Hand-written transactions: paragraphs added with words copied, changed, or placed elsewhere, deletions anywhere.
    const edit = fc.record({
      from: fc.nat(),
      cut: fc.nat(),
      take: fc.nat(),
      deleteTail: fc.boolean(),
      place: fc.constantFrom('after', 'before', 'end'),
      alter: fc.constantFrom('none', 'char', 'bold', 'extra', 'typeInKept'),
    })
    fc.assert(
      fc.property(paragraphs, fc.array(edit, { minLength: 1, maxLength: 3 }), (blocks, edits) => {
        const { doc, body } = setUp(blocks, false)
        const known = charsById(doc)
        const moves = movesOf(doc, () => {
          for (const { from, cut, take, deleteTail, place, alter } of edits) {
            const elements = body.toArray().filter((child): child is Y.XmlElement => child instanceof Y.XmlElement)
            const index = from % elements.length
            const text = elements[index]!.get(0) as Y.XmlText | undefined
            if (!text) continue
            const length = text.length
            const at = length === 0 ? 0 : cut % (length + 1)
            const delta = (text.toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>).flatMap(({ insert, attributes }) => [...insert].map((char) => ({ insert: char, ...(attributes ? { attributes } : {}) })))
            let words = delta.slice(at, at + (take % (length - at + 1)))
            if (deleteTail) text.delete(at, length - at)
            if (alter === 'char' && words.length > 0) words = [{ ...words[0]!, insert: words[0]!.insert === 'x' ? 'y' : 'x' }, ...words.slice(1)]
            if (alter === 'bold' && words.length > 0) words = [{ ...words[0]!, attributes: { bold: {} } }, ...words.slice(1)]
            if (alter === 'extra') words = [...words, { insert: '!' }]
            if (alter === 'typeInKept') text.insert(0, 'z')
            const element = new Y.XmlElement('paragraph')
            const fresh = new Y.XmlText()
            element.insert(0, [fresh])
            const position = place === 'after' ? index + 1 : place === 'before' ? index : body.length
            body.insert(position, [element])
            fresh.applyDelta(words)
          }
        })
        for (const [to, from] of expand(moves)) {
          const was = known.get(from)
          // The old character was in the text before, the new one was not, and they are the same character.
          expect(was?.alive).toBe(true)
          expect(known.has(to)).toBe(false)
          const now = charsById(doc)
          expect(now.get(from)?.alive).toBe(false)
          expect(now.get(to)).toEqual({ char: was!.char, alive: true })
        }
        // And the text reads as before with paragraph breaks more: what is moved follows what it followed.
        const after = textblocks(doc)
        const moved = new Map(expand(moves))
        for (let index = 0; index < after.length; index++) {
          const ids = after[index]!.ids
          if (ids.length === 0 || !moved.has(ids[0]!)) continue
          expect(ids.every((id) => moved.has(id))).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('are not read from a copy placed anywhere but right after the words it copies, nor from one that changes a letter or its formatting', () => {
    const movesAfter = (cut: [number, number], position: number, words: string, attributes?: Record<string, unknown>) => {
      const { doc, body } = setUp([[{ text: 'Le socialisme est une force.', bold: false, italic: false }], [{ text: 'Dernier.', bold: false, italic: false }]], false)
      return movesOf(doc, () => {
        ;((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(...cut)
        const element = new Y.XmlElement('paragraph')
        const fresh = new Y.XmlText()
        element.insert(0, [fresh])
        body.insert(position, [element])
        fresh.insert(0, words, attributes)
      })
    }
    expect(movesAfter([3, 25], 2, 'socialisme est une force.')).toEqual([])
    expect(movesAfter([3, 25], 1, 'socialisme est une farce.')).toEqual([])
    expect(movesAfter([3, 25], 1, 'socialisme est une force.', { bold: {} })).toEqual([])
    // Only a deletion from the kept words' end: from their middle, what follows would read elsewhere.
    expect(movesAfter([3, 11], 1, 'socialisme ')).toEqual([])
    expect(movesAfter([3, 25], 1, 'socialisme est une force.')).toHaveLength(1)
  })
})

describe('the cost of reading a transaction for moves', () => {
  it('grows with what the transaction wrote and deleted, not with the paragraph before its new one (a long paragraph and a tiny update held the server 400–560 ms)', () => {
    const doc = new Y.Doc()
    writeBody(doc, withBlockIds(schema.node('doc', null, [paragraph([{ text: 'x'.repeat(1_000_000), bold: false, italic: false }]), paragraph([{ text: 'autre', bold: false, italic: false }])])))
    const body = bodyOf(doc)
    const times: number[] = []
    let moves: MovedRun[] = [{ to: { client: 0, clock: 0 }, from: { client: 0, clock: 0 }, length: 1 }]
    const listener = (transaction: Y.Transaction) => {
      const started = performance.now()
      moves = movedWords(transaction)
      times.push(performance.now() - started)
    }
    doc.on('afterTransaction', listener)
    for (let round = 0; round < 20; round++) {
      doc.transact(() => {
        // One character deleted in another paragraph, a short paragraph added right after the long one.
        const other = body.get(body.length - 1) as Y.XmlElement
        ;(other.get(0) as Y.XmlText).delete(0, 1)
        const added = new Y.XmlElement('paragraph')
        added.insert(0, [new Y.XmlText('ab')])
        body.insert(1, [added])
      }, 'someone')
      ;((body.get(body.length - 1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'a')
    }
    doc.off('afterTransaction', listener)
    expect(moves).toEqual([])
    times.sort((a, b) => a - b)
    // Reading the million characters one by one took 400–560 ms per update; its own steps take well under a millisecond.
    expect(times[Math.floor(times.length / 2)]!).toBeLessThan(20)
  })
})
