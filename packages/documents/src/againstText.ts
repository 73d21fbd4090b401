import { type Candidate, findCollisions, rebase, type Run } from '@hemicycle/amendments'
import type { Amendment } from '@hemicycle/protocol'

/** What the rebase needs of an amendment as the API shows it. */
export const candidateOf = (amendment: Amendment): Candidate => ({
  id: amendment.id,
  kind: amendment.kind,
  blockId: amendment.blockId,
  base: amendment.baseWording,
  wording: amendment.wording,
})

/**
 * Tabled amendments as they read against the text as it stands
 * (`currentOf`: a block's runs, null when it is gone): one whose block is
 * gone reads as obsolete, one whose words changed under it as a conflict,
 * and each names those it collides with. Reading never writes: an obsolete
 * amendment is recorded so at the next decision.
 *
 * Plain data in and out, so that the booklet's export thread reads them
 * against the text there, as the service does against the live document,
 * and a page against the text as it holds it (typing announces nothing).
 */
export function readAgainstText(amendments: readonly Amendment[], tabled: readonly Candidate[], currentOf: (blockId: string) => Run[] | null): Amendment[] {
  if (tabled.length === 0) return [...amendments]
  const collisions = findCollisions(tabled, currentOf)
  const states = new Map(tabled.map((candidate) => [candidate.id, rebase(candidate, candidate.blockId === null ? [] : currentOf(candidate.blockId)).state]))
  return amendments.map((amendment) => {
    const state = amendment.status === 'tabled' ? states.get(amendment.id) : undefined
    if (state === undefined) return amendment
    return { ...amendment, status: state === 'obsolete' ? 'obsolete' : amendment.status, conflict: state === 'conflict', collidesWith: [...(collisions.get(amendment.id) ?? [])] }
  })
}
