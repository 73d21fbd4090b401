/**
 * The y-websocket wire protocol as Hemicycle speaks it. Message types are the
 * ones every stock y-websocket client uses; the close codes and limits are
 * Hemicycle's, shared so the client can explain a closed connection.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * Hemicycle's one addition: the state vector of what is durably stored,
   * sent after each write to storage to connections that opened with
   * `?acks=1`, so an editor can show "saved" truthfully. Stock clients never
   * ask for it and never receive it.
   */
  Saved: 100,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** The largest websocket frame the server reads; larger ones close the connection with `CloseCode.BadMessage`. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

/**
 * What the server lets pile up unread for one socket (sent, not yet taken by
 * the client) before it drops that socket at once, with no close frame (one
 * would wait behind what is unread): a client that asks and never reads
 * would otherwise have the server hold everything it asked for. The client
 * sees an abnormal closure (1006); a stock y-websocket client reconnects and
 * syncs afresh.
 */
export const MAX_UNREAD_BYTES = 16 * 1024 * 1024

/** Websocket close codes (4000–4999 are free for applications), each with the reason sent along. */
export const CloseCode = {
  /**
   * The frame could not be decoded, was too large, or carried an update the
   * server refuses: under another person's client id, depending on changes
   * the server does not have, or outside the body's shape and limits.
   */
  BadMessage: 4400,
  /** The session ended or expired while the socket was open. */
  Unauthorized: 4401,
  /** The same editor (its Yjs client id) reconnected on another socket; this one is stale. */
  Superseded: 4409,
  /** The resolution no longer exists. */
  NotFound: 4404,
  /**
   * This instance's copy was put away and the text is read again from what
   * is stored: another instance had taken different changes under the same
   * ids (a hand-written client), or a change taken there could not be
   * placed here without walking a long chain of rival items; or, sent to one
   * socket only, its update said other words than the text under ids the
   * text holds. A copy held here may differ from the stored text, or hold
   * that chain: open it afresh
   * (in 4400-4499, so a stock client does not reconnect with it).
   */
  Diverged: 4410,
  /**
   * The copy holds, shown or typed on, other people's changes the server
   * never got (heard on an instance that died before storing them), and
   * their authors have not brought them back in time: open the text afresh,
   * offering back what the copy had (in 4400-4499, so a stock client does
   * not reconnect with it).
   */
  OthersLost: 4411,
  /**
   * The session holds as many sockets as it may on this server
   * (MAX_SOCKETS_PER_SESSION), counted as they opened; in 4400-4499, so a
   * stock client does not reconnect into the same refusal.
   */
  TooManyConnections: 4429,
  /** The server is shutting down; reconnect. */
  ServerShutdown: 4503,
  /**
   * The person's role, delegation or name changed while the socket was open;
   * reconnect, to go on under the new ones (outside 4400-4499, so a stock
   * y-websocket client does).
   */
  AccountChanged: 4205,
  /**
   * The connection may write again (a stage move was undone, or refused
   * once the text had frozen for it) and changes it sent meanwhile were
   * refused: reconnect, to send them again (outside 4400-4499, so a stock
   * y-websocket client does).
   */
  WriteRestored: 4206,
  /**
   * The person asked for what their copy lacks too often, over all their
   * sockets (see the server's SyncBudget); reconnect a little later (outside
   * 4400-4499, so a stock y-websocket client does, with its backoff).
   */
  AskedTooOften: 4207,
  /**
   * What the client sent builds on, or deletes, another person's changes the
   * server never received (its copy heard them on an instance that died;
   * they reach the server when that person's tab comes back): reconnect a
   * little later, to send it again (outside 4400-4499, so a stock
   * y-websocket client does, with its backoff). What of an answer to the
   * sync request stands without them is taken before the close.
   */
  WaitingForOthers: 4208,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
