import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inAWeekAtSix, instantOfWallTime, wallTimeOf } from './wallTime.ts'

describe('wall times in the meeting’s time zone', () => {
  it('name the instant the meeting means, whatever the browser’s zone', () => {
    expect(instantOfWallTime('2026-11-30T18:00', 'America/Santiago').toISOString()).toBe('2026-11-30T21:00:00.000Z')
    expect(instantOfWallTime('2026-11-30T18:00', 'Asia/Kuala_Lumpur').toISOString()).toBe('2026-11-30T10:00:00.000Z')
    expect(instantOfWallTime('2026-11-30T18:00', 'UTC').toISOString()).toBe('2026-11-30T18:00:00.000Z')
    expect(wallTimeOf(new Date('2026-11-30T21:00:00Z'), 'America/Santiago')).toBe('2026-11-30T18:00')
    expect(inAWeekAtSix(new Date('2026-11-23T23:30:00Z'), 'Asia/Kuala_Lumpur')).toBe('2026-12-01T18:00')
  })

  it('take the first of a time that happens twice, and read a skipped time with the offset before the change', () => {
    // Paris leaves summer time on 25 October 2026 at 03:00, back to 02:00.
    expect(instantOfWallTime('2026-10-25T02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z')
    // and enters it on 29 March 2026 at 02:00, straight to 03:00.
    expect(instantOfWallTime('2026-03-29T02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z')
  })

  it('read back as they were written, in any zone', () => {
    const zones = ['America/Santiago', 'Asia/Kuala_Lumpur', 'Europe/Paris', 'Africa/Accra', 'Pacific/Chatham', 'Asia/Kolkata']
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 }), fc.constantFrom(...zones), (minute, zone) => {
        const instant = new Date(minute * 60_000)
        const wall = wallTimeOf(instant, zone)
        expect(wallTimeOf(instantOfWallTime(wall, zone), zone)).toBe(wall)
      }),
    )
  })
})
