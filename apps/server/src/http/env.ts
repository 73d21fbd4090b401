import type { HttpBindings } from '@hono/node-server'
import type { Person } from '@hemicycle/protocol'
import type { AmendmentService } from '../amendments/service.ts'
import type { Passwords } from '../accounts/passwords.ts'
import type { Sessions } from '../accounts/sessions.ts'
import type { SessionWatch } from '../accounts/sessionWatch.ts'
import type { CollabServer } from '../collab/collabServer.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import type { ConnectionContext } from '../collab/context.ts'
import type { Database } from '../db/database.ts'
import type { LiveEvents } from '../events/liveEvents.ts'
import type { SavingHealth } from '../events/savingHealth.ts'
import type { EventStreams } from '../events/stream.ts'
import type { MeetingService } from '../meetings/service.ts'
import type { Notifications } from '../notifications/notifications.ts'
import type { ResolutionTurns } from '../resolutions/turns.ts'
import type { TranslationService } from '../translations/service.ts'

/** What every route can reach: storage, sessions, the live documents, and the clock. */
export interface Services {
  db: Database
  sessions: Sessions
  /** Hashes and checks passwords at the configured cost (PASSWORD_COST). */
  passwords: Passwords
  /** Closes sockets and event streams when their session ends. */
  sessionWatch: SessionWatch
  collab: CollabServer
  events: LiveEvents
  /** Whether this instance has changes of a resolution waiting for the database. */
  savingHealth: SavingHealth
  amendments: AmendmentService
  meetings: MeetingService
  /** Language versions: their alignment with the original, statuses, confirmations. */
  translations: TranslationService
  /** What people are told without asking. */
  notifications: Notifications
  /** The server-sent event streams open here, counted per session. */
  streams: EventStreams
  /** Procedural steps of one resolution, one at a time. */
  turns: ResolutionTurns
  now: () => Date
}

/** Hono's context variables, set by middleware before a handler runs. */
export interface AppEnv {
  /** The Node request and response beneath (absent when the app answers in-process, `app.request()`). */
  Bindings: Partial<HttpBindings>
  Variables: {
    person: Person
    /** The id of the session the request came with (the hash of its token). */
    sessionId: string
    collab: { context: ConnectionContext; document: LiveDocument }
  }
}
