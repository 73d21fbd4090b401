import { Cursor, MAX_AWARENESS_STATE_BYTES, type Presence } from '@hemicycle/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * Presence (awareness) as the server passes it on. The awareness protocol
 * lets any client set or remove the state of any client id; the server reads
 * each entry itself and keeps only the states a connection may publish, in
 * the shape every browser can render: the person the server knows (never
 * what the client claims) and a well-formed caret.
 */
export interface AwarenessEntry {
  client: number
  clock: number
  state: Record<string, unknown> | null
}

/** An entry as `decodeAwareness` read it: without its state where the verdict was `id`. */
export type ReadEntry = Omit<AwarenessEntry, 'state'> & { state?: AwarenessEntry['state'] }

/** Whether a state's JSON is `null`, as y-protocols writes a removal, without parsing it. */
function isNull(json: Uint8Array): boolean {
  return json.length === 4 && json[0] === 0x6e && json[1] === 0x75 && json[2] === 0x6c && json[3] === 0x6c
}

/** More new states than this in one message is not a client speaking for itself. */
const MAX_NEW_STATES = 64

/**
 * What the server does with one entry of an awareness update, known from
 * its client id and clock alone: leave it out (`drop`), take note of the id
 * without reading the state unless the state is a removal (`id`: a removal
 * is left out, as others' removals come back from every stock client), or
 * read the state too (`read`).
 */
export type EntryVerdict = 'drop' | 'id' | 'read'

/**
 * Reads an awareness update as y-protocols writes it, as `verdict` says of
 * each entry; a state over the size limit is left out. A stock client sends
 * back every presence it hears, a newcomer the whole room's at once: those
 * entries are others' or no newer than what the server holds, and their
 * states are not even parsed. Throws on anything malformed, and on more
 * than `MAX_NEW_STATES` states to read.
 */
export function decodeAwareness(update: Uint8Array, verdict: (client: number, clock: number) => EntryVerdict = () => 'read'): ReadEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: ReadEntry[] = []
  let read = 0
  // Each entry takes at least three bytes: the message's size bounds the loop whatever the count says.
  for (let index = 0; index < count; index++) {
    const client = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const what = verdict(client, clock)
    if (what !== 'read' || decoding.peekVarUint(decoder) > MAX_AWARENESS_STATE_BYTES) {
      const state = decoding.readVarUint8Array(decoder)
      if (what === 'id' && !isNull(state)) entries.push({ client, clock })
      continue
    }
    if (++read > MAX_NEW_STATES) throw new Error(`an awareness update holds at most ${MAX_NEW_STATES} new states`)
    const state: unknown = JSON.parse(decoding.readVarString(decoder))
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('an awareness state is an object or null')
    entries.push({ client, clock, state: state as Record<string, unknown> | null })
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness update')
  return entries
}

export function encodeAwareness(entries: Iterable<AwarenessEntry>): Uint8Array {
  const list = [...entries]
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, list.length)
  for (const { client, clock, state } of list) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}

/** The state others will see: the person as the server knows them, and the caret only when it has the shape carets need. */
export function screenState(state: Record<string, unknown> | null, presence: Presence): Record<string, unknown> | null {
  if (state === null) return null
  const cursor = Cursor.safeParse(state['cursor'])
  return { user: presence, ...(cursor.success ? { cursor: cursor.data } : {}) }
}
