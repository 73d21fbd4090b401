import { applyEdits, collide, type Edit, editsBetween, sameEdit } from './edits.ts'

export type MergeResult =
  | { ok: true; text: string }
  | { ok: false; conflicts: Array<{ proposal: Edit; current: Edit }> }

/**
 * The three-way merge behind every rebase: what the amendment changed
 * (base → proposal) and what happened to the paragraph since it was tabled
 * (base → current) are both applied to the base, unless a change of one
 * overlaps or touches a change of the other; then it is a conflict for a
 * person to resolve, never a silent choice. A change made identically on
 * both sides is applied once.
 *
 * Fuzzy patching (diff-match-patch's patch_apply) is not used: it can put
 * text in the wrong place when the context has moved.
 */
export function threeWayMerge(base: string, current: string, proposal: string): MergeResult {
  const proposed = editsBetween(base, proposal)
  const happened = editsBetween(base, current)
  const conflicts: Array<{ proposal: Edit; current: Edit }> = []
  const shared: Edit[] = []
  for (const mine of proposed) {
    for (const theirs of happened) {
      if (sameEdit(mine, theirs)) shared.push(mine)
      else if (collide(mine, theirs)) conflicts.push({ proposal: mine, current: theirs })
    }
  }
  if (conflicts.length > 0) return { ok: false, conflicts }
  const edits = [...proposed.filter((edit) => !shared.includes(edit)), ...happened]
  return { ok: true, text: applyEdits(base, edits) }
}
