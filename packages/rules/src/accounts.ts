import type { Role } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'

/**
 * Who manages the alliance's accounts, and what an account may look like
 * (issue 12, "Secretariat pages"). The secretariat alone creates people and
 * delegations, changes roles, deactivates and sets passwords. A delegate
 * speaks for a delegation, so has one; the secretariat and translators
 * serve the whole alliance, so have none. The alliance is never left
 * without an active secretariat account, and nobody demotes or deactivates
 * themselves (they would lock themselves out mid-task).
 */
const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

export function mayManageAccounts(role: Role): boolean {
  return role === 'secretariat'
}

/** Whether a role belongs to a delegation: a delegate always, the secretariat and translators never, the others as the case may be. */
export type DelegationRule = 'required' | 'optional' | 'none'

export function delegationRule(role: Role): DelegationRule {
  if (role === 'delegate') return 'required'
  return role === 'secretariat' || role === 'translator' ? 'none' : 'optional'
}

/** A role and a delegation that go together, or why not. */
export function checkRoleAndDelegation(role: Role, delegationId: string | null): Refusal | null {
  if (delegationRule(role) === 'required' && delegationId === null) {
    return refusal(422, 'delegation_required', 'A delegate belongs to a delegation: choose one.')
  }
  if (delegationRule(role) === 'none' && delegationId !== null) {
    return refusal(422, 'delegation_not_allowed', 'The secretariat and translators serve the whole alliance and belong to no delegation.')
  }
  return null
}

export interface AccountState {
  id: string
  role: Role
  delegationId: string | null
  active: boolean
}

export interface AccountChange {
  role?: Role
  delegationId?: string | null
  active?: boolean
}

/**
 * Whether `actor` may apply `change` to `target`. `activeSecretariats`
 * counts the active secretariat accounts, the target included.
 */
export function checkAccountChange(
  actor: { id: string; role: Role },
  target: AccountState,
  change: AccountChange,
  activeSecretariats: number,
): Refusal | null {
  if (!mayManageAccounts(actor.role)) return refusal(403, 'forbidden', 'Only the secretariat manages accounts.')
  const after: AccountState = {
    ...target,
    ...(change.role !== undefined ? { role: change.role } : {}),
    ...(change.delegationId !== undefined ? { delegationId: change.delegationId } : {}),
    ...(change.active !== undefined ? { active: change.active } : {}),
  }
  const demoted = target.role === 'secretariat' && target.active && (after.role !== 'secretariat' || !after.active)
  if (demoted && actor.id === target.id) {
    return refusal(409, 'own_account', 'You cannot take away your own secretariat rights or deactivate yourself; ask another member of the secretariat.')
  }
  if (demoted && activeSecretariats <= 1) {
    return refusal(409, 'last_secretariat', 'This is the last active secretariat account: create or reactivate another one first.')
  }
  return checkRoleAndDelegation(after.role, after.delegationId)
}

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 200

/** A password a person is given: long enough to resist guessing, short enough that hashing it costs nothing unusual. */
export function checkNewPassword(password: string): Refusal | null {
  const length = [...password.normalize('NFC')].length
  if (length < PASSWORD_MIN_LENGTH) return refusal(422, 'password_too_short', `A password has at least ${PASSWORD_MIN_LENGTH} characters.`)
  if (length > PASSWORD_MAX_LENGTH) return refusal(422, 'password_too_long', `A password has at most ${PASSWORD_MAX_LENGTH} characters.`)
  if (password.trim().length === 0) return refusal(422, 'password_too_short', 'A password cannot be only spaces.')
  return null
}
