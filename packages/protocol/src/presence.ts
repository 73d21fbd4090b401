import { z } from 'zod'
import { delegationColor } from './colors.ts'
import { type Person, Role } from './model.ts'

/**
 * How a person appears to the others in a document: the `user` field of
 * their awareness state. The server stamps it from the session, so nobody
 * can appear under another name or delegation.
 */
export const Presence = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  /** "Party (Country)" in English: what a client that cannot name the country in its own language shows. */
  delegation: z.string().nullable(),
  delegationId: z.string().nullable(),
  /** The party and the country (its English name) apart, for each client to name the country in its interface's language. */
  party: z.string().nullable().default(null),
  country: z.string().nullable().default(null),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
})
export type Presence = z.infer<typeof Presence>

export function presenceOf(person: Person): Presence {
  return {
    id: person.id,
    name: person.name,
    role: person.role,
    delegation: person.delegation ? `${person.delegation.party} (${person.delegation.country})` : null,
    delegationId: person.delegation?.id ?? null,
    party: person.delegation?.party ?? null,
    country: person.delegation?.country ?? null,
    color: delegationColor(person.delegation?.id ?? null),
  }
}

/** The presence in an awareness state, or null for a state without a valid one. */
export function presenceOfState(state: unknown): Presence | null {
  if (typeof state !== 'object' || state === null || !('user' in state)) return null
  const parsed = Presence.safeParse(state.user)
  return parsed.success ? parsed.data : null
}

/** A Yjs id as JSON: which client, which clock. */
const YId = z.object({ client: z.number().int().min(0).max(0xffffffff), clock: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })

/** A Yjs relative position as y-tiptap's caret plugin writes it (`Y.relativePositionToJSON`, or the object itself). */
const RelativePosition = z.object({
  type: YId.nullish(),
  tname: z.string().max(100).nullish(),
  item: YId.nullish(),
  assoc: z.number().int().min(-0x80000000).max(0x7fffffff).nullish(),
})

/**
 * The `cursor` field of an awareness state: where a person's selection is.
 * Every browser reads other people's carets from it, so the server passes on
 * only this shape.
 */
export const Cursor = z.object({ anchor: RelativePosition, head: RelativePosition }).nullable()
export type Cursor = z.infer<typeof Cursor>

/** The largest awareness state (presence and caret) one client may publish, as JSON. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024
/** Awareness updates of one connection reach the others at most this often; faster ones are merged, latest state first. */
export const AWARENESS_INTERVAL_MS = 50
