import { Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { checkDeadlineChange, checkReopeningDeadline, tablingOpen } from './deadlines.ts'

const now = new Date('2026-11-23T12:00:00Z')
const past = new Date('2026-11-20T12:00:00Z')
const future = new Date('2026-11-30T12:00:00Z')

describe('deadlines', () => {
  it('are set and extended by the secretariat alone, while amendments are open, to a future instant', () => {
    for (const role of Role.options) {
      for (const stage of Stage.options) {
        const refusal = checkDeadlineChange(role, stage, '2026-12-01T17:00:00Z', now)
        const allowed = role === 'secretariat' && stage === 'amendments'
        expect({ role, stage, allowed: refusal === null }).toEqual({ role, stage, allowed })
        if (refusal) expect(refusal.status).toBe(role === 'secretariat' ? 409 : 403)
      }
    }
    expect(checkDeadlineChange('secretariat', 'amendments', undefined, now)).toMatchObject({ status: 400, code: 'deadline_required' })
    expect(checkDeadlineChange('secretariat', 'amendments', 'Tuesday', now)).toMatchObject({ status: 400, code: 'invalid_deadline' })
    expect(checkDeadlineChange('secretariat', 'amendments', '2026-11-23T11:59:59Z', now)).toMatchObject({ status: 422, code: 'deadline_past' })
  })

  it('refuse reopening amendments with an expired deadline unless a new one is given', () => {
    expect(checkReopeningDeadline('consolidation', 'amendments', past, undefined, now)).toMatchObject({ status: 400, code: 'deadline_required' })
    expect(checkReopeningDeadline('consolidation', 'amendments', null, undefined, now)).toMatchObject({ status: 400, code: 'deadline_required' })
    expect(checkReopeningDeadline('consolidation', 'amendments', past, '2026-11-21T00:00:00Z', now)).toMatchObject({ status: 422, code: 'deadline_past' })
    expect(checkReopeningDeadline('consolidation', 'amendments', past, '2026-12-01T17:00:00Z', now)).toBeNull()
    // A deadline still ahead is kept when none is given.
    expect(checkReopeningDeadline('consolidation', 'amendments', future, undefined, now)).toBeNull()
    // The deadline at the boundary has passed: tabling closes at that instant.
    expect(checkReopeningDeadline('consolidation', 'amendments', now, undefined, now)).toMatchObject({ code: 'deadline_required' })
  })

  it('leave every other move to the transition rules', () => {
    for (const from of Stage.options) {
      for (const to of Stage.options) {
        if (to === 'amendments' && from !== 'draft') continue
        expect(checkReopeningDeadline(from, to, past, undefined, now)).toBeNull()
      }
    }
  })

  it('keep tabling open until the deadline, by the clock given', () => {
    expect(tablingOpen('amendments', future, now)).toBe(true)
    expect(tablingOpen('amendments', past, now)).toBe(false)
    expect(tablingOpen('amendments', now, now)).toBe(false)
    expect(tablingOpen('amendments', null, now)).toBe(true)
    for (const stage of Stage.options.filter((stage) => stage !== 'amendments')) expect(tablingOpen(stage, future, now)).toBe(false)
  })
})
