import {
  bodyOf,
  childrenProblem,
  documentGrownPastLimit,
  grownPastLimit,
  MAX_BLOCK_TEXT,
  MAX_DOCUMENT_TEXT,
  MAX_NODES,
  yBlockComposedLength,
  yBlockTextLength,
  yBodyTextLength,
} from '@hemicycle/schema'
import * as Y from 'yjs'
import { type ClientHolder, ClientIds } from './clientIds.ts'
import { WalkTooLong, withWalkLimits } from './conflictWalk.ts'
import { clashIn, DeletedBy } from './divergence.ts'
import { type DecodedUpdate, decodeUpdate, itemProblem } from './updateGuard.ts'

/**
 * How many Yjs structs (items, deleted ones included, and their traces) a
 * document may hold. Text and elements have their own limits, but deleted
 * items have none: a delegate's hand-written client sent 70,000 of them in
 * one 900 KB frame, about 13 MB of the server's memory, and frame after
 * frame would have filled it, then every client loading the document, and
 * the server again at each restart. A struct costs about 190 bytes on the
 * server: this is some 95 MB at most. People's typing makes one struct a
 * run of letters; a resolution typed by hand over months holds tens of
 * thousands.
 */
export const MAX_STRUCTS = 500_000

/**
 * How many structs one person's updates may bring into a document while it
 * is loaded: the whole document's limit is then reached by several people
 * together, not by one delegate in a few frames, and the others go on
 * writing meanwhile. A person's typing brings one struct a run of letters.
 */
export const MAX_STRUCTS_PER_PERSON = 100_000

/**
 * How many Yjs client ids new to a text one person may write under in a day. A text keeps every id that ever wrote
 * in it and Yjs walks them all at every change, on the server and in every tab (yjs/yjs#415): a delegate opening
 * socket after socket, eight invisible ids each, added 8,000 in 27 s, and everyone's keystroke then cost the server
 * 5 ms instead of 0.16 (74 ms at 50,000). Each tab that writes brings one; a person's busiest day brings a few dozen.
 */
export const MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY = 200
const DAY_MS = 24 * 3600_000

/**
 * What the gate decided about an update: what of it to apply, or why it is
 * refused. `ownLacking`: refused only because it builds on changes the
 * server does not have yet, all of them under ids the sender may write (its
 * own changes, made while it was cut off, that its reply to the server's
 * sync request brings). `othersLacking`: refused because the sender's own
 * changes build on another person's it relays, which the server cannot take
 * from it (they come when that person's tab does). `waitsForOthers`: the
 * sender's changes that do not build on such changes are admitted, the rest
 * left for it to send again once the others' are there: two tabs that each
 * hold the other's typing a dead instance never stored would otherwise each
 * wait for the other for good. `lost`: of the others' changes left out of
 * a reply, those the sender's copy shows (not deleted there), and all of
 * them when its own changes wait for them: per client id, the clock the
 * server must reach to hold them too (`LostChanges`).
 */
export type Admission =
  | { admitted: Uint8Array; awaiting?: Awaited; waitsForOthers?: true; lost?: Awaited; refused?: undefined; ownLacking?: undefined; diverged?: undefined; othersLacking?: undefined }
  | { refused: string; admitted?: undefined; awaiting?: undefined; waitsForOthers?: undefined; lost?: Awaited; ownLacking: boolean; diverged?: boolean; othersLacking?: true }

/**
 * Deletions a reply to the sync request made of others' content the server did not have, left out with it: per client
 * id, the clock the server must reach under it before they can apply. The sender is asked for its state again once it
 * does (`AwaitedDeletions`): its reply brings them then, checked as any reply is.
 */
export type Awaited = ReadonlyMap<number, number>

/**
 * Admits a connection's update into a live document, or refuses it with the
 * document unchanged. The update is first applied to a copy (the shadow,
 * kept identical to the live document by every change the live document
 * makes): there Yjs itself shows whether everything integrates at once (no
 * structs waiting for missing dependencies, no delete set reaching past the
 * document's state) and whether it throws, and the integrated items are
 * checked against the schema with their parents known. Only then does the
 * live document take the update (`applyAdmitted`), which by construction
 * integrates the same way, so the shadow, which has it already, does not
 * apply it a second time. A refused update leaves the shadow spoiled; it is
 * rebuilt from the live document before the next check. The shadow exists
 * only while someone writes: it is made at the first update and dropped
 * when the document has nobody connected (`rest`).
 */
export class UpdateGate {
  readonly clients = new ClientIds()
  private shadow: Y.Doc | null = null
  private spoiled = false
  private applyingAdmitted = false
  /**
   * The live body's characters when last counted, and the bytes of every
   * update the live document took since: a Yjs update writes its text as
   * UTF-8, at least one byte for each UTF-16 unit, so the two together bound
   * the text the live document holds now without walking it.
   */
  private counted: { characters: number; bytesSince: number } | null = null
  /** Characters decisions being stored will add (`reserve`): the text's already, so typing meanwhile cannot take their room. */
  private reserved = 0
  /** Structs each person's admitted updates added to the document since it loaded (splits included), by person id. */
  private readonly brought = new Map<string, number>()
  /**
   * When each person first wrote under each id new to the document (ms), those of the last day: the stored ones
   * (`countEarlierIds`), then each admitted here or relayed from another instance, forgotten as they age.
   */
  private readonly newIds = new Map<string, number[]>()
  /** Told of the ids new to the document a person's admitted update writes under, to record them (`clientOwners`). */
  onNewIds: ((clients: number[], personId: string) => void) | null = null

  constructor(
    private readonly live: Y.Doc,
    /** The live document's whole state, as `Y.encodeStateAsUpdate` gives it (`LiveDocument.wholeState` keeps it per change). */
    private readonly liveState: () => Uint8Array = () => Y.encodeStateAsUpdate(live),
    private readonly now: () => number = Date.now,
  ) {
    live.on('update', (update: Uint8Array) => {
      if (this.counted) this.counted.bytesSince += update.byteLength
      if (!this.shadow || this.spoiled || this.applyingAdmitted) return
      try {
        Y.applyUpdate(this.shadow, update)
      } catch {
        this.spoiled = true
      }
    })
  }

  private copy(): Y.Doc {
    const shadow = new Y.Doc({ gc: this.live.gc })
    // Defined first, so an update naming "body" finds the fragment and nothing else.
    bodyOf(shadow)
    Y.applyUpdate(shadow, this.liveState())
    return shadow
  }

  /** The shadow, made again from the live document if there is none or a refusal spoiled it. */
  private freshShadow(): Y.Doc {
    if (!this.shadow || this.spoiled) {
      this.shadow?.destroy()
      this.shadow = this.copy()
      this.spoiled = false
    }
    return this.shadow
  }

  /**
   * The copy holds what was just refused: it is made again now, in the refused connection's time, which its person's
   * handling budget pays, not at the next update of whoever writes next (a hostile review: ten refused 40-byte frames
   * from one delegate, ten copies of an 80,000-struct text of 80–500 ms each, most paid by another person's keystrokes).
   */
  private remakeCopy(): void {
    this.spoiled = true
    this.freshShadow()
  }

  /** Applies an update `admit` let in to the live document (`apply` does it): the shadow has it already. */
  applyAdmitted(apply: () => void): void {
    this.applyingAdmitted = true
    try {
      apply()
    } catch (error) {
      this.spoiled = true
      throw error
    } finally {
      this.applyingAdmitted = false
    }
  }

  /**
   * Takes a change another instance admitted (`apply` applies it to the
   * live document), unless placing its items here would walk past the
   * limits among rival items: that instance counted the walks on its own
   * copy, and this one may hold what it had not yet (a chain of deleted
   * items another connection brought here a moment before: each of 256
   * rivals walked 70,000 items, 11 s of this event loop from a 3.6 KB
   * frame). Counted on the shadow, which applies it first, as for a
   * connection's update; false, with the live document unchanged, when
   * too long.
   */
  takeRelayed(update: Uint8Array, apply: () => void, { chargeTo = null }: { chargeTo?: string | null } = {}): boolean {
    const shadow = this.freshShadow()
    try {
      withWalkLimits(shadow, () => Y.applyUpdate(shadow, update))
    } catch (error) {
      this.spoiled = true
      if (error instanceof WalkTooLong) return false
      // As before the walk was counted: the live document says what it makes of it.
      apply()
      return true
    }
    // What one person brought through another instance counts here too: else each instance gave them a full share.
    if (chargeTo !== null) {
      this.brought.set(chargeTo, (this.brought.get(chargeTo) ?? 0) + Math.max(0, structCount(shadow) - structCount(this.live)))
      const fresh = [...Y.parseUpdateMeta(update).to.keys()].filter(this.newToDocument)
      if (fresh.length > 0) this.newIdsOf(chargeTo).push(...fresh.map(() => this.now()))
    }
    this.applyAdmitted(apply)
    return true
  }

  /** When each person first wrote under an id new to the document, in the last day before it loaded, as stored (ms). */
  countEarlierIds(byPerson: ReadonlyMap<string, readonly number[]>): void {
    for (const [personId, times] of byPerson) this.newIdsOf(personId).push(...times)
  }

  /** Whether nothing was ever written under `client` here: writing under it adds an id every change walks. */
  private readonly newToDocument = (client: number): boolean => Y.getState(this.live.store, client) === 0

  /** A person's times of new ids, those older than a day dropped. */
  private newIdsOf(personId: string): number[] {
    const since = this.now() - DAY_MS
    const times = (this.newIds.get(personId) ?? []).filter((time) => time > since)
    this.newIds.set(personId, times)
    return times
  }

  /** Nobody is connected: the shadow is dropped until someone writes again. */
  rest(): void {
    this.shadow?.destroy()
    this.shadow = null
    this.spoiled = false
  }

  /**
   * Whether `update` from `holder` may enter the live document: refused with
   * the reason, or admitted (its client ids are then claimed and the caller
   * applies `admitted` to the live document). A `relayed` update is a
   * client's reply to the server's sync request: everything it has that the
   * server lacks, which after an instance died may include other people's
   * changes that never reached the database. Those are not the sender's to
   * write, so they are left out, not refused: their owners resend them when
   * they reconnect, and the sender's own changes get in meanwhile. In a live
   * update, which carries only what its sender typed, they are a forgery.
   * Changes under an id nobody is recorded under are others' too once the
   * sender has introduced an id of its own (its presence, which a stock
   * client sends before it answers the sync request): claiming them would
   * credit the sender with what someone typed just before the crash, and
   * then refuse that person their own id when they come back. A sender that
   * has introduced none may claim them: they are its own offline changes.
   * An update that says other words than the document under ids it holds is
   * refused as `diverged`: Yjs would drop those structs unread, and the
   * sender's copy would read otherwise than everyone's for good.
   */
  admit(update: Uint8Array, holder: ClientHolder, { relayed = false, decoded = decodeUpdate(update) }: { relayed?: boolean; decoded?: DecodedUpdate | null } = {}): Admission {
    if (!decoded) return { refused: 'the Yjs update cannot be decoded', ownLacking: false }
    const claiming = new Set<number>()
    /** Ids of the sender's person it brings back from another of their tabs: claimed for the person, not held by this connection. */
    const carried = new Set<number>()
    const others = new Set<number>()
    let partlyKnown = false
    let overlapping = false
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue
      const { client, clock } = struct.id
      // Structs the document already has change nothing: a client resending what the server holds is no claim.
      const known = Y.getState(this.live.store, client)
      if (clock < known) overlapping = true
      if (clock + struct.length <= known || others.has(client)) continue
      if (clock < known) partlyKnown = true
      // Content nobody is recorded as owning was written by the server (an import, a restored version).
      const serverWrote = known > 0 && !this.clients.owner(client)
      const refusal = serverWrote ? `client id ${client} belongs to the server` : this.clients.refusal(client, holder, { claiming, takeOver: true })
      if (refusal && relayed && (serverWrote || this.clients.isAnothers(client, holder))) {
        others.add(client)
        continue
      }
      if (refusal) return { refused: refusal, ownLacking: false }
      if (relayed && !this.clients.owner(client) && this.clients.introducedOthers(holder, client)) {
        // Nobody is recorded under it, and the sender has introduced its own id: it is someone else's change that was never stored.
        others.add(client)
        continue
      }
      claiming.add(client)
      if (relayed && this.clients.introducedOthers(holder, client)) carried.add(client)
    }
    const fresh = [...claiming].filter(this.newToDocument)
    if (fresh.length > 0 && this.newIdsOf(holder.personId).length + fresh.length > MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY) {
      return { refused: `one person may write under at most ${MAX_NEW_CLIENT_IDS_PER_PERSON_PER_DAY} new Yjs client ids in a resolution a day`, ownLacking: false }
    }
    // Two instances each took a hand-written client's other words under one id, and this instance holds the other's
    // (relayed first): the sender's copy reads otherwise than the text, and is told so, not silently left to differ.
    const clash = overlapping ? clashIn(this.live, decoded) : null
    if (clash !== null) return { refused: `it says other words than the resolution holds under client id ${clash}`, ownLacking: false, diverged: true }
    let admitted: Uint8Array | null
    let awaiting: Awaited | undefined
    let waitsForOthers: true | undefined
    try {
      // A struct part of which the document holds is cut where it starts to be new, the new part hung on the old as
      // Yjs places it: whatever origin and parent the struct names stay out (a hostile review: an origin forged in
      // another paragraph had that paragraph count characters it did not hold, on this copy only).
      if (others.size > 0) ({ update: admitted, awaiting, waitsForOthers } = this.withoutChangesOf(others, update))
      else admitted = partlyKnown ? Y.diffUpdate(update, Y.encodeStateVector(this.live)) : update
    } catch (error) {
      if (error instanceof WalkTooLong) return { refused: error.message, ownLacking: false }
      throw error
    }
    const lost = others.size > 0 ? lostOf(others, decoded, { builtOn: !admitted || waitsForOthers === true }) : undefined
    if (!admitted) return { refused: 'the update builds on changes of another person the server does not have', ownLacking: false, othersLacking: true, ...(lost && { lost }) }

    const shadow = this.freshShadow()
    // Where each client the update writes under stands now, not the whole state vector: a text typed into for months
    // holds thousands of past clients' ids. Nothing else can grow, unless the copy holds structs waiting for others
    // (the live text took a relayed change whole, `takeRelayed`): the update may bring what they wait for.
    const before = new Map<number, number>()
    const waiting = shadow.store.pendingStructs ? Y.decodeUpdateV2(shadow.store.pendingStructs.update).structs : []
    for (const structs of [waiting, decoded.structs]) for (const struct of structs) before.set(struct.id.client, Y.getState(shadow.store, struct.id.client))
    let outcome: { problem: string; lacking: number[] } | null
    try {
      outcome = this.tryOnShadow(shadow, admitted, before)
    } catch {
      // A check that throws has checked part of an update the shadow holds whole: spoiled, or the same update sent
      // again would find nothing new there to check, and enter.
      outcome = { problem: 'the update could not be checked', lacking: [] }
    }
    if (outcome) {
      const ownLacking = outcome.lacking.length > 0 && outcome.lacking.every((client) => this.mayWrite(client, holder))
      this.remakeCopy()
      // Built on, or deleting, another person's changes the server lacks: the sender heard them where they were lost (an
      // instance that died), and sends again once their owner has brought them.
      if (outcome.lacking.length > 0 && !ownLacking) return { refused: outcome.problem, ownLacking, othersLacking: true }
      return { refused: outcome.problem, ownLacking }
    }
    // Both struct limits bound what the document grows by, not the update's structs: a deletion inside a run splits
    // it, and deleting every other letter of a paragraph made 2,000 structs of one with none written (a hostile review:
    // one person took a document to 490,000 structs charged 150).
    const structs = structCount(shadow)
    const grown = Math.max(0, structs - structCount(this.live))
    const brought = (this.brought.get(holder.personId) ?? 0) + grown
    const limit =
      structs > MAX_STRUCTS && grown > 0
        ? `a resolution holds at most ${MAX_STRUCTS} Yjs items, deleted ones included`
        : brought > MAX_STRUCTS_PER_PERSON
          ? `one person may bring at most ${MAX_STRUCTS_PER_PERSON} Yjs items into a resolution while it is open`
          : null
    if (limit) {
      this.remakeCopy()
      return { refused: limit, ownLacking: false }
    }
    for (const client of claiming) this.clients.claim(client, holder, { hold: !carried.has(client) })
    this.brought.set(holder.personId, brought)
    if (fresh.length > 0) {
      this.newIdsOf(holder.personId).push(...fresh.map(() => this.now()))
      this.onNewIds?.(fresh, holder.personId)
    }
    return { admitted, ...(awaiting && { awaiting }), ...(waitsForOthers && { waitsForOthers }), ...(lost && { lost }) }
  }

  /**
   * `update` without the structs of `others`, and without the deletions of
   * content the server does not have (theirs). Of the sender's own structs,
   * those that stand without the others' (Yjs integrates each id's structs
   * in order, up to the first that lacks something), the rest said to wait
   * (`waitsForOthers`); null when none does. Re-encoded by Yjs from a copy,
   * never by hand. Throws `WalkTooLong` when the copy would take too long
   * to place them. The deletions left out are not forgotten (`awaiting`):
   * dropped for good, the sender's copy went on without a paragraph the text
   * kept once its owner brought it, and nobody was told.
   */
  private withoutChangesOf(others: ReadonlySet<number>, update: Uint8Array): { update: Uint8Array | null; awaiting?: Awaited; waitsForOthers?: true } {
    const ends = Y.parseUpdateMeta(update).to
    const leaveOut = new Map([...others].map((client) => [client, ends.get(client) ?? 0]))
    const scratch = this.copy()
    try {
      withWalkLimits(scratch, () => Y.applyUpdate(scratch, Y.diffUpdate(update, Y.encodeStateVector(leaveOut))))
      const { pendingDs, pendingStructs } = scratch.store
      scratch.store.pendingDs = null
      scratch.store.pendingStructs = null
      const admitted = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(this.live))
      const standing = [...scratch.store.clients.keys()].some((client) => Y.getState(scratch.store, client) > Y.getState(this.live.store, client))
      if (pendingStructs && !standing) return { update: null }
      return { update: admitted, ...(pendingDs && { awaiting: deletionEnds(pendingDs) }), ...(pendingStructs && { waitsForOthers: true as const }) }
    } catch (error) {
      if (error instanceof WalkTooLong) throw error
      return { update: null }
    } finally {
      scratch.destroy()
    }
  }

  /** The client ids whose changes the shadow waits for: structs missing before the update's, and content its deletions reach. */
  private lacking(shadow: Y.Doc): number[] {
    const { pendingStructs, pendingDs } = shadow.store
    const clients = new Set<number>(pendingStructs ? pendingStructs.missing.keys() : [])
    // Yjs keeps the deletions it could not apply as a v2 update.
    if (pendingDs) for (const client of Y.decodeUpdateV2(pendingDs).ds.clients.keys()) clients.add(client)
    return [...clients]
  }

  /** Whether `holder` may write under `client`: it holds it, or may claim it (nobody's, and not content the server wrote). */
  private mayWrite(client: number, holder: ClientHolder): boolean {
    if (Y.getState(this.live.store, client) > 0 && !this.clients.owner(client)) return false
    return this.clients.refusal(client, holder, { takeOver: true }) === null
  }

  /** Why the update cannot enter the shadow, and the ids of the changes it lacks if that is why; null when it can. */
  private tryOnShadow(shadow: Y.Doc, update: Uint8Array, before: Map<number, number>): { problem: string; lacking: number[] } | null {
    const refused = (problem: string) => ({ problem, lacking: [] })
    // The elements whose children the update changed: those it created, and those that were there (Yjs records them,
    // deletions included, with a null key for their child list).
    const reshaped = new Set<Y.XmlElement>()
    const record = (transaction: Y.Transaction) => {
      for (const [type, keys] of transaction.changed) if (keys.has(null) && type instanceof Y.XmlElement) reshaped.add(type)
    }
    shadow.on('afterTransaction', record)
    try {
      withWalkLimits(shadow, () => Y.applyUpdate(shadow, update))
    } catch (error) {
      return refused(error instanceof WalkTooLong ? error.message : 'the update cannot be applied to the document')
    } finally {
      shadow.off('afterTransaction', record)
    }
    const { store } = shadow
    if (store.pendingStructs) return { problem: 'the update depends on changes the server does not have', lacking: this.lacking(shadow) }
    if (store.pendingDs) return { problem: 'the update deletes content the server does not have', lacking: this.lacking(shadow) }
    const body = bodyOf(shadow)
    let addsNodes = false
    const lengthened = new Set<Y.XmlElement>()
    for (const [client, from] of before) {
      const structs = store.clients.get(client)
      if (!structs || Y.getState(store, client) <= from) continue
      for (let index = Y.findIndexSS(structs, from); index < structs.length; index++) {
        const struct = structs[index]!
        if (!(struct instanceof Y.Item) || struct.deleted) continue
        const problem = itemProblem(struct, body)
        if (problem) return refused(problem)
        if (struct.content instanceof Y.ContentType) {
          addsNodes = true
          if (struct.content.type instanceof Y.XmlElement) reshaped.add(struct.content.type)
        }
        // Characters written, or a text node placed: its textblock (itemProblem checked the parents) may have grown.
        const text = struct.content instanceof Y.ContentString ? struct.parent : struct.content instanceof Y.ContentType ? struct.content.type : null
        if (text instanceof Y.XmlText && text.parent instanceof Y.XmlElement && !text.parent._item?.deleted) lengthened.add(text.parent)
      }
    }
    for (const element of reshaped) {
      if (element._item?.deleted) continue
      const problem = childrenProblem(element.nodeName, elementNames(element))
      if (problem) return refused(problem)
    }
    if (addsNodes && countNodes(body) > MAX_NODES) return refused(`a resolution holds at most ${MAX_NODES} elements and text nodes`)
    for (const block of lengthened) if (grownPastLimit(block, this.live) !== null) return refused(`a paragraph holds at most ${MAX_BLOCK_TEXT} characters of text`)
    if (lengthened.size > 0 && this.grownPastDocumentLimit(body, update.byteLength, lengthened)) return refused(`a resolution holds at most ${MAX_DOCUMENT_TEXT} characters of text`)
    return null
  }

  /**
   * Whether the shadow's body, holding an update of `bytes` bytes the live
   * document does not have yet, holds more text than a resolution may and
   * more than the live body. Both are walked only when the bound says the
   * limit may be near: typing into a text of ordinary length costs nothing
   * per keystroke, and one walk every few megabytes written.
   */
  private grownPastDocumentLimit(body: Y.XmlFragment, bytes: number, lengthened: ReadonlySet<Y.XmlElement>): boolean {
    // What the update writes, once the server has composed it (NFC, in the turn after it is admitted): at most one and a
    // half UTF-16 units a byte (U+1D160, four bytes, is six units composed); the composing change is counted when it lands.
    const written = 2 * bytes
    const { counted } = this
    if (counted && counted.characters + counted.bytesSince + written + this.reserved <= MAX_DOCUMENT_TEXT) return false
    const before = yBodyTextLength(bodyOf(this.live))
    this.counted = { characters: before, bytesSince: 0 }
    if (before + written + this.reserved <= MAX_DOCUMENT_TEXT) return false
    let after = yBodyTextLength(body)
    for (const block of lengthened) after += yBlockComposedLength(block) - yBlockTextLength(block)
    return documentGrownPastLimit(after + this.reserved, before + this.reserved)
  }

  /**
   * A decision measured against the whole text's limit will add `characters`
   * once stored (an acceptance is stored, then applied): until `release`,
   * they count as the text's, or typing admitted meanwhile would take the
   * room the decision was measured with, and the two together pass the limit.
   */
  reserve(characters: number): () => void {
    if (characters <= 0) return () => {}
    this.reserved += characters
    let held = true
    return () => {
      if (held) this.reserved -= characters
      held = false
    }
  }

  destroy(): void {
    this.rest()
  }
}

/**
 * Of the structs under `others` an update brings, those its sender's copy shows (items whose content its delete set
 * does not wholly cover), or all of them when the sender's own changes are `builtOn` them: per client id, where the
 * last of them ends; undefined when there is none.
 */
function lostOf(others: ReadonlySet<number>, decoded: DecodedUpdate, { builtOn }: { builtOn: boolean }): Awaited | undefined {
  const lost = new Map<number, number>()
  const deleted = new DeletedBy(decoded.ds)
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    if (!others.has(client) || struct instanceof Y.Skip) continue
    if (builtOn || shows(struct, deleted)) lost.set(client, Math.max(lost.get(client) ?? 0, clock + struct.length))
  }
  return lost.size > 0 ? lost : undefined
}

/** Whether the sender's copy shows a struct it sends: an item whose content its delete set does not wholly cover. */
function shows(struct: Y.Item | Y.GC | Y.Skip, deleted: DeletedBy): boolean {
  const { client, clock } = struct.id
  return struct instanceof Y.Item && !(struct.content instanceof Y.ContentDeleted) && !deleted.all(client, clock, clock + struct.length)
}

/**
 * What an answer to the sync request from a connection that may not write (an observer; a delegate at a stage closed
 * to them) shows that `live` lacks, under ids other than `own` (its own, refused with the rest): others' changes lost
 * where it heard them (`LostChanges`). Per client id, where the last of them ends; undefined when there is none.
 */
export function shownBeyond(live: Y.Doc, decoded: DecodedUpdate, own: ReadonlySet<number>): Awaited | undefined {
  const lost = new Map<number, number>()
  const deleted = new DeletedBy(decoded.ds)
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    if (own.has(client) || clock + struct.length <= Y.getState(live.store, client) || !shows(struct, deleted)) continue
    lost.set(client, Math.max(lost.get(client) ?? 0, clock + struct.length))
  }
  return lost.size > 0 ? lost : undefined
}

/** Per client id, where the deletions Yjs kept waiting (a v2 update holding a delete set only) end. */
function deletionEnds(pendingDs: Uint8Array): Awaited {
  const ends = new Map<number, number>()
  for (const [client, deletions] of Y.decodeUpdateV2(pendingDs).ds.clients) {
    // A loop, not a spread: a reply may hold a hundred thousand deletions under one id.
    let end = 0
    for (const { clock, len } of deletions) end = Math.max(end, clock + len)
    ends.set(client, end)
  }
  return ends
}

/** The structs a document holds: one array a client id, so counted in as many steps as there are ids. */
function structCount(doc: Y.Doc): number {
  let count = 0
  for (const structs of doc.store.clients.values()) count += structs.length
  return count
}

/** The names of an element's child elements as they stand, in order. */
function elementNames(element: Y.XmlElement): string[] {
  const names: string[] = []
  for (let item = element._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement) names.push(item.content.type.nodeName)
  }
  return names
}

/** Elements and text nodes in the body, counted without recursion. */
function countNodes(body: Y.XmlFragment): number {
  let count = 0
  const stack: Array<Y.XmlFragment | Y.XmlElement> = [body]
  while (stack.length > 0 && count <= MAX_NODES) {
    for (let item = stack.pop()!._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue
      count += 1
      const { type } = item.content
      if (type instanceof Y.XmlElement) stack.push(type)
    }
  }
  return count
}
