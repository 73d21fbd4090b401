import type { Language, Stage } from '@hemicycle/protocol'
import * as awarenessProtocol from 'y-protocols/awareness'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { MessageType } from '@hemicycle/protocol'
import * as syncProtocol from 'y-protocols/sync'
import type { Connection } from './connection.ts'
import { Custody } from './custody.ts'
import { LostChanges } from './lostChanges.ts'
import { documentKey } from './documentKey.ts'
import type { ReceivePayload } from './extension.ts'
import { mergedUpdates } from './mergedUpdates.ts'
import { UpdateGate } from './updateGate.ts'

/** How long a presence renewal may wait to leave with others; a client drops a state it has heard nothing of for 30 s, and renews its own every 15 s. */
export const PRESENCE_RENEWAL_DELAY_MS = 1000

/** At most one round of renewals (`renewPresence`) per this much time, per document and instance, whoever asks and however often. */
export const PRESENCE_ROUND_MS = 500

/**
 * A renewal goes to everyone when that person's presence last went to
 * everyone at least this long ago; sooner, only to the connections waiting
 * for a round's answers (see `flushPresence`). A client renews 15 to 18 s
 * after its last change and drops a state it has heard nothing of for 30 s:
 * after a renewal held back, the next goes to everyone within 8 + 18 + 1 s
 * of the last that did, in time.
 */
export const PRESENCE_TO_ALL_MS = 8_000

/** How long a connection that asked for a round takes the renewals that answer it (from this instance and the others). */
export const ROUND_ANSWERS_MS = 5_000

/** How long a tab asking for the document waits at most for the server's own changes to be written (`afterOwnChanges`). */
export const OWN_CHANGES_WAIT_MS = 2_000

/** What y-protocols' awareness reports with each change and update. */
export interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/** A y-websocket sync message carrying `update`. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * The connections to a text, found by id too: every change a connection makes is sent to all but that one, and
 * looking it up among 500 connections at each keystroke was a walk of the set.
 */
class Connections extends Set<Connection> {
  private readonly byId = new Map<string, Connection>()

  override add(connection: Connection): this {
    this.byId.set(connection.id, connection)
    return super.add(connection)
  }

  override delete(connection: Connection): boolean {
    if (this.byId.get(connection.id) === connection) this.byId.delete(connection.id)
    return super.delete(connection)
  }

  override clear(): void {
    this.byId.clear()
    super.clear()
  }

  withId(id: string): Connection | undefined {
    return this.byId.get(id)
  }
}

/** One of a resolution's texts (the original or a language version) while it is open on this instance: the Y.Doc, presence, and who is connected. */
export class LiveDocument {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new Awareness(this.doc)
  readonly connections = new Connections()
  /** Decides which updates from connections the document takes, and whose client ids are whose. */
  readonly gate = new UpdateGate(this.doc, () => this.wholeState())
  /** Changes made on other instances, kept until they are stored there. */
  readonly custody = new Custody()
  /** Others' changes people's tabs show that the server lacks, since when (`LostChanges`): the collaboration server's, shared by its texts. */
  lostChanges = new LostChanges()
  /** How many ids each person's connections wait on for deletions (`Connection.awaited`), by person id. */
  readonly awaitedIds = new Map<string, number>()
  /** How many changes this document has taken since it loaded: each change's number. */
  changes = 0
  /** Whether changes this instance took are not in the database yet (the storage extension says; see `CollabServer.settle`). */
  unstored: () => boolean = () => false
  /**
   * Whether a change the server makes itself waits to be written before any connection is sent it (set by the storage
   * extension, which then releases it: `releaseOwnChanges`). A tab's own change that a crash loses, the tab sends again;
   * the server's, nobody could, and a tab holding one the restarted server lacks could write there no more.
   */
  holdsOwnChanges = false
  /** The server's own changes waiting for their write, each with its number (`changes`). */
  private heldOwnChanges: Array<{ seq: number; update: Uint8Array }> = []
  /** Answers to tabs asking for the document, waiting for those changes to be released (`afterOwnChanges`). */
  private waitingForOwnChanges: Array<() => void> = []
  private waitingTimer: NodeJS.Timeout | null = null
  /** Changes not yet sent to connections: sent together once per turn of the event loop. */
  private outbox: Array<{ update: Uint8Array; from: Connection | undefined }> = []
  private outboxScheduled = false
  /** The whole state as a sync step 2 message, for clients joining with nothing: encoded once per change, not once per join. */
  private joinMessage: Uint8Array | null = null
  /** The whole state as Yjs encodes it (`wholeState`), until the next change. */
  private encodedState: Uint8Array | null = null
  private everyoneMessage: Uint8Array | null = null
  /** Presence not yet sent, per client id: the connection it came from (none: the server or another instance), and whether it changed (not merely renewed). */
  private presenceOutbox = new Map<number, { from: Connection | undefined; changed: boolean }>()
  /** When each person's presence last went to every connection here. */
  private presenceSentToAll = new Map<number, number>()
  /** Renewals the server asked for that must reach everyone (a tab's first state here: the others may hold its clock already). */
  private owedToAll = new Set<number>()
  /** Connections back with the document, which hold stale clocks for the others, and until when they take a round's answers. */
  private roundAskers = new Map<Connection, number>()
  private presenceSoon: NodeJS.Immediate | null = null
  private presenceLater: NodeJS.Timeout | null = null
  /** The clients whose presence the awareness's latest change event reported as changed (not merely renewed). */
  private presenceChanged: ReadonlySet<number> = new Set()
  /** The next round of renewals, when one is waiting, and whether other instances are to be asked too. */
  private round: { timer: NodeJS.Timeout; elsewhere: boolean } | null = null
  private lastRoundAt = Number.NEGATIVE_INFINITY
  /** Runs the extensions' `onReceive` hooks on an update a connection sent, once taken (set by the collaboration server). */
  received: (payload: Omit<ReceivePayload, 'document'>) => void = () => {}
  /** Asks the other instances holding the document for a round of their own (set by the sharing extension). */
  renewElsewhere: (() => void) | null = null

  readonly resolutionId: string
  /** null: the original; otherwise the language of this version. */
  readonly language: Language | null

  constructor(
    /** The room name, which keys the document everywhere: see `documentKey.ts`. */
    readonly name: string,
    /** The stage decides who may write; it changes live (issue 6) and every connection follows. */
    public stage: Stage,
  ) {
    ;({ resolutionId: this.resolutionId, language: this.language } = documentKey(name))
    // Every change to the document is an update event (Yjs emits one for every transaction that adds a struct or deletes
    // one, after merging and collecting what it deleted), and only a change changes what the document encodes to.
    this.doc.on('update', () => {
      this.joinMessage = null
      this.encodedState = null
    })
    // The server has no caret of its own.
    this.awareness.setLocalState(null)
    // Anything y-protocols takes (a renewal's new clock too) changes what `everyonePresent` says.
    this.awareness.on('update', () => (this.everyoneMessage = null))
    // y-protocols reports a change just before the update that carries it; an update without one is a renewal.
    this.awareness.on('change', ({ added, updated, removed }: AwarenessChange) => {
      this.presenceChanged = new Set([...added, ...updated, ...removed])
      // What is kept per person lasts as long as their presence does.
      for (const client of removed) {
        this.owedToAll.delete(client)
        this.presenceSentToAll.delete(client)
      }
    })
  }

  connectionWithId(id: string): Connection | undefined {
    return this.connections.withId(id)
  }

  /**
   * Queues a change for every connection but the one it came from. What
   * queues within one turn of the event loop leaves as one merged update,
   * encoded once for everyone who sent nothing in that turn (and once more
   * for each who did, without their own change).
   */
  broadcastUpdate(update: Uint8Array, from: Connection | undefined): void {
    this.outbox.push({ update, from })
    if (this.outboxScheduled) return
    this.outboxScheduled = true
    setImmediate(() => this.flushOutbox())
  }

  /** Keeps a change the server made itself from connections until storage has written it (`holdsOwnChanges`). */
  holdOwnChange(seq: number, update: Uint8Array): void {
    this.heldOwnChanges.push({ seq, update })
  }

  /** Storage is done with the changes numbered up to `seq` (written, or failing and kept for a retry): the server's own among them leave. */
  releaseOwnChanges(seq: number): void {
    let released = 0
    while (released < this.heldOwnChanges.length && this.heldOwnChanges[released]!.seq <= seq) released += 1
    if (released === 0) return
    for (const { update } of this.heldOwnChanges.splice(0, released)) this.broadcastUpdate(update, undefined)
    if (this.heldOwnChanges.length === 0) this.answerWaiting()
  }

  private answerWaiting(): void {
    if (this.waitingTimer) clearTimeout(this.waitingTimer)
    this.waitingTimer = null
    for (const answer of this.waitingForOwnChanges.splice(0)) answer()
  }

  /**
   * Runs `answer` (a reply to a tab asking for the document, which is read from the whole live state) once no change
   * the server made itself is held: a tab joining, or back from a dropped socket, while one waited for its write was
   * sent it at once, and a crash then left that tab with a block the restarted server lacked (a hostile review: a
   * translator's typing there lost, the tab refused for good). Mostly a few milliseconds; at most
   * OWN_CHANGES_WAIT_MS, for a database that hangs rather than fails must not keep everyone from opening the text.
   */
  afterOwnChanges(answer: () => void): void {
    if (this.heldOwnChanges.length === 0) return answer()
    this.waitingForOwnChanges.push(answer)
    this.waitingTimer ??= setTimeout(() => this.answerWaiting(), OWN_CHANGES_WAIT_MS)
  }

  /** Sends what is queued now (the outbox is also flushed on its own at the end of the turn). */
  flushOutbox(): void {
    this.outboxScheduled = false
    const outbox = this.outbox
    if (outbox.length === 0 || this.doc.isDestroyed) return
    this.outbox = []
    const merge = mergedUpdates
    const senders = new Set(outbox.flatMap(({ from }) => (from ? [from] : [])))
    const everything = updateMessage(merge(outbox.map(({ update }) => update)))
    for (const connection of this.connections) {
      if (!senders.has(connection)) {
        connection.sendShared(everything)
        continue
      }
      const others = outbox.filter(({ from }) => from !== connection).map(({ update }) => update)
      if (others.length > 0) connection.send(updateMessage(merge(others)))
    }
  }

  /**
   * Queues the presence of the clients an awareness update names, for the
   * other connections (see `flushPresence`). A change (someone arrived, left,
   * moved their caret) leaves at the end of the turn, with whatever else
   * changed in it. A renewal (a state sent again unchanged, as every client
   * does every 15 s) waits up to `PRESENCE_RENEWAL_DELAY_MS` for others:
   * with 500 people, renewals arrive 33 times a second, and each would be
   * 499 messages out and, as a stock client sends back every presence it
   * hears, 499 in.
   */
  broadcastPresence({ added, updated, removed }: AwarenessChange, from: Connection | undefined): void {
    const clients = [...added, ...updated, ...removed]
    const renewal = !clients.some((client) => this.presenceChanged.has(client))
    this.presenceChanged = new Set()
    for (const client of clients) this.presenceOutbox.set(client, { from, changed: !renewal || this.presenceOutbox.get(client)?.changed === true })
    if (!renewal) {
      this.presenceSoon ??= setImmediate(() => this.flushPresence())
    } else if (!this.presenceLater) {
      this.presenceLater = setTimeout(() => this.flushPresence(), PRESENCE_RENEWAL_DELAY_MS)
      this.presenceLater.unref()
    }
  }

  /**
   * Sends the queued presence, encoded once for everyone. A connection
   * whose own presence is all there is gets nothing; one whose own entries
   * come with others' gets them too, which a y-protocols client ignores (it
   * holds that clock already), rather than a copy encoded for it alone:
   * after a restart everyone reconnects at once and renews in the same
   * second, and 500 copies of 499 states each would be 250,000 encodings.
   *
   * A renewal that comes less than `PRESENCE_TO_ALL_MS` after that person's
   * presence last went to everyone goes only to the connections waiting for
   * a round's answers: everyone else holds that state already and heard of
   * it lately. A round asks everyone present to renew for the sake of one
   * returning tab; sent to all, its answers were every present state to
   * every present connection (and, as a stock client sends back what it
   * hears, as much back), and a client merely reconnecting twice a second
   * had a room of 200 exchange 16 MB a second.
   */
  flushPresence(): void {
    this.stopPresenceTimers()
    const outbox = this.presenceOutbox
    if (outbox.size === 0 || this.doc.isDestroyed) return
    this.presenceOutbox = new Map()
    // A caret may point into text changed in this same turn: the text goes first.
    this.flushOutbox()
    const now = performance.now()
    for (const [connection, until] of this.roundAskers) if (until < now || !this.connections.has(connection)) this.roundAskers.delete(connection)
    const senders = new Set([...outbox.values()].map(({ from }) => from))
    const onlySender = senders.size === 1 ? [...senders][0] : undefined
    // Every id an awareness event named has its clock in `meta` (y-protocols never deletes one): the filter only keeps a timer's callback from ever throwing.
    const clients = [...outbox.keys()].filter((client) => this.awareness.meta.has(client))
    const toAllLately = (client: number) => now - (this.presenceSentToAll.get(client) ?? Number.NEGATIVE_INFINITY) < PRESENCE_TO_ALL_MS
    const toAll = clients.filter((client) => outbox.get(client)!.changed || this.owedToAll.has(client) || !toAllLately(client))
    for (const client of toAll) {
      this.owedToAll.delete(client)
      if (this.awareness.states.has(client)) this.presenceSentToAll.set(client, now)
      else this.presenceSentToAll.delete(client)
    }
    const everyone = this.presenceMessage(toAll)
    const askers = toAll.length === clients.length ? everyone : this.presenceMessage(clients)
    for (const connection of this.connections) {
      const message = this.roundAskers.has(connection) ? askers : everyone
      if (message && connection !== onlySender) connection.sendShared(message)
    }
  }

  private presenceMessage(clients: number[]): Uint8Array | null {
    if (clients.length === 0) return null
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Awareness)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
    return encoding.toUint8Array(encoder)
  }

  /** The server asked for a renewal of `client` that everyone must hear (see `Connection.askToRenew`). */
  owePresenceToAll(client: number): void {
    this.owedToAll.add(client)
  }

  private stopPresenceTimers(): void {
    if (this.presenceSoon) clearImmediate(this.presenceSoon)
    if (this.presenceLater) clearTimeout(this.presenceLater)
    this.presenceSoon = null
    this.presenceLater = null
  }

  /**
   * Has everyone present here renew their presence, and with `elsewhere`
   * everyone present on the other instances too: a newcomer hears them
   * within a second. A stock y-websocket client that loses its socket drops
   * the others' states but keeps the clocks it heard them at, and
   * y-protocols takes a state only at a newer clock: the states the server
   * sends it on joining (`Connection.start`) are ignored, and it would see
   * nobody until each person's next renewal, 15 s later. Only the people
   * themselves may give their state a newer clock: each connection is asked
   * for its own ids (`Connection.renewPresence`). Rounds come at most every
   * `PRESENCE_ROUND_MS`, however many connect: what is asked meanwhile joins
   * the next. The answers go to everyone only as often as renewals would
   * (see `flushPresence`); `asker`, the connection back, takes them all.
   */
  renewPresence({ elsewhere, asker }: { elsewhere: boolean; asker?: Connection }): void {
    if (asker) this.roundAskers.set(asker, performance.now() + ROUND_ANSWERS_MS)
    if (this.round) {
      this.round.elsewhere ||= elsewhere
      return
    }
    const wait = Math.max(0, this.lastRoundAt + PRESENCE_ROUND_MS - performance.now())
    const timer = setTimeout(() => {
      const round = this.round
      this.round = null
      if (this.doc.isDestroyed) return
      this.lastRoundAt = performance.now()
      for (const connection of this.connections) connection.renewPresence()
      if (round?.elsewhere) this.renewElsewhere?.()
    }, wait)
    timer.unref()
    this.round = { timer, elsewhere }
  }

  /**
   * `Y.encodeStateAsUpdate(doc)`, encoded at most once per change: the same
   * bytes for every copy made of the document meanwhile (a check's shadow,
   * an acceptance's copy) and every comparison with another instance's
   * whole copy. Structs waiting for others a relay has not brought yet are
   * part of the encoding but arrive without an update event: while the
   * document holds some, it is encoded afresh each time.
   */
  wholeState(): Uint8Array {
    const { pendingStructs, pendingDs } = this.doc.store
    if (pendingStructs || pendingDs) return Y.encodeStateAsUpdate(this.doc)
    return (this.encodedState ??= Y.encodeStateAsUpdate(this.doc))
  }

  /** The answer to a client that has nothing yet: the document's whole state, compacted by Yjs, encoded at most once per change. */
  stateForNewcomer(): Uint8Array {
    this.joinMessage ??= (() => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeSyncStep2(encoder, this.doc)
      return encoding.toUint8Array(encoder)
    })()
    return this.joinMessage
  }

  /**
   * Everyone's presence as one awareness message, as a newcomer and a query
   * for presence are answered (null: nobody is here): encoded at most once
   * per change. Encoded per socket, 256 sockets of one observer each asking
   * once a second (500 carets, 340 KB an answer) held the server for seconds.
   */
  everyonePresent(): Uint8Array | null {
    if (this.awareness.getStates().size === 0) return null
    this.everyoneMessage ??= this.presenceMessage([...this.awareness.getStates().keys()])
    return this.everyoneMessage
  }

  /**
   * Gives the server a client id of its own for this document, one nobody
   * has written under, and records it as the server's: no participant can
   * then create structs under it. Call once the stored state is loaded.
   */
  chooseServerClientId(): void {
    const taken = (client: number) => client === 0 || Y.getState(this.doc.store, client) > 0 || this.gate.clients.owner(client) !== undefined
    while (taken(this.doc.clientID)) this.doc.clientID = Math.floor(Math.random() * 0x100000000)
    this.gate.clients.claimForServer(this.doc.clientID)
    // Presence was created under the first id; it stays the server's too, so nobody speaks as the server there either.
    if (!this.gate.clients.owner(this.awareness.clientID)) this.gate.clients.claimForServer(this.awareness.clientID)
  }

  destroy(): void {
    this.gate.destroy()
    this.awareness.destroy()
    this.doc.destroy()
    // After the awareness: destroying it removes the server's own state, which queues presence.
    this.stopPresenceTimers()
    if (this.round) clearTimeout(this.round.timer)
    this.round = null
  }
}
