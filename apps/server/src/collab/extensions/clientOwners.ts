import type { Database } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import { type ClientClaim, forgetClientClaims, forgetClientIdsWrittenBefore, readClientClaims, readClientIdsWrittenSince, readClientOwners, recordClientClaim, recordClientIdsWritten } from '../storage.ts'
import type { OwnerKey } from '../clientIds.ts'

/**
 * Ownership of client ids outlives the process: when a document loads, the
 * ids its update log records belong to whoever's rows carry them, so a
 * person's tab reconnecting after a restart keeps writing under its id and
 * nobody else can. (The collaboration server then gives every other id in
 * the document to the server, and picks the server's own.)
 *
 * An id is also recorded the moment a person first introduces it, in their
 * presence or an update, not only once something typed under it is stored:
 * otherwise words typed just before a crash, under an id the log never saw,
 * would belong to whichever tab brought them back first, even with other
 * words under the same Yjs ids (which Yjs then takes for the author's own,
 * already known, and drops: the stored text would differ from the one
 * every tab shows).
 *
 * Every page view introduces a new id, so claims are pruned as a document
 * loads: one the log now records for the same person says nothing more, and
 * one under which nothing reached the log in `UNUSED_CLAIMS_KEPT_MS` (a month)
 * only guarded words lost in a crash that every tab has long brought back.
 */
export function clientOwners({ db, logger, now = () => new Date() }: { db: Database; logger: Pick<Logger, 'error'>; now?: () => Date }): Extension {
  return {
    name: 'clientOwners',
    async onLoadDocument({ document }) {
      const { clients } = document.gate
      const claims = await readClientClaims(db, document.name)
      const owners = await readClientOwners(db, document.name)
      for (const { client, owner } of claims) clients.adopt(client, owner)
      for (const [client, owner] of owners) clients.adopt(client, owner)
      // The day's new ids per person go on across loads (closing every socket, the text unloads): recorded as admitted.
      const dayAgo = new Date(now().getTime() - 24 * 3600_000)
      document.gate.countEarlierIds(await readClientIdsWrittenSince(db, document.name, dayAgo))
      document.gate.onNewIds = (clients, personId) => {
        recordClientIdsWritten(db, document.name, clients, personId).catch((error: unknown) =>
          logger.error('new client ids could not be recorded', { document: document.name, clients, error }),
        )
      }
      forgetClientIdsWrittenBefore(db, document.name, dayAgo).catch((error: unknown) => logger.error('old new-id records could not be pruned', { document: document.name, error }))
      const recorded = new Map<string, number>()
      clients.onFirstClaim = (client, personId) => {
        // Past the bound, a person's new ids are theirs in memory only: what they risk is their own words' attribution after a crash.
        const count = recorded.get(personId) ?? 0
        if (count >= CLAIMS_RECORDED_PER_PERSON) return
        recorded.set(personId, count + 1)
        recordClientClaim(db, document.name, client, personId).catch((error: unknown) =>
          logger.error('a client id claim could not be recorded', { document: document.name, client, error }),
        )
      }
      const stale = staleClaims(claims, owners, now().getTime() - UNUSED_CLAIMS_KEPT_MS)
      if (stale.length > 0) {
        forgetClientClaims(db, document.name, stale).catch((error: unknown) => logger.error('stale client id claims could not be pruned', { document: document.name, error }))
      }
    },
  }
}

/** How long a claim under which nothing was ever stored is kept: far beyond any tab's reconnecting after a crash. */
export const UNUSED_CLAIMS_KEPT_MS = 30 * 24 * 3600_000

/**
 * Claims one person may have recorded per document while it is loaded, and unused ones kept when it loads: a
 * delegate opening and closing 2,000 sockets, each introducing eight ids, recorded 16,000 rows in 23 s, and each load
 * of the document then took 600 ms instead of 50. A person's tabs in a day of drafting introduce a few dozen.
 */
export const CLAIMS_RECORDED_PER_PERSON = 256

/**
 * The claims the log has made redundant, that stayed unused since before `unusedBefore` (ms), or that are unused
 * beyond a person's newest `CLAIMS_RECORDED_PER_PERSON`.
 */
export function staleClaims(claims: readonly ClientClaim[], owners: ReadonlyMap<number, OwnerKey>, unusedBefore: number): number[] {
  const unused = new Map<OwnerKey, ClientClaim[]>()
  const stale: number[] = []
  for (const claim of claims) {
    const logged = owners.get(claim.client)
    if (logged !== undefined) {
      if (logged === claim.owner) stale.push(claim.client)
    } else if (claim.claimedAt.getTime() < unusedBefore) {
      stale.push(claim.client)
    } else {
      const list = unused.get(claim.owner)
      if (list) list.push(claim)
      else unused.set(claim.owner, [claim])
    }
  }
  for (const list of unused.values()) {
    const newestFirst = [...list].sort((a, b) => b.claimedAt.getTime() - a.claimedAt.getTime())
    stale.push(...newestFirst.slice(CLAIMS_RECORDED_PER_PERSON).map(({ client }) => client))
  }
  return stale
}
