import type { Language, Person, Stage } from '@hemicycle/protocol'
import { readOnlyReason, type ReadOnlyReason, versionReadOnlyReason } from '@hemicycle/rules'

/**
 * What the authenticate hook decided about a connection, once, at the
 * upgrade. Everything downstream reads it instead of deciding again; only
 * the write right follows the resolution's stage as it changes.
 */
export interface ConnectionContext {
  person: Person
  /** The session the socket opened with: when it ends, the socket closes (4401). */
  sessionId: string
  resolutionId: string
  /** null: the original; otherwise the language version this socket edits, with rights of its own. */
  language: Language | null
  /** Whether this socket asked for "saved" acknowledgements (`?acks=1`). */
  wantsAcks: boolean
}

export function writeRefusal(context: ConnectionContext, stage: Stage): ReadOnlyReason | null {
  return context.language === null ? readOnlyReason(stage, context.person.role) : versionReadOnlyReason(stage, context.person.role)
}
