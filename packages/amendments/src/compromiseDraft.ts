import { applyEdits, clashes, type Edit, editsBetween, halvesOfMove, madeAlone } from './edits.ts'
import type { Run } from './inline.ts'
import { conflictsAlongTrail, reachesSpans, regroupedSpans } from './merge.ts'
import { movesPairedMark, unpairedAnew } from './pairedMarks.ts'
import { editsAlong, trailOf } from './trail.ts'
import { runsOfTokens, tokensOfRuns, tokensOfWording, wordingOfTokens } from './tokens.ts'
import { normalizeParagraph, normalizeWording, type Wording } from './wording.ts'

/**
 * Where a chair's compromise starts, so nobody retypes what the amendments
 * already say: the paragraph as it stands, with every change of the
 * amendments applied in the order given, except a change that touches words
 * an earlier one (or a later edit of the paragraph) already changed: that one
 * is left for the chair to write, and counted. The same three-way rule as a
 * rebase, a change at a time instead of all or nothing. `since`: the
 * paragraph's wordings since the amendment was tabled (`Proposal.since`),
 * which what happened to its base is followed through, as accepting it
 * would: read from the base and today's text alone, a phrase a decision
 * wrote again read as the original, and the draft put a change on the copy.
 */
export function compromiseDraft(current: readonly Run[], amendments: ReadonlyArray<{ base: readonly Run[]; wording: Wording; since?: readonly Run[][] }>): { wording: Wording; leftOut: number } {
  const now = normalizeParagraph(current)
  let text = tokensOfRuns(now)
  // The texts the draft went through since the paragraph as it stands, each amendment's changes applied.
  const drafted: Run[][] = []
  let leftOut = 0
  for (const amendment of amendments) {
    const base = tokensOfRuns(normalizeParagraph(amendment.base))
    const proposal = tokensOfWording(normalizeWording(amendment.wording))
    const proposed = editsBetween(base, proposal)
    const direct = editsBetween(base, text)
    const happened = amendment.since && amendment.since.length > 0 ? editsAlong(base, trailOf([...amendment.since, now, ...drafted]), text) : direct
    const mine = madeAlone(proposed, happened)
    // An amendment's change that clashes (see `clashes`) is left out; an agreed one that only looked agreed is already in the text as the other side had it.
    // Where the base and today's text alone read a clash, it stands, as in a merge (`mergeTokens`); and where the
    // amendment conflicts with a step of what the paragraph went through, as accepting it would, all of it is left out,
    // and counted whole: counted by the changes it made alone, an amendment whose one change looked agreed with a
    // decision's (the word it deletes, which the decision moved) was left out and said to be in (helper-176).
    const stepped = amendment.since !== undefined && amendment.since.length > 0 && conflictsAlongTrail(base, tokensOfRuns(now), proposal, trailOf([...amendment.since]))
    const clashing = new Set<Edit>(stepped ? proposed : [...clashes(proposed, happened, base), ...(happened === direct ? [] : clashes(proposed, direct, base))].map(([edit]) => edit))
    for (;;) {
      // A move is two changes (a word taken out here, written there): one left out, the other applied alone would
      // drop the word or write it twice, so the other is left out with it.
      for (let grew = true; grew; ) {
        grew = false
        for (const edit of mine) {
          if (clashing.has(edit) || ![...clashing].some((out) => halvesOfMove(out, edit, base))) continue
          clashing.add(edit)
          grew = true
        }
      }
      const kept = mine.filter((edit) => !clashing.has(edit))
      const applied = [...kept, ...happened]
      const merged = applyEdits(base, applied)
      // Changes a word apart can together make a date, a time or a figure none of the texts holds (see `mergeTokens`):
      // the amendment's changes that reach it are left out, all of them if none does, until none is made.
      const spans = kept.length > 0 ? regroupedSpans(base, merged, applied, [text, proposal]) : []
      // Quotes and brackets left unpaired where no text leaves them (see `mergeTokens`): the amendment's changes to
      // such marks are left out, all of them if none is one, until every pair closes as in some text.
      const unpaired = spans.length === 0 && kept.length > 0 && unpairedAnew(merged, [base, text, proposal])
      if (spans.length === 0 && !unpaired) {
        text = merged
        drafted.push(runsOfTokens(merged))
        break
      }
      const reaching = unpaired ? kept.filter((edit) => movesPairedMark(edit, base)) : kept.filter((edit) => reachesSpans(edit, spans))
      for (const edit of reaching.length > 0 ? reaching : kept) clashing.add(edit)
    }
    leftOut += clashing.size
  }
  return { wording: wordingOfTokens(text), leftOut }
}
