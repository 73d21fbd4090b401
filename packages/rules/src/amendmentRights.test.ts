import { type Person, type Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { type AmendmentAction, checkAmendmentAction } from './amendmentRights.ts'

const now = new Date('2026-11-23T12:00:00Z')
const future = new Date('2026-11-30T12:00:00Z')
const past = new Date('2026-11-20T12:00:00Z')

const person = (role: Role, delegation: string | null): Person => ({
  id: `${role}-${delegation}`,
  username: role,
  name: role,
  role,
  delegation: delegation ? { id: delegation, party: delegation, country: 'X' } : null,
})

/** Who belongs to a delegation in each role (the secretariat and observers in the demo have none; a delegation-less chair cannot table). */
const people: Person[] = [
  person('delegate', 'own'),
  person('delegate', 'other'),
  person('chair', 'own'),
  person('chair', null),
  person('steering', 'other'),
  person('secretariat', null),
  person('observer', null),
  person('observer', 'own'),
]

const ACTIONS: AmendmentAction[] = ['table', 'edit', 'withdraw', 'cosponsor', 'decide', 'respond']

/** The contract's rules, restated independently of the implementation. */
function expected(action: AmendmentAction, stage: Stage, who: Person, status: string, deadline: Date, compromise: boolean): boolean {
  const member = who.delegation !== null && who.role !== 'observer' && who.role !== 'secretariat'
  const decider = who.role === 'chair' || who.role === 'secretariat'
  if (compromise) {
    // A compromise is the chairs' and the secretariat's: no delegation owns, co-sponsors or answers for it.
    switch (action) {
      case 'edit':
      case 'withdraw':
        return decider && status === 'tabled' && stage === 'consolidation'
      case 'cosponsor':
      case 'respond':
        return false
      default:
        break
    }
  }
  const own = member && who.delegation!.id === 'own'
  const open = stage === 'amendments' && deadline > now
  switch (action) {
    case 'table':
      return member && open
    case 'edit':
      return own && status === 'tabled' && open
    case 'withdraw':
      return own && status === 'tabled' && (open || stage === 'consolidation')
    case 'cosponsor':
      return member && !own && status === 'tabled' && open
    case 'decide':
      return (who.role === 'chair' || who.role === 'secretariat') && stage === 'consolidation' && status === 'tabled'
    case 'respond':
      return own && (status === 'acceptedModified' || status === 'merged') && stage === 'consolidation'
  }
}

describe('amendment rights, for every stage, action, person, status and side of the deadline', () => {
  for (const stage of Stage.options) {
    for (const action of ACTIONS) {
      it(`${action} during ${stage}`, () => {
        for (const who of people) {
          for (const status of ['tabled', 'accepted', 'acceptedModified', 'merged', 'withdrawn']) {
            for (const deadline of [future, past]) {
              for (const compromise of [false, true]) {
                const facts = compromise ? { status, delegationId: null, cosponsorIds: [], compromise } : { status, delegationId: 'own', cosponsorIds: [] }
                const refusal = checkAmendmentAction(action, who, { stage, deadline, now }, facts)
                const allowed = expected(action, stage, who, status, deadline, compromise)
                expect({ who: who.id, status, deadline, compromise, allowed: refusal === null }).toEqual({ who: who.id, status, deadline, compromise, allowed })
                if (refusal) {
                  expect([403, 409]).toContain(refusal.status)
                  expect(refusal.message.length).toBeGreaterThan(15)
                }
              }
            }
          }
        }
      })
    }
  }

  it('refuse on rights (403) before the state of things (409)', () => {
    const observer = person('observer', null)
    expect(checkAmendmentAction('decide', observer, { stage: 'draft', deadline: null, now })?.status).toBe(403)
    expect(checkAmendmentAction('decide', person('chair', null), { stage: 'draft', deadline: null, now })?.status).toBe(409)
  })
})
