import type { RedlineBlock } from '@hemicycle/documents'
import { BLOCK_ID, bodyOf, schema, textblockElements, writeBody } from '@hemicycle/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deletedRanges, insertedRanges } from '../src/collab/storage.ts'
import { type LogRow, redlineBlocks } from '../src/documents/redline.ts'
import { oldRedlineBlocks } from './redlineOracle.ts'

/**
 * The redline reads each block's character ids as runs of consecutive Yjs
 * ids, where it used to spell out one "client:clock" string per character.
 * Users are held to every word of a redline, so the runs must give the very
 * same redline, run for run and author for author: random edit histories are
 * played on a Yjs document, logged as the server logs them, and both ways are
 * compared on two of its versions.
 */

type Origin = { origin: 'connection'; who: 'claire' | 'julien' } | { origin: 'amendment'; who: 'A1' | 'A2' } | { origin: 'server' }

type Edit =
  | { kind: 'type'; block: number; at: number; text: string; bold: boolean }
  | { kind: 'delete'; block: number; at: number; length: number }
  | { kind: 'format'; block: number; at: number; length: number; bold: boolean }
  /** The same words typed again over themselves: new ids, same text. */
  | { kind: 'retype'; block: number }
  | { kind: 'paragraph'; block: number; text: string; sameIdAs: number | null }
  | { kind: 'drop'; block: number }
  | { kind: 'version' }

interface Step {
  edit: Edit
  client: number
  by: Origin
  /** Whether the log describes the update: old logs, and imports, may not. */
  logged: boolean
}

const text = fc.array(fc.constantFrom('a', 'b', ' ', 'é', '😀', '.', 'mot '), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))
const position = fc.nat({ max: 40 })
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type' as const), block: fc.nat(), at: position, text, bold: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), block: fc.nat(), at: position, length: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('format' as const), block: fc.nat(), at: position, length: fc.integer({ min: 1, max: 12 }), bold: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retype' as const), block: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('paragraph' as const), block: fc.nat(), text, sameIdAs: fc.option(fc.nat(), { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), block: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'version' as const }) },
)
const origin: fc.Arbitrary<Origin> = fc.oneof(
  fc.record({ origin: fc.constant('connection' as const), who: fc.constantFrom('claire' as const, 'julien' as const) }),
  fc.record({ origin: fc.constant('amendment' as const), who: fc.constantFrom('A1' as const, 'A2' as const) }),
  fc.constant({ origin: 'server' as const }),
)
const step: fc.Arbitrary<Step> = fc.record({ edit, client: fc.integer({ min: 2, max: 5 }), by: origin, logged: fc.integer({ min: 0, max: 9 }).map((draw) => draw > 0) })
const initial = fc.array(text, { minLength: 1, maxLength: 5 })

/** Plays a history: version 1 is the imported text; every `version` step saves another. */
function play(paragraphs: readonly string[], steps: readonly Step[]) {
  const doc = new Y.Doc()
  doc.clientID = 1
  const rows: LogRow[] = []
  let at = Date.parse('2026-11-01T10:00:00Z')
  const log = (update: Uint8Array, by: Origin) =>
    rows.push({
      id: rows.length + 1,
      origin: by.origin,
      amendment_id: by.origin === 'amendment' ? by.who : null,
      person_id: by.origin === 'connection' ? by.who : null, delegation_id: null, decision: null,
      inserts: insertedRanges(update),
      deletes: deletedRanges(update),
      created_at: new Date((at += 1_000)),
    })
  let ids = 0
  const paragraph = (content: string, id = `p${ids++}`) => schema.node('paragraph', { [BLOCK_ID]: id }, content ? schema.text(content) : undefined)
  const [first, ...rest] = paragraphs
  writeBody(
    doc,
    schema.node('doc', null, [
      schema.node('heading', { level: 1, [BLOCK_ID]: 'h' }, schema.text('Titre')),
      ...rest.map((content) => paragraph(content)),
      schema.node('bulletList', null, [schema.node('listItem', null, [paragraph(first!)])]),
    ]),
  )
  log(Y.encodeStateAsUpdate(doc), { origin: 'server' })
  const save = () => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    return { doc: copy, at: new Date(at) }
  }
  const versions = [save()]

  for (const { edit, client, by, logged } of steps) {
    if (edit.kind === 'version') {
      at += 1_000
      versions.push(save())
      continue
    }
    const blocks = textblockElements(bodyOf(doc))
    if (blocks.length === 0) continue
    const { element, parent } = blocks[edit.block % blocks.length]!
    const content = element.get(0) as Y.XmlText | undefined
    const length = content?.length ?? 0
    doc.clientID = client
    const before = Y.encodeStateVector(doc)
    doc.transact(() => {
      if (edit.kind === 'type') content?.insert(edit.at % (length + 1), edit.text, edit.bold ? { bold: {} } : {})
      else if (edit.kind === 'delete' && length > 0) content?.delete(edit.at % length, Math.min(edit.length, length - (edit.at % length)))
      else if (edit.kind === 'format' && length > 0) content?.format(edit.at % length, Math.min(edit.length, length - (edit.at % length)), { bold: edit.bold ? {} : null })
      else if (edit.kind === 'retype' && content && length > 0) {
        const delta = content.toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>
        content.delete(0, length)
        let offset = 0
        for (const { insert, attributes } of delta) {
          content.insert(offset, insert, attributes ?? {})
          offset += insert.length
        }
      } else if (edit.kind === 'paragraph') {
        const sameId = edit.sameIdAs === null ? null : blocks[edit.sameIdAs % blocks.length]!.element.getAttribute(BLOCK_ID)
        const added = new Y.XmlElement('paragraph')
        added.setAttribute(BLOCK_ID, typeof sameId === 'string' ? sameId : `p${ids++}`)
        added.insert(0, [new Y.XmlText(edit.text)])
        parent.insertAfter(element, [added])
      } else if (edit.kind === 'drop') parent.delete(parent.toArray().indexOf(element), 1)
    })
    const update = Y.encodeStateAsUpdate(doc, before)
    if (logged) log(update, by)
    else at += 1_000
  }
  versions.push(save())
  return { rows, versions }
}

describe('the redline from runs of character ids', () => {
  it('is the redline the per-character ids gave, on random edit histories between any two versions', () => {
    let exact = 0
    let fallback = 0
    fc.assert(
      fc.property(initial, fc.array(step, { maxLength: 30 }), fc.nat(), fc.nat(), (paragraphs, steps, a, b) => {
        const { rows, versions } = play(paragraphs, steps)
        const from = versions[a % versions.length]!
        const to = versions[b % versions.length]!
        const between = from.at <= to.at ? ([from.at, to.at] as const) : ([to.at, from.at] as const)
        const expected: RedlineBlock[] = oldRedlineBlocks(from.doc, to.doc, rows, between)
        const actual = redlineBlocks(from.doc, to.doc, rows, between)
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
        expect(actual).toStrictEqual(expected)
        for (const run of actual.flatMap((block) => block.runs)) {
          if (run.change !== 'equal' && run.exact && run.authors.length > 0) exact++
          if (run.change !== 'equal' && !run.exact) fallback++
        }
        versions.forEach((version) => version.doc.destroy())
      }),
      { numRuns: 400 },
    )
    // The histories reached both ways of attributing a change, not only unchanged text.
    expect(exact).toBeGreaterThan(100)
    expect(fallback).toBeGreaterThan(10)
  })
})
