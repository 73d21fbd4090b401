import { type Person, delegationColor } from '@hemicycle/protocol'

/** How a person appears to others in the document: the `user` field of their awareness state. */
export interface Presence {
  id: string
  name: string
  role: Person['role']
  delegation: string | null
  delegationId: string | null
  color: string
}

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
