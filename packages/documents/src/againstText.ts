import { blockRuns, type Candidate, findCollisions, type Rebase, type ReadingMemo, rebaseInText, type Rewrite, wordingsSince } from '@hemicycle/amendments'
import type { Amendment } from '@hemicycle/protocol'
import type * as Y from 'yjs'

/**
 * What the rebase needs of an amendment as the API shows it, read through
 * what its paragraph read since it was tabled, as the decisions among `all`
 * (the resolution's amendments) recorded it: as the server reads it.
 */
export const candidateOf = (amendment: Amendment, all: readonly Amendment[]): Candidate => {
  const since = amendment.kind === 'insertAfter' ? [] : wordingsSince(amendment.blockId, amendment.createdAt, rewritesBy(all))
  return { id: amendment.id, kind: amendment.kind, blockId: amendment.blockId, base: amendment.baseWording, wording: amendment.wording, ...(since.length > 0 ? { since } : {}) }
}

/** The blocks these amendments' acceptances rewrote, as their views say (`decision.rewrote`). */
export const rewritesBy = (amendments: readonly Amendment[]): Rewrite[] =>
  amendments.flatMap(({ status, blockId, decision }) =>
    (status === 'accepted' || status === 'acceptedModified') && blockId !== null && decision?.rewrote ? [{ blockId, at: decision.at, ...decision.rewrote }] : [],
  )

/** The paragraphs one acceptance wrote after a block (null: at the start of the text). */
export interface Inserted {
  blockId: string | null
  ids: readonly string[]
}

/** What these amendments' acceptances wrote after their blocks, as their views say (`decision.inserted`). */
export const insertedBy = (amendments: readonly Amendment[]): Inserted[] =>
  amendments.flatMap((amendment) => (amendment.decision?.inserted?.length ? [{ blockId: amendment.blockId, ids: amendment.decision.inserted }] : []))

/** The paragraphs acceptances wrote after `blockId`: a new insertion goes after them, and may find its paragraphs among them. */
export const insertedAt = (inserted: readonly Inserted[], blockId: string | null): Set<string> =>
  new Set(inserted.filter((entry) => entry.blockId === blockId).flatMap((entry) => entry.ids))

/** What accepting `candidate` would do to the text `doc` holds, as the server reads it on accepting (`rebaseInText`). */
export const rebasedAgainstText = (candidate: Candidate, doc: Y.Doc, inserted: readonly Inserted[], memo?: ReadingMemo): Rebase =>
  rebaseInText(doc, candidate, candidate.wording, candidate.kind === 'delete' ? new Set() : insertedAt(inserted, candidate.blockId), memo)

/**
 * Tabled amendments as they read against the text as it stands: one whose
 * block is gone reads as obsolete, one whose words changed under it as a
 * conflict, one whose paragraphs to add stand after the block already as
 * `unchanged` (some of them only: a conflict, `partlyInText`), and each names those it
 * collides with. It is the reading accepting makes (`rebaseInText`, with
 * `inserted`: what acceptances wrote where), so a card says what accepting
 * will do. Reading never writes: an obsolete amendment is recorded so at the
 * next decision.
 *
 * The service reads them against the live document, the booklet's export
 * thread against the text there, and a page against the text as it holds it
 * (typing announces nothing).
 */
export function readAgainstText(
  amendments: readonly Amendment[],
  tabled: readonly Candidate[],
  doc: Y.Doc,
  inserted: readonly Inserted[] = insertedBy(amendments),
  /** What earlier readings of the same text's amendments found (the server keeps one per live text). */
  memo?: ReadingMemo,
): Amendment[] {
  if (tabled.length === 0) return [...amendments]
  const collisions = findCollisions(tabled, (blockId) => blockRuns(doc, blockId), memo)
  // Only the amendments asked for are rebased, each once: one amendment's page, or a delegation's list, costs their
  // rebases, not every tabled amendment's (a paragraph with hundreds tabled held every request for a second).
  const shown = new Set(amendments.filter((amendment) => amendment.status === 'tabled').map((amendment) => amendment.id))
  const rebased = new Map(tabled.filter((candidate) => shown.has(candidate.id)).map((candidate) => [candidate.id, rebasedAgainstText(candidate, doc, inserted, memo)]))
  return amendments.map((amendment) => {
    const reading = amendment.status === 'tabled' ? rebased.get(amendment.id) : undefined
    if (reading === undefined) return amendment
    return {
      ...amendment,
      status: reading.state === 'obsolete' ? 'obsolete' : amendment.status,
      conflict: reading.state === 'conflict',
      unchanged: reading.state === 'clean' && reading.unchanged,
      partlyInText: reading.state === 'conflict' && reading.partlyInText === true,
      collidesWith: [...(collisions.get(amendment.id) ?? [])],
    }
  })
}
