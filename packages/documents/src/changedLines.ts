import { plainText, type Run } from '@hemicycle/amendments'
import { breakLines, LINE_WIDTH } from '@hemicycle/schema'
import { diffSpans, type MarkedRun, sliceRuns } from './changes.ts'

/** One line of a paragraph as the numbering counts it, with a change's words marked on it. */
export interface MarkedLine {
  line: number
  runs: MarkedRun[]
}

const mark = (runs: readonly Run[], change: MarkedRun['change']): MarkedRun[] => runs.map((run) => ({ ...run, change }))

/**
 * A change to a paragraph laid out on the paragraph's numbered lines (the
 * schema's `breakLines`, so the numbers are the ones the margin and every
 * export cite): each line holds its own words, those the change removes
 * marked deleted, and the words the change adds where they go. A line's
 * white space stays with the line it ends, so the lines joined give the
 * text back. `before` is the paragraph as numbered (composed, NFC).
 */
export function markedLines(before: readonly Run[], after: readonly Run[], firstLine: number, width: number = LINE_WIDTH): MarkedLine[] {
  return layOut(before, after, firstLine, width).lines
}

/** Each character's formatting, however the runs happen to be cut. */
const formatting = (runs: readonly Run[]) => runs.map((run) => String(Number(!!run.bold) + 2 * Number(!!run.italic)).repeat(run.text.length)).join('')

/** The lines, and which of them keep their words but change their formatting (a word made bold is a change too). */
function layOut(before: readonly Run[], after: readonly Run[], firstLine: number, width: number): { lines: MarkedLine[]; restyled: Set<number> } {
  const starts = breakLines(plainText(before), width).map((spans, index) => (index === 0 ? 0 : spans[0]!.start))
  const lines: MarkedLine[] = starts.map((_, index) => ({ line: firstLine + index, runs: [] }))
  const lineAt = (offset: number) => {
    let index = 0
    while (index + 1 < starts.length && starts[index + 1]! <= offset) index++
    return index
  }
  const restyled = new Set<number>()
  let at = 0
  for (const span of diffSpans(before, after)) {
    if (span.change === 'insert') {
      lines[lineAt(at)]!.runs.push(...mark(sliceRuns(after, ...span.after), 'insert'))
      continue
    }
    const [first, last] = span.before
    for (let from = first; from < last; ) {
      const index = lineAt(from)
      const to = Math.min(last, starts[index + 1] ?? last)
      // Kept words carry the new formatting, as a redline shows them; removed ones their old.
      const runs = span.change === 'delete' ? sliceRuns(before, from, to) : sliceRuns(after, span.after[0] + from - first, span.after[0] + to - first)
      if (span.change === 'equal' && formatting(runs) !== formatting(sliceRuns(before, from, to))) restyled.add(index)
      lines[index]!.runs.push(...mark(runs, span.change))
      from = to
    }
    at = last
  }
  return { lines, restyled }
}

/** Only the lines a change touches, in their words or their formatting: what a chair compares at the consolidation desk. */
export function changedLines(before: readonly Run[], after: readonly Run[], firstLine: number, width: number = LINE_WIDTH): MarkedLine[] {
  const { lines, restyled } = layOut(before, after, firstLine, width)
  return lines.filter((line, index) => restyled.has(index) || line.runs.some((run) => run.change !== 'equal'))
}
