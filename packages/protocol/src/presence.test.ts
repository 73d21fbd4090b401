import { describe, expect, it } from 'vitest'
import { DELEGATION_PALETTE, delegationColor, NO_DELEGATION_COLOR } from './colors.ts'
import { Cursor, presenceOf, presenceOfState } from './presence.ts'

describe('presence', () => {
  it('shows a person with their delegation and its colour, the same everywhere', () => {
    const presence = presenceOf({
      id: 'p1',
      username: 'claire',
      name: 'Claire Martin',
      role: 'delegate',
      delegation: { id: 'fr-pp', party: 'Parti progressiste', country: 'France' },
    })
    expect(presence).toMatchObject({ name: 'Claire Martin', delegation: 'Parti progressiste (France)', delegationId: 'fr-pp', party: 'Parti progressiste', country: 'France' })
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

describe('the cursor of an awareness state', () => {
  it('is two relative positions as y-tiptap writes them, or null', () => {
    const position = { type: null, tname: null, item: { client: 12, clock: 3 }, assoc: 0 }
    expect(Cursor.safeParse({ anchor: position, head: { item: { client: 12, clock: 4 } } }).success).toBe(true)
    expect(Cursor.safeParse(null).success).toBe(true)
  })

  it('refuses shapes that would break other people’s caret rendering', () => {
    for (const bad of [{}, { anchor: 5, head: 5 }, { anchor: { item: { client: -1, clock: 0 } }, head: {} }, { anchor: { tname: 'x'.repeat(500) }, head: {} }, 'here']) {
      expect(Cursor.safeParse(bad).success).toBe(false)
    }
  })
})
