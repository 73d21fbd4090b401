import type { Amendment, Resolution } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { applyEvent, Room, type RoomState } from './room.ts'

const resolution: Resolution = {
  id: 'r',
  title: 'T',
  stage: 'draft',
  stamp: { label: 'PROJET', date: '2019-07-03' },
  event: 'E',
  language: 'fr',
  organisation: 'O',
  deadline: null,
  tablingOpen: false,
  timeZone: 'UTC',
  meetingEndsAt: null,
  adoption: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
}

const amendment = (number: number, status: Amendment['status'] = 'tabled') =>
  ({ id: `a${number}`, number: `A${number}`, status }) as Amendment

const room: RoomState = { resolution, amendments: [], live: true, saving: 'ok', translations: {} }

describe('the room', () => {
  it('adds amendments in number order and replaces them when they change', () => {
    let state = applyEvent(room, { type: 'amendment', action: 'created', amendment: amendment(2) })
    state = applyEvent(state, { type: 'amendment', action: 'created', amendment: amendment(10) })
    state = applyEvent(state, { type: 'amendment', action: 'created', amendment: amendment(1) })
    state = applyEvent(state, { type: 'amendment', action: 'changed', amendment: amendment(2, 'accepted') })
    expect(state.amendments.map((a) => [a.number, a.status])).toEqual([
      ['A1', 'tabled'],
      ['A2', 'accepted'],
      ['A10', 'tabled'],
    ])
  })

  it('follows the stage and the saving health', () => {
    const moved = applyEvent(room, { type: 'stage', from: 'draft', resolution: { ...resolution, stage: 'amendments' }, by: 'Amina' })
    expect(moved.resolution.stage).toBe('amendments')
    expect(applyEvent(room, { type: 'saving', state: 'delayed' }).saving).toBe('delayed')
    expect(applyEvent(applyEvent(room, { type: 'saving', state: 'delayed' }), { type: 'saving', state: 'recovered' }).saving).toBe('ok')
  })

  it('keeps the status last announced for each block of each version', () => {
    let state = applyEvent(room, { type: 'translation', language: 'es', sourceId: 'b4', status: 'due' })
    state = applyEvent(state, { type: 'translation', language: 'en', sourceId: 'b4', status: 'due' })
    state = applyEvent(state, { type: 'translation', language: 'es', sourceId: 'b4', status: 'current' })
    expect(state.translations).toEqual({ 'es:b4': 'current', 'en:b4': 'due' })
    expect(room.translations).toEqual({})
  })

  it('asks the server again for amendments listed obsolete once each time their paragraph comes back, not at every keystroke', async () => {
    let asked = 0
    const live = new Room(resolution, { amendments: async () => (asked++, [amendment(1, 'obsolete')]) })
    live.readAgainWhenBack(['a1'])
    await Promise.resolve()
    expect(asked).toBe(1)
    // Still obsolete when read again (a decision recorded it so): typing on asks nothing more.
    live.readAgainWhenBack(['a1'])
    live.readAgainWhenBack(['a1'])
    expect(asked).toBe(1)
    // Gone again, then back: asked once more.
    live.readAgainWhenBack([])
    live.readAgainWhenBack(['a1'])
    expect(asked).toBe(2)
  })
})
