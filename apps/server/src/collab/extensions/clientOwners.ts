import type { Database } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import { type ClientClaim, forgetClientClaims, readClientClaims, readClientOwners, recordClientClaim } from '../storage.ts'
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
      clients.onFirstClaim = (client, personId) => {
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

/** The claims the log has made redundant, or that stayed unused since before `unusedBefore` (ms). */
export function staleClaims(claims: readonly ClientClaim[], owners: ReadonlyMap<number, OwnerKey>, unusedBefore: number): number[] {
  return claims
    .filter(({ client, owner, claimedAt }) => {
      const logged = owners.get(client)
      return logged === undefined ? claimedAt.getTime() < unusedBefore : logged === owner
    })
    .map(({ client }) => client)
}
