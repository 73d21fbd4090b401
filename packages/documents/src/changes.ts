import { DELETE, INSERT, normalizeRuns, plainText, type Run, wordDiff } from '@hemicycle/amendments'

/**
 * Word diffs of formatted text: what a redline shows struck through and
 * underlined. The diff runs over the plain text (the words people read);
 * formatting rides along from the side each stretch comes from.
 */
export type Change = 'equal' | 'insert' | 'delete'

export interface MarkedRun extends Run {
  change: Change
}

/** A stretch of the diff, with its offsets in the text before and after. */
export type DiffSpan =
  | { change: 'equal'; before: [number, number]; after: [number, number] }
  | { change: 'delete'; before: [number, number] }
  | { change: 'insert'; after: [number, number] }

/** A word both texts hold as the very same characters (where they are known: a redline's Yjs ids), at [from, to) in each. */
export interface KeptWord {
  before: [number, number]
  after: [number, number]
}

/**
 * The word diff of two formatted texts, as offsets. `kept`, in reading order, are words known to be the same
 * characters on both sides: they stay unchanged whatever the diff's cleanup would make of them (it folds a short word
 * left between two changes into the change, so a word nobody touched read as struck and written again, in the name of
 * whoever changed its neighbours). Between them, the words are diffed as text.
 */
export function diffSpans(before: readonly Run[], after: readonly Run[], kept: readonly KeptWord[] = []): DiffSpan[] {
  const [first, second] = [plainText(before), plainText(after)]
  const spans: DiffSpan[] = []
  const push = (span: DiffSpan) => {
    const last = spans[spans.length - 1]
    if (last?.change === 'equal' && span.change === 'equal') {
      last.before[1] = span.before[1]
      last.after[1] = span.after[1]
    } else spans.push(span)
  }
  let a = 0
  let b = 0
  const diffTo = (aTo: number, bTo: number) => {
    // Between two kept words there is mostly only a deletion, only an insertion, or nothing: no diff to run.
    if (aTo === a && bTo === b) return
    if (bTo === b) return push({ change: 'delete', before: [a, (a = aTo)] })
    if (aTo === a) return push({ change: 'insert', after: [b, (b = bTo)] })
    for (const [op, text] of wordDiff(first.slice(a, aTo), second.slice(b, bTo))) {
      const length = text.length
      if (length === 0) continue
      if (op === DELETE) push({ change: 'delete', before: [a, (a += length)] })
      else if (op === INSERT) push({ change: 'insert', after: [b, (b += length)] })
      else push({ change: 'equal', before: [a, (a += length)], after: [b, (b += length)] })
    }
  }
  for (const word of kept) {
    const [[beforeFrom, beforeTo], [afterFrom, afterTo]] = [word.before, word.after]
    // Out of order, overlapping or not the same words: not a word kept, and the text diff decides.
    if (beforeFrom < a || afterFrom < b || first.slice(beforeFrom, beforeTo) !== second.slice(afterFrom, afterTo)) continue
    diffTo(beforeFrom, afterFrom)
    push({ change: 'equal', before: [a, (a = beforeTo)], after: [b, (b = afterTo)] })
  }
  diffTo(first.length, second.length)
  return spans
}

/** The formatted text between two offsets. */
export function sliceRuns(runs: readonly Run[], from: number, to: number): Run[] {
  const out: Run[] = []
  let at = 0
  for (const run of runs) {
    const start = at
    const end = at + run.text.length
    at = end
    if (end <= from || start >= to) continue
    out.push({ ...run, text: run.text.slice(Math.max(from, start) - start, Math.min(to, end) - start) })
  }
  return normalizeRuns(out)
}

const mark = (runs: readonly Run[], change: Change): MarkedRun[] => runs.map((run) => ({ ...run, change }))

/** One text with the deleted words (from `before`) and the inserted ones (from `after`) in reading order. */
export function redlineRuns(before: readonly Run[], after: readonly Run[]): MarkedRun[] {
  return diffSpans(before, after).flatMap((span) =>
    span.change === 'delete'
      ? mark(sliceRuns(before, ...span.before), 'delete')
      : mark(sliceRuns(after, ...span.after), span.change),
  )
}

const PARAGRAPH_BREAK = '\n'

function joinParagraphs(paragraphs: readonly Run[][]): Run[] {
  return paragraphs.flatMap((runs, index) => (index === 0 ? runs : [{ text: PARAGRAPH_BREAK }, ...runs]))
}

function splitParagraphs(runs: readonly MarkedRun[]): MarkedRun[][] {
  const out: MarkedRun[][] = [[]]
  for (const run of runs) {
    const parts = run.text.split(PARAGRAPH_BREAK)
    parts.forEach((part, index) => {
      if (index > 0) out.push([])
      if (part.length > 0) out[out.length - 1]!.push({ ...run, text: part })
    })
  }
  return out
}

/**
 * Two wordings side by side, as an amendments booklet prints them: the
 * original with the words it loses marked deleted, the proposal with the
 * words it adds marked inserted. Paragraphs stay paragraphs.
 */
export function sideBySide(before: readonly Run[][], after: readonly Run[][]): { before: MarkedRun[][]; after: MarkedRun[][] } {
  const left = joinParagraphs(before)
  const right = joinParagraphs(after)
  const spans = diffSpans(left, right)
  const beforeRuns = spans.flatMap((span) => (span.change === 'insert' ? [] : mark(sliceRuns(left, ...span.before), span.change)))
  const afterRuns = spans.flatMap((span) => (span.change === 'delete' ? [] : mark(sliceRuns(right, ...span.after), span.change)))
  return {
    before: before.length === 0 ? [] : splitParagraphs(beforeRuns),
    after: after.length === 0 ? [] : splitParagraphs(afterRuns),
  }
}
