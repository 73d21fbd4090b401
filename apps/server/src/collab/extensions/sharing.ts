import { randomUUID } from 'node:crypto'
import { CloseCode, Stage } from '@hemicycle/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { clashingClient } from '../divergence.ts'
import { ApiError } from '../../http/errors.ts'
import type { Logger } from '../../logger.ts'
import type { OwnerKey } from '../clientIds.ts'
import type { CollabServer } from '../collabServer.ts'
import type { Extension } from '../extension.ts'
import type { Fanout, Subscription } from '../fanout.ts'
import type { LiveDocument } from '../liveDocument.ts'
import { isUpdateOrigin, type UpdateOrigin, type WatchedDecision, watchedDecision } from '../origin.ts'
import type { LoggedUpdate } from '../storage.ts'

/** What instances tell each other about a document: a message's kind, after the sender's instance id (`write`). */
export const Kind = {
  /** A change, with its maker's number for it and where it came from, so another instance can store it if its maker dies first. */
  Update: 0,
  Awareness: 1,
  /** "Here is what I have; send me the rest." */
  StateVector: 2,
  /** "I stored my changes up to number n, and everything up to this state vector." */
  Stored: 3,
  /** "The resolution moves to this stage: follow, store what you took, and answer." */
  Fence: 4,
  FenceAck: 5,
  /** "Someone joined here: have everyone present with you renew their presence" (see `LiveDocument.renewPresence`). */
  RenewPresence: 6,
  /**
   * The answer to a StateVector: "and here is what I have; send me the rest", which is not answered in turn. Without it,
   * a change an instance took while its messages were lost (a partition, or Redis restarting) never reached
   * the instances that stayed on the bus: only the one back asked, and only for what it lacked.
   */
  StateVectorAnswer: 7,
  /** "I no longer hold this document": a stage change need not wait for my answer (see `HEARD_FOR_MS`). */
  Leaving: 8,
} as const

type StoredOrigin = LoggedUpdate['origin']

export interface SharingOptions {
  fanout: Fanout
  instanceId?: string
  collab: () => CollabServer
  logger: Logger
  /** How long a stage change waits for the other instances holding the document to follow. */
  fenceTimeoutMs?: number
  /** How long an instance heard on a document's channel is waited for by a stage change (`HEARD_FOR_MS`). */
  heardForMs?: number
}

function write(kind: number, instanceId: string, body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, instanceId)
  encoding.writeVarUint(encoder, kind)
  body(encoder)
  return encoding.toUint8Array(encoder)
}

function writeOwners(encoder: encoding.Encoder, owners: ReadonlyArray<[number, OwnerKey]>): void {
  encoding.writeVarUint(encoder, owners.length)
  for (const [client, owner] of owners) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarString(encoder, owner)
  }
}

function ownersOf(document: LiveDocument, clients: Iterable<number>): Array<[number, OwnerKey]> {
  return [...clients].flatMap((client): Array<[number, OwnerKey]> => {
    const owner = document.gate.clients.ownerKey(client)
    return owner ? [[client, owner]] : []
  })
}

/**
 * A decision's change carries what the late-typing watch needs, for every
 * instance to check its own connections against it: which decision, who
 * took it back for a reset, and the state and change it was made from
 * (`made` left out when it is the change itself, as it mostly is). Written
 * after the owners: an instance that does not read it ignores it.
 */
function writeDecision(encoder: encoding.Encoder, decision: WatchedDecision | null, update: Uint8Array): void {
  if (!decision) return
  encoding.writeVarString(encoder, decision.amendmentId)
  encoding.writeVarString(encoder, decision.resetBy ?? '')
  const { basis, made } = decision
  encoding.writeVarUint8Array(encoder, basis && made ? basis : new Uint8Array())
  encoding.writeVarUint8Array(encoder, basis && made && !sameBytes(made, update) ? made : new Uint8Array())
}

function readDecision(decoder: decoding.Decoder, update: Uint8Array): WatchedDecision | null {
  if (!decoding.hasContent(decoder)) return null
  const amendmentId = decoding.readVarString(decoder)
  const resetBy = decoding.readVarString(decoder)
  const basis = decoding.readVarUint8Array(decoder)
  const made = decoding.readVarUint8Array(decoder)
  return { amendmentId, ...(resetBy ? { resetBy } : {}), ...(basis.length > 0 ? { basis, made: made.length > 0 ? made : update } : {}) }
}

const sameBytes = (x: Uint8Array, y: Uint8Array) => x.byteLength === y.byteLength && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(y)

/** The client ids an awareness update speaks for. */
function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update)
  const clients: number[] = []
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    clients.push(decoding.readVarUint(decoder))
    decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
  }
  return clients
}

/** The origin another instance may have to store a change under: none for changes already stored (read back, or stored with a decision). */
function storableOrigin(origin: UpdateOrigin): StoredOrigin | null {
  if (origin.kind === 'connection' || origin.kind === 'server') return origin
  if (origin.kind === 'amendment' && !origin.stored) return origin
  return null
}

const originJson = new WeakMap<object, string>()
/** Each connection's origin is one object: its JSON is written once, not once per keystroke. */
function encodeOrigin(origin: StoredOrigin | null): string {
  if (!origin) return ''
  let json = originJson.get(origin)
  if (json === undefined) {
    json = JSON.stringify(origin)
    originJson.set(origin, json)
  }
  return json
}

function decodeOrigin(json: string): StoredOrigin | null {
  if (json === '') return null
  const origin: unknown = JSON.parse(json)
  if (!isUpdateOrigin(origin) || !(origin.kind === 'connection' || origin.kind === 'amendment' || origin.kind === 'server')) {
    throw new Error('a change from another instance names no origin this instance can store')
  }
  return origin
}

/**
 * How often at most a document's "stored through" goes to the other
 * instances while its changes are being stored. They only need it to let go
 * of the changes they hold for this instance, which they would store
 * themselves after `TAKE_OVER_AFTER_MS` (3 s); one message per write (every
 * 50 ms while someone types) cost each instance a Redis command and the
 * others a delivery per write. The latest always goes out: at the end of
 * the interval, and at once before a fence is answered or the document
 * leaves memory.
 */
const STORED_EVERY_MS = 250

/** What a document's custody tells the others of this instance's storing: the latest, at most every `STORED_EVERY_MS`. */
interface StoredTeller {
  note(through: number, stored: Map<number, number>): void
  /** Sends what is noted and not yet sent, now. */
  flush(): void
  stop(): void
}

/**
 * How long an instance heard on a document's channel counts as holding the
 * document, for a stage change to wait for its answer even where Redis does
 * not count it: Redis can drop an instance's subscription while the
 * instance's side of the connection stays open (a NAT forgetting it), and
 * the instance, never told, would go on taking changes after a lock. An
 * instance holding a document with people in it is heard at least every
 * 15 s (their presence is renewed); one that lets the document go says so
 * (`Leaving`). One that died is waited for until this has passed since it
 * was last heard: a stage change meanwhile is refused (503), not made
 * without it. The default of `FENCE_HEARD_MS`.
 */
const HEARD_FOR_MS = 20_000

interface Fence {
  document: LiveDocument
  acks: Set<string>
  /** How many answers Redis's count of receivers calls for. */
  expected: number
  /** The instances heard on the channel lately, each of which must answer unless it says it left (see `HEARD_FOR_MS`). */
  heard: Set<string>
  settle: () => void
}

/** The messages only an instance holding the document sends of its own accord (not `Stored` or `FenceAck`, which may follow its `Leaving`). */
const HOLDING: ReadonlySet<number> = new Set([Kind.Update, Kind.Awareness, Kind.StateVector, Kind.StateVectorAnswer, Kind.RenewPresence])

const answered = (fence: Fence) => fence.acks.size >= fence.expected && [...fence.heard].every((instance) => fence.acks.has(instance))

/**
 * Keeps a document identical on every instance that holds it: each change
 * made here is published with its number and origin (a decision's, with
 * what every instance's late-typing watch needs), each change published
 * elsewhere is applied here and held in custody until its maker says it is
 * stored. A newly loaded copy, or an instance back on the bus, announces its
 * state vector and the others answer with what it lacks; a change that
 * arrives with a gap before it asks the same way. A stage change made here
 * is a fence: it is published, and resolves once every other instance
 * holding the document (Redis counts the subscribers; those heard on its
 * channel lately count too, `HEARD_FOR_MS`) has applied it and stored what
 * it took before, so a lock hashes a text no instance is still adding to.
 * While this instance has lost the bus, its connections are closed: it
 * could no longer hear a fence.
 */
export function sharing({ fanout, instanceId = randomUUID(), collab, logger, fenceTimeoutMs = 10_000, heardForMs = HEARD_FOR_MS }: SharingOptions): Extension {
  const subscriptions = new Map<LiveDocument, Subscription>()
  const storedTellers = new Map<LiveDocument, StoredTeller>()
  const fences = new Map<string, Fence>()
  const remote: UpdateOrigin = { kind: 'remote', instanceId }
  const resyncing = new Set<LiveDocument>()
  /** Per document, when each other instance was last heard on its channel. */
  const heard = new Map<LiveDocument, Map<string, number>>()
  let busLost = false
  const channel = (document: LiveDocument) => `hemicycle:doc:${document.name}`

  /** The copies that asked the others for what they miss and have not yet sent their own whole copy (see `Kind.StateVectorAnswer`). */
  const asking = new Set<LiveDocument>()

  const announceState = (document: LiveDocument) => {
    asking.add(document)
    const stateVector = Y.encodeStateVector(document.doc)
    fanout.publish(channel(document), write(Kind.StateVector, instanceId, (encoder) => encoding.writeVarUint8Array(encoder, stateVector)))
  }

  /** Passes presence on to the other instances holding the document, with who owns the ids it speaks for. */
  const publishAwareness = (document: LiveDocument, update: Uint8Array, clients: readonly number[]) => {
    if (heardOnlyHere(document)) return
    const owners = ownersOf(document, clients)
    fanout.publish(
      channel(document),
      write(Kind.Awareness, instanceId, (encoder) => {
        encoding.writeVarUint8Array(encoder, update)
        writeOwners(encoder, owners)
      }),
    )
  }

  /** Asks the others for what this copy lacks, once per turn at most. */
  const resync = (document: LiveDocument) => {
    if (resyncing.has(document)) return
    resyncing.add(document)
    setImmediate(() => {
      resyncing.delete(document)
      if (!document.doc.isDestroyed) announceState(document)
    })
  }

  /** No other instance holds the document: its subscription is the only one on the channel, and it is this instance's. */
  const heardOnlyHere = (document: LiveDocument) => subscriptions.has(document) && fanout.listeners(channel(document)) === 1

  /** `clients`: whose ids the update holds, when known without reading it (a whole copy: every client the copy holds). */
  const publishUpdate = (document: LiveDocument, update: Uint8Array, seq: number, origin: StoredOrigin | null, decision: WatchedDecision | null = null, clients?: Iterable<number>) => {
    if (heardOnlyHere(document)) return
    const owners = ownersOf(document, clients ?? Y.parseUpdateMeta(update).to.keys())
    fanout.publish(
      channel(document),
      write(Kind.Update, instanceId, (encoder) => {
        encoding.writeVarUint(encoder, seq)
        encoding.writeVarString(encoder, encodeOrigin(origin))
        encoding.writeVarUint8Array(encoder, update)
        writeOwners(encoder, owners)
        writeDecision(encoder, decision, update)
      }),
    )
  }

  const tellerOf = (document: LiveDocument): StoredTeller => {
    let latest: { through: number; stored: Map<number, number> } | null = null
    let timer: NodeJS.Timeout | null = null
    let sentAt = Number.NEGATIVE_INFINITY
    const flush = () => {
      if (timer) clearTimeout(timer)
      timer = null
      const noted = latest
      latest = null
      // Alone with the document, this instance holds nobody's changes and nobody holds its own.
      if (!noted || heardOnlyHere(document)) return
      const { through, stored } = noted
      sentAt = performance.now()
      fanout.publish(
        channel(document),
        write(Kind.Stored, instanceId, (encoder) => {
          encoding.writeVarUint(encoder, through)
          encoding.writeVarUint8Array(encoder, Y.encodeStateVector(stored))
        }),
      )
    }
    return {
      note(through, stored) {
        latest = { through, stored }
        const wait = sentAt + STORED_EVERY_MS - performance.now()
        if (wait <= 0) flush()
        else timer ??= setTimeout(flush, wait)
      },
      flush,
      stop() {
        if (timer) clearTimeout(timer)
        timer = null
      },
    }
  }

  const followFence = async (document: LiveDocument, from: string, fenceId: string, stage: Stage) => {
    collab().followStage(document.resolutionId, stage)
    // Everything this instance took before the fence is published already (in order, before the answer) and now stored,
    // and said to be: the instance behind the fence holds none of it after the answer, so it never stores any after the move.
    await collab().store(document)
    storedTellers.get(document)?.flush()
    fanout.publish(
      channel(document),
      write(Kind.FenceAck, instanceId, (encoder) => {
        encoding.writeVarString(encoder, fenceId)
        encoding.writeVarString(encoder, from)
      }),
    )
  }

  /** The one person whose ids a relayed change (`meta`) is written under, if one is: they are charged for what it brings. */
  const personWriting = (document: LiveDocument, meta: ReturnType<typeof Y.parseUpdateMeta>): string | null => {
    const owners = new Set([...meta.to.keys()].map((client) => document.gate.clients.ownerKey(client)))
    const [only] = owners
    return owners.size === 1 && only?.startsWith('person:') ? only.slice('person:'.length) : null
  }

  /**
   * This copy cannot take what another instance took (`why`, logged): its connections are told to open the text afresh
   * (4410, `reason`) and the text is read again from storage.
   */
  const putAway = (document: LiveDocument, why: string, reason: string, details: Record<string, unknown>) => {
    logger.error(`${why}: this copy is put away and read again from storage`, { resolutionId: document.resolutionId, ...details })
    collab()
      .putAway(document, CloseCode.Diverged, reason)
      .catch((error: unknown) => logger.error('a copy could not be put away', { resolutionId: document.resolutionId, error }))
  }

  const receive = (document: LiveDocument, message: Uint8Array) => {
    const decoder = decoding.createDecoder(message)
    const from = decoding.readVarString(decoder)
    if (from === instanceId || document.doc.isDestroyed) return
    const kind = decoding.readVarUint(decoder)
    if (HOLDING.has(kind)) {
      let instances = heard.get(document)
      if (!instances) heard.set(document, (instances = new Map()))
      instances.set(from, performance.now())
    }
    switch (kind) {
      case Kind.Update: {
        const seq = decoding.readVarUint(decoder)
        const origin = decodeOrigin(decoding.readVarString(decoder))
        const update = decoding.readVarUint8Array(decoder)
        for (let count = decoding.readVarUint(decoder); count > 0; count--) {
          const client = decoding.readVarUint(decoder)
          document.gate.clients.adopt(client, decoding.readVarString(decoder) as OwnerKey)
        }
        const decision = readDecision(decoder, update)
        // A whole copy that is this copy byte for byte (a text opened on a second instance while nobody typed, an instance
        // back on the bus having missed nothing) says nothing this copy does not: nothing to compare or to take. Read struct
        // by struct, a copy of 400,000 structs held the event loop ~1.5 s on every instance holding the text; encoding
        // this copy to see takes ~70 ms.
        if (seq === 0 && sameBytes(update, document.wholeState())) {
          logger.debug('a whole copy the same as this one', { resolutionId: document.resolutionId, from, bytes: update.byteLength })
          return
        }
        const meta = Y.parseUpdateMeta(update)
        const clash = clashingClient(document.doc, update, meta, { splitPairsAgree: false })
        if (clash !== null) {
          // Both instances see it (each hears the other's); both put their copies away, and every copy is read again from
          // storage, where the change stored first under those ids is the one every replay keeps.
          putAway(document, 'another instance took other changes under the same ids', 'another server took other changes under the same ids as this copy; open the text afresh', { client: clash, from })
          return
        }
        if (origin && seq > 0) document.custody.hold(from, { update, origin, at: new Date(), seq, receivedAt: performance.now() })
        // A whole copy (seq 0, an answer to a state vector) is placed for what it holds that this one lacks.
        const taken = seq === 0 ? Y.diffUpdate(update, Y.encodeStateVector(document.doc)) : update
        if (!document.gate.takeRelayed(taken, () => Y.applyUpdate(document.doc, taken, decision ? { ...remote, decision } : remote), { chargeTo: personWriting(document, meta) })) {
          // This copy now lacks what the others hold: it is read again from storage (`replayed` finds an order that walks
          // little). A copy a connection holds here has the chain too: placing the rivals there would hold the tab as long,
          // so it is told to open the text afresh (4410), which takes the whole state in Yjs's own order.
          putAway(document, 'a change from another instance would walk too far among rival items here', 'a change from another server could not be placed in this copy; open the text afresh', { from })
          return
        }
        // A message this copy missed leaves the next one waiting for it: ask for the rest.
        if (document.doc.store.pendingStructs || document.doc.store.pendingDs) resync(document)
        return
      }
      case Kind.Awareness: {
        const update = decoding.readVarUint8Array(decoder)
        for (let count = decoding.readVarUint(decoder); count > 0; count--) {
          const client = decoding.readVarUint(decoder)
          document.gate.clients.adopt(client, decoding.readVarString(decoder) as OwnerKey)
        }
        awarenessProtocol.applyAwarenessUpdate(document.awareness, update, remote)
        return
      }
      case Kind.StateVector:
      case Kind.StateVectorAnswer: {
        // The whole copy goes back, not only what the other lacks, so that the ids both hold are compared where it lands
        // (`clashingClient`): two copies that took other words under the same ids while their messages were lost (a
        // partition, Redis restarting) hold equal state vectors, and an exchange of what each lacks never showed either
        // the other's (a hostile review: "��" on one instance and the emoji on the other, for good, once a partition
        // healed). The answer leaves first, so the asker sends its own whole copy, on the first answer it hears, before it
        // can have put that copy away on seeing an answerer's: each instance sees the other's, and both are put away.
        // Every other instance hears each answer too, and sends that answerer only what it lacks, as before: they heard
        // each other all along, and a whole copy from each of them per answer would grow with the square of instances.
        const stateVector = decoding.readVarUint8Array(decoder)
        if (kind === Kind.StateVector) {
          const own = Y.encodeStateVector(document.doc)
          fanout.publish(channel(document), write(Kind.StateVectorAnswer, instanceId, (encoder) => encoding.writeVarUint8Array(encoder, own)))
        }
        const whole = kind === Kind.StateVector || asking.delete(document)
        // Sent as it stands, with no maker's number: whoever made these changes stores them.
        if (whole) publishUpdate(document, document.wholeState(), 0, null, null, document.doc.store.clients.keys())
        else publishUpdate(document, Y.encodeStateAsUpdate(document.doc, stateVector), 0, null)
        if (kind === Kind.StateVector) {
          // A copy just loaded (or back on the bus) knows nobody present here: a newcomer there would see them only at their
          // next renewal, up to 15 s later. Their states as they stand: that copy holds no clock for them, so it takes them.
          const present = [...document.connections].flatMap((connection) => [...document.gate.clients.heldBy(connection)])
          const states = document.awareness.getStates()
          const shown = present.filter((client) => states.has(client))
          if (shown.length > 0) publishAwareness(document, awarenessProtocol.encodeAwarenessUpdate(document.awareness, shown), shown)
        }
        return
      }
      case Kind.Stored: {
        const through = decoding.readVarUint(decoder)
        document.custody.release(from, through, Y.decodeStateVector(decoding.readVarUint8Array(decoder)))
        return
      }
      case Kind.Fence: {
        const fenceId = decoding.readVarString(decoder)
        const stage = Stage.parse(decoding.readVarString(decoder))
        followFence(document, from, fenceId, stage).catch((error: unknown) =>
          logger.error('a stage change from another instance could not be followed', { resolutionId: document.resolutionId, error }),
        )
        return
      }
      case Kind.FenceAck: {
        const fenceId = decoding.readVarString(decoder)
        if (decoding.readVarString(decoder) !== instanceId) return
        const fence = fences.get(fenceId)
        if (!fence) return
        fence.acks.add(from)
        if (answered(fence)) fence.settle()
        return
      }
      case Kind.Leaving: {
        heard.get(document)?.delete(from)
        // A stage change already waiting for it waits no more.
        for (const fence of fences.values()) {
          if (fence.document !== document || !fence.heard.delete(from)) continue
          if (answered(fence)) fence.settle()
        }
        return
      }
      case Kind.RenewPresence:
        document.renewPresence({ elsewhere: false })
        return
      default:
        throw new Error(`unknown message kind ${kind} from another instance`)
    }
  }

  /** Counts losses of the bus, so a return that is overtaken by the next loss does not reopen anything. */
  let losses = 0
  /** Back on the bus: connections are taken again once every held document follows the stage as stored (a lock may have passed meanwhile). */
  const reopen = (loss: number) => {
    collab()
      .refreshStages()
      .then(
        () => {
          if (loss === losses) busLost = false
        },
        (error: unknown) => {
          logger.error('the stages could not be read again after the bus came back; retrying', { error })
          if (loss === losses) setTimeout(() => reopen(loss), 1000).unref()
        },
      )
  }

  fanout.onStatus((status) => {
    if (status === 'lost') {
      busLost = true
      losses += 1
    } else reopen(losses)
    for (const document of subscriptions.keys()) {
      if (status === 'restored') announceState(document)
      else for (const connection of document.connections) connection.close(CloseCode.ServerShutdown, 'this server lost contact with the other instances; reconnect')
    }
    ;(status === 'lost' ? logger.error : logger.info)(status === 'lost' ? 'lost the bus to the other instances' : 'back on the bus to the other instances')
  })

  return {
    name: 'sharing',
    async afterLoadDocument({ document }) {
      const subscription = fanout.subscribe(channel(document), (message) => {
        try {
          receive(document, message)
        } catch (error) {
          logger.error('a message from another instance could not be applied', { document: document.name, error })
        }
      })
      subscriptions.set(document, subscription)
      document.renewElsewhere = () => {
        if (!heardOnlyHere(document)) fanout.publish(channel(document), write(Kind.RenewPresence, instanceId, () => {}))
      }
      const teller = tellerOf(document)
      const stopListening = document.custody.onStoredHere((through, stored) => teller.note(through, stored))
      storedTellers.set(document, {
        ...teller,
        stop: () => {
          stopListening()
          teller.stop()
        },
      })
      try {
        await subscription.ready
      } catch (error) {
        // The bus is down: the copy loads all the same (it takes no connection meanwhile) and its channel is subscribed before the bus is said to be back.
        if (busLost) return
        // Otherwise the load fails: nothing of this copy may stay on the channel, or this instance would count as holding the document.
        subscription.unsubscribe()
        subscriptions.delete(document)
        storedTellers.get(document)?.stop()
        storedTellers.delete(document)
        throw error
      }
      announceState(document)
    },
    onChange({ document, update, origin, seq }) {
      if (origin.kind === 'remote' || origin.kind === 'storage') return
      publishUpdate(document, update, seq, storableOrigin(origin), watchedDecision(origin))
    },
    onAwarenessUpdate({ document, update, origin }) {
      if (origin.kind === 'remote') return
      publishAwareness(document, update, awarenessClients(update))
    },
    async onStageChange({ document, stage }) {
      if (!subscriptions.has(document)) return
      const fenceId = randomUUID()
      let timer: NodeJS.Timeout | undefined
      const lately = performance.now() - heardForMs
      const instances = heard.get(document) ?? new Map<string, number>()
      // Those not heard lately are forgotten: an instance restarted under a new id leaves its old one behind.
      for (const [instance, at] of instances) if (at <= lately) instances.delete(instance)
      const fence: Fence = { document, acks: new Set(), expected: Number.POSITIVE_INFINITY, heard: new Set(instances.keys()), settle: () => {} }
      const followed = new Promise<void>((resolve, reject) => {
        fence.settle = resolve
        timer = setTimeout(
          () => reject(new ApiError(503, 'instances_unreachable', 'Another server instance did not confirm the stage change in time; nothing was changed. Try again.')),
          fenceTimeoutMs,
        )
      })
      // Settled or not, it is awaited only after publishing: a rejection before then is not left unhandled.
      followed.catch(() => {})
      fences.set(fenceId, fence)
      try {
        // Bounded by the fence's timeout too: a Redis that answers nothing (frozen, black-holed) would otherwise hold the move, and the resolution's turn, until it does.
        const receivers = await Promise.race([
          fanout.publishCounted(
            channel(document),
            write(Kind.Fence, instanceId, (encoder) => {
              encoding.writeVarString(encoder, fenceId)
              encoding.writeVarString(encoder, stage)
            }),
          ),
          followed.then(() => Number.POSITIVE_INFINITY),
        ])
        fence.expected = receivers - 1
        if (answered(fence)) fence.settle()
        await followed
        // Every instance alive stored what it took and said so before answering: what is still held is a dead one's.
        document.custody.takeOverNow()
      } catch (error) {
        throw error instanceof ApiError ? error : new ApiError(503, 'instances_unreachable', 'The other server instances could not be told of the stage change; nothing was changed. Try again.')
      } finally {
        clearTimeout(timer)
        fences.delete(fenceId)
      }
    },
    onConnect({ connection }) {
      if (busLost) connection.close(CloseCode.ServerShutdown, 'this server lost contact with the other instances; reconnect')
    },
    async onUnloadDocument({ document }) {
      const teller = storedTellers.get(document)
      storedTellers.delete(document)
      // Stored before this (persistence unloads first): said now, while the others still hear it.
      teller?.flush()
      teller?.stop()
      // Said before leaving the channel: a stage change elsewhere no longer waits for this instance's answer.
      if (subscriptions.has(document) && !heardOnlyHere(document)) fanout.publish(channel(document), write(Kind.Leaving, instanceId, () => {}))
      subscriptions.get(document)?.unsubscribe()
      subscriptions.delete(document)
      heard.delete(document)
      asking.delete(document)
    },
  }
}
