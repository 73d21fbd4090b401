import { Role } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { checkAccountChange, checkNewPassword, checkRoleAndDelegation, mayManageAccounts } from './accounts.ts'

const secretariat = { id: 'amina', role: 'secretariat' as const }
const claire = { id: 'claire', role: 'delegate' as const, delegationId: 'fr-pp', active: true }
const other = { id: 'omar', role: 'secretariat' as const, delegationId: null, active: true }

describe('managing accounts', () => {
  for (const role of Role.options) {
    it(`is ${role === 'secretariat' ? '' : 'not '}for a ${role}`, () => {
      expect(mayManageAccounts(role)).toBe(role === 'secretariat')
      const verdict = checkAccountChange({ id: 'x', role }, claire, { role: 'chair' }, 2)
      expect(verdict?.status ?? null).toBe(role === 'secretariat' ? null : 403)
    })
  }

  it('keeps delegates in a delegation and the secretariat and translators out of any', () => {
    expect(checkRoleAndDelegation('delegate', null)?.code).toBe('delegation_required')
    expect(checkRoleAndDelegation('secretariat', 'fr-pp')?.code).toBe('delegation_not_allowed')
    expect(checkRoleAndDelegation('translator', 'fr-pp')?.code).toBe('delegation_not_allowed')
    expect(checkRoleAndDelegation('observer', null)).toBeNull()
    expect(checkRoleAndDelegation('chair', 'se-sap')).toBeNull()
    expect(checkAccountChange(secretariat, claire, { role: 'translator' }, 1)?.code).toBe('delegation_not_allowed')
    expect(checkAccountChange(secretariat, claire, { role: 'translator', delegationId: null }, 1)).toBeNull()
    expect(checkAccountChange(secretariat, claire, { delegationId: null }, 1)?.code).toBe('delegation_required')
  })

  it('never leaves the alliance without an active secretariat account', () => {
    expect(checkAccountChange(secretariat, other, { active: false }, 1)?.code).toBe('last_secretariat')
    expect(checkAccountChange(secretariat, other, { role: 'observer' }, 1)?.code).toBe('last_secretariat')
    expect(checkAccountChange(secretariat, other, { active: false }, 2)).toBeNull()
    // Reactivating or changing a deactivated secretariat account removes nobody.
    expect(checkAccountChange(secretariat, { ...other, active: false }, { role: 'observer' }, 1)).toBeNull()
  })

  it('lets nobody demote or deactivate themselves', () => {
    const self = { ...other, id: secretariat.id }
    expect(checkAccountChange(secretariat, self, { active: false }, 5)?.code).toBe('own_account')
    expect(checkAccountChange(secretariat, self, { role: 'chair' }, 5)?.code).toBe('own_account')
    expect(checkAccountChange(secretariat, self, { active: true }, 5)).toBeNull()
  })

  it('takes passwords of 10 to 200 characters, counted as people count them', () => {
    expect(checkNewPassword('demo')?.code).toBe('password_too_short')
    expect(checkNewPassword(' '.repeat(12))?.code).toBe('password_too_short')
    expect(checkNewPassword('correct horse')).toBeNull()
    expect(checkNewPassword('é'.repeat(10))).toBeNull()
    expect(checkNewPassword('e\u0301'.repeat(5))?.code).toBe('password_too_short')
    expect(checkNewPassword('x'.repeat(201))?.code).toBe('password_too_long')
  })
})
