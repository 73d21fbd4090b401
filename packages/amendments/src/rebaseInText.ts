import type * as Y from 'yjs'
import { type Proposal, rebase, type Rebase } from './amendment.ts'
import { blockRuns } from './document.ts'
import { insertedAlready } from './insertedAlready.ts'
import type { ReadingMemo } from './readingMemo.ts'
import { sameWording, type Wording } from './wording.ts'

/**
 * `rebase` against the live text, which also sees the paragraphs after the
 * block: what an insertion adds, or what a replacement adds after its first
 * paragraph, may stand there already (`insertedAlready`, `earlier`: the
 * paragraphs accepted amendments inserted after the block). All of it
 * there: nothing to add (an insertion is `unchanged`; a replacement only
 * rewrites its block). Some of it: a conflict for the chair. What accepting
 * writes, what its preview shows and whether an accepted amendment's words
 * are still in the text are all read here, so they agree.
 */
export function rebaseInText(doc: Y.Doc, proposal: Proposal, wording: Wording = proposal.wording, earlier: ReadonlySet<string> = new Set(), memo?: ReadingMemo): Rebase {
  const current = proposal.blockId === null ? [] : blockRuns(doc, proposal.blockId)
  // The memo knows a proposal's rebase onto its own wording only.
  const rebased = memo && wording === proposal.wording ? memo.rebase(memo.entry(proposal, current), () => rebase(proposal, current, wording)) : rebase(proposal, current, wording)
  if (rebased.state !== 'clean' || proposal.kind === 'delete' || current === null) return rebased
  const added = proposal.kind === 'insertAfter' ? rebased.wording : rebased.wording.slice(1)
  if (added.length === 0) return rebased
  const already = insertedAlready(doc, proposal.blockId, added, earlier)
  if (already === 'some') return { state: 'conflict', partlyInText: true }
  if (already !== 'all') return rebased
  if (proposal.kind === 'insertAfter') return { ...rebased, unchanged: true }
  const rewritten = rebased.wording.slice(0, 1)
  return { state: 'clean', wording: rewritten, unchanged: sameWording(rewritten, [current]) }
}
