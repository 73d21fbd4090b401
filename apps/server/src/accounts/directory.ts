import type { Delegation, Person } from '@hemicycle/protocol'
import type { PersonOf } from '@hemicycle/rules'
import type { Queryable } from '../db/database.ts'
import { listDelegations, listPeople } from './people.ts'

/** Everyone and every delegation as they are now, read once: to show records with names, and to judge who may vote. */
export interface Directory {
  people: ReadonlyMap<string, Person>
  delegations: ReadonlyMap<string, Delegation>
  /** A person as the rules look them up (`PersonOf`): undefined for an id nobody has, so nobody unknown is counted or lets anyone vote. */
  personOf: PersonOf
  /** A person to name in a record; an id nobody has any more is shown as itself. */
  person(id: string): Person
  delegation(id: string): Delegation
  /** Ids of the accounts deactivated: they log in no more. */
  inactive: ReadonlySet<string>
}

export async function directory(db: Queryable): Promise<Directory> {
  const people = new Map((await listPeople(db)).map((person) => [person.id, person]))
  const delegations = new Map((await listDelegations(db)).map((delegation) => [delegation.id, delegation]))
  const inactive = new Set((await db.query<{ id: string }>('select id from people where not active')).map((row) => row.id))
  return {
    people,
    delegations,
    inactive,
    personOf: (id) => people.get(id),
    person: (id) => people.get(id) ?? { id, username: id, name: id, role: 'delegate', delegation: null },
    delegation: (id) => delegations.get(id) ?? { id, party: id, country: '' },
  }
}
