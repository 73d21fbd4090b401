import { bodyOf, giveTextblocksText, repairYBlockIds } from '@hemicycle/schema'
import type { Logger } from '../../logger.ts'
import { SERVER_ORIGIN } from '../origin.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'

/**
 * Every textblock has a unique id, whoever wrote it: the server assigns
 * missing ids when a document loads, and after changes from clients that do
 * not run the editor's id plugin (a stock y-websocket client, a script).
 * Every textblock also holds a text element, so that whoever fills an empty
 * paragraph first writes into the one everybody else writes into.
 */
export function blockIds({ logger }: { logger: Logger }): Extension {
  const pending = new Set<LiveDocument>()
  const repair = (document: LiveDocument) => {
    document.doc.transact(() => {
      const body = bodyOf(document.doc)
      repairYBlockIds(body)
      giveTextblocksText(body)
    }, SERVER_ORIGIN)
  }
  return {
    name: 'blockIds',
    async afterLoadDocument({ document }) {
      repair(document)
    },
    onChange({ document, origin, structural }) {
      // Typing inside texts cannot take an id away or leave a textblock without its text: the walk over the whole body is spared.
      if (origin.kind !== 'connection' || !structural || pending.has(document)) return
      pending.add(document)
      // After the update's own transaction, so the repair is a change of its own.
      queueMicrotask(() => {
        pending.delete(document)
        try {
          if (!document.doc.isDestroyed) repair(document)
        } catch (error) {
          // A microtask that throws ends the process; a missed repair is retried after the next change.
          logger.error('block ids could not be repaired', { resolutionId: document.resolutionId, error })
        }
      })
    },
  }
}
