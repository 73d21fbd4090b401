import { describe, expect, it } from 'vitest'
import { DELEGATION_PALETTE, delegationColor, NO_DELEGATION_COLOR } from './colors.ts'
import { presenceOf, presenceOfState } from './presence.ts'

describe('presence', () => {
  it('shows a person with their delegation and its colour, the same everywhere', () => {
    const presence = presenceOf({
      id: 'p1',
      username: 'claire',
      name: 'Claire Martin',
      role: 'delegate',
      delegation: { id: 'fr-pp', party: 'Parti progressiste', country: 'France' },
    })
    expect(presence).toMatchObject({ name: 'Claire Martin', delegation: 'Parti progressiste (France)', delegationId: 'fr-pp' })
    expect(presence.color).toBe(delegationColor('fr-pp'))
    expect(DELEGATION_PALETTE).toContain(presence.color)
    expect(presenceOfState({ user: presence })).toEqual(presence)
  })

  it('gives people without a delegation the neutral colour, and ignores states without a valid user', () => {
    expect(delegationColor(null)).toBe(NO_DELEGATION_COLOR)
    expect(presenceOfState({ user: { name: 'x' } })).toBeNull()
    expect(presenceOfState(null)).toBeNull()
  })
})
