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
  delegation: z.string().nullable(),
  delegationId: z.string().nullable(),
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
    color: delegationColor(person.delegation?.id ?? null),
  }
}

/** The presence in an awareness state, or null for a state without a valid one. */
export function presenceOfState(state: unknown): Presence | null {
  if (typeof state !== 'object' || state === null || !('user' in state)) return null
  const parsed = Presence.safeParse(state.user)
  return parsed.success ? parsed.data : null
}
