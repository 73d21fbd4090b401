import { randomUUID } from 'node:crypto'
import { AWARENESS_INTERVAL_MS, CloseCode, MAX_MESSAGE_BYTES, MAX_UNREAD_BYTES, MessageType, presenceOf } from '@hemicycle/protocol'
import type { ReadOnlyReason } from '@hemicycle/rules'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as authProtocol from 'y-protocols/auth'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import { type AwarenessEntry, decodeAwareness, encodeAwareness, type EntryVerdict, type ReadEntry, screenState } from './awarenessGuard.ts'
import type { ClientHolder } from './clientIds.ts'
import { AwaitedDeletions } from './awaitedDeletions.ts'
import { type ConnectionContext, writeRefusal } from './context.ts'
import type { LiveDocument } from './liveDocument.ts'
import { LOST_CHANGES_GRACE_MS, MAX_LOST_IDS_PER_PERSON } from './lostChanges.ts'
import type { UpdateOrigin } from './origin.ts'
import type { HandlingBudget } from './handlingBudget.ts'
import type { SyncBudget } from './syncBudget.ts'
import { type Awaited, shownBeyond } from './updateGate.ts'
import { changesDocument, decodeUpdate, refuseUpdate } from './updateGuard.ts'

/** The part of a websocket a connection needs (`websocket.ts` makes one of a ws WebSocket). */
export interface Socket {
  readonly readyState: number
  /** Bytes sent to this socket and not yet handed to the network (the client is not reading them). */
  readonly bufferedAmount: number
  send(data: Uint8Array): void
  /** Sends a message that many sockets are sent in the same turn (a broadcast): it may be framed once for all of them. */
  sendShared(data: Uint8Array): void
  close(code: number, reason: string): void
  /** Drops the connection at once, with whatever it still holds unsent. */
  terminate(): void
  /** Stops reading from the network (what was read already may still arrive), until `resume`. */
  pause(): void
  resume(): void
}

/** A message the protocol cannot accept: the connection closes with `CloseCode.BadMessage` and this reason. */
class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number = CloseCode.BadMessage,
  ) {
    super(message)
  }
}

const OPEN = 1

const READ_ONLY_MESSAGES: Record<ReadOnlyReason, string> = {
  observer: 'observer: observers follow the text but do not edit it',
  stage: 'stage: the text cannot be edited directly at this stage',
  role: 'role: your role does not edit this text',
}

/** Reads a length-prefixed byte array, refusing a length that runs past the message. */
function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder)
  if (length > decoder.arr.length - decoder.pos) throw new ProtocolError('truncated message')
  return decoding.readUint8Array(decoder, length)
}

/** The shortest time between two sync requests (sync step 1) of one connection that holds part of the document: a stock y-websocket client sends one when it connects. */
export const SYNC_REQUEST_INTERVAL_MS = 1000

/**
 * How many more clients a sync request's state vector may name than the
 * document has: a tab back after a cut names the ids it wrote under
 * offline, and the ids of others' changes this instance has not heard yet.
 * Each entry is decoded and kept: 140,000 of them, sixteen times at once,
 * held the server two seconds for a document of 8 KB.
 */
export const MAX_UNKNOWN_CLIENTS = 1024

/**
 * How many messages of one connection are handled in one turn of the event
 * loop; the rest wait, in order, for the next turns, and the socket reads
 * no more meanwhile, so a client sending faster than the server can handle
 * is slowed to its pace. One network read can hold tens of thousands of
 * small frames: a delegate sending a keystroke and its deletion a frame had
 * them all handled in one go, and held everyone's editing for seconds.
 */
export const MESSAGES_PER_TURN = 1000

/** The shortest time between two answered presence queries (message type 3) of one connection. */
export const PRESENCE_REQUEST_INTERVAL_MS = 1000

/** A message as read from a frame: a sync step with its payload, presence, a question for presence, or an auth message. */
type Frame =
  | { type: typeof MessageType.Sync; step: number; payload: Uint8Array }
  | { type: typeof MessageType.Awareness; payload: Uint8Array }
  | { type: typeof MessageType.QueryAwareness }
  | { type: typeof MessageType.Auth }

const SYNC_STEPS: readonly number[] = [syncProtocol.messageYjsSyncStep1, syncProtocol.messageYjsSyncStep2, syncProtocol.messageYjsUpdate]

/**
 * Reads a message through to its end before anything acts on it: a message
 * with anything after its end is refused before any of it is applied (it
 * was refused after its update had been applied, stored and sent to
 * everyone).
 */
function readFrame(bytes: Uint8Array): Frame {
  const decoder = decoding.createDecoder(bytes)
  const type = decoding.readVarUint(decoder)
  let frame: Frame
  if (type === MessageType.Sync) {
    const step = decoding.readVarUint(decoder)
    if (!SYNC_STEPS.includes(step)) throw new ProtocolError(`unknown sync message ${step}`)
    frame = { type, step, payload: readBytes(decoder) }
  } else if (type === MessageType.Awareness) frame = { type, payload: readBytes(decoder) }
  else if (type === MessageType.Auth) {
    // Clients have nothing to ask here; a stock client never sends it.
    readBytes(decoder)
    frame = { type }
  } else if (type === MessageType.QueryAwareness) frame = { type }
  else throw new ProtocolError(`unknown message type ${type}`)
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message')
  return frame
}

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  let out = reason
  while (new TextEncoder().encode(out).length > 123) out = out.slice(0, -1)
  return out
}

/**
 * What a client may send, before answering the sync request, that builds on
 * its own changes the answer brings (`Connection.early`): the keystrokes of
 * the moment a socket reopens.
 */
export const MAX_EARLY_UPDATES = 256
export const MAX_EARLY_BYTES = 256 * 1024

/** Why a tab that shows or builds on others' changes the server never got, past the grace, is closed (4411): the web client opens the text afresh and offers back what it had. */
const LOST_CHANGES_REASON = "your copy holds others' changes the server never got and their authors have not brought: open the text afresh"

/** An update that waited for the answer to the sync request (`Connection.early`), queued as a message of its own. */
class HeldUpdate {
  constructor(readonly update: Uint8Array) {}
}

/**
 * One websocket speaking the y-websocket protocol for one person on one
 * document. Every frame is checked before anything is applied: size, that it
 * decodes, that an update touches only the body, the person's right to
 * write at the document's current stage, and then, on a copy of the
 * document, that it writes only under client ids this connection owns,
 * integrates at once and keeps the body's shape. A refused update closes
 * the connection (4400) with the document unchanged; one that only lacks the
 * sender's own changes, sent before its answer to the sync request brings
 * them, waits for that answer (`early`). An unexpected error
 * closes this connection and is logged; it never reaches the process.
 */
export class Connection implements ClientHolder {
  readonly id = randomUUID()
  /** Awareness client ids this socket speaks for, removed when it closes. */
  readonly awarenessClients = new Set<number>()
  readonly origin: Extract<UpdateOrigin, { kind: 'connection' }>
  private closed = false
  /** Messages handled in this turn of the event loop, and those waiting for the next (`MESSAGES_PER_TURN`). */
  private handledThisTurn = 0
  private waiting: unknown[] | null = null
  /** Presence waiting for its turn: at most one awareness update per `AWARENESS_INTERVAL_MS` reaches the others. */
  private readonly awarenessQueue = new Map<number, AwarenessEntry>()
  private awarenessTimer: NodeJS.Timeout | null = null
  private lastAwarenessAt = Number.NEGATIVE_INFINITY
  /**
   * Whether the client has answered the server's one sync request. Only that
   * answer may carry changes of others the server lacks (left out, at the
   * cost of a copy of the document); any later one is read as a live update.
   */
  private answeredSync = false
  /**
   * Updates that came before that answer and build on changes of the
   * sender's own the server does not have yet: what a tab typed while cut off
   * and then, as its socket reopened, typed on top. A stock client sends each
   * keystroke at once, ahead of its answer, which brings what they build on;
   * they are applied after it (refused then if they still cannot be).
   */
  private early: Uint8Array[] = []
  private earlyBytes = 0
  /** Per id of this connection, the stored clock it was last told (`sendSaved`); null until the first acknowledgement. */
  private toldSaved: Map<number, number> | null = null
  /** Whether changes it sent were refused because it could not write (see `writeRestored`). */
  private refusedChanges = false
  /** Whether a presence message came already: only the first (a stock client's own entry, sent as it opens) may introduce an id at a clock no newer. */
  private heardPresence = false
  /** Whether the client asked for the document already: a client that has some may be a tab back from a dropped socket (see `receiveSync`). */
  private askedSync = false
  /** When the server last answered a sync request of this connection holding part of the document (see `SYNC_REQUEST_INTERVAL_MS`). */
  private lastSyncAnswerAt = Number.NEGATIVE_INFINITY
  /** When the server last answered a presence query of this connection (see `PRESENCE_REQUEST_INTERVAL_MS`). */
  private lastPresenceAnswerAt = Number.NEGATIVE_INFINITY
  /** The state vector the client sent with its sync request, as sent: what it had (see `Extension.onReceive`). */
  private announced: Uint8Array | null = null
  /** Deletions its answers made of others' content the server lacked: once the server holds it, the client is asked again. */
  private readonly awaited: AwaitedDeletions
  /** Whether the server asked the client for its state again: its next answer is read as the first was (`relayed`). */
  private askedAgain = false
  /** The client ids under which the tab's answers showed, or built on, others' changes the server lacked (`LostChanges`), and the timer that looks again. */
  private readonly heldLost = new Set<number>()
  private lostTimer: NodeJS.Timeout | null = null
  /** Ids this connection introduced with a state not yet passed on: once it is, the client is asked to renew it (see `flushAwareness`). */
  private readonly introduced = new Set<number>()

  constructor(
    readonly socket: Socket,
    readonly context: ConnectionContext,
    readonly document: LiveDocument,
    private readonly logger: Logger,
    private readonly syncBudget: SyncBudget,
    private readonly handlingBudget: HandlingBudget,
    /** How long the tab may show others' changes the server lacks (`LostChanges`). */
    private readonly lostChangesGraceMs: number = LOST_CHANGES_GRACE_MS,
  ) {
    this.origin = { kind: 'connection', connectionId: this.id, person: context.person }
    this.awaited = new AwaitedDeletions(document.doc, document.awaitedIds, context.person.id, () => this.askAgain())
  }

  get person() {
    return this.context.person
  }

  get personId(): string {
    return this.context.person.id
  }

  /** The same person's newer connection took over a client id of this one: this is a socket the client has left. */
  supersede(): void {
    this.close(CloseCode.Superseded, 'the same editor reconnected on another connection')
  }

  /** Opens the exchange: the server's state vector, who else is here, and a read-only notice if it applies. */
  start(): void {
    this.send(message(MessageType.Sync, (encoder) => syncProtocol.writeSyncStep1(encoder, this.document.doc)))
    const present = this.document.everyonePresent()
    if (present) this.sendShared(present)
    const refusal = this.refusal()
    if (refusal) this.denyWrite(refusal)
  }

  refusal(): ReadOnlyReason | null {
    return writeRefusal(this.context, this.document.stage)
  }

  receive(data: unknown): void {
    if (this.closed) return
    if (this.waiting) {
      this.waiting.push(data)
      return
    }
    this.countTurn(1)
    const waitMs = this.handlingBudget.waitMs(this.personId)
    if (this.handledThisTurn > MESSAGES_PER_TURN || waitMs > 0) {
      this.waiting = [data]
      this.socket.pause()
      this.handleWaitingIn(waitMs)
      return
    }
    this.handle(data)
  }

  /** In the next turn, or once the person's budget has refilled (`HandlingBudget`). */
  private handleWaitingIn(ms: number): void {
    if (ms > 0) setTimeout(() => this.handleWaiting(), Math.ceil(ms))
    else setImmediate(() => this.handleWaiting())
  }

  /**
   * The messages that waited, as many as a turn and the person's budget allow; then again later, or the socket reads
   * again. Each is taken off the queue before it is handled, so what handling it puts first (`receiveEarly`) comes next.
   */
  private handleWaiting(): void {
    const waiting = this.waiting
    if (!waiting || this.closed) {
      this.waiting = null
      return
    }
    let handled = 0
    let waitMs = 0
    while (waiting.length > 0 && handled < MESSAGES_PER_TURN && (waitMs = this.handlingBudget.waitMs(this.personId)) === 0) {
      // Counted in this turn too: resuming may hand over, at once, what the socket read meanwhile.
      this.countTurn(1)
      handled++
      this.handle(waiting.shift())
      if (this.closed) return
    }
    if (waiting.length > 0) return this.handleWaitingIn(waitMs)
    this.waiting = null
    this.socket.resume()
  }

  private countTurn(messages: number): void {
    if (this.handledThisTurn === 0) setImmediate(() => (this.handledThisTurn = 0))
    this.handledThisTurn += messages
  }

  /** Handles one message, charging the time it took to the person's budget. */
  private handle(data: unknown): void {
    const started = performance.now()
    try {
      this.handleMessage(data)
    } finally {
      this.handlingBudget.charge(this.personId, performance.now() - started)
    }
  }

  private handleMessage(data: unknown): void {
    if (data instanceof HeldUpdate) return this.guarded(() => this.receiveUpdate(data.update, { relayed: false }))
    if (!(data instanceof ArrayBuffer)) return this.close(CloseCode.BadMessage, 'text frames are not part of the protocol')
    if (data.byteLength > MAX_MESSAGE_BYTES) {
      return this.close(CloseCode.BadMessage, `message of ${data.byteLength} bytes is over the limit of ${MAX_MESSAGE_BYTES}`)
    }
    this.guarded(() => this.dispatch(new Uint8Array(data)))
  }

  /** Runs a message's handling: a protocol error closes the connection with its code, anything else is logged and closes it too. */
  private guarded(run: () => void): void {
    try {
      run()
    } catch (error) {
      if (!(error instanceof ProtocolError)) this.logger.warn('a message could not be read', { resolutionId: this.document.resolutionId, error })
      this.close(error instanceof ProtocolError ? error.code : CloseCode.BadMessage, error instanceof ProtocolError ? error.message : 'malformed message')
    }
  }

  private dispatch(bytes: Uint8Array): void {
    const frame = readFrame(bytes)
    switch (frame.type) {
      case MessageType.Sync:
        return this.receiveSync(frame.step, frame.payload)
      case MessageType.Awareness:
        return this.receiveAwareness(frame.payload)
      case MessageType.QueryAwareness: {
        // Each answer is everyone's presence (about 150 KB with 240 carets), for one byte asked: one a second, the others
        // left unanswered. A stock client never asks; it answers the server's own queries.
        const now = performance.now()
        if (now - this.lastPresenceAnswerAt < PRESENCE_REQUEST_INTERVAL_MS) return
        // Over all of the person's sockets too, from a budget of its own: 200 sockets of one person each asking once a
        // second were 54 MB a second to write, even encoded once.
        if (!this.syncBudget.take(`presence:${this.person.id}`)) return
        this.lastPresenceAnswerAt = now
        const present = this.document.everyonePresent()
        if (present) this.sendShared(present)
        return
      }
      case MessageType.Auth:
        return
    }
  }

  private receiveSync(step: number, payload: Uint8Array): void {
    switch (step) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = payload
        // A client with nothing yet (an empty state vector) gets the state every newcomer gets, encoded once.
        const newcomer = stateVector.length === 1 && stateVector[0] === 0
        if (!newcomer) {
          // Its first number is how many clients it names: read before anything is decoded.
          const named = decoding.readVarUint(decoding.createDecoder(stateVector))
          if (named > this.document.doc.store.clients.size + MAX_UNKNOWN_CLIENTS) throw new ProtocolError(`the state vector names ${named} clients, more than the document could have`)
          // Any other answer is what the client lacks, encoded anew from the whole document: one observer's 150 requests
          // of six bytes held the server 8 s on a 1.8 MB text. A stock client asks once per connection.
          const now = performance.now()
          if (now - this.lastSyncAnswerAt < SYNC_REQUEST_INTERVAL_MS) throw new ProtocolError('the document was asked for again within a second')
          // Over all of the person's sockets too: new sockets would each ask once.
          if (!this.syncBudget.take(this.person.id)) return this.close(CloseCode.AskedTooOften, 'the document was asked for too often: reconnect a little later')
          this.lastSyncAnswerAt = now
        }
        // A client with some of the document may be a tab back from a dropped socket, holding the clocks it last heard the
        // others at: they renew (a new tab has heard nobody, and a socket that asks for nothing costs the others nothing).
        if (!newcomer && !this.askedSync) this.document.renewPresence({ elsewhere: true, asker: this })
        this.askedSync = true
        this.announced ??= stateVector
        this.document.afterOwnChanges(() => {
          if (this.closed || this.document.doc.isDestroyed) return
          this.send(newcomer ? this.document.stateForNewcomer() : message(MessageType.Sync, (encoder) => syncProtocol.writeSyncStep2(encoder, this.document.doc, stateVector)))
        })
        return
      }
      case syncProtocol.messageYjsSyncStep2: {
        const relayed = !this.answeredSync || this.askedAgain
        this.answeredSync = true
        this.askedAgain = false
        this.receiveUpdate(payload, { relayed })
        if (relayed) this.receiveEarly()
        return
      }
      case syncProtocol.messageYjsUpdate:
        this.receiveUpdate(payload, { relayed: false })
    }
  }

  private receiveUpdate(update: Uint8Array, { relayed }: { relayed: boolean }): void {
    const decoded = decodeUpdate(update)
    const invalid = refuseUpdate(decoded ?? update)
    if (invalid) throw new ProtocolError(invalid)
    const refusal = this.refusal()
    if (refusal) {
      // It may not write, but may show others' changes lost where it heard them: the same grace as a writer's tab.
      const lost = relayed && decoded ? shownBeyond(this.document.doc, decoded, this.document.gate.clients.heldBy(this)) : undefined
      if (lost) {
        this.noteLost(lost)
        this.lookAgainAtLost()
      }
      // A reconnecting read-only client resends what the server already has; only real changes are refused aloud.
      if (changesDocument(this.document.doc, update)) {
        this.refusedChanges = true
        this.denyWrite(refusal)
      }
      return
    }
    // Once one update waits for the answer, those after it wait too, unexamined: examining one that cannot enter
    // costs a copy of the whole document, and a client that never answers could send thousands.
    if (this.early.length > 0 && !this.answeredSync) return this.holdEarly(update)
    const { admitted, awaiting, waitsForOthers, lost, refused, ownLacking, diverged, othersLacking } = this.document.gate.admit(update, this, { relayed, decoded })
    if (lost) this.noteLost(lost)
    if (refused !== undefined) {
      if (ownLacking && !this.answeredSync) return this.holdEarly(update)
      if (othersLacking) this.refuseIfLostTooLong()
      // A copy that reads otherwise than the text is opened afresh, as one another instance put away is. A tab whose own
      // typing after a crash builds on someone else's the server lacks comes back later, to send it again once that
      // person's tab has brought theirs: closed for good (4400), it lost that typing and could write no more.
      const code = diverged ? CloseCode.Diverged : othersLacking ? CloseCode.WaitingForOthers : CloseCode.BadMessage
      throw new ProtocolError(`the update was refused: ${refused}`, code)
    }
    try {
      this.document.gate.applyAdmitted(() => Y.applyUpdate(this.document.doc, admitted, this.origin))
    } catch (error) {
      // The copy took it, so this is a fault of the server's own, not of the client.
      this.logger.error('an admitted update failed on the live document', { resolutionId: this.document.resolutionId, error })
      throw new ProtocolError('the server could not apply the update')
    }
    if (decoded) this.document.received({ decoded, origin: this.origin, relayed, announced: this.announced })
    if (waitsForOthers) {
      this.refuseIfLostTooLong()
      throw new ProtocolError('the rest of your changes build on another person\'s the server does not have yet: send them again later', CloseCode.WaitingForOthers)
    }
    if (awaiting) this.awaited.add(awaiting)
    if (lost) {
      this.refuseIfLostTooLong()
      this.lookAgainAtLost()
    }
  }

  /** Whose lost changes these are (`LostChanges`): the person's, in this text, across reconnections and the text's reloads. */
  private get lostKey(): string {
    return `${this.document.name}\n${this.personId}`
  }

  /** Others' changes the tab's answer showed or built on, that the server lacks: followed from the first time seen. */
  private noteLost(lost: Awaited): void {
    for (const client of this.document.lostChanges.note(this.lostKey, lost, this.document.doc)) {
      if (this.heldLost.size < MAX_LOST_IDS_PER_PERSON) this.heldLost.add(client)
    }
  }

  /**
   * The tab has shown, or built on, others' changes the server lacks for longer than the grace: it opens the text
   * afresh, where the web client offers back what it had that the text lacks. A tab whose typing stands on words the
   * server will never get (it typed where it had deleted them: Yjs places it after them) came back with 4208 for good.
   */
  private refuseIfLostTooLong(): void {
    if (this.document.lostChanges.standing(this.lostKey, this.heldLost, this.document.doc, this.lostChangesGraceMs) !== 'late') return
    throw new ProtocolError(LOST_CHANGES_REASON, CloseCode.OthersLost)
  }

  /** Looks again when the first of the others' changes the tab shows will be past the grace, while the server still lacks some. */
  private lookAgainAtLost(): void {
    if (this.lostTimer || this.closed) return
    const standing = this.document.lostChanges.standing(this.lostKey, this.heldLost, this.document.doc, this.lostChangesGraceMs)
    if (standing === 'held') return
    if (standing === 'late') return this.close(CloseCode.OthersLost, LOST_CHANGES_REASON)
    this.lostTimer = setTimeout(() => {
      this.lostTimer = null
      this.lookAgainAtLost()
    }, standing)
    this.lostTimer.unref()
  }

  /**
   * The server now holds content the client's answer deleted: the client is asked for its state again, in the next turn
   * (the change that brought it is being handled). It answers with every deletion it made, read as its first answer was,
   * and those of content the server still lacks are awaited anew.
   */
  private askAgain(): void {
    if (this.askedAgain) return
    this.askedAgain = true
    setImmediate(() => {
      if (this.closed || this.document.doc.isDestroyed) return
      this.send(message(MessageType.Sync, (encoder) => syncProtocol.writeSyncStep1(encoder, this.document.doc)))
    })
  }

  /** Keeps an update until the client answers the sync request (`early`): a few keystrokes, not a stream. */
  private holdEarly(update: Uint8Array): void {
    if (this.early.length >= MAX_EARLY_UPDATES || this.earlyBytes + update.byteLength > MAX_EARLY_BYTES) {
      throw new ProtocolError(`at most ${MAX_EARLY_UPDATES} updates (${MAX_EARLY_BYTES / 1024} KiB) may wait for the answer to the sync request`)
    }
    this.early.push(update)
    this.earlyBytes += update.byteLength
  }

  /**
   * The updates held until the client answered the sync request (`early`), in the order they came, next in line before
   * anything the socket sent after: each then a message of its own, within the turn's count and the person's budget.
   * Handled here at once, 64 small updates of rival items held behind one kept the event loop 4.5–8 s (256 may wait).
   */
  private receiveEarly(): void {
    const held = this.early.map((update) => new HeldUpdate(update))
    this.early = []
    this.earlyBytes = 0
    if (held.length === 0) return
    if (this.waiting) {
      this.waiting.unshift(...held)
      return
    }
    this.waiting = held
    this.socket.pause()
    this.handleWaitingIn(0)
  }

  /**
   * Presence for the client ids this connection introduced (introducing an
   * id claims it, as writing under it does), in the shape carets need, under
   * the name the server knows, at most a few KiB a state and one update per
   * interval; entries for anyone else's id are dropped.
   */
  private receiveAwareness(update: Uint8Array): void {
    const presence = presenceOf(this.person)
    const { clients } = this.document.gate
    // A stock client sends back every presence it hears: others' entries, and any the server holds a state for at that clock
    // or later, are dropped unread. One no newer in the first message still introduces the id (a tab coming back with the
    // clock it had, here or from another instance, which may still hold its state; not an echoed removal, see
    // `decodeAwareness`), and the tab is asked to renew it (`askToRenew`).
    const { meta } = this.document.awareness
    const first = !this.heardPresence
    this.heardPresence = true
    const verdict = (client: number, clock: number): EntryVerdict => {
      if (clients.refusal(client, this, { takeOver: false })) return 'drop'
      if (clock > (meta.get(client)?.clock ?? -1)) return 'read'
      // An id this connection does not hold, at a clock no newer, in a later message or from a connection holding ids of its own:
      // a stock tab's echo of the same person's other tab, crossing that tab's removal. A returning tab sends its own entry first,
      // as it opens; if that was refused (its old socket still held the id), the old socket's removal makes it renew later.
      return !first || clients.introducedOthers(this, client) ? 'drop' : 'id'
    }
    let entries: ReadEntry[]
    try {
      entries = decodeAwareness(update, verdict)
    } catch (error) {
      throw new ProtocolError(`presence: ${error instanceof Error ? error.message : 'malformed'}`)
    }
    const unseen: ReadEntry[] = []
    for (const entry of entries) {
      if (clients.refusal(entry.client, this, { takeOver: false })) continue
      if (entry.state !== undefined && entry.state !== null && !this.awarenessClients.has(entry.client)) this.introduced.add(entry.client)
      clients.claim(entry.client, this, { record: this.refusal() === null })
      if (entry.state !== undefined) this.awarenessQueue.set(entry.client, { client: entry.client, clock: entry.clock, state: screenState(entry.state, presence) })
      else unseen.push(entry)
    }
    this.askToRenew(unseen)
    this.scheduleAwareness()
  }

  /**
   * y-protocols keeps a state only at a clock newer than the one it has for
   * the id, counting from 0 for an id it has never seen, and a stock
   * y-websocket client keeps the clocks of those it saw after its socket
   * closes. So a tab back after its socket dropped, resending the clock it
   * had, stays unseen until its next renewal (up to 15 s and more): by the
   * server, which removed its state at that clock, or by the others, who
   * still have that clock from before the server restarted or the tab moved
   * to this instance; as does a stock client's first state (clock 0). And a
   * tab that comes back sees nobody until the others renew (see
   * `LiveDocument.renewPresence`). Telling a client its own state was removed
   * is y-protocols' way to have it announce the state again with a higher
   * clock: it keeps the state and answers at once. It is sent only to the
   * connection holding the id, and its answer is read as any presence is;
   * everyone is to hear it, unless it answers a round (`forAll` false: see
   * `LiveDocument.flushPresence`).
   */
  private askToRenew(entries: ReadonlyArray<{ client: number; clock: number }>, { forAll = true } = {}): void {
    const { meta } = this.document.awareness
    if (entries.length === 0) return
    if (forAll) for (const { client } of entries) this.document.owePresenceToAll(client)
    // Never below the server's clock, so the answer is newer than what the server has.
    const removals = entries.map(({ client, clock }) => ({ client, clock: Math.max(clock, meta.get(client)?.clock ?? 0), state: null }))
    this.sendAwarenessUpdate(encodeAwareness(removals))
  }

  /** Asks the client to renew the presence it holds here, for a newcomer to see it (`LiveDocument.renewPresence`). */
  renewPresence(): void {
    if (this.closed) return
    const { states } = this.document.awareness
    this.askToRenew(
      [...this.awarenessClients].filter((client) => states.has(client)).map((client) => ({ client, clock: 0 })),
      { forAll: false },
    )
  }

  private scheduleAwareness(): void {
    if (this.awarenessQueue.size === 0 || this.awarenessTimer) return
    const wait = this.lastAwarenessAt + AWARENESS_INTERVAL_MS - performance.now()
    if (wait <= 0) return this.flushAwareness()
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null
      try {
        this.flushAwareness()
      } catch (error) {
        this.logger.error('presence update failed', { resolutionId: this.document.resolutionId, error })
        this.close(CloseCode.BadMessage, 'presence update failed')
      }
    }, wait)
    this.awarenessTimer.unref()
  }

  private flushAwareness(): void {
    if (this.closed || this.document.doc.isDestroyed || this.awarenessQueue.size === 0) return
    this.lastAwarenessAt = performance.now()
    const entries = [...this.awarenessQueue.values()]
    this.awarenessQueue.clear()
    awarenessProtocol.applyAwarenessUpdate(this.document.awareness, encodeAwareness(entries), this)
    // A state y-protocols did not take, or the first this connection passed on for an id: others may hold its clock already.
    const { states } = this.document.awareness
    const renew = entries.filter(({ client, state }) => state !== null && (!states.has(client) || this.introduced.has(client)))
    for (const { client } of entries) this.introduced.delete(client)
    this.askToRenew(renew)
  }

  private sendAwarenessUpdate(update: Uint8Array): void {
    this.send(message(MessageType.Awareness, (encoder) => encoding.writeVarUint8Array(encoder, update)))
  }

  /**
   * The connection may write again. If changes it sent were refused
   * meanwhile, its next ones build on them and would be refused as depending
   * on changes the server lacks: it is asked to reconnect, and resends them
   * in its sync reply.
   */
  writeRestored(): void {
    if (!this.refusedChanges) return
    this.refusedChanges = false
    this.close(CloseCode.WriteRestored, 'you may write again: reconnect to send what was refused')
  }

  /** Tells the client, in the y-websocket auth message, that its updates are refused and why. */
  denyWrite(reason: ReadOnlyReason): void {
    this.send(message(MessageType.Auth, (encoder) => authProtocol.writePermissionDenied(encoder, READ_ONLY_MESSAGES[reason])))
  }

  /**
   * For clients that asked for acknowledgements: what the server has durably
   * stored (`stored`, sent as `encoded()` gives it). Sent the first time, and
   * then only when it covers more of the changes made under this
   * connection's own ids than the client was last told: a client reads its
   * own id's clock alone, and with hundreds connected, telling everyone of
   * every write would send hundreds of messages per write. A connection that
   * holds no id yet is told of every write: it may be a tab that reconnected
   * while the server still holds its old socket, and with it the tab's id.
   */
  sendSaved(stored: ReadonlyMap<number, number>, encoded: () => Uint8Array): void {
    if (!this.context.wantsAcks) return
    const own = this.document.gate.clients.heldBy(this)
    const told = this.toldSaved
    if (told && own.size > 0 && ![...own].some((client) => (stored.get(client) ?? 0) > (told.get(client) ?? 0))) return
    this.toldSaved = new Map([...own].map((client) => [client, stored.get(client) ?? 0]))
    this.send(message(MessageType.Saved, (encoder) => encoding.writeVarUint8Array(encoder, encoded())))
  }

  send(data: Uint8Array): void {
    this.write(data, false)
  }

  /** Sends a message every other connection of the document is sent too: see `Socket.sendShared`. */
  sendShared(data: Uint8Array): void {
    this.write(data, true)
  }

  private write(data: Uint8Array, shared: boolean): void {
    if (this.closed || this.socket.readyState !== OPEN) return
    if (this.socket.bufferedAmount > MAX_UNREAD_BYTES) return this.dropUnread()
    try {
      if (shared) this.socket.sendShared(data)
      else this.socket.send(data)
    } catch {
      this.close(CloseCode.BadMessage, 'send failed')
    }
  }

  /** A client that asks and never reads: dropped at once, so the server does not hold what it piles up (see MAX_UNREAD_BYTES). */
  private dropUnread(): void {
    const unread = this.socket.bufferedAmount
    if (!this.stop()) return
    this.logger.warn('a client left too much unread; its socket is dropped', { resolutionId: this.document.resolutionId, unread })
    this.socket.terminate()
  }

  close(code: number, reason: string): void {
    if (!this.stop()) return
    try {
      this.socket.close(code, closeReason(reason))
    } catch {
      // Already closing: nothing more to say.
    }
    // A socket paused with messages waiting must read again, to hear the client's answer to the close: otherwise ws
    // waits 30 s for it before dropping the socket, and the client learns only then why it was closed.
    if (this.waiting) {
      this.waiting = null
      this.socket.resume()
    }
  }

  /** Marks the connection closed and stops its presence timer; false if it was closed already. */
  private stop(): boolean {
    if (this.closed) return false
    this.closed = true
    this.awaited.stop()
    if (this.lostTimer) clearTimeout(this.lostTimer)
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    this.awarenessQueue.clear()
    return true
  }

  get isClosed(): boolean {
    return this.closed
  }
}
