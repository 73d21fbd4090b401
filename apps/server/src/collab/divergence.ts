import * as Y from 'yjs'

/*
 * Yjs takes an id (client, clock) once: a struct it already holds under that
 * id is dropped unread, whatever it says. Each instance admits what its own
 * connections send, so a hand-written client that sends different words
 * under one id to two instances at the same moment has both admitted, one
 * on each, and each instance then drops the other's as known: two texts,
 * for good, with equal state vectors that no sync repairs (a hostile
 * review: the lock hashed the stored one while the other instance showed
 * and exported its own). Such a clash is seen where it lands: in a change
 * relayed from another instance, under ids this copy holds already, or in a
 * connection's update when the other's words were relayed here first.
 */

/** One unit (one clock) of a struct's content, comparable across documents (`sameValue`); null where nothing is left to compare (deleted, garbage-collected). */
function unitOf(content: Y.Item['content'], offset: number): unknown[] | null {
  if (content instanceof Y.ContentDeleted) return null
  if (content instanceof Y.ContentString) return ['string', content.str.charCodeAt(offset)]
  if (content instanceof Y.ContentType) return ['type', content.type.constructor, content.type instanceof Y.XmlElement ? content.type.nodeName : null]
  if (content instanceof Y.ContentFormat) return ['format', content.key, content.value]
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return ['any', content.arr[offset]]
  if (content instanceof Y.ContentEmbed) return ['embed', content.embed]
  if (content instanceof Y.ContentBinary) return ['binary', content.content]
  if (content instanceof Y.ContentDoc) return ['doc', content.doc?.guid ?? null]
  return ['other', content.constructor]
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)

/**
 * Whether two values as Yjs decodes them (lib0's `any`: numbers, strings, booleans, null, undefined, bigints, bytes,
 * arrays and plain objects) are the same value. Not `JSON.stringify`, which wrote NaN, Infinity and null alike, and -0
 * as 0, all of which lib0 keeps apart (a review: null on one instance and NaN on the other under one id passed for the
 * same). Walked with a stack of its own: a value is as deep as a frame lets a hostile client nest it.
 */
function sameValue(first: unknown, second: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[first, second]]
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [a, b] = pair
    if (Object.is(a, b)) continue
    if (a instanceof Uint8Array && b instanceof Uint8Array) {
      if (!Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)) return false
    } else if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false
      a.forEach((value, index) => pending.push([value, b[index]]))
    } else if (isPlainObject(a) && isPlainObject(b)) {
      const keys = Object.keys(a)
      if (keys.length !== Object.keys(b).length || keys.some((key) => !Object.hasOwn(b, key))) return false
      for (const key of keys) pending.push([a[key], b[key]])
    } else return false
  }
  return true
}

const isSurrogate = (unit: unknown) => typeof unit === 'number' && unit >= 0xd800 && unit <= 0xdfff

/**
 * Split between the halves of a surrogate pair, Yjs writes U+FFFD for each half: a copy that split it and one that had
 * not yet, U+FFFD against a half. Two halves are compared as any unit (a hostile review: 👍 on one instance and 👎 on
 * the other, under one id, passed for the same words when every half agreed with every other). The clock of the pair's
 * first half, when `a` and `b` are such a split; null otherwise.
 */
function splitPairAt(a: unknown[], b: unknown[], clock: number): number | null {
  if (a[0] !== 'string' || b[0] !== 'string') return null
  const half = a[1] === 0xfffd && isSurrogate(b[1]) ? (b[1] as number) : b[1] === 0xfffd && isSurrogate(a[1]) ? (a[1] as number) : null
  if (half === null) return null
  return half <= 0xdbff ? clock : clock - 1
}

type Decoded = ReturnType<typeof Y.decodeUpdate>

/**
 * When U+FFFD against a half agrees. A connection's copy may have split a pair that the text holds whole: the client's
 * own view. Between instances only where a change says so (`SplitsExplained`): a client's own copy splits a pair under
 * a formatting that writes nothing (bold removed where there was none), and an instance that took that copy first
 * showed "��" where the other showed the emoji, for good (a review's two-instance property test).
 */
interface UnitComparison {
  same(sent: unknown[] | null, held: unknown[] | null, client: number, clock: number): boolean
}

const unitsEqual = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((part, index) => sameValue(part, b[index]))

function comparison(splitAgrees: (client: number, first: number) => boolean): UnitComparison {
  return {
    same(sent, held, client, clock) {
      if (sent === null || held === null || unitsEqual(sent, held)) return true
      const first = splitPairAt(sent, held, clock)
      return first !== null && splitAgrees(client, first)
    },
  }
}

/**
 * Whether a change, held here or sent, splits every copy between clocks `first` and `first + 1` of `client`: an item
 * standing between them, or a deletion ending there. A copy that has it shows U+FFFD for both halves, as every copy
 * will once it arrives; a split no change explains is one copy's alone.
 */
class SplitsExplained {
  private bounds: Set<string> | null = null
  constructor(
    private readonly doc: Y.Doc,
    private readonly decoded: Decoded,
    private readonly deletes: DeletedBy,
  ) {}

  explains(client: number, first: number): boolean {
    const [left, right] = [heldAt(this.doc, Y.createID(client, first)), heldAt(this.doc, Y.createID(client, first + 1))]
    if (left instanceof Y.Item && right instanceof Y.Item && left !== right && (left.right !== right || left.deleted !== right.deleted)) return true
    if (this.deletes.all(client, first, first + 1) !== this.deletes.all(client, first + 1, first + 2)) return true
    return this.sentBounds().has(`${client}:${first}`)
  }

  /** The pairs of clocks the update's items stand between (`client:first`), its own split halves left out. */
  private sentBounds(): Set<string> {
    if (this.bounds) return this.bounds
    this.bounds = new Set()
    for (const struct of this.decoded.structs) {
      if (!(struct instanceof Y.Item)) continue
      const { origin, rightOrigin, id } = struct
      if (origin && !(origin.client === id.client && origin.clock === id.clock - 1)) this.bounds.add(`${origin.client}:${origin.clock}`)
      if (rightOrigin) this.bounds.add(`${rightOrigin.client}:${rightOrigin.clock - 1}`)
    }
    return this.bounds
  }
}

/** The origin of one clock of a struct: the clock before it within the struct, else the struct's own. */
const originAt = (item: Y.Item, clock: number): Y.ID | null => (clock > item.id.clock ? Y.createID(item.id.client, clock - 1) : item.origin)

/** Whether the struct as sent and the struct as held say the same of `clock`: its content, where it stands, and under what. */
function agreeAt(doc: Y.Doc, sent: Y.Item, held: Y.Item, clock: number, units: UnitComparison): boolean {
  if (!units.same(unitOf(sent.content, clock - sent.id.clock), unitOf(held.content, clock - held.id.clock), sent.id.client, clock)) return false
  if (!Y.compareIDs(originAt(sent, clock), originAt(held, clock)) || !Y.compareIDs(sent.rightOrigin, held.rightOrigin)) return false
  // Sent with an origin or a right origin, a struct names neither parent nor key: they are its neighbours'. Sent without
  // either, the parent is a root's name or an element's id, and the key (an attribute's name) is written too.
  if (sent.origin !== null || sent.rightOrigin !== null) return true
  if ((sent.parentSub ?? null) !== (held.parentSub ?? null)) return false
  const parent = sent.parent as unknown
  if (parent === null || parent === undefined) return true
  const heldParent = held.parent as Y.AbstractType<unknown> | null
  if (typeof parent === 'string') return heldParent !== null && heldParent._item === null && doc.share.get(parent) === heldParent
  return heldParent !== null && Y.compareIDs(parent as Y.ID, heldParent._item?.id ?? null)
}

/**
 * Whether two structs hold the same content at clocks `from` to `to`, where
 * both stand (within each, every clock's origin is the clock before it, so
 * only content is left to compare). Deleted content is not compared, so a
 * deletion sent a million clocks long costs nothing.
 */
function sameContentWithin(sent: Y.Item, held: Y.Item, from: number, to: number, units: UnitComparison): boolean {
  if (from >= to || sent.content instanceof Y.ContentDeleted || held.content instanceof Y.ContentDeleted) return true
  if (sent.content instanceof Y.ContentString && held.content instanceof Y.ContentString) {
    const [a, b] = [from - sent.id.clock, from - held.id.clock]
    if (sent.content.str.slice(a, a + to - from) === held.content.str.slice(b, b + to - from)) return true
  }
  for (let clock = from; clock < to; clock++) {
    if (!units.same(unitOf(sent.content, clock - sent.id.clock), unitOf(held.content, clock - held.id.clock), sent.id.client, clock)) return false
  }
  return true
}

/**
 * Whether a type stands in the document once `deletes` are applied: the root, or an element neither deleted here nor
 * by the update, nor inside one that is. Yjs puts collected structs in no delete set: a reply that collects a
 * paragraph's words deletes the paragraph only (a review: counting the words as undeleted put a copy away for nothing).
 */
function aliveHere(type: unknown, deletes: DeletedBy): boolean {
  for (let at = type; ; ) {
    if (!(at instanceof Y.AbstractType)) return false
    const item = at._item
    if (item === null) return true
    if (item.deleted || deletes.all(item.id.client, item.id.clock, item.id.clock + 1)) return false
    at = item.parent
  }
}

/** The struct holding `id` in `doc`, if `doc` holds it. */
function heldAt(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  const structs = doc.store.clients.get(id.client)
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null
  return structs[Y.findIndexSS(structs, id.clock)] ?? null
}

/** The type a sent item would stand in here: the parent it names, else its neighbours'; null when this copy cannot tell. */
function placeOf(doc: Y.Doc, sent: Y.Item): unknown {
  const parent = sent.parent as unknown
  if (typeof parent === 'string') return doc.share.get(parent) ?? null
  if (parent instanceof Y.ID) {
    const element = heldAt(doc, parent)
    return element instanceof Y.Item && element.content instanceof Y.ContentType ? element.content.type : null
  }
  for (const neighbour of [sent.origin, sent.rightOrigin]) {
    const held = neighbour ? heldAt(doc, neighbour) : null
    if (held instanceof Y.Item) return held.parent
  }
  return null
}

/**
 * An update's deletions, asked whether they delete a whole run of clocks (ranges sorted and joined once per client,
 * so a hand-written delete set, unsorted or overlapping, is read as Yjs would apply it).
 */
export class DeletedBy {
  private readonly joined = new Map<number, Array<[number, number]>>()
  constructor(private readonly ds: Decoded['ds']) {}

  all(client: number, from: number, to: number): boolean {
    let ranges = this.joined.get(client)
    if (!ranges) {
      ranges = []
      for (const { clock, len } of [...(this.ds.clients.get(client) ?? [])].sort((a, b) => a.clock - b.clock)) {
        const last = ranges.at(-1)
        if (last && clock <= last[1]) last[1] = Math.max(last[1], clock + len)
        else ranges.push([clock, clock + len])
      }
      this.joined.set(client, ranges)
    }
    let [low, high] = [0, ranges.length - 1]
    while (low <= high) {
      const middle = (low + high) >> 1
      const [start, end] = ranges[middle]!
      if (from < start) high = middle - 1
      else if (from >= end) low = middle + 1
      else return to <= end
    }
    return false
  }
}

/**
 * A client id under which `update` says something other than `doc` holds,
 * for clocks both have; null when they agree wherever both can tell.
 * Deleted content is not compared; collected ids only where a live
 * paragraph would hold words on one side and nothing on the other.
 */
export function clashingClient(
  doc: Y.Doc,
  update: Uint8Array,
  meta: ReturnType<typeof Y.parseUpdateMeta> = Y.parseUpdateMeta(update),
  options: ClashOptions = {},
): number | null {
  const overlapping = [...meta.from].some(([client, from]) => from < Y.getState(doc.store, client))
  return overlapping ? clashIn(doc, Y.decodeUpdate(update), options) : null
}

export interface ClashOptions {
  /**
   * Whether U+FFFD agrees with a surrogate half whatever split it: for a connection's copy. Between instances (false),
   * only where a change says the pair was split (`SplitsExplained`).
   */
  splitPairsAgree?: boolean
}

/** `clashingClient` of an update already decoded (the gate's, which knows it overlaps). */
export function clashIn(doc: Y.Doc, decoded: Decoded, { splitPairsAgree = true }: ClashOptions = {}): number | null {
  const deletes = new DeletedBy(decoded.ds)
  let splits: SplitsExplained | null = null
  const units = comparison(splitPairsAgree ? () => true : (client, first) => (splits ??= new SplitsExplained(doc, decoded, deletes)).explains(client, first))
  for (const sent of decoded.structs) {
    if (sent instanceof Y.Skip) continue
    const { client, clock: start } = sent.id
    const end = Math.min(start + sent.length, Y.getState(doc.store, client))
    if (start >= end) continue
    const structs = doc.store.clients.get(client)!
    for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
      const held = structs[index]!
      if (held.id.clock >= end) break
      const [from, to] = [Math.max(start, held.id.clock), Math.min(end, held.id.clock + held.length)]
      if (sent instanceof Y.Item && held instanceof Y.Item) {
        if (!agreeAt(doc, sent, held, from, units) || !sameContentWithin(sent, held, from + 1, to, units)) return client
      } else if (sent instanceof Y.Item) {
        // Collected here (its paragraph deleted), standing there in a paragraph this copy holds alive.
        if (!(sent.content instanceof Y.ContentDeleted) && !deletes.all(client, from, to) && aliveHere(placeOf(doc, sent), deletes)) return client
      } else if (held instanceof Y.Item) {
        // Collected there, standing here: a copy collects only what sits in a deleted paragraph, and an update that
        // says so deletes it (a hostile review: a collected run under one id on one instance, "abc" under it on the
        // other, and nothing ever deleted "abc").
        if (!held.deleted && aliveHere(held.parent, deletes) && !deletes.all(client, from, to)) return client
      }
    }
  }
  return null
}
