import type { Run } from '@hemicycle/amendments'
import type { Language } from '@hemicycle/protocol'
import { type Change, diffSpans, sliceRuns } from './changes.ts'
import { formatDate } from './dates.ts'
import type { ModelBlock } from './documentModel.ts'
import { letterhead, stampText } from './letterhead.ts'
import { VOCABULARY } from './vocabulary.ts'

/**
 * The redline between two versions of a text: blocks matched by their id,
 * words diffed within each, and every change attributed. The contract's
 * rule: a change belongs to the amendment it came from, otherwise to the
 * people whose updates touched its block between the two versions. Here the
 * caller's `Attribution` answers per character (by the Yjs id it had) and per
 * block; this module decides which characters really changed and falls back
 * when the exact answer is missing.
 */
export interface VersionText {
  blocks: readonly ModelBlock[]
  /** Per block id, one opaque id per character of the block's text (Yjs "client:clock"); absent when unknown. */
  charIds?: ReadonlyMap<string, readonly string[]>
}

export interface Attribution {
  /** Who inserted this character: an author key, or null if unknown. */
  insertedBy(charId: string): string | null
  /** Who deleted this character: an author key, or null if unknown. */
  deletedBy(charId: string): string | null
  /** Everyone whose updates touched the block between the two versions (the fallback). */
  touchedBy(blockId: string): readonly string[]
  /** When this character was inserted or deleted (ISO 8601): the moment the change was made or decided; null if unknown. */
  changedAt?(charId: string, change: 'insert' | 'delete'): string | null
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

export interface RedlineBlock extends Omit<ModelBlock, 'runs' | 'lines' | 'firstLine'> {
  status: 'equal' | 'changed' | 'inserted' | 'deleted'
  /** The block's § in the earlier version (null if it had none or is new); `number` is its § in the later one. */
  numberBefore: number | null
  runs: RedlineRun[]
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

const equalRuns = (runs: readonly Run[]): RedlineRun[] => runs.map((run) => ({ ...run, change: 'equal', authors: [], exact: true, at: null }))

function blockShape({ runs: _runs, lines: _lines, firstLine: _firstLine, ...shape }: ModelBlock) {
  return shape
}

export function computeRedline(from: VersionText, to: VersionText, attribution: Attribution = NOBODY): RedlineBlock[] {
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
    return { ...blockShape(block), number: null, numberBefore: block.number, status: 'deleted', runs: attribute(side, [0, length], 'delete', attribution.deletedBy, fallback, attribution.changedAt) }
  }

  const out: RedlineBlock[] = (deletedAfter.get(null) ?? []).map(deleted)
  for (const block of to.blocks) {
    const before = block.id ? fromById.get(block.id) : undefined
    const after: Side = { runs: block.runs, ids: block.id ? to.charIds?.get(block.id) : undefined, other: fromIds }
    const fallback = block.id ? attribution.touchedBy(block.id) : []
    if (!before) {
      const length = block.runs.reduce((sum, run) => sum + run.text.length, 0)
      out.push({ ...blockShape(block), numberBefore: null, status: 'inserted', runs: attribute(after, [0, length], 'insert', attribution.insertedBy, fallback, attribution.changedAt) })
    } else {
      const beforeSide: Side = { runs: before.runs, ids: from.charIds?.get(block.id!), other: toIds }
      const spans = diffSpans(before.runs, block.runs)
      const runs = spans.flatMap((span) =>
        span.change === 'equal'
          ? equalRuns(sliceRuns(block.runs, ...span.after))
          : span.change === 'delete'
            ? attribute(beforeSide, span.before, 'delete', attribution.deletedBy, fallback, attribution.changedAt)
            : attribute(after, span.after, 'insert', attribution.insertedBy, fallback, attribution.changedAt),
      )
      out.push({ ...blockShape(block), numberBefore: before.number, status: spans.every((span) => span.change === 'equal') ? 'equal' : 'changed', runs })
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
  /** How each side is described: "Version 1 · PROJET 03 juillet 2019 · imported". */
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

export function describeVersion(version: VersionFacts, language: Language): string {
  return [versionName(version, language), stampText(version.stamp, language), ...(version.label ? [version.label] : []), formatDate(version.createdAt, language)].join(' · ')
}

export function buildRedlineModel(
  meta: { title: string; organisation: string; language: Language },
  sides: { from: VersionFacts; to: VersionFacts },
  blocks: RedlineBlock[],
  authors: ReadonlyMap<string, string>,
): RedlineModel {
  const words = VOCABULARY[meta.language]
  return {
    letterhead: letterhead(meta.organisation),
    heading: words.redline,
    title: meta.title,
    from: describeVersion(sides.from, meta.language),
    to: describeVersion(sides.to, meta.language),
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
  return names.length > 0 ? names.join(', ') : VOCABULARY[model.language].unattributed
}
