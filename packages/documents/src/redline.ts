import { plainText, type Run } from '@hemicycle/amendments'
import type { Language } from '@hemicycle/protocol'
import { type Change, diffSpans, type KeptWord, sliceRuns } from './changes.ts'
import { dayIn, formatDate } from './dates.ts'
import type { ModelBlock } from './documentModel.ts'
import { letterhead, stampText } from './letterhead.ts'
import { VOCABULARY, versionLabelText } from './vocabulary.ts'

/**
 * The redline between two versions of a text: blocks matched by their id,
 * words diffed within each, and every change attributed. The contract's
 * rule: a change belongs to the amendment it came from, otherwise to the
 * people whose updates touched its block between the two versions. Here the
 * caller's `Attribution` answers per character (by the Yjs id it had) and per
 * block; this module decides which characters really changed and falls back
 * when the exact answer is missing.
 */

/**
 * The Yjs ids client:clock … client:clock+length-1, given to consecutive
 * characters. Text typed in one go gets consecutive ids, so a block needs a
 * few runs where one id per character meant millions of values for a long
 * resolution, enough to exhaust the server's heap.
 */
export interface IdRun {
  client: number
  clock: number
  length: number
}

export interface VersionText {
  blocks: readonly ModelBlock[]
  /** Per block id, the Yjs ids of the block's characters in text order (UTF-16 units, as `text.length` counts); absent when unknown. */
  charIds?: ReadonlyMap<string, readonly IdRun[]>
}

export interface Attribution {
  /** Who inserted the character with this Yjs id: an author key, or null if unknown. */
  insertedBy(client: number, clock: number): string | null
  /** Who deleted the character with this Yjs id: an author key, or null if unknown. */
  deletedBy(client: number, clock: number): string | null
  /** Everyone whose updates touched the block between the two versions (the fallback). */
  touchedBy(blockId: string): readonly string[]
  /** When the latest of those updates was made (ISO 8601), for a change no character dates (formatting); null if unknown. */
  touchedAt?(blockId: string): string | null
  /** When this character was inserted or deleted (ISO 8601): the moment the change was made or decided; null if unknown. */
  changedAt?(client: number, clock: number, change: 'insert' | 'delete'): string | null
  /** The character this one stands for, when an edit moved it (a paragraph split in its middle); null if it was written. */
  movedFrom?(client: number, clock: number): { client: number; clock: number } | null
  /** The character that stands for this one since an edit moved it; null if it was not moved. */
  movedTo?(client: number, clock: number): { client: number; clock: number } | null
}

/**
 * The character whose insertion (or deletion) a change shows: a character
 * a split moved is its old self, back to the one the other version shows,
 * whose move is then the change, in the mover's name. So words written
 * since the earlier version keep their authors through any number of
 * splits, and words that version had read as moved by whoever split them.
 */
function throughMoves(client: number, clock: number, step: ((client: number, clock: number) => { client: number; clock: number } | null) | undefined, other: VisibleIds): [number, number] {
  let at = { client, clock }
  // Moves lead from newer characters to older ones (or the reverse) only, so this ends; the bound is for a log gone wrong.
  for (let steps = 0; step && steps < 10_000; steps++) {
    const next = step(at.client, at.clock)
    if (next === null || other.has(next.client, next.clock)) break
    at = next
  }
  return [at.client, at.clock]
}

export interface RedlineRun extends Run {
  change: Change
  /** Author keys; one when exact, the block's editors when it fell back, none when nobody is known. */
  authors: string[]
  /** Whether the authors come from the characters themselves rather than the fallback. */
  exact: boolean
  /** When the change was made (the latest of its characters, ISO 8601); null for unchanged text or when unknown. */
  at: string | null
}

export interface RedlineBlock extends Omit<ModelBlock, 'runs' | 'lines' | 'lineLabels'> {
  status: 'equal' | 'changed' | 'inserted' | 'deleted'
  /** The block's § in the earlier version (null if it had none or is new); `number` is its § in the later one. */
  numberBefore: string | null
  /** Its bullet or list number in the earlier version (null if it had none or is new); `marker` is the later one's. */
  markerBefore: string | null
  runs: RedlineRun[]
}

/**
 * Every character id a version shows, per client as sorted [from, to) clock
 * ranges with no two touching: a lookup is a binary search, and the index is
 * as small as the runs it was built from.
 */
class VisibleIds {
  private readonly byClient = new Map<number, number[]>()

  constructor(charIds: ReadonlyMap<string, readonly IdRun[]> | undefined) {
    const ranges = new Map<number, Array<[number, number]>>()
    for (const runs of charIds?.values() ?? []) {
      for (const { client, clock, length } of runs) {
        if (length <= 0) continue
        const list = ranges.get(client)
        if (list) list.push([clock, clock + length])
        else ranges.set(client, [[clock, clock + length]])
      }
    }
    for (const [client, list] of ranges) {
      list.sort((a, b) => a[0] - b[0])
      const bounds: number[] = []
      for (const [from, to] of list) {
        if (bounds.length > 0 && from <= bounds[bounds.length - 1]!) bounds[bounds.length - 1] = Math.max(bounds[bounds.length - 1]!, to)
        else bounds.push(from, to)
      }
      this.byClient.set(client, bounds)
    }
  }

  has(client: number, clock: number): boolean {
    const bounds = this.byClient.get(client)
    if (!bounds) return false
    let low = 0
    let high = bounds.length / 2 - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (bounds[middle * 2]! <= clock) {
        found = middle
        low = middle + 1
      } else high = middle - 1
    }
    return found >= 0 && clock < bounds[found * 2 + 1]!
  }
}

interface Side {
  runs: readonly Run[]
  ids: readonly IdRun[] | undefined
  /** Every character id visible on the other side: a character found there did not really change. */
  other: VisibleIds
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
  lookup: (client: number, clock: number) => string | null,
  fallback: readonly string[],
  when: Attribution['changedAt'],
  moved?: Attribution['movedFrom'],
): RedlineRun[] {
  const authors = new Array<string | null>(to - from).fill(null)
  const dates = new Array<string | null>(to - from).fill(null)
  let start = 0
  for (const run of side.ids ?? []) {
    if (start >= to) break
    const end = start + run.length
    for (let index = Math.max(start, from); index < Math.min(end, to); index++) {
      const clock = run.clock + (index - start)
      if (side.other.has(run.client, clock)) continue
      const [client, own] = throughMoves(run.client, clock, moved, side.other)
      authors[index - from] = lookup(client, own)
      dates[index - from] = when?.(client, own, change) ?? null
    }
    start = end
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

const equalRuns = (runs: readonly Run[]): RedlineRun[] => runs.map((run) => ({ ...run, change: 'equal', authors: [], exact: true, at: null }))

const formatOf = (run: Run) => `${run.bold ? 'b' : ''}${run.italic ? 'i' : ''}`

/** The formatting of each character of runs, in order. */
function formats(runs: readonly Run[]): string[] {
  return runs.flatMap((run) => new Array<string>(run.text.length).fill(formatOf(run)))
}

/** Runs of `text` with the formatting `format` gives each character, from `from` to `to`. */
function runsOf(text: string, format: readonly string[], from: number, to: number): Run[] {
  const out: Run[] = []
  for (let at = from; at < to; ) {
    let end = at + 1
    while (end < to && format[end] === format[at]) end++
    out.push({ text: text.slice(at, end), ...(format[at]!.includes('b') ? { bold: true as const } : {}), ...(format[at]!.includes('i') ? { italic: true as const } : {}) })
    at = end
  }
  return out
}

/**
 * Words the diff found equal, cut where their formatting changed (bold
 * taken off, italics put on): the diff reads the words alone, and a
 * redline that showed such words unchanged would hide a change. Changed
 * words are shown whole, struck as they were and inserted as they are, in
 * the name of the block's editors (`fallback`), dated by the latest of
 * their changes (`at`): a change of formatting has no character of its own
 * to name its author and moment. Spaces are nobody's formatting: bold on
 * the space between two bold words shows nothing.
 */
export function equalStretch(
  before: readonly Run[],
  [beforeFrom, beforeTo]: [number, number],
  after: readonly Run[],
  [afterFrom, afterTo]: [number, number],
  fallback: readonly string[],
  at: string | null,
): RedlineRun[] {
  const is = sliceRuns(after, afterFrom, afterTo)
  const text = is.map((run) => run.text).join('')
  const [old, now] = [formats(sliceRuns(before, beforeFrom, beforeTo)), formats(is)]
  const space = (index: number) => /\s/.test(text[index]!)
  const differs = now.map((format, index) => format !== old[index] && !space(index))
  if (!differs.includes(true)) return equalRuns(is)
  // Whole words: a change inside one spreads to its ends.
  for (let index = 0; index < text.length; index++) {
    if (!differs[index]) continue
    for (let left = index - 1; left >= 0 && !space(left) && !differs[left]; left--) differs[left] = true
    for (let right = index + 1; right < text.length && !space(right) && !differs[right]; right++) differs[right] = true
  }
  const changed = (change: 'delete' | 'insert', runs: readonly Run[]): RedlineRun[] => runs.map((run) => ({ ...run, change, authors: [...fallback], exact: false, at }))
  const out: RedlineRun[] = []
  for (let start = 0; start < text.length; ) {
    let end = start + 1
    while (end < text.length && differs[end] === differs[start]) end++
    if (differs[start]) out.push(...changed('delete', runsOf(text, old, start, end)), ...changed('insert', runsOf(text, now, start, end)))
    else out.push(...equalRuns(runsOf(text, now, start, end)))
    start = end
  }
  return out
}

function blockShape({ runs: _runs, lines: _lines, lineLabels: _lineLabels, ...shape }: ModelBlock) {
  return shape
}

/**
 * What a block is, beside its words and its numbers: a paragraph or a
 * heading of a level, in which lists and quotes. A list's kind (bullets or
 * numbers) is compared apart (`sameListKind`): a paragraph of a list item
 * that comes first once the one before it is deleted gains the item's
 * marker, and is no other block for it.
 */
export function structure(block: ModelBlock): string {
  return `${block.kind} ${block.level} ${block.depth} ${block.quote}`
}

const listKind = (marker: string | null) => (marker === null ? null : marker === '•' ? 'bullet' : 'numbered')

/** Whether two versions of a block are items of the same kind of list, when both are a list item's first paragraph. */
export function sameListKind(a: ModelBlock, b: ModelBlock): boolean {
  return a.marker === null || b.marker === null || listKind(a.marker) === listKind(b.marker)
}

/**
 * What may be kept whole: a run of letters and digits, or any one other visible character (punctuation, a symbol, an
 * emoji). Finer than the diff's words: a figure, a date or "5 bis" is one word to the diff, and "1 234" cut to "234"
 * keeps "234" as written, its author unchanged.
 */
const KEEPABLE = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu

/** Each character's Yjs id (client, clock), in text order; null when the ids do not line up with the text. */
function idsOfChars(text: string, runs: readonly IdRun[] | undefined): { clients: Float64Array; clocks: Float64Array } | null {
  if (!runs || runs.reduce((sum, run) => sum + run.length, 0) !== text.length) return null
  const clients = new Float64Array(text.length)
  const clocks = new Float64Array(text.length)
  let at = 0
  for (const { client, clock, length } of runs) {
    clients.fill(client, at, at + length)
    for (let index = 0; index < length; index++) clocks[at + index] = clock + index
    at += length
  }
  return { clients, clocks }
}

/** The ids of the characters [from, to) as one string: short for a run typed in one go, the usual case. */
function idsKey({ clients, clocks }: { clients: Float64Array; clocks: Float64Array }, from: number, to: number): string {
  let consecutive = true
  for (let index = from + 1; index < to && consecutive; index++) consecutive = clients[index] === clients[from] && clocks[index] === clocks[from]! + (index - from)
  if (consecutive) return `${clients[from]}:${clocks[from]}+${to - from}`
  let key = ''
  for (let index = from; index < to; index++) key += `${clients[index]}:${clocks[index]} `
  return key
}

/** The pieces of `text` that may be kept whole (`KEEPABLE`), with their offsets and their characters' ids. */
function idWords(text: string, ids: { clients: Float64Array; clocks: Float64Array }): Array<{ from: number; to: number; key: string }> {
  return Array.from(text.matchAll(KEEPABLE), (match) => ({ from: match.index, to: match.index + match[0].length, key: idsKey(ids, match.index, match.index + match[0].length) }))
}

/**
 * The words a block shows in both versions as the same characters, by their Yjs ids: nobody changed them, whatever
 * a text diff would make of their neighbours' changes. Yjs never reorders characters, so they come in the same order
 * on both sides.
 */
export function keptWords(before: string, beforeIds: readonly IdRun[] | undefined, after: string, afterIds: readonly IdRun[] | undefined): KeptWord[] {
  // The same words: the text diff finds nothing to fold.
  if (before === after) return []
  const [first, second] = [idsOfChars(before, beforeIds), idsOfChars(after, afterIds)]
  if (!first || !second) return []
  const later = new Map(idWords(after, second).map((word) => [word.key, word]))
  const kept: KeptWord[] = []
  for (const word of idWords(before, first)) {
    const same = later.get(word.key)
    if (same && (kept.length === 0 || same.from >= kept[kept.length - 1]!.after[1])) kept.push({ before: [word.from, word.to], after: [same.from, same.to] })
  }
  return kept
}

export function computeRedline(from: VersionText, to: VersionText, attribution: Attribution = NOBODY): RedlineBlock[] {
  const fromIds = new VisibleIds(from.charIds)
  const toIds = new VisibleIds(to.charIds)
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
    return { ...blockShape(block), number: null, numberBefore: block.number, markerBefore: block.marker, status: 'deleted', runs: attribute(side, [0, length], 'delete', attribution.deletedBy, fallback, attribution.changedAt, attribution.movedTo) }
  }

  const out: RedlineBlock[] = (deletedAfter.get(null) ?? []).map(deleted)
  for (const block of to.blocks) {
    const before = block.id ? fromById.get(block.id) : undefined
    const after: Side = { runs: block.runs, ids: block.id ? to.charIds?.get(block.id) : undefined, other: fromIds }
    const fallback = block.id ? attribution.touchedBy(block.id) : []
    // A paragraph made a heading, put in a list or a quote: the block as it was is struck, and the block as it is inserted.
    const restructured = before !== undefined && (structure(before) !== structure(block) || !sameListKind(before, block))
    if (restructured) out.push(deleted(before))
    if (!before || restructured) {
      const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
      out.push({ ...blockShape(block), numberBefore: null, markerBefore: null, status: 'inserted', runs: attribute(after, [0, length], 'insert', attribution.insertedBy, fallback, attribution.changedAt, attribution.movedFrom) })
    } else {
      const beforeSide: Side = { runs: before.runs, ids: from.charIds?.get(block.id!), other: toIds }
      const spans = diffSpans(before.runs, block.runs, keptWords(plainText(before.runs), beforeSide.ids, plainText(block.runs), after.ids))
      const runs = spans.flatMap((span) =>
        span.change === 'equal'
          ? equalStretch(before.runs, span.before, block.runs, span.after, fallback, attribution.touchedAt?.(block.id!) ?? null)
          : span.change === 'delete'
            ? attribute(beforeSide, span.before, 'delete', attribution.deletedBy, fallback, attribution.changedAt, attribution.movedTo)
            : attribute(after, span.after, 'insert', attribution.insertedBy, fallback, attribution.changedAt, attribution.movedFrom),
      )
      out.push({ ...blockShape(block), numberBefore: before.number, markerBefore: before.marker, status: runs.every((run) => run.change === 'equal') ? 'equal' : 'changed', runs })
    }
    if (block.id) out.push(...(deletedAfter.get(block.id) ?? []).map(deleted))
  }
  return out
}

/** Every author key a redline names, in order of first appearance. */
export function redlineAuthors(blocks: readonly RedlineBlock[]): string[] {
  return [...new Set(blocks.flatMap((block) => block.runs.flatMap((run) => run.authors)))]
}

export interface RedlineModel {
  letterhead: string
  heading: string
  title: string
  /** How each side is described: "Version 1 · PROJET 03 juillet 2019 · importée". */
  from: string
  to: string
  /** The two sides in short, as the heading shows them: "Version 1 → Texte actuel". */
  sides: string
  legend: string
  language: Language
  blocks: RedlineBlock[]
  /** Author key → how the document names them; keys without a name print as "unattributed". */
  authors: ReadonlyMap<string, string>
}

export interface VersionFacts {
  /** The saved version's id; null for the text as it stands. */
  id: number | null
  label: string | null
  stamp: { label: string; date: string | null }
  createdAt: string
}

const versionName = (version: VersionFacts, language: Language) => (version.id === null ? VOCABULARY[language].current : `${VOCABULARY[language].version} ${version.id}`)

/** `timeZone`: where the resolution's days are counted (its meeting's), so a version saved after midnight there is dated as its people saw it. */
export function describeVersion(version: VersionFacts, language: Language, timeZone = 'UTC'): string {
  const saved = formatDate(dayIn(version.createdAt, timeZone), language)
  return [versionName(version, language), stampText(version.stamp, language), ...(version.label ? [versionLabelText(version.label, language)] : []), saved].join(' · ')
}

export function buildRedlineModel(
  meta: { title: string; organisation: string; language: Language; timeZone?: string | undefined },
  sides: { from: VersionFacts; to: VersionFacts },
  blocks: RedlineBlock[],
  authors: ReadonlyMap<string, string>,
): RedlineModel {
  const words = VOCABULARY[meta.language]
  return {
    letterhead: letterhead(meta.organisation),
    heading: words.redline,
    title: meta.title,
    from: describeVersion(sides.from, meta.language, meta.timeZone),
    to: describeVersion(sides.to, meta.language, meta.timeZone),
    sides: `${versionName(sides.from, meta.language)} → ${versionName(sides.to, meta.language)}`,
    legend: words.legend,
    language: meta.language,
    blocks,
    authors,
  }
}

/** How a run's authors are printed: their names, or "unattributed". */
export function authorLabel(model: Pick<RedlineModel, 'authors' | 'language'>, keys: readonly string[]): string {
  const names = keys.map((key) => model.authors.get(key)).filter((name): name is string => name !== undefined)
  // Not a comma: a name holds commas ("A3 (compromise of A1, A2) · Parti progressiste (France), Partido …").
  return names.length > 0 ? names.join(' ; ') : VOCABULARY[model.language].unattributed
}
