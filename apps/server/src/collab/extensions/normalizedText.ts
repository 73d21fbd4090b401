import { readOnlyReason, versionReadOnlyReason } from '@hemicycle/rules'
import { changesMadeBy, mayUnsettle, needsNormalizing, normalizeYText, textsChangedBy } from '@hemicycle/schema'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import { SERVER_ORIGIN } from '../origin.ts'
import type * as Y from 'yjs'

/**
 * Text enters Hemicycle composed (NFC) and without bidi controls
 * (`normalizedText`); the editor composes what it types, a hand-written
 * client need not, and neither can compose an accent that another's
 * insert, or a deletion, set beside its letter. Such text reads as the
 * composed one, but its canonical Markdown (what the lock hashes and the
 * record attaches) imported again comes back composed: another text,
 * another hash. A bidi override shows one thing on screen and prints
 * another. So the texts a connection's change touched are normalized
 * here, as the server's own change right after it (as block ids are
 * repaired), while the stage still lets that person write.
 *
 * Only what those changes wrote or brought together is composed: another
 * instance composes what its own connections made, and two compositions of
 * one "e\u0301", each new content, merge into "éé" (helper-169: a
 * connection here touched the paragraph between another instance's typing
 * reaching this one and its composition following it).
 */
export function normalizedText({ logger }: { logger: Logger }): Extension {
  const pending = new Map<LiveDocument, { texts: Set<Y.XmlText>; made: Array<{ update: Uint8Array; transaction: Y.Transaction }>; person: { role: Parameters<typeof readOnlyReason>[1] } }>()
  return {
    name: 'normalizedText',
    onChange({ document, update, origin, transaction }) {
      // Typing prose is told from the typed piece alone: reading each paragraph typed into was most of this hook's time.
      if (origin.kind !== 'connection' || !transaction || !mayUnsettle(transaction)) return
      const texts = textsChangedBy(transaction).filter(needsNormalizing)
      if (texts.length === 0) return
      const queued = pending.get(document)
      if (queued) {
        for (const text of texts) queued.texts.add(text)
        queued.made.push({ update, transaction })
        return
      }
      pending.set(document, { texts: new Set(texts), made: [{ update, transaction }], person: origin.person })
      // After the change's own transaction, so the composition is a change of its own.
      queueMicrotask(() => {
        const { texts: due, made, person } = pending.get(document)!
        pending.delete(document)
        const refusal = document.language === null ? readOnlyReason(document.stage, person.role) : versionReadOnlyReason(document.stage, person.role)
        // Never a change the stage forbids: a frozen text is hashed as it is.
        if (refusal !== null || document.doc.isDestroyed) return
        try {
          document.doc.transact(() => {
            const answering = changesMadeBy(made)
            for (const text of due) if (text._item === null || !text._item.deleted) normalizeYText(text, { answering })
          }, SERVER_ORIGIN)
        } catch (error) {
          // A microtask that throws ends the process; the text stays as typed.
          logger.error('typed text could not be normalized', { resolutionId: document.resolutionId, error })
        }
      })
    },
  }
}
