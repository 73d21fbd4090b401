import type { Account, Delegation, Gender, Person, Role } from '@hemicycle/protocol'
import type { Queryable } from '../db/database.ts'

interface PersonRow {
  id: string
  username: string
  name: string
  role: Role
  gender: Gender | null
  delegation_id: string | null
  party: string | null
  country: string | null
}

const SELECT_PERSON = `
  select p.id, p.username, p.name, p.role, p.gender, p.delegation_id, d.party, d.country
  from people p left join delegations d on d.id = p.delegation_id`

export function toPerson(row: PersonRow): Person {
  const delegation: Delegation | null =
    row.delegation_id === null ? null : { id: row.delegation_id, party: row.party ?? '', country: row.country ?? '' }
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    delegation,
    ...(row.gender ? { gender: row.gender } : {}),
  }
}

/** The person behind a session: a deactivated account is nobody. */
export async function findActivePerson(db: Queryable, id: string): Promise<Person | null> {
  const [row] = await db.query<PersonRow>(`${SELECT_PERSON} where p.id = $1 and p.active`, [id])
  return row ? toPerson(row) : null
}

/** Puts `to` in place of the password hash `from`, unless the password was set again meanwhile. */
export async function replacePasswordHash(db: Queryable, id: string, from: string, to: string): Promise<void> {
  await db.query('update people set password_hash = $3 where id = $1 and password_hash = $2', [id, from, to])
}

export async function findCredentials(db: Queryable, username: string): Promise<{ person: Person; passwordHash: string } | null> {
  const [row] = await db.query<PersonRow & { password_hash: string }>(
    `${SELECT_PERSON.replace('select p.id', 'select p.password_hash, p.id')} where p.username = $1 and p.active`,
    [username.trim().toLowerCase()],
  )
  return row ? { person: toPerson(row), passwordHash: row.password_hash } : null
}

export async function listPeople(db: Queryable): Promise<Person[]> {
  const rows = await db.query<PersonRow>(`${SELECT_PERSON} order by d.party nulls first, p.name`)
  return rows.map(toPerson)
}

/** Everyone with an account, deactivated ones included, as the secretariat manages them. */
export async function listAccounts(db: Queryable): Promise<Account[]> {
  const rows = await db.query<PersonRow & { active: boolean }>(`${SELECT_PERSON.replace('select p.id', 'select p.active, p.id')} order by d.party nulls first, p.name`)
  return rows.map((row) => ({ ...toPerson(row), active: row.active }))
}

export async function findAccount(db: Queryable, id: string): Promise<Account | null> {
  const [row] = await db.query<PersonRow & { active: boolean }>(`${SELECT_PERSON.replace('select p.id', 'select p.active, p.id')} where p.id = $1`, [id])
  return row ? { ...toPerson(row), active: row.active } : null
}

export async function listDelegations(db: Queryable): Promise<Delegation[]> {
  return db.query<Delegation>('select id, party, country from delegations order by party')
}

export interface NewPerson {
  id: string
  username: string
  name: string
  role: Role
  delegationId: string | null
  gender: Gender | null
  passwordHash: string
}

export async function insertPerson(db: Queryable, person: NewPerson): Promise<void> {
  await db.query(
    'insert into people (id, username, name, role, delegation_id, gender, password_hash) values ($1, $2, $3, $4, $5, $6, $7)',
    [person.id, person.username.toLowerCase(), person.name, person.role, person.delegationId, person.gender, person.passwordHash],
  )
}

export async function insertDelegation(db: Queryable, delegation: Delegation): Promise<void> {
  await db.query('insert into delegations (id, party, country) values ($1, $2, $3)', [delegation.id, delegation.party, delegation.country])
}
