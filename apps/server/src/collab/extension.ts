import type { Language, Stage } from '@hemicycle/protocol'
import type { Connection } from './connection.ts'
import type { ConnectionContext } from './context.ts'
import type { LiveDocument } from './liveDocument.ts'
import type { UpdateOrigin } from './origin.ts'
import type { DecodedUpdate } from './updateGuard.ts'
import type * as Y from 'yjs'

/**
 * The collaboration server is a chain of hooks; each concern (who may
 * connect, storage, block ids, other instances) is one extension
 * implementing the hooks it needs. They run in the order listed in
 * `extensions/index.ts`.
 */
export interface AuthenticatePayload {
  resolutionId: string
  /** null: the original; otherwise the language version asked for. */
  language: Language | null
  token: string | null
  wantsAcks: boolean
}

export interface DocumentPayload {
  document: LiveDocument
}

export interface ChangePayload extends DocumentPayload {
  update: Uint8Array
  origin: UpdateOrigin
  /** The change's number in this document on this instance (1, 2, …): the order in which every hook sees them. */
  seq: number
  /**
   * Whether the change touched the document's structure: an element or the
   * body gained or lost a child, or an attribute changed. False when it only
   * changed the characters or formatting inside texts, as typing does.
   */
  structural: boolean
  /** The Yjs transaction that made it (absent where a test calls a hook by hand). */
  transaction?: Y.Transaction
}

/** A connection's update as its client sent it, once the document took it (see `Extension.onReceive`). */
export interface ReceivePayload extends DocumentPayload {
  decoded: DecodedUpdate
  origin: Extract<UpdateOrigin, { kind: 'connection' }>
  /**
   * Whether it is the client's answer to the server's sync request: all it
   * has that the server lacked, with every deletion its text holds, however
   * old; a live update carries only what one of its transactions deleted.
   */
  relayed: boolean
  /** The state vector the client announced in its own sync request, as sent (a stock client sends it first): what it had. */
  announced: Uint8Array | null
}

export interface StagePayload extends DocumentPayload {
  stage: Stage
}

export interface AwarenessPayload extends DocumentPayload {
  update: Uint8Array
  origin: UpdateOrigin
}

export interface ConnectionPayload extends DocumentPayload {
  connection: Connection
}

export interface Extension {
  readonly name: string
  /** Decides, once, who is connecting. The first extension to return a context wins; throw an ApiError to refuse. */
  onAuthenticate?(payload: AuthenticatePayload): Promise<ConnectionContext | null>
  /** Fills a document that was just created in memory, before anyone sees it. */
  onLoadDocument?(payload: DocumentPayload): Promise<void>
  /** Runs once every extension has loaded: repairs, subscriptions. */
  afterLoadDocument?(payload: DocumentPayload): Promise<void>
  /** After every change to a live document, whatever its origin. Synchronous: queue work, do not await it. */
  onChange?(payload: ChangePayload): void
  /**
   * After the document took a connection's update, with the update as the
   * client sent it: Yjs leaves out of the change `onChange` sees the
   * deletions of what the text had deleted already, which say what the
   * client had not received. Synchronous, as `onChange`.
   */
  onReceive?(payload: ReceivePayload): void
  /** After a change of presence (carets, names). */
  onAwarenessUpdate?(payload: AwarenessPayload): void
  /**
   * The resolution moved to another stage on this instance (connections
   * here follow already): make every other instance holding the document
   * follow before resolving.
   */
  onStageChange?(payload: StagePayload): Promise<void>
  onConnect?(payload: ConnectionPayload): void
  onDisconnect?(payload: ConnectionPayload): void
  /** Makes every change so far durable. */
  onStoreDocument?(payload: DocumentPayload): Promise<void>
  /** The document leaves memory: last chance to tidy up (compaction, unsubscribing). */
  onUnloadDocument?(payload: DocumentPayload): Promise<void>
  onDestroy?(): Promise<void>
}
