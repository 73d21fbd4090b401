/**
 * What the editor knows about its link to the server, and the one status it
 * shows for it. "Saved" means the server has written every change typed here
 * to its database, not merely received it: a reload then loses nothing.
 */
export interface ConnectionFacts {
  socket: 'connecting' | 'connected' | 'disconnected'
  /** Whether this socket has finished exchanging states with the server. */
  synced: boolean
  /** Whether the document has been received once: the editor can show it from then on, even offline. */
  loaded: boolean
  /** Whether a socket was ever open: before that we are connecting, after it offline. */
  everConnected: boolean
  /** The Yjs clock of edits made in this tab. */
  typed: number
  /** Up to which clock the server has stored this tab's edits. */
  stored: number
  /** Why the server refuses this tab's edits, if it does, and how many refusals came so far. */
  denial: string | null
  denials: number
  /** The server closed the socket because the person's session ended (logout elsewhere, expiry): it will not reconnect. */
  sessionEnded: boolean
  /**
   * The server closed the socket for good for another reason (4400: a change
   * it will not take, such as one making a paragraph longer than it may be,
   * merged with someone else's): y-websocket does not reconnect after a 44xx
   * close, so this session will save nothing more.
   */
  closedForGood: { code: number; reason: string } | null
}

export type ConnectionStatus = 'connecting' | 'offline' | 'syncing' | 'saved' | 'online' | 'closed'

export const initialFacts: ConnectionFacts = {
  socket: 'connecting',
  synced: false,
  loaded: false,
  everConnected: false,
  typed: 0,
  stored: 0,
  denial: null,
  denials: 0,
  sessionEnded: false,
  closedForGood: null,
}

export function connectionStatus(facts: ConnectionFacts): ConnectionStatus {
  // Never "connecting" or "offline" for a socket that will not come back: a session closed before it had the document stays (a new one
  // would be closed the same way), and must say so rather than seem to wait.
  if (facts.closedForGood) return 'closed'
  if (facts.socket !== 'connected') return facts.everConnected ? 'offline' : 'connecting'
  if (!facts.synced || hasUnsavedChanges(facts)) return 'syncing'
  return facts.typed > 0 ? 'saved' : 'online'
}

export function hasUnsavedChanges(facts: ConnectionFacts): boolean {
  return facts.stored < facts.typed
}

/**
 * What the editor does once the session has ended: with nothing unsaved it
 * goes to the login page; with changes the server never stored it stays, so
 * the person can copy them before logging in again.
 */
export function afterSessionEnded(facts: ConnectionFacts): 'login' | 'stay' | null {
  if (!facts.sessionEnded) return null
  return hasUnsavedChanges(facts) ? 'stay' : 'login'
}
