import fc from 'fast-check'
import { Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { calendarDayIn, checkTransition, isCalendarDate, type StageMove } from './lifecycle.ts'

const now = new Date('2026-11-23T12:00:00Z')

/** CONTRACT.md's table, written out by hand: who may make each move. */
const ALLOWED: Record<string, Role[]> = {
  'draft→amendments': ['secretariat'],
  'amendments→consolidation': ['secretariat'],
  'amendments→draft': ['steering'],
  'consolidation→final': ['steering'],
  'consolidation→amendments': ['steering'],
  'final→adopted': ['steering', 'secretariat'],
  'final→consolidation': ['steering'],
}

/** A move carrying everything any transition could need. */
const complete = (to: Stage): StageMove => ({
  to,
  reason: 'because',
  deadline: '2026-12-01T17:00:00Z',
  confirm: true,
  adoptedBy: 'Council',
  adoptedAt: '2026-12-05',
  event: 'Council, Berlin',
})

describe('stage transitions', () => {
  for (const from of Stage.options) {
    for (const to of Stage.options) {
      for (const role of Role.options) {
        const allowed = ALLOWED[`${from}→${to}`]?.includes(role) ?? false
        it(`${from} → ${to} by ${role}: ${allowed ? 'allowed' : 'refused'}`, () => {
          const verdict = checkTransition(from, role, complete(to), now)
          expect(verdict.ok).toBe(allowed)
          if (!verdict.ok) {
            const exists = ALLOWED[`${from}→${to}`] !== undefined
            expect(verdict.refusal.status).toBe(exists ? 403 : 409)
            expect(verdict.refusal.message.length).toBeGreaterThan(15)
          }
        })
      }
    }
  }

  it('need a future deadline to open amendments', () => {
    const open = (deadline?: string) => checkTransition('draft', 'secretariat', { to: 'amendments', deadline }, now)
    expect(open()).toMatchObject({ ok: false, refusal: { status: 400, code: 'deadline_required' } })
    expect(open('soon')).toMatchObject({ ok: false, refusal: { status: 400, code: 'invalid_deadline' } })
    expect(open('2026-11-01T00:00:00Z')).toMatchObject({ ok: false, refusal: { status: 422, code: 'deadline_past' } })
    expect(open('2026-11-30T00:00:00Z').ok).toBe(true)
  })

  it('need a reason to go back, a confirmation to lock and the adopting body to adopt', () => {
    expect(checkTransition('final', 'steering', { to: 'consolidation', reason: '  ' }, now)).toMatchObject({ ok: false, refusal: { code: 'reason_required' } })
    // Blank to every reader: a filler and the braille blank say no more than spaces.
    expect(checkTransition('final', 'steering', { to: 'consolidation', reason: '\u3164\u2800' }, now)).toMatchObject({ ok: false, refusal: { code: 'reason_required' } })
    expect(checkTransition('consolidation', 'steering', { to: 'final' }, now)).toMatchObject({ ok: false, refusal: { code: 'confirmation_required' } })
    expect(checkTransition('consolidation', 'steering', { to: 'final', confirm: true }, now).ok).toBe(true)
    expect(checkTransition('final', 'secretariat', { to: 'adopted' }, now)).toMatchObject({ ok: false, refusal: { code: 'adoption_body_required' } })
  })

  it('adopt on a passed vote whoever closed it, and never on a failed one or for another move', () => {
    const vote = { voteId: 'v1', passed: true, yes: 24, no: 2, abstain: 3, notVoting: 1 }
    const adopt = { to: 'adopted' as const, adoptedBy: 'Council' as const, adoptedAt: '2019-08-31', vote }
    expect(checkTransition('final', 'chair', adopt, now).ok).toBe(true)
    expect(checkTransition('final', 'chair', { ...adopt, vote: { ...vote, passed: false } }, now)).toMatchObject({ ok: false, refusal: { status: 409, code: 'vote_failed' } })
    expect(checkTransition('consolidation', 'chair', { to: 'final', confirm: true, vote }, now)).toMatchObject({ ok: false, refusal: { status: 409 } })
    expect(checkTransition('consolidation', 'chair', adopt, now)).toMatchObject({ ok: false, refusal: { code: 'invalid_transition' } })
  })

  it('never leave adopted, whoever asks and whatever they send', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Role.options), fc.constantFrom(...Stage.options), (role, to) => {
        expect(checkTransition('adopted', role, complete(to), now).ok).toBe(false)
      }),
    )
  })
})

describe('the adoption date', () => {
  it('is a calendar date that exists, as it is stored and printed: anything else is 400 invalid_date', () => {
    const adopt = (adoptedAt: string) => checkTransition('final', 'secretariat', { to: 'adopted', adoptedBy: 'Council', adoptedAt }, now)
    for (const good of ['2019-08-31', '2020-02-29', '2019-08-31T23:30:00-05:00']) expect(adopt(good).ok).toBe(true)
    for (const bad of ['August 31, 2019', '2019-02-30', '2019-02-29', '2019-13-01', '2019-8-31', '1', '2019', 'Sat Aug 31 2019']) {
      const verdict = adopt(bad)
      expect(verdict.ok ? null : verdict.refusal.code, bad).toBe('invalid_date')
    }
  })
})

describe('the calendar day of an instant where a meeting sits', () => {
  it('is that place’s day, not Greenwich’s: 01:30 on 31 August in Kuala Lumpur is 17:30 on the 30th in UTC', () => {
    const instant = new Date('2019-08-30T17:30:00Z')
    expect(calendarDayIn(instant, 'Asia/Kuala_Lumpur')).toBe('2019-08-31')
    expect(calendarDayIn(instant, 'UTC')).toBe('2019-08-30')
    expect(calendarDayIn(new Date('2019-09-01T02:00:00Z'), 'America/Santiago')).toBe('2019-08-31')
  })

  it('is always a calendar date the adoption takes, whatever the instant and the zone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), fc.constantFrom('UTC', 'Asia/Kuala_Lumpur', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Paris'), (instant, zone) => {
        expect(isCalendarDate(calendarDayIn(instant, zone))).toBe(true)
      }),
    )
  })
})
