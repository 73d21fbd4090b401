import type { Database } from '../../db/database.ts'
import type { Extension } from '../extension.ts'
import { readClientOwners } from '../storage.ts'

/**
 * Ownership of client ids outlives the process: when a document loads, the
 * ids its update log records belong to whoever's rows carry them, so a
 * person's tab reconnecting after a restart keeps writing under its id and
 * nobody else can. (The collaboration server then gives every other id in
 * the document to the server, and picks the server's own.)
 */
export function clientOwners({ db }: { db: Database }): Extension {
  return {
    name: 'clientOwners',
    async onLoadDocument({ document }) {
      for (const [client, owner] of await readClientOwners(db, document.name)) document.gate.clients.adopt(client, owner)
    },
  }
}
