import { randomUUID } from 'node:crypto'
import { type Account, type AccountChange, type Delegation, type DelegationChange, nameKey, type NewAccount, type NewDelegation, type Person } from '@hemicycle/protocol'
import { checkAccountChange, checkNewPassword, checkRoleAndDelegation, mayManageAccounts, type Refusal } from '@hemicycle/rules'
import { audit } from '../audit.ts'
import type { Queryable } from '../db/database.ts'
import type { Services } from '../http/env.ts'
import { ApiError, forbidden, notFound } from '../http/errors.ts'
import { findAccount, insertDelegation, insertPerson } from './people.ts'

/**
 * The secretariat's management of the alliance's accounts: people created
 * with a role, a delegation and a password (stored as its scrypt hash),
 * roles changed, accounts deactivated (their sessions end at once, and the
 * account logs in no more) and passwords set. Every act is audited with
 * what changed, never with a password.
 */
type AccountServices = Pick<Services, 'db' | 'passwords' | 'sessions' | 'sessionWatch'>

const refused = (refusal: Refusal | null) => {
  if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message)
}

const notManager = () => forbidden('Only the secretariat manages accounts.')

function requireManager(actor: Person) {
  if (!mayManageAccounts(actor.role)) throw notManager()
}

/**
 * Holds the active secretariat's rows to the end of the transaction and
 * checks that the actor (none for the command line) is still among them;
 * answers how many they are. `requireManager` read the role the request
 * began with, a password's hashing earlier: a demotion or deactivation
 * committed since is 403 here, one made meanwhile waits for this act. Every
 * act of the secretariat takes it first, so they run one after another
 * (two members cannot each deactivate the other) and lock in one order.
 */
async function holdSecretariat(tx: Queryable, actor: Person | null): Promise<number> {
  const members = await tx.query<{ id: string }>(`select id from people where role = 'secretariat' and active order by id for no key update`)
  if (actor && !members.some((member) => member.id === actor.id)) throw notManager()
  return members.length
}

async function requireDelegation(db: Queryable, id: string | null | undefined) {
  if (id === null || id === undefined) return
  // Held to the end of the transaction: a removal racing it waits, or has already gone and this answers 404, never the foreign key's failure.
  const [row] = await db.query<{ id: string }>('select id from delegations where id = $1 for key share', [id])
  if (!row) throw notFound('delegation', id)
}

async function endSessions(services: AccountServices, personId: string, except?: string) {
  for (const id of await services.sessions.endAllOf(personId, except)) services.sessionWatch.ended(id, 'logout')
}

export async function createAccount(services: Pick<Services, 'db' | 'passwords'>, actor: Person | null, account: NewAccount): Promise<Account> {
  if (actor) requireManager(actor)
  refused(checkRoleAndDelegation(account.role, account.delegationId))
  refused(checkNewPassword(account.password))
  const passwordHash = await services.passwords.hash(account.password)
  const id = `person-${randomUUID()}`
  const taken = () => new ApiError(409, 'username_taken', `The username "${account.username}" is already taken.`)
  await services.db
    .transaction(async (tx) => {
      await holdSecretariat(tx, actor)
      await requireDelegation(tx, account.delegationId)
      const [same] = await tx.query<{ id: string }>('select id from people where username = $1', [account.username])
      if (same) throw taken()
      await requireDistinctName(tx, { id, name: account.name, delegationId: account.delegationId })
      await insertPerson(tx, { id, username: account.username, name: account.name, role: account.role, delegationId: account.delegationId, gender: account.gender ?? null, passwordHash })
      await audit(tx, {
        person: actor,
        action: 'person',
        detail: { created: id, username: account.username, name: account.name, role: account.role, delegation: account.delegationId },
      })
    })
    .catch((error: unknown) => {
      // Two creations of one username at once: the unique index decides, the loser is told as the check would have.
      throw (error as { code?: string }).code === '23505' ? taken() : error
    })
  return (await findAccount(services.db, id))!
}

export async function changeAccount(services: AccountServices, actor: Person, id: string, change: AccountChange): Promise<Account> {
  requireManager(actor)
  const updated = await services.db.transaction(async (tx) => {
    const secretariat = await holdSecretariat(tx, actor)
    const target = await findAccount(tx, id)
    if (!target) throw notFound('person', id)
    await requireDelegation(tx, change.delegationId)
    refused(
      checkAccountChange(
        actor,
        { id: target.id, role: target.role, delegationId: target.delegation?.id ?? null, active: target.active },
        { ...(change.role ? { role: change.role } : {}), ...(change.delegationId !== undefined ? { delegationId: change.delegationId } : {}), ...(change.active !== undefined ? { active: change.active } : {}) },
        secretariat,
      ),
    )
    const sets: string[] = []
    const values: unknown[] = [id]
    const set = (column: string, value: unknown) => {
      values.push(value)
      sets.push(`${column} = $${values.length}`)
    }
    if (change.name !== undefined || change.delegationId !== undefined) {
      await requireDistinctName(tx, { id, name: change.name ?? target.name, delegationId: change.delegationId !== undefined ? change.delegationId : (target.delegation?.id ?? null) })
    }
    if (change.name !== undefined) set('name', change.name)
    if (change.role !== undefined) set('role', change.role)
    if (change.delegationId !== undefined) set('delegation_id', change.delegationId)
    if (change.gender !== undefined) set('gender', change.gender)
    if (change.active !== undefined) set('active', change.active)
    await tx.query(`update people set ${sets.join(', ')} where id = $1`, values)
    await audit(tx, {
      person: actor,
      action: 'person',
      detail: { changed: id, username: target.username, before: { name: target.name, role: target.role, delegation: target.delegation?.id ?? null, active: target.active }, change },
    })
    return (await findAccount(tx, id))!
  })
  // Requests resolve the person afresh; what is open (sockets, streams) under the old standing closes now, here and (told over the bus) elsewhere.
  if (change.active === false) await endSessions(services, id)
  else services.sessionWatch.recheck()
  return updated
}

/** The secretariat sets a person's password; that person's other sessions end, so an account that leaked is closed. */
export async function setPassword(services: AccountServices, actor: Person, id: string, password: string, currentSession: string): Promise<void> {
  requireManager(actor)
  refused(checkNewPassword(password))
  const target = await findAccount(services.db, id)
  if (!target) throw notFound('person', id)
  const hash = await services.passwords.hash(password)
  await services.db.transaction(async (tx) => {
    await holdSecretariat(tx, actor)
    await tx.query('update people set password_hash = $2 where id = $1', [id, hash])
    await audit(tx, { person: actor, action: 'password', detail: { person: id, username: target.username } })
  })
  await endSessions(services, id, currentSession)
}

/**
 * 409 `person_exists` when another active person of the same delegation (or,
 * without one, another person without one) has a name people read as the
 * same: the record names people by name and delegation, and two Claire
 * Martins of one party could not be told apart in it. Locked as delegations'
 * names are, so two creations of one name cannot both pass.
 */
async function requireDistinctName(tx: Queryable, person: { id: string; name: string; delegationId: string | null }): Promise<void> {
  await tx.query('lock table people in share row exclusive mode')
  const others = await tx.query<{ name: string }>('select name from people where id <> $1 and active and delegation_id is not distinct from $2', [person.id, person.delegationId])
  if (others.some((other) => nameKey(other.name) === nameKey(person.name))) {
    throw new ApiError(409, 'person_exists', `${person.name} is already ${person.delegationId ? 'a member of this delegation' : 'an account without a delegation'}: two people of one name could not be told apart in the record. Add a middle name or an initial.`)
  }
}

/**
 * 409 `delegation_exists` when another delegation has the same party and
 * country, compared as people read them (in any case, composed or not, with
 * or without invisible characters and doubled spaces), which SQL's `lower`
 * cannot do under every collation. The table is locked for the rest of the
 * transaction, so two creations or renames to one name cannot both pass.
 */
async function requireNewName(tx: Queryable, delegation: Delegation): Promise<void> {
  await tx.query('lock table delegations in share row exclusive mode')
  const key = `${nameKey(delegation.party)}\u0000${nameKey(delegation.country)}`
  const others = await tx.query<Delegation>('select id, party, country from delegations where id <> $1', [delegation.id])
  if (others.some((other) => `${nameKey(other.party)}\u0000${nameKey(other.country)}` === key)) {
    throw new ApiError(409, 'delegation_exists', `${delegation.party} (${delegation.country}) already has a delegation.`)
  }
}

export async function createDelegation(services: AccountServices, actor: Person, delegation: NewDelegation): Promise<Delegation> {
  requireManager(actor)
  const created = { id: `delegation-${randomUUID()}`, party: delegation.party, country: delegation.country }
  await services.db.transaction(async (tx) => {
    await holdSecretariat(tx, actor)
    await requireNewName(tx, created)
    await insertDelegation(tx, created)
    await audit(tx, { person: actor, action: 'delegation', detail: { created: created.id, party: created.party, country: created.country } })
  })
  return created
}

/** The secretariat corrects a delegation's party or country; 409 `delegation_exists` if another delegation already has both. */
export async function changeDelegation(services: AccountServices, actor: Person, id: string, change: DelegationChange): Promise<Delegation> {
  requireManager(actor)
  const changed = await services.db.transaction(async (tx) => {
    await holdSecretariat(tx, actor)
    const [before] = await tx.query<Delegation>('select id, party, country from delegations where id = $1 for update', [id])
    if (!before) throw notFound('delegation', id)
    const after = { id, party: change.party ?? before.party, country: change.country ?? before.country }
    await requireNewName(tx, after)
    await tx.query('update delegations set party = $2, country = $3 where id = $1', [id, after.party, after.country])
    await audit(tx, { person: actor, action: 'delegation', detail: { changed: id, before: { party: before.party, country: before.country }, after: { party: after.party, country: after.country } } })
    return after
  })
  // Its members' sockets and streams show and attribute the old name: they reopen under the new one.
  services.sessionWatch.recheck()
  return changed
}

/** Where a delegation is named: people, amendments and co-signatures first (what the secretariat can see), then the rest of the record. */
const DELEGATION_USES = [
  ['people', 'select count(*)::int as count from people where delegation_id = $1'],
  ['amendments', 'select count(*)::int as count from amendments where delegation_id = $1'],
  ['cosponsorships', 'select count(*)::int as count from amendment_cosponsors where delegation_id = $1'],
  ['roll', 'select count(*)::int as count from roll where delegation_id = $1'],
  ['ballots', 'select count(*)::int as count from ballots where delegation_id = $1'],
  ['record', 'select ((select count(*) from audit_log where delegation_id = $1) + (select count(*) from doc_updates where delegation_id = $1) + (select count(*) from notifications where audience_delegation = $1))::int as count'],
] as const

/**
 * The secretariat removes a delegation made by mistake. One that has people or
 * amendments, or appears anywhere in the record, stays: 409 `delegation_in_use`
 * with what holds it, since the history must keep naming it.
 */
export async function removeDelegation(services: AccountServices, actor: Person, id: string): Promise<void> {
  requireManager(actor)
  await services.db.transaction(async (tx) => {
    await holdSecretariat(tx, actor)
    const [found] = await tx.query<Delegation>('select id, party, country from delegations where id = $1 for update', [id])
    if (!found) throw notFound('delegation', id)
    const uses: Record<string, number> = {}
    for (const [name, query] of DELEGATION_USES) {
      const [row] = await tx.query<{ count: number }>(query, [id])
      if (row && row.count > 0) uses[name] = row.count
    }
    if (Object.keys(uses).length > 0) {
      throw new ApiError(409, 'delegation_in_use', `${found.party} (${found.country}) still has people, amendments or a place in the record: ${Object.entries(uses).map(([name, count]) => `${name} ${count}`).join(', ')}.`, {}, { uses })
    }
    await tx.query('delete from delegations where id = $1', [id])
    await audit(tx, { person: actor, action: 'delegation', detail: { removed: id, party: found.party, country: found.country } })
  })
}
