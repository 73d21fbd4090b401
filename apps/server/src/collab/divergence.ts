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

/** One unit (one clock) of a struct's content, comparable across documents; null where nothing is left to compare (deleted, garbage-collected). */
function unitOf(content: Y.Item['content'], offset: number): unknown[] | null {
  if (content instanceof Y.ContentDeleted) return null
  if (content instanceof Y.ContentString) {
    // Split between the halves of a surrogate pair, Yjs writes U+FFFD for each half: a copy that split it and one that
    // had not yet read differently, and agree.
    const unit = content.str.charCodeAt(offset)
    return unit === 0xfffd || (unit >= 0xd800 && unit <= 0xdfff) ? null : ['string', unit]
  }
  if (content instanceof Y.ContentType) return ['type', content.type.constructor, content.type instanceof Y.XmlElement ? content.type.nodeName : null]
  if (content instanceof Y.ContentFormat) return ['format', content.key, JSON.stringify(content.value)]
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return ['any', JSON.stringify(content.arr[offset])]
  if (content instanceof Y.ContentEmbed) return ['embed', JSON.stringify(content.embed)]
  if (content instanceof Y.ContentBinary) return ['binary', Buffer.from(content.content).toString('base64')]
  if (content instanceof Y.ContentDoc) return ['doc', content.doc?.guid ?? null]
  return ['other', content.constructor]
}

const sameUnit = (a: unknown[] | null, b: unknown[] | null) => a === null || b === null || (a.length === b.length && a.every((part, index) => part === b[index]))

/** The origin of one clock of a struct: the clock before it within the struct, else the struct's own. */
const originAt = (item: Y.Item, clock: number): Y.ID | null => (clock > item.id.clock ? Y.createID(item.id.client, clock - 1) : item.origin)

/** Whether the struct as sent and the struct as held say the same of `clock`: its content, where it stands, and under what. */
function agreeAt(doc: Y.Doc, sent: Y.Item, held: Y.Item, clock: number): boolean {
  if (!sameUnit(unitOf(sent.content, clock - sent.id.clock), unitOf(held.content, clock - held.id.clock))) return false
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
function sameContentWithin(sent: Y.Item, held: Y.Item, from: number, to: number): boolean {
  if (from >= to || sent.content instanceof Y.ContentDeleted || held.content instanceof Y.ContentDeleted) return true
  if (sent.content instanceof Y.ContentString && held.content instanceof Y.ContentString) {
    const [a, b] = [from - sent.id.clock, from - held.id.clock]
    if (sent.content.str.slice(a, a + to - from) === held.content.str.slice(b, b + to - from)) return true
  }
  for (let clock = from; clock < to; clock++) {
    if (!sameUnit(unitOf(sent.content, clock - sent.id.clock), unitOf(held.content, clock - held.id.clock))) return false
  }
  return true
}

/**
 * A client id under which `update` says something other than `doc` holds,
 * for clocks both have; null when they agree wherever both can tell
 * (content deleted and collected on either side is not compared).
 */
export function clashingClient(doc: Y.Doc, update: Uint8Array, meta: ReturnType<typeof Y.parseUpdateMeta> = Y.parseUpdateMeta(update)): number | null {
  const overlapping = [...meta.from].some(([client, from]) => from < Y.getState(doc.store, client))
  if (!overlapping) return null
  for (const sent of Y.decodeUpdate(update).structs) {
    if (!(sent instanceof Y.Item)) continue
    const { client, clock: start } = sent.id
    const end = Math.min(start + sent.length, Y.getState(doc.store, client))
    if (start >= end) continue
    const structs = doc.store.clients.get(client)!
    for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
      const held = structs[index]!
      if (held.id.clock >= end) break
      if (!(held instanceof Y.Item)) continue
      const [from, to] = [Math.max(start, held.id.clock), Math.min(end, held.id.clock + held.length)]
      if (!agreeAt(doc, sent, held, from) || !sameContentWithin(sent, held, from + 1, to)) return client
    }
  }
  return null
}
