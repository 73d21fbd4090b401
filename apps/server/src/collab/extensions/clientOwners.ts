import type { Database } from '../../db/database.ts'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import { readClientClaims, readClientOwners, recordClientClaim } from '../storage.ts'

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
 */
export function clientOwners({ db, logger }: { db: Database; logger: Pick<Logger, 'error'> }): Extension {
  return {
    name: 'clientOwners',
    async onLoadDocument({ document }) {
      const { clients } = document.gate
      for (const [client, owner] of await readClientClaims(db, document.name)) clients.adopt(client, owner)
      for (const [client, owner] of await readClientOwners(db, document.name)) clients.adopt(client, owner)
      clients.onFirstClaim = (client, personId) => {
        recordClientClaim(db, document.name, client, personId).catch((error: unknown) =>
          logger.error('a client id claim could not be recorded', { document: document.name, client, error }),
        )
      }
    },
  }
}
