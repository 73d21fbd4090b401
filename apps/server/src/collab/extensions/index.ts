import type { Sessions } from '../../accounts/sessions.ts'
import type { Database } from '../../db/database.ts'
import type { LiveEvents } from '../../events/liveEvents.ts'
import type { Logger } from '../../logger.ts'
import type { CollabServer } from '../collabServer.ts'
import { Composers } from '../composer.ts'
import type { Extension } from '../extension.ts'
import type { Fanout } from '../fanout.ts'
import { readDecisionWatch } from '../storage.ts'
import { authentication } from './authentication.ts'
import { blockIds } from './blockIds.ts'
import { clientOwners } from './clientOwners.ts'
import { normalizedText } from './normalizedText.ts'
import { type LateTyping, lateTyping } from './lateTyping.ts'
import { memoryRelease, type MemoryReleaseOptions } from './memoryRelease.ts'
import { persistence, type PersistenceOptions } from './persistence.ts'
import { sharing } from './sharing.ts'
import { stageFollowing } from './stageFollowing.ts'
import { storedChanges } from './storedChanges.ts'
import { translationFollowing } from './translationFollowing.ts'
import type { TranslationService } from '../../translations/service.ts'

export interface ExtensionDependencies {
  db: Database
  sessions: Sessions
  fanout: Fanout
  instanceId: string
  events: LiveEvents
  /** The server these extensions serve (created after them). */
  collab: () => CollabServer
  /** The language versions, which follow their original (created after the server). */
  translations: () => TranslationService
  persistence: Omit<PersistenceOptions, 'db'>
  /** Giving back the memory of unloaded documents when the server is quiet; absent: never. */
  memoryRelease?: Omit<MemoryReleaseOptions, 'logger'>
  /** Records typing that landed unseen in an acceptance's words, and tells the people concerned (the amendments' service). */
  lateTyping: (typing: LateTyping) => Promise<void>
  /** How long a stage change waits for the other instances to follow. */
  fenceTimeoutMs?: number
  fenceHeardMs?: number
  /** How long the claim to compose a document's text lasts on the bus unless renewed (`composer.ts`). */
  composerClaimMs?: number
  /** How often open texts are compared with the log for changes other instances stored and never passed on (`storedChanges`); 0 or absent: never (one instance). */
  changesFromLogEveryMs?: number
  logger: Logger
}

/**
 * The collaboration server's extensions, in the order their hooks run.
 * Storage loads before sharing asks other instances for what it lacks, and
 * the owners of client ids are read from the same log; block ids are
 * repaired once the document is filled, and typed text normalized by the
 * one instance composing it; language versions follow;
 * acceptances' words are watched for typing made without them;
 * memory is given back once every other extension has let go of an
 * unloaded document.
 */
export function collabExtensions(deps: ExtensionDependencies): Extension[] {
  return [
    authentication({ db: deps.db, sessions: deps.sessions }),
    persistence({ db: deps.db, ...deps.persistence }),
    clientOwners({ db: deps.db, logger: deps.logger, now: deps.persistence.now }),
    sharing({ fanout: deps.fanout, instanceId: deps.instanceId, collab: deps.collab, logger: deps.logger, fenceTimeoutMs: deps.fenceTimeoutMs, heardForMs: deps.fenceHeardMs }),
    storedChanges({ db: deps.db, collab: deps.collab, logger: deps.logger, everyMs: deps.changesFromLogEveryMs ?? 0 }),
    stageFollowing({ events: deps.events, collab: deps.collab }),
    blockIds({ logger: deps.logger }),
    normalizedText({ logger: deps.logger, composers: new Composers({ fanout: deps.fanout, instanceId: deps.instanceId, logger: deps.logger, claimMs: deps.composerClaimMs }) }),
    translationFollowing({ translations: deps.translations }),
    lateTyping({ report: deps.lateTyping, stored: (name) => readDecisionWatch(deps.db, name), logger: deps.logger }),
    ...(deps.memoryRelease ? [memoryRelease({ ...deps.memoryRelease, logger: deps.logger })] : []),
  ]
}
