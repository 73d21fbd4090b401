import type { Run } from '@hemicycle/amendments'
import { diffSpans, sliceRuns } from './changes.ts'

/**
 * A change shown in the live text as a suggestion, in offsets of the
 * paragraph's plain text as it is now: words to insert at a point, a
 * stretch of words the change removes, or a stretch it keeps but sets in
 * another formatting (made bold, no longer italic: accepting writes that
 * too, so it is shown too).
 */
export type Suggestion =
  | { kind: 'insert'; at: number; runs: Run[] }
  | { kind: 'delete'; from: number; to: number }
  | { kind: 'format'; from: number; to: number; bold: boolean; italic: boolean }

/** Each UTF-16 unit's formatting, however the runs happen to be cut. */
const formats = (runs: readonly Run[]) => runs.flatMap((run) => Array.from({ length: run.text.length }, () => `${run.bold ? 'b' : '-'}${run.italic ? 'i' : '-'}`))

/** The stretches of kept words whose formatting the change alters, with the formatting it gives them. */
function reformatted(before: readonly Run[], after: readonly Run[], from: number, to: number, offset: number): Suggestion[] {
  const was = formats(sliceRuns(before, from, to))
  const becomes = formats(sliceRuns(after, from + offset, to + offset))
  const out: Suggestion[] = []
  for (let at = 0; at < was.length; ) {
    if (was[at] === becomes[at]) {
      at++
      continue
    }
    let end = at + 1
    while (end < was.length && was[end] !== becomes[end] && becomes[end] === becomes[at]) end++
    out.push({ kind: 'format', from: from + at, to: from + end, bold: becomes[at]![0] === 'b', italic: becomes[at]![1] === 'i' })
    at = end
  }
  return out
}

/** Where a proposed wording differs from the paragraph as it stands, word by word and in formatting, in reading order. */
export function suggestions(current: readonly Run[], proposed: readonly Run[]): Suggestion[] {
  const out: Suggestion[] = []
  let at = 0
  for (const span of diffSpans(current, proposed)) {
    if (span.change === 'insert') out.push({ kind: 'insert', at, runs: sliceRuns(proposed, ...span.after) })
    else {
      if (span.change === 'delete') out.push({ kind: 'delete', from: span.before[0], to: span.before[1] })
      else out.push(...reformatted(current, proposed, span.before[0], span.before[1], span.after[0] - span.before[0]))
      at = span.before[1]
    }
  }
  return out
}
