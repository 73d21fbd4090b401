import { describe, expect, it } from 'vitest'
import { latestMeeting, meetingEnd, meetingStart } from './meetingTimes.ts'

describe('meeting times', () => {
  it('start a day at midnight in the meeting’s zone, and an instant where its offset says', () => {
    expect(new Date(meetingStart('2019-08-30', 'Asia/Kuala_Lumpur')).toISOString()).toBe('2019-08-29T16:00:00.000Z')
    expect(new Date(meetingStart('2026-12-10', 'Pacific/Kiritimati')).toISOString()).toBe('2026-12-09T10:00:00.000Z')
    expect(new Date(meetingStart('2026-03-29', 'Europe/Paris')).toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(new Date(meetingStart('2026-10-25', 'Europe/Paris')).toISOString()).toBe('2026-10-24T22:00:00.000Z')
    expect(new Date(meetingStart('2026-12-09T20:00:00-11:00', 'Pacific/Pago_Pago')).toISOString()).toBe('2026-12-10T07:00:00.000Z')
  })

  it('take the latest by when they start, not by how their dates are written', () => {
    const kiritimati = { timeZone: 'Pacific/Kiritimati', startsAt: '2026-12-10T09:00:00+14:00', endsAt: '2026-12-10T18:00:00+14:00' }
    const pagoPago = { timeZone: 'Pacific/Pago_Pago', startsAt: '2026-12-09T20:00:00-11:00', endsAt: '2026-12-09T23:00:00-11:00' }
    expect(latestMeeting([kiritimati, pagoPago])).toBe(pagoPago)
    expect(latestMeeting([pagoPago, kiritimati])).toBe(pagoPago)
    // A day in Kiritimati begins ten hours before the same day in UTC.
    const dayThere = { timeZone: 'Pacific/Kiritimati', startsAt: '2026-12-10', endsAt: '2026-12-10' }
    const eveningBefore = { timeZone: 'UTC', startsAt: '2026-12-09T12:00:00Z', endsAt: '2026-12-09T13:00:00Z' }
    expect(latestMeeting([dayThere, eveningBefore])).toBe(eveningBefore)
    expect(latestMeeting([])).toBeNull()
    expect(latestMeeting(null)).toBeNull()
  })

  it('end a day at the next midnight in the meeting’s zone', () => {
    expect(new Date(meetingEnd('2026-12-01', 'Asia/Kuala_Lumpur')).toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(new Date(meetingEnd('2026-12-31', 'UTC')).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(meetingEnd('2026-12-01T20:00:00-08:00', 'America/Los_Angeles')).toBe(Date.parse('2026-12-02T04:00:00Z'))
  })

  it('start a day whose midnight the clocks skip at its first instant, and read years 0–99 as written', () => {
    // Santiago moves from 00:00 to 01:00 on 6 September 2026: the day begins at 01:00 (-03:00).
    expect(new Date(meetingStart('2026-09-06', 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z')
    expect(meetingEnd('2026-09-05', 'America/Santiago')).toBe(Date.parse('2026-09-06T04:00:00.000Z'))
    expect(meetingEnd('2026-09-05', 'America/Santiago')).toBeGreaterThan(Date.parse('2026-09-05T23:30:00-04:00'))
    expect(new Date(meetingStart('0050-06-01', 'UTC')).toISOString()).toBe('0050-06-01T00:00:00.000Z')
    expect(meetingEnd('0050-01-01', 'UTC')).toBeLessThan(Date.parse('0050-06-01T09:00:00Z'))
  })

  it('read hundreds of dates in little time', () => {
    const started = performance.now()
    for (let index = 0; index < 2000; index++) meetingStart(`2026-12-${String((index % 28) + 1).padStart(2, '0')}`, index % 2 ? 'Asia/Kuala_Lumpur' : 'America/Santiago')
    expect(performance.now() - started).toBeLessThan(500)
  })
})
