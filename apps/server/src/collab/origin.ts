import type { Person } from '@hemicycle/protocol'

/**
 * Where a change to a live document came from: the transaction origin of
 * every Yjs update the server applies. Storage records it beside the update,
 * fan-out and broadcast use it to avoid echoes.
 */
export type UpdateOrigin =
  /** Typed by a person over a websocket. */
  | { kind: 'connection'; connectionId: string; person: Person }
  /**
   * Applied by the server when a chair accepted an amendment. `stored`: the
   * decision wrote this update to the log in its own transaction, before
   * anyone saw it.
   */
  | {
      kind: 'amendment'
      amendmentId: string
      person: Person
      stored?: true
      /** The change is an acceptance's: typing that lands in its words unseen is news (see `lateTyping`). */
      accepted?: true
      /** The change takes a decision back: typing that lands in its words unseen is news too, and the acceptance's record is gone. */
      reset?: true
      /** The live text's state vector the change was made from: whatever the text took since was typed without it (see `lateTyping`). */
      basis?: Uint8Array
      /** The change as made from `basis`: with what it deleted that others deleted meanwhile, which the change as applied leaves out (see `lateTyping`). */
      made?: Uint8Array
    }
  /** Made by the server itself (ids given to blocks, imports). */
  | { kind: 'server' }
  /** Read back from storage: already stored. */
  | { kind: 'storage' }
  /**
   * Received from another server instance, which stores it itself.
   * `decision`: the change is a decision's, whose words this instance
   * watches too, its connections' typing being checked here (see `lateTyping`).
   */
  | { kind: 'remote'; instanceId: string; decision?: WatchedDecision }

/** What a decision's change tells the late-typing watch of every instance holding the text, the one that took it and the others. */
export interface WatchedDecision {
  amendmentId: string
  /** Who took the decision back; absent for an acceptance. */
  resetBy?: string
  /** As the `amendment` origin's. */
  basis?: Uint8Array
  made?: Uint8Array
}

/** The decision a change is, for the late-typing watch: an acceptance or a reset made here, or one another instance made; null for anything else. */
export function watchedDecision(origin: UpdateOrigin): WatchedDecision | null {
  if (origin.kind === 'remote') return origin.decision ?? null
  if (origin.kind !== 'amendment' || !(origin.accepted || origin.reset)) return null
  return {
    amendmentId: origin.amendmentId,
    ...(origin.reset ? { resetBy: origin.person.id } : {}),
    ...(origin.basis && origin.made ? { basis: origin.basis, made: origin.made } : {}),
  }
}

export const isUpdateOrigin = (value: unknown): value is UpdateOrigin =>
  typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string'

/** Whether an update with this origin must be written to storage by this instance. */
export const needsStoring = (origin: UpdateOrigin) =>
  origin.kind === 'connection' || (origin.kind === 'amendment' && !origin.stored) || origin.kind === 'server'

export const SERVER_ORIGIN: UpdateOrigin = { kind: 'server' }
export const STORAGE_ORIGIN: UpdateOrigin = { kind: 'storage' }
