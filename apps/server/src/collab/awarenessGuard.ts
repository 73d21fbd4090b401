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

/**
 * More states of its own than this in one message is not a client speaking
 * for itself. Others' entries do not count: a stock client sends back every
 * presence it hears, a newcomer the whole room's at once.
 */
const MAX_OWN_ENTRIES = 64

/**
 * Reads an awareness update as y-protocols writes it, leaving out states
 * over the size limit and the entries of clients `skip` names, whose state
 * is not even parsed (a stock client sends back every presence it hears, so
 * most entries a server receives are others', to be dropped); throws on
 * anything malformed.
 */
export function decodeAwareness(update: Uint8Array, skip: (client: number) => boolean = () => false): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  // Each entry takes at least three bytes: the message's size bounds the loop whatever the count says.
  for (let index = 0; index < count; index++) {
    const client = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    if (skip(client) || decoding.peekVarUint(decoder) > MAX_AWARENESS_STATE_BYTES) {
      decoding.readVarUint8Array(decoder)
      continue
    }
    if (entries.length === MAX_OWN_ENTRIES) throw new Error(`an awareness update holds at most ${MAX_OWN_ENTRIES} states of the sender's own`)
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
