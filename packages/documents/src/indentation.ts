/**
 * How far a block is set in for the lists and quotes it sits in, in every
 * printed form (PDF, Word, HTML, the record, the redline, the parallel
 * edition). Each level is one step further in, so nesting reads at a
 * glance at the depths people write; but the schema allows 32 levels, and a
 * step a level left a clause nested 20 deep a column of a few points: the
 * PDF set it in 2-point type (mirrored past 24 levels, its words lost to a
 * reader), Word set it past the page's edge and Chromium one letter a line.
 * So the steps stop before they take more than `MAX_INDENT_SHARE` of the
 * text's width: a block deeper than that is set as far in as the last step,
 * and the text keeps at least the rest of its column at any depth.
 */
export const MAX_INDENT_SHARE = 0.4

/** The steps a block `depth` levels deep is set in by, in a column `width` wide with steps `step` wide (one unit for both). */
export function indentSteps(depth: number, step: number, width: number): number {
  return Math.max(0, Math.min(depth, Math.floor((MAX_INDENT_SHARE * width) / step)))
}

/** How far a block `depth` levels deep is set in: `indentSteps` steps, in the unit of `step` and `width`. */
export function indentation(depth: number, step: number, width: number): number {
  return indentSteps(depth, step, width) * step
}
