import { BODY } from '@hemicycle/schema'
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

export function refuseUpdate(update: Uint8Array): string | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return 'the Yjs update cannot be decoded'
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
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

/** Whether applying `update` would change `doc` at all (a client's resync often changes nothing). */
export function changesDocument(doc: Y.Doc, update: Uint8Array): boolean {
  const missing = Y.diffUpdate(update, Y.encodeStateVector(doc))
  const { structs, ds } = Y.decodeUpdate(missing)
  if (structs.some((struct) => !(struct instanceof Y.Skip))) return true
  const known = Y.createDeleteSetFromStructStore(doc.store)
  for (const [client, ranges] of ds.clients) {
    // The store's delete set is sorted and merged, so a covered range lies inside one known range.
    const deleted = known.clients.get(client) ?? []
    for (const { clock, len } of ranges) {
      if (!deleted.some((range) => range.clock <= clock && clock + len <= range.clock + range.len)) return true
    }
  }
  return false
}
