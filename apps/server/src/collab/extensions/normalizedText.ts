import { textOpenToEditing, versionsFollowOriginal } from '@hemicycle/rules'
import { BODY, mayUnsettle, needsNormalizing, normalizeYText, textsChangedBy, textsIn } from '@hemicycle/schema'
import type { Logger } from '../../logger.ts'
import type { Composers } from '../composer.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import { SERVER_ORIGIN } from '../origin.ts'
import type * as Y from 'yjs'

/** Normalizes those of `texts` that need it, as one change of the server's. */
function normalizeTexts(document: LiveDocument, texts: Iterable<Y.XmlText>): void {
  document.doc.transact(() => {
    for (const text of texts) if ((text._item === null || !text._item.deleted) && needsNormalizing(text)) normalizeYText(text)
  }, SERVER_ORIGIN)
}

/**
 * Normalizes the whole text, whatever the stage and whoever composes it: the lock's last change to a text, once every
 * instance froze it and none composes any more (`resolutions/stages.ts`). Typing taken on another instance a moment
 * before the freeze reached the composer only after it froze, and would be hashed as typed (helper-173's L1).
 */
export function normalizeWhole(document: LiveDocument): void {
  normalizeTexts(document, textsIn(document.doc.getXmlFragment(BODY)))
}

/**
 * Text enters Hemicycle composed (NFC) and without bidi controls
 * (`normalizedText`); the editor composes what it types, a hand-written
 * client need not, and neither can compose an accent that another's
 * insert, or a deletion, set beside its letter. Such text reads as the
 * composed one, but its canonical Markdown (what the lock hashes and the
 * record attaches) imported again comes back composed: another text,
 * another hash. A bidi override shows one thing on screen and prints
 * another. So the texts a person's change touched, here or on another
 * instance, are normalized as the server's own change right after it (as
 * block ids are repaired), while the stage still lets anyone write them.
 *
 * By one instance only, the document's composer (`composer.ts`): two
 * compositions of one "e\u0301", each new content, merge into "éé". The
 * instance that becomes the composer normalizes the whole text at once:
 * what was typed while nobody composed (its composer died) is composed then.
 */
export function normalizedText({ logger, composers }: { logger: Logger; composers: Composers }): Extension {
  const pending = new Map<LiveDocument, Set<Y.XmlText>>()

  const normalize = (document: LiveDocument, texts: Iterable<Y.XmlText>) => {
    const open = document.language === null ? textOpenToEditing(document.stage) : versionsFollowOriginal(document.stage)
    // Never a change the stage forbids: a frozen text is hashed as it is.
    if (!open || document.doc.isDestroyed || !composers.composesHere(document)) return
    try {
      normalizeTexts(document, texts)
    } catch (error) {
      // Called in a microtask or a timer: a throw would end the process. The text stays as typed.
      logger.error('typed text could not be normalized', { resolutionId: document.resolutionId, error })
    }
  }

  return {
    name: 'normalizedText',
    async afterLoadDocument({ document }) {
      await composers.follow(document, () => normalize(document, textsIn(document.doc.getXmlFragment(BODY))))
    },
    onChange({ document, origin, transaction, update }) {
      // A person's change, made here or relayed from another instance; the server's own are written normalized.
      if ((origin.kind !== 'connection' && origin.kind !== 'remote') || !transaction || !composers.composesHere(document)) return
      // Typing prose is told from the typed piece alone: reading each paragraph typed into was most of this hook's time.
      if (!mayUnsettle(transaction, update)) return
      const texts = textsChangedBy(transaction)
      if (texts.length === 0) return
      const queued = pending.get(document)
      if (queued) {
        for (const text of texts) queued.add(text)
        return
      }
      pending.set(document, new Set(texts))
      // After the change's own transaction, so the composition is a change of its own.
      queueMicrotask(() => {
        const due = pending.get(document)
        pending.delete(document)
        if (due) normalize(document, due)
      })
    },
    async onUnloadDocument({ document }) {
      pending.delete(document)
      await composers.leave(document)
    },
    async onDestroy() {
      composers.stop()
    },
  }
}
