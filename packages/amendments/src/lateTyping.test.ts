import fc from 'fast-check'
import { BLOCK_ID, bodyOf } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { planDelta } from './delta.ts'
import { replaceBlock } from './document.ts'
import { asTaken, deletesDecided, deletesUnseen, traceOf, typedBlind } from './lateTyping.ts'

const BLOCK = 'b1'
const WORDS = ['vite', 'rapidement', 'nous', 'Nous', 'agir', 'très', 'a', 'devons', 'vitesse']

type History = ReadonlyArray<{ at: number; junk: string }>

/** A one-paragraph text; `history` leaves deleted characters (tombstones) where the editor skips them. */
function paragraph(text: string, history: History = []): Y.Doc {
  const doc = new Y.Doc()
  const element = new Y.XmlElement('paragraph')
  element.setAttribute(BLOCK_ID, BLOCK)
  const content = new Y.XmlText()
  element.insert(0, [content])
  bodyOf(doc).insert(0, [element])
  content.insert(0, text)
  for (const { at, junk } of history) {
    const where = Math.min(at, content.length)
    content.insert(where, junk)
    content.delete(where, junk.length)
  }
  return doc
}

const textOf = (doc: Y.Doc) => ((bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText)
const copyOf = (doc: Y.Doc) => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** What an edit made on `doc` sends: the update of its one transaction. */
function edit(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null
  const take = (u: Uint8Array) => (update = u)
  doc.on('update', take)
  doc.transact(change)
  doc.off('update', take)
  return update ?? new Uint8Array([0, 0])
}

/** The decision, made as the server makes it: on a copy, under a client id of its own. */
function decide(server: Y.Doc, target: string): Uint8Array {
  const copy = copyOf(server)
  copy.clientID = 4_000_000_000
  return edit(copy, () => replaceBlock(copy, BLOCK, [{ text: target }]))
}

/** A paragraph reading `before` (with `past` typed and undone in it), the decision making it `after`, and an editor that received it. */
function decidedAndSeen(before: string, after: string, past: History) {
  const server = paragraph(before, past)
  const decision = decide(server, after)
  const seen = copyOf(server)
  Y.applyUpdate(seen, decision)
  return { decision, seen, text: textOf(seen) }
}

const blind = (decision: Uint8Array, typed: Uint8Array) => typedBlind(traceOf(decision)!, Y.decodeUpdate(typed).structs)

const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((words) => words.join(' '))
const typing = fc.constantFrom('s', 'x', ' ', 'de ')
const history = fc.array(fc.record({ at: fc.nat(40), junk: fc.constantFrom('q', 'zz', ' y') }), { maxLength: 3 })

describe('typing in the words of a decision', () => {
  it('"vite" → "rapidement": an "s" typed after "vite" without the decision is blind to it, and anywhere in the paragraph with it is not', () => {
    const before = 'Nous devons agir vite pour la cohésion.'
    const server = paragraph(before)
    const decision = decide(server, before.replace('vite', 'rapidement'))
    const late = copyOf(server)
    const unseen = edit(late, () => textOf(late).insert(before.indexOf('vite') + 4, 's'))
    expect(blind(decision, unseen)).toBe(true)
    Y.applyUpdate(server, decision)
    Y.applyUpdate(server, unseen)
    expect(['Nous devons agir rapidements pour la cohésion.', 'Nous devons agir srapidement pour la cohésion.']).toContain(textOf(server).toString())

    const length = textOf(server).length
    for (let at = 0; at <= length; at++) {
      const after = copyOf(server)
      expect(blind(decision, edit(after, () => textOf(after).insert(at, 's')))).toBe(false)
    }
  })

  it('is never what an editor that had the decision types, wherever it types or formats, whatever the decision and the tombstones', () => {
    fc.assert(
      fc.property(sentence, sentence, history, fc.nat(60), typing, fc.boolean(), (before, after, past, at, typed, format) => {
        fc.pre(before !== after)
        const { decision, seen, text } = decidedAndSeen(before, after, past)
        const where = at % (text.length + 1)
        const update = edit(seen, () => (format ? text.format(where, Math.max(1, text.length - where), { bold: {} }) : text.insert(where, typed)))
        expect(blind(decision, update)).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  it('is exactly what is typed without the decision right before a character it deleted, or in the gap where it wrote', () => {
    fc.assert(
      fc.property(sentence, sentence, fc.nat(60), typing, (before, after, at, typed) => {
        fc.pre(before !== after)
        const server = paragraph(before)
        const decision = decide(server, after)
        // The characters of `before` the decision deletes, and the gaps it writes in, read from its delta.
        const deleted = new Set<number>()
        const writtenAt = new Set<number>()
        let position = 0
        for (const op of planDelta([{ text: before }], [{ text: after }])) {
          if ('retain' in op) position += op.retain
          else if ('delete' in op) for (let end = position + op.delete; position < end; position++) deleted.add(position)
          else writtenAt.add(position)
        }
        const late = copyOf(server)
        const where = at % (before.length + 1)
        const update = edit(late, () => textOf(late).insert(where, typed))
        expect(blind(decision, update)).toBe(deleted.has(where) || writtenAt.has(where))
      }),
      { numRuns: 500 },
    )
  })

  it('in a paragraph the decision filled: is typing in that paragraph without it, and never the first words of another empty one', () => {
    const server = paragraph('')
    const other = new Y.XmlElement('paragraph')
    other.setAttribute(BLOCK_ID, 'b2')
    other.insert(0, [new Y.XmlText()])
    bodyOf(server).insert(1, [other])
    const decision = decide(server, 'Texte adopté.')
    const late = copyOf(server)
    expect(blind(decision, edit(late, () => textOf(late).insert(0, 'Brouillon')))).toBe(true)
    const seen = copyOf(server)
    Y.applyUpdate(seen, decision)
    const second = () => (bodyOf(seen).get(1) as Y.XmlElement).get(0) as Y.XmlText
    expect(blind(decision, edit(seen, () => second().insert(0, 'Autre')))).toBe(false)
    const fresh = copyOf(server)
    expect(blind(decision, edit(fresh, () => ((bodyOf(fresh).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Autre')))).toBe(false)
    const created = () => {
      const element = new Y.XmlElement('paragraph')
      element.setAttribute(BLOCK_ID, 'b3')
      const text = new Y.XmlText()
      element.insert(0, [text])
      bodyOf(seen).insert(2, [element])
      text.insert(0, 'Nouveau')
    }
    expect(blind(decision, edit(seen, created))).toBe(false)
  })

  it('is not a deletion: deleting what the decision deleted, or next to it, adds nothing to the text', () => {
    const before = 'Nous devons agir vite pour la cohésion.'
    const server = paragraph(before)
    const decision = decide(server, before.replace('vite', 'rapidement'))
    const late = copyOf(server)
    expect(blind(decision, edit(late, () => textOf(late).delete(before.indexOf('agir'), 'agir vite'.length)))).toBe(false)
  })
})

describe('deleting in the words of a decision', () => {
  const before = 'Nous devons agir vite pour la cohésion.'
  const deletes = (decision: Uint8Array, update: Uint8Array) => deletesDecided(traceOf(decision)!, Y.decodeUpdate(update).ds)

  it('"vite" → "rapidement": "agir vite " deleted without the decision deletes what it deleted; next to it, or with it, does not', () => {
    const server = paragraph(before)
    const decision = decide(server, before.replace('vite', 'rapidement'))
    const late = copyOf(server)
    expect(deletes(decision, edit(late, () => textOf(late).delete(before.indexOf('agir'), 'agir vite '.length)))).toBe(true)
    const elsewhere = copyOf(server)
    expect(deletes(decision, edit(elsewhere, () => textOf(elsewhere).delete(before.indexOf('agir'), 'agir '.length)))).toBe(false)
    const seen = copyOf(server)
    Y.applyUpdate(seen, decision)
    expect(deletes(decision, edit(seen, () => textOf(seen).delete(before.indexOf('agir'), 'agir rapidement '.length)))).toBe(false)
  })

  it('a paragraph deleted whole (joined into another, or moved) without the decision deletes what it deleted; with it, never', () => {
    const server = paragraph(before)
    const decision = decide(server, before.replace('vite', 'rapidement'))
    const late = copyOf(server)
    expect(deletes(decision, edit(late, () => bodyOf(late).delete(0, 1)))).toBe(true)
    const seen = copyOf(server)
    Y.applyUpdate(seen, decision)
    expect(deletes(decision, edit(seen, () => bodyOf(seen).delete(0, 1)))).toBe(false)
  })

  it('is never what an editor that had the decision deletes, whatever the decision and the tombstones', () => {
    fc.assert(
      fc.property(sentence, sentence, history, fc.nat(60), fc.nat(60), (from, to, past, at, length) => {
        fc.pre(from !== to)
        const { decision, seen, text } = decidedAndSeen(from, to, past)
        const where = at % (text.length + 1)
        const update = edit(seen, () => text.delete(where, Math.min(text.length - where, length)))
        expect(deletes(decision, update)).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('a paragraph deleted whole without a decision that only added words takes them unnamed; with it, it names them', () => {
    const server = paragraph(before)
    const decision = decide(server, before.replace('vite', 'vite et bien'))
    const trace = traceOf(decision)!
    expect(trace.deleted.size).toBe(0)
    const unseen = copyOf(server)
    Y.applyUpdate(server, decision)
    const blindly = edit(unseen, () => bodyOf(unseen).delete(0, 1))
    const seen = copyOf(server)
    const knowingly = edit(seen, () => bodyOf(seen).delete(0, 1))
    for (const [sent, blind] of [[blindly, true], [knowingly, false]] as const) {
      const taking = copyOf(server)
      const applied = edit(taking, () => Y.applyUpdate(taking, sent))
      expect(deletesUnseen(trace, Y.decodeUpdate(sent).ds, Y.decodeUpdate(applied).ds)).toBe(blind)
    }
  })
})

describe('a trace as the text takes its change', () => {
  const ranges = fc.array(fc.record({ clock: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 1, max: 8 }) }), { maxLength: 6 })
  const clocks = (list: ReadonlyArray<{ clock: number; len: number }>) => new Set(list.flatMap(({ clock, len }) => Array.from({ length: len }, (_, at) => clock + at)))
  /** Sorted, disjoint ranges covering `set`, as a delete set holds them. */
  const covering = (set: ReadonlySet<number>) =>
    [...set].sort((a, b) => a - b).reduce<Array<{ clock: number; len: number }>>((out, clock) => {
      const last = out[out.length - 1]
      if (last && last.clock + last.len === clock) last.len++
      else out.push({ clock, len: 1 })
      return out
    }, [])

  it('leaves out exactly what the text had deleted already, client by client', () => {
    fc.assert(
      fc.property(ranges, ranges, fc.boolean(), (decided, already, gaps) => {
        const trace = { client: 9, deleted: new Map([[1, covering(clocks(decided))]].filter(([, list]) => (list as unknown[]).length > 0) as Array<[number, Array<{ clock: number; len: number }>]>), gaps: new Set(gaps ? ['1:0|1:1'] : []), clients: new Set([1]) }
        const taken = asTaken(trace, { clients: new Map([[1, already], [2, [{ clock: 0, len: 100 }]]]) })
        const expected = new Set([...clocks(decided)].filter((clock) => !clocks(already).has(clock)))
        if (expected.size === 0 && !gaps) {
          expect(taken).toBeNull()
          return
        }
        expect(clocks(taken!.deleted.get(1) ?? [])).toEqual(expected)
        expect(taken!.gaps).toEqual(trace.gaps)
      }),
      { numRuns: 2_000 },
    )
  })
})
