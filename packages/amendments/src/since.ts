import type { Run } from './inline.ts'

/** A block rewritten by an acceptance, as its decision recorded it: the block's wording just before and just after, and when. */
export interface Rewrite {
  blockId: string
  at: string
  before: Run[]
  after: Run[]
}

/**
 * The wordings block `blockId` read before and after each acceptance that
 * rewrote it from `tabledAt` on, oldest first: what an amendment tabled then
 * follows its words through (`Proposal.since`). A decision at the very
 * instant of tabling counts: had it come first, the text it steps through
 * goes back to the base and forward again, which costs a merge nothing
 * (`trailOf` reads a wording seen before as that text again). Decisions of
 * one instant stay in the order given (the sort is stable).
 */
export function wordingsSince(blockId: string | null, tabledAt: string, rewrites: readonly Rewrite[]): Run[][] {
  if (blockId === null) return []
  const from = Date.parse(tabledAt)
  return rewrites
    .filter((rewrite) => rewrite.blockId === blockId && Date.parse(rewrite.at) >= from)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .flatMap((rewrite) => [rewrite.before, rewrite.after])
}
