import { attributeProblem, BODY, childProblem, formatProblem, MAX_DEPTH, TEXTBLOCK_NAMES, textProblem } from '@hemicycle/schema'
import * as Y from 'yjs'

/**
 * Checks a client's Yjs update before the server applies it: it must decode,
 * and change nothing but the `body` fragment (metadata lives in the
 * database, so any other root is refused), with content a rich-text
 * fragment can hold. Returns the reason it is refused, or null.
 *
 * Every item either names its root (checked here) or hangs under an item
 * already in the document or in the same update; since only `body` is ever
 * accepted, a document the server holds has no other root to hang under.
 */
const ALLOWED_CONTENT = [Y.ContentType, Y.ContentString, Y.ContentFormat, Y.ContentAny, Y.ContentDeleted, Y.ContentEmbed]

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** The update's structs and delete set, or null when it cannot be decoded. */
export function decodeUpdate(update: Uint8Array): DecodedUpdate | null {
  try {
    return Y.decodeUpdate(update)
  } catch {
    return null
  }
}

/**
 * How many items of one update may be written at the same place: after the same
 * item, or at the start of the same parent (or the same key). Typing hangs each
 * new item on the one before it; items hung on one place are rival insertions,
 * and Yjs orders each against every other there, so N of them cost N² steps:
 * 4,000 characters sent as two such sets in one 104 KB frame held the event loop
 * 20 s before any check could run; 256 are at most 65,536 steps. A person pressing Home
 * before each letter hangs each on the same place too, and so does a resent
 * history of paragraphs added at the top of the text, both far below it.
 */
export const MAX_ITEMS_AT_ONE_PLACE = 256

/**
 * The furthest a client's clock may reach: one per character, element or
 * deletion a person ever wrote, 2^40 is more than any text will see, and far
 * below 2^53, past which adding 1 to a clock no longer changes it. A deleted
 * run or a GC struct a few bytes long can claim 2^55 clocks: past 2^53 the
 * server's own comparisons looped for ever on one frame, and Yjs's state
 * vector rounded, so later words went live unstored, unchecked and unsent.
 */
export const MAX_CLOCK = 2 ** 40

function deletionsInOrder(ranges: ReadonlyArray<{ clock: number; len: number }>): boolean {
  let end = 0
  for (const { clock, len } of ranges) {
    if (len < 1 || clock < end) return false
    end = clock + len
  }
  return true
}

/** Where an item is written, as the place its rivals share. */
function placeOf(item: Y.Item): string {
  if (item.origin) return `${item.origin.client}:${item.origin.clock}`
  const parent = item.parent instanceof Y.ID ? `${item.parent.client}:${item.parent.clock}` : String(item.parent)
  return `start of ${parent}/${item.parentSub ?? ''}`
}

/** Takes the update as bytes, or as `decodeUpdate` read it (so a caller that needs its structs too reads it once). */
export function refuseUpdate(update: Uint8Array | DecodedUpdate): string | null {
  const decoded = update instanceof Uint8Array ? decodeUpdate(update) : update
  if (!decoded) return 'the Yjs update cannot be decoded'
  const atPlace = new Map<string, number>()
  const clients = new Set<number>()
  let client: number | null = null
  for (const [deleter, ranges] of decoded.ds.clients) {
    if (ranges.some(({ clock, len }) => clock + len > MAX_CLOCK)) return `the update deletes past clock ${MAX_CLOCK} of client ${deleter}`
    // Yjs writes each client's deletions sorted, non-empty, none over another. Out of order, what Yjs cannot apply yet is kept
    // re-encoded as differences between clocks, which turn negative: the deletion waiting in a copy names other clocks.
    if (!deletionsInOrder(ranges)) return `the update's deletions under client ${deleter} overlap, are out of order or empty; Yjs writes them sorted and apart`
  }
  for (const struct of decoded.structs) {
    if (struct.id.clock + struct.length > MAX_CLOCK) return `the update writes past clock ${MAX_CLOCK} of client ${struct.id.client}`
    // Yjs writes each client's structs in one run, and reads only the last run of a client named twice: the others
    // are read by nobody but the checks, which a hostile review had walk the same 100,000 items once per run (10,000
    // runs of 13 bytes each: 55 s of the event loop, admitted, as it changed nothing).
    if (struct.id.client !== client) {
      client = struct.id.client
      if (clients.has(client)) return `the update names client ${client} twice; Yjs writes each client's changes once`
      clients.add(client)
    }
    if (!(struct instanceof Y.Item)) continue
    const place = placeOf(struct)
    const count = (atPlace.get(place) ?? 0) + 1
    if (count > MAX_ITEMS_AT_ONE_PLACE) return `the update writes more than ${MAX_ITEMS_AT_ONE_PLACE} items at one place`
    atPlace.set(place, count)
    if (typeof struct.parent === 'string') {
      if (struct.parent !== BODY) return `the update changes "${struct.parent}"; only "${BODY}" may change`
      if (struct.parentSub !== null) return `the update sets a key on "${BODY}", which holds only blocks`
      if (!(struct.content instanceof Y.ContentType || struct.content instanceof Y.ContentDeleted)) {
        return `the update puts something other than blocks into "${BODY}"`
      }
    }
    if (!ALLOWED_CONTENT.some((type) => struct.content instanceof type)) {
      return 'the update holds content a resolution cannot contain'
    }
  }
  return null
}

/**
 * Checks one item as integrated into a copy of the document, where its
 * parent is known: elements of the schema where the schema allows them,
 * text only in textblocks, known attributes with values they can take,
 * bold and italic only, no control characters, no element deeper than
 * `MAX_DEPTH`. Returns the reason it is refused, or null.
 */
export function itemProblem(item: Y.Item, body: Y.XmlFragment): string | null {
  const { parent, content } = item
  if (content instanceof Y.ContentDeleted) return null
  if (!(parent instanceof Y.AbstractType)) return 'the update places content nowhere'
  if (item.parentSub !== null) {
    if (!(parent instanceof Y.XmlElement)) return 'only elements carry attributes'
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return 'an attribute holds one plain value'
    return attributeProblem(parent.nodeName, item.parentSub, content.arr[0])
  }
  if (parent instanceof Y.XmlText) {
    if (content instanceof Y.ContentString) return textProblem(content.str)
    if (content instanceof Y.ContentFormat) return formatProblem(content.key, content.value)
    return 'text holds only characters and formatting'
  }
  if (parent !== body && !(parent instanceof Y.XmlElement)) return 'the update changes something other than the body'
  const parentName = parent instanceof Y.XmlElement ? parent.nodeName : null
  if (!(content instanceof Y.ContentType)) return `${parentName === null ? 'the body' : `a ${parentName}`} holds only elements and text`
  const { type } = content
  if (type instanceof Y.XmlText) {
    return parentName !== null && TEXTBLOCK_NAMES.has(parentName) ? null : `text cannot sit directly inside ${parentName === null ? 'the body' : `a ${parentName}`}`
  }
  if (!(type instanceof Y.XmlElement)) return 'the update holds a kind of content a resolution cannot contain'
  const problem = childProblem(parentName, type.nodeName)
  if (problem) return problem
  return depthOf(type, body) > MAX_DEPTH ? `elements may nest at most ${MAX_DEPTH} deep` : null
}

/** How deep an element sits below the body (a top-level block: 1), counting no further than one past the limit. */
function depthOf(type: { _item: Y.Item | null }, body: Y.XmlFragment): number {
  let depth = 0
  let current: { _item: Y.Item | null } = type
  while (current !== body && depth <= MAX_DEPTH) {
    const item = current._item
    if (!item || !(item.parent instanceof Y.AbstractType)) return Number.POSITIVE_INFINITY
    depth += 1
    current = item.parent
  }
  return depth
}

/**
 * Whether applying `update` would change `doc` at all (a client's resync often changes nothing). Each client's
 * deletions are read sorted, each stretch of clocks looked up once in the store: an observer's one frame naming the
 * last of 20,000 deletions 60,000 times was compared with every known deletion each time, 4 s of the event loop.
 */
export function changesDocument(doc: Y.Doc, update: Uint8Array): boolean {
  const missing = Y.diffUpdate(update, Y.encodeStateVector(doc))
  const { structs, ds } = Y.decodeUpdate(missing)
  if (structs.some((struct) => !(struct instanceof Y.Skip))) return true
  for (const [client, ranges] of ds.clients) {
    const stored = doc.store.clients.get(client)
    if (!stored) return true
    const state = Y.getState(doc.store, client)
    // Clocks below `checked` are known deleted: a range sent again, or inside one read before, costs nothing more.
    let checked = 0
    for (const { clock, len } of [...ranges].sort((a, b) => a.clock - b.clock)) {
      const end = clock + len
      if (end > state) return true
      let at = Math.max(clock, checked)
      if (at >= end) continue
      for (let index = Y.findIndexSS(stored, at); at < end; index++) {
        const struct = stored[index]!
        // GC structs read as deleted: what they stood for was deleted and its content dropped.
        if (!struct.deleted) return true
        at = struct.id.clock + struct.length
      }
      checked = at
    }
  }
  return false
}
