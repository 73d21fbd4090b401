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
  /** Documents with a repair queued, and whether it may give textblocks their text too (`all`) or only fix ids (`ids`). */
  const pending = new Map<LiveDocument, 'all' | 'ids'>()
  const repair = (document: LiveDocument, what: 'all' | 'ids') => {
    document.doc.transact(() => {
      const body = bodyOf(document.doc)
      repairYBlockIds(body)
      if (what === 'all') giveTextblocksText(body)
    }, SERVER_ORIGIN)
  }
  return {
    name: 'blockIds',
    async afterLoadDocument({ document }) {
      repair(document, 'all')
    },
    onChange({ document, origin, structural }) {
      // Typing inside texts cannot take an id away or leave a textblock without its text: the walk over the whole body is spared.
      if (!structural) return
      // A change taken on another instance was repaired there, but two instances can each take half of a duplicate
      // at once: ids are checked here too (two instances fixing one id converge on one value). Texts are not:
      // two instances each giving an empty paragraph its text would leave it two.
      const what = origin.kind === 'connection' ? 'all' : origin.kind === 'remote' ? 'ids' : null
      if (!what || pending.get(document) === 'all') return
      const scheduled = pending.has(document)
      pending.set(document, what)
      if (scheduled) return
      // After the update's own transaction, so the repair is a change of its own.
      queueMicrotask(() => {
        const queued = pending.get(document) ?? what
        pending.delete(document)
        try {
          if (!document.doc.isDestroyed) repair(document, queued)
        } catch (error) {
          // A microtask that throws ends the process; a missed repair is retried after the next change to the structure.
          logger.error('block ids could not be repaired', { resolutionId: document.resolutionId, error })
        }
      })
    },
  }
}
