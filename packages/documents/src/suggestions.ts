import type { Run } from '@hemicycle/amendments'
import { diffSpans, sliceRuns } from './changes.ts'

/**
 * A change shown in the live text as a suggestion, in offsets of the
 * paragraph's plain text as it is now: words to insert at a point, or a
 * stretch of words the change removes.
 */
export type Suggestion = { kind: 'insert'; at: number; runs: Run[] } | { kind: 'delete'; from: number; to: number }

/** Where a proposed wording differs from the paragraph as it stands, word by word, in reading order. */
export function suggestions(current: readonly Run[], proposed: readonly Run[]): Suggestion[] {
  const out: Suggestion[] = []
  let at = 0
  for (const span of diffSpans(current, proposed)) {
    if (span.change === 'insert') out.push({ kind: 'insert', at, runs: sliceRuns(proposed, ...span.after) })
    else {
      if (span.change === 'delete') out.push({ kind: 'delete', from: span.before[0], to: span.before[1] })
      at = span.before[1]
    }
  }
  return out
}
