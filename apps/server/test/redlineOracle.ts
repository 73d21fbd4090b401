/**
 * The redline as it was computed before character ids became runs (one
 * "client:clock" string per character, kept in Sets), copied unchanged from
 * apps/server/src/documents/redline.ts and packages/documents/src/redline.ts
 * at 4ac8b6e: the reference redlineIds.test.ts holds the runs to, output for
 * output. Test-only; nothing in the server uses it. Since then, words whose
 * formatting changed and blocks whose structure changed are shown as
 * changes; that reading (`equalStretch`, `structure`), which no character
 * id enters, is the package's own.
 */
import type { Run } from '@hemicycle/amendments'
import { diffSpans, equalStretch, type KeptWord, type ModelBlock, modelBlocks, type RedlineBlock, type RedlineRun, sameListKind, sliceRuns, structure } from '@hemicycle/documents'
import { BLOCK_ID, bodyOf, readBody } from '@hemicycle/schema'
import * as Y from 'yjs'
import { authorKey, type LogRow } from '../src/documents/redline.ts'

interface VersionText {
  blocks: readonly ModelBlock[]
  /** Per block id, one opaque id per character of the block's text (Yjs "client:clock"); absent when unknown. */
  charIds?: ReadonlyMap<string, readonly string[]>
}

interface Attribution {
  /** Who inserted this character: an author key, or null if unknown. */
  insertedBy(charId: string): string | null
  /** Who deleted this character: an author key, or null if unknown. */
  deletedBy(charId: string): string | null
  /** Everyone whose updates touched the block between the two versions (the fallback). */
  touchedBy(blockId: string): readonly string[]
  touchedAt?(blockId: string): string | null
  /** When this character was inserted or deleted (ISO 8601): the moment the change was made or decided; null if unknown. */
  changedAt?(charId: string, change: 'insert' | 'delete'): string | null
}

interface Side {
  runs: readonly Run[]
  ids: readonly string[] | undefined
  /** Every character id visible on the other side: a character found there did not really change. */
  other: ReadonlySet<string>
}

const NOBODY: Attribution = { insertedBy: () => null, deletedBy: () => null, touchedBy: () => [] }

/**
 * Attributes the characters [from, to) of a changed stretch and cuts it
 * where formatting or author changes. Characters the word diff swept in
 * without their id changing take the author of their neighbours.
 */
function attribute(
  side: Side,
  [from, to]: [number, number],
  change: 'insert' | 'delete',
  lookup: (charId: string) => string | null,
  fallback: readonly string[],
  when: Attribution['changedAt'],
): RedlineRun[] {
  const authors: Array<string | null> = []
  const dates: Array<string | null> = []
  for (let index = from; index < to; index++) {
    const id = side.ids?.[index]
    const changed = id !== undefined && !side.other.has(id)
    authors.push(changed ? lookup(id) : null)
    dates.push(changed ? (when?.(id, change) ?? null) : null)
  }
  const known = authors.find((author) => author !== null) ?? null
  let previous = known
  const filled = authors.map((author) => (previous = author ?? previous))
  const out: RedlineRun[] = []
  let offset = 0
  for (const run of sliceRuns(side.runs, from, to)) {
    for (const char of run.text) {
      const author = filled[offset] ?? null
      const at = dates[offset] ?? null
      const keys = author === null ? [...fallback] : [author]
      const last = out[out.length - 1]
      if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic && last.authors.join('\n') === keys.join('\n')) {
        last.text += char
        if (at !== null && (last.at === null || at > last.at)) last.at = at
      } else out.push({ text: char, ...(run.bold ? { bold: true } : {}), ...(run.italic ? { italic: true } : {}), change, authors: keys, exact: author !== null, at })
      offset += char.length
    }
  }
  return out
}

function blockShape({ runs: _runs, lines: _lines, lineLabels: _lineLabels, ...shape }: ModelBlock) {
  return shape
}

function computeRedline(from: VersionText, to: VersionText, attribution: Attribution = NOBODY): RedlineBlock[] {
  const visible = (text: VersionText) => new Set([...(text.charIds?.values() ?? [])].flat())
  const fromIds = visible(from)
  const toIds = visible(to)
  const fromById = new Map(from.blocks.flatMap((block) => (block.id ? [[block.id, block] as const] : [])))
  const toKeys = new Set(to.blocks.flatMap((block) => (block.id ? [block.id] : [])))

  // A deleted block is shown after the nearest block before it that survives.
  const deletedAfter = new Map<string | null, ModelBlock[]>()
  let anchor: string | null = null
  for (const block of from.blocks) {
    if (block.id && toKeys.has(block.id)) anchor = block.id
    else {
      const gone = deletedAfter.get(anchor)
      if (gone) gone.push(block)
      else deletedAfter.set(anchor, [block])
    }
  }

  const deleted = (block: ModelBlock): RedlineBlock => {
    const side: Side = { runs: block.runs, ids: block.id ? from.charIds?.get(block.id) : undefined, other: toIds }
    const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
    const fallback = block.id ? attribution.touchedBy(block.id) : []
    return { ...blockShape(block), number: null, numberBefore: block.number, markerBefore: block.marker, status: 'deleted', runs: attribute(side, [0, length], 'delete', attribution.deletedBy, fallback, attribution.changedAt) }
  }

  const out: RedlineBlock[] = (deletedAfter.get(null) ?? []).map(deleted)
  for (const block of to.blocks) {
    const before = block.id ? fromById.get(block.id) : undefined
    const after: Side = { runs: block.runs, ids: block.id ? to.charIds?.get(block.id) : undefined, other: fromIds }
    const fallback = block.id ? attribution.touchedBy(block.id) : []
    const restructured = before !== undefined && (structure(before) !== structure(block) || !sameListKind(before, block))
    if (restructured) out.push(deleted(before))
    if (!before || restructured) {
      const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
      out.push({ ...blockShape(block), numberBefore: null, markerBefore: null, status: 'inserted', runs: attribute(after, [0, length], 'insert', attribution.insertedBy, fallback, attribution.changedAt) })
    } else {
      const beforeSide: Side = { runs: before.runs, ids: from.charIds?.get(block.id!), other: toIds }
      const spans = diffSpans(before.runs, block.runs, keptWordsByIds(before.runs, beforeSide.ids, block.runs, after.ids))
      const runs = spans.flatMap((span) =>
        span.change === 'equal'
          ? equalStretch(before.runs, span.before, block.runs, span.after, fallback, attribution.touchedAt?.(block.id!) ?? null)
          : span.change === 'delete'
            ? attribute(beforeSide, span.before, 'delete', attribution.deletedBy, fallback, attribution.changedAt)
            : attribute(after, span.after, 'insert', attribution.insertedBy, fallback, attribution.changedAt),
      )
      out.push({ ...blockShape(block), numberBefore: before.number, markerBefore: before.marker, status: runs.every((run) => run.change === 'equal') ? 'equal' : 'changed', runs })
    }
    if (block.id) out.push(...(deletedAfter.get(block.id) ?? []).map(deleted))
  }
  return out
}

/**
 * Added since 4ac8b6e, with the redline's kept words: the words (and other visible characters) shown on both sides
 * with the same characters (one id each, compared one by one here), in order, each matched with the first such word
 * after the previous match.
 */
function keptWordsByIds(beforeRuns: readonly Run[], beforeIds: readonly string[] | undefined, afterRuns: readonly Run[], afterIds: readonly string[] | undefined): KeptWord[] {
  const [before, after] = [beforeRuns.map((run) => run.text).join(''), afterRuns.map((run) => run.text).join('')]
  if (before === after || beforeIds?.length !== before.length || afterIds?.length !== after.length) return []
  const words = (text: string, ids: readonly string[]) => {
    // Runs of letters, digits and marks, and every other visible character alone, read a character at a time.
    const out: Array<{ from: number; to: number; ids: readonly string[] }> = []
    const wordy = (char: string) => /[\p{L}\p{N}\p{M}]/u.test(char)
    const chars = [...text]
    let at = 0
    for (let index = 0; index < chars.length; index++) {
      const char = chars[index]!
      const from = at
      at += char.length
      if (/\s/u.test(char)) continue
      if (wordy(char)) {
        while (index + 1 < chars.length && wordy(chars[index + 1]!)) at += chars[++index]!.length
      }
      out.push({ from, to: at, ids: ids.slice(from, at) })
    }
    return out
  }
  const later = words(after, afterIds)
  const kept: KeptWord[] = []
  let next = 0
  for (const word of words(before, beforeIds)) {
    const found = later.findIndex((other, index) => index >= next && other.ids.length === word.ids.length && other.ids.every((id, at) => id === word.ids[at]))
    if (found < 0) continue
    kept.push({ before: [word.from, word.to], after: [later[found]!.from, later[found]!.to] })
    next = found + 1
  }
  return kept
}

type Range = [client: number, from: number, to: number]


/** Ranges of Yjs ids per client, each pointing at the log row that owns it. */
class RangeIndex {
  private readonly byClient = new Map<number, Array<{ from: number; to: number; row: number }>>()

  add(client: number, from: number, to: number, row: number): void {
    const list = this.byClient.get(client)
    if (list) list.push({ from, to, row })
    else this.byClient.set(client, [{ from, to, row }])
  }

  /** The rows owning any id in [from, to) of `client`. */
  overlapping(client: number, from: number, to: number): number[] {
    return (this.byClient.get(client) ?? []).filter((range) => range.from < to && from < range.to).map((range) => range.row)
  }

  at(client: number, clock: number): number | null {
    const list = this.byClient.get(client) ?? []
    // The latest row wins: a re-sent update never moves an id to someone else, but the newest record is the likeliest exact one.
    for (let index = list.length - 1; index >= 0; index--) {
      const range = list[index]!
      if (range.from <= clock && clock < range.to) return range.row
    }
    return null
  }
}


/** Every textblock of a version: its visible characters' ids, and all the id ranges it is made of (deleted ones too). */
function blockIds(doc: Y.Doc): { chars: Map<string, string[]>; ranges: Map<string, Range[]> } {
  const chars = new Map<string, string[]>()
  const ranges = new Map<string, Range[]>()
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
    if (!(node instanceof Y.XmlElement)) return
    const id = node.getAttribute(BLOCK_ID)
    const children = node.toArray()
    // Only textblocks carry an id; lists, items and quotes are walked through.
    if (typeof id !== 'string') {
      children.forEach(visit)
      return
    }
    const visible: string[] = []
    const own: Range[] = []
    if (node._item) own.push([node._item.id.client, node._item.id.clock, node._item.id.clock + 1])
    for (const child of children) {
      if (!(child instanceof Y.XmlText)) continue
      if (child._item) own.push([child._item.id.client, child._item.id.clock, child._item.id.clock + 1])
      for (let item = child._start; item !== null; item = item.right) {
        own.push([item.id.client, item.id.clock, item.id.clock + item.length])
        if (item.deleted || !item.countable || !(item.content instanceof Y.ContentString)) continue
        for (let offset = 0; offset < item.length; offset++) visible.push(`${item.id.client}:${item.id.clock + offset}`)
      }
    }
    chars.set(id, visible)
    ranges.set(id, own)
  }
  bodyOf(doc).toArray().forEach(visit)
  return { chars, ranges }
}

const parseCharId = (charId: string): [number, number] => {
  const [client, clock] = charId.split(':')
  return [Number(client), Number(clock)]
}

/**
 * What the redline is computed from, read from the two sides' Yjs states and
 * the document's update log (oldest first), `between` the two sides'
 * moments: all of the redline that needs no database, so it can be checked
 * and measured alone.
 */
function redlineInputs(
  fromDoc: Y.Doc,
  toDoc: Y.Doc,
  rows: readonly LogRow[],
  [earlier, later]: readonly [Date, Date],
): { from: VersionText; to: VersionText; attribution: Attribution } {
  const fromBlocks = modelBlocks(readBody(fromDoc))
  const toBlocks = modelBlocks(readBody(toDoc))
  const fromIds = blockIds(fromDoc)
  const toIds = blockIds(toDoc)
  // A block whose characters do not line up with its text is left to the fallback rather than misattributed.
  const aligned = (blocks: typeof fromBlocks, chars: Map<string, string[]>) =>
    new Map(
      blocks.flatMap((block) => {
        const ids = block.id ? chars.get(block.id) : undefined
        const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
        return block.id && ids && ids.length === length ? [[block.id, ids] as const] : []
      }),
    )

  const inserted = new RangeIndex()
  const deleted = new RangeIndex()
  rows.forEach((row, index) => {
    for (const [client, start, end] of row.inserts) inserted.add(client, start, end, index)
    for (const [client, clock, length] of row.deletes) deleted.add(client, clock, clock + length, index)
  })
  // The names of authors are the server's (`authorKey`); what the oracle checks is which rows it finds.
  const keyOf = (row: LogRow) => authorKey(row)

  const between = (row: LogRow) => row.created_at >= earlier && row.created_at <= later
  const touched = new Map<string, { keys: string[]; at: string | null }>()
  const touchOf = (blockId: string): { keys: string[]; at: string | null } => {
    const cached = touched.get(blockId)
    if (cached) return cached
    const ranges = [...(fromIds.ranges.get(blockId) ?? []), ...(toIds.ranges.get(blockId) ?? [])]
    const found = new Set<number>()
    for (const [client, start, end] of ranges) {
      for (const row of [...inserted.overlapping(client, start, end), ...deleted.overlapping(client, start, end)]) if (between(rows[row]!)) found.add(row)
    }
    const sorted = [...found].sort((a, b) => a - b)
    const latest = sorted.reduce<Date | null>((at, row) => (at === null || rows[row]!.created_at > at ? rows[row]!.created_at : at), null)
    const touch = { keys: [...new Set(sorted.map((row) => keyOf(rows[row]!)))], at: latest?.toISOString() ?? null }
    touched.set(blockId, touch)
    return touch
  }
  const touchedBy = (blockId: string): string[] => touchOf(blockId).keys
  const attribution: Attribution = {
    insertedBy: (charId) => {
      const row = inserted.at(...parseCharId(charId))
      return row === null ? null : keyOf(rows[row]!)
    },
    deletedBy: (charId) => {
      const row = deleted.at(...parseCharId(charId))
      return row === null ? null : keyOf(rows[row]!)
    },
    touchedBy,
    touchedAt: (blockId) => touchOf(blockId).at,
    changedAt: (charId, change) => {
      const row = (change === 'insert' ? inserted : deleted).at(...parseCharId(charId))
      return row === null ? null : rows[row]!.created_at.toISOString()
    },
  }
  return { from: { blocks: fromBlocks, charIds: aligned(fromBlocks, fromIds.chars) }, to: { blocks: toBlocks, charIds: aligned(toBlocks, toIds.chars) }, attribution }
}

export function oldRedlineBlocks(...args: Parameters<typeof redlineInputs>): RedlineBlock[] {
  const { from, to, attribution } = redlineInputs(...args)
  return computeRedline(from, to, attribution)
}

