import type { Amendment, Resolution } from '@hemicycle/protocol'
import { describe, expect, it, vi } from 'vitest'
import { applyEvent, laterOf, latest, READ_AGAIN_AFTER_MS, Room, type RoomState } from './room.ts'

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

const amendment = (number: number, status: Amendment['status'] = 'tabled', updatedAt = '2026-01-01T00:00:00Z') =>
  ({ id: `a${number}`, number: `A${number}`, status, updatedAt }) as Amendment

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

  it('asks the server again for amendments listed obsolete when their paragraph comes back, twice at most per return, not at every keystroke', async () => {
    vi.useFakeTimers()
    try {
      let asked = 0
      const live = new Room(resolution, { amendments: async () => (asked++, [amendment(1, 'obsolete')]), resolution: async () => resolution })
      live.readAgainWhenBack(['a1'])
      expect(asked).toBe(1)
      // Still obsolete when read (the server may not hold the paragraph again yet): read once more, a moment later.
      await vi.advanceTimersByTimeAsync(READ_AGAIN_AFTER_MS)
      expect(asked).toBe(2)
      // Still obsolete (a decision recorded it so): typing on asks nothing more.
      live.readAgainWhenBack(['a1'])
      live.readAgainWhenBack(['a1'])
      await vi.advanceTimersByTimeAsync(10 * READ_AGAIN_AFTER_MS)
      expect(asked).toBe(2)
      // Gone again, then back: asked again.
      live.readAgainWhenBack([])
      live.readAgainWhenBack(['a1'])
      expect(asked).toBe(3)
      live.stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('drops an answer overtaken by a later reading, and says when the amendments could not be read', async () => {
    const answers: Array<(list: Amendment[]) => void> = []
    const live = new Room(resolution, { amendments: () => new Promise<Amendment[]>((resolve) => answers.push(resolve)), resolution: async () => resolution })
    const first = live.refresh()
    const second = live.refresh()
    answers[1]!([amendment(1, 'tabled')])
    answers[0]!([amendment(1, 'obsolete')])
    expect(await Promise.all([first, second])).toEqual([true, true])
    expect(live.store.getState().amendments.map((a) => a.status)).toEqual(['tabled'])
    const failing = new Room(resolution, { amendments: async () => Promise.reject(new Error('offline')), resolution: async () => resolution })
    expect(await failing.refresh()).toBe(false)
  })

  it('takes the later of an event and a fresh reading of the resolution, whichever arrives first', async () => {
    const opened = { ...resolution, stage: 'amendments' as const, updatedAt: '2026-01-02T00:00:00Z' }
    const consolidating = { ...resolution, stage: 'consolidation' as const, updatedAt: '2026-01-03T00:00:00Z' }
    expect(latest(opened, consolidating).stage).toBe('consolidation')
    expect(latest(consolidating, opened).stage).toBe('consolidation')
    // An event older than the reading already held changes nothing.
    const state = applyEvent({ ...room, resolution: consolidating }, { type: 'stage', from: 'draft', resolution: opened, by: 'Amina' })
    expect(state.resolution.stage).toBe('consolidation')
    // A reading after the stream reopened brings a stage whose event was missed.
    const live = new Room(resolution, { amendments: async () => [], resolution: async () => opened })
    await live.rereadResolution()
    expect(live.store.getState().resolution.stage).toBe('amendments')
  })

  it('keeps what an event brought while a reading of the amendments was on its way', () => {
    const held = [amendment(1, 'accepted', '2026-01-01T10:00:01Z'), amendment(3, 'tabled', '2026-01-01T10:00:02Z')]
    const read = [amendment(1, 'tabled', '2026-01-01T10:00:00Z'), amendment(2, 'rejected', '2026-01-01T10:00:00Z')]
    expect(laterOf(held, read).map((a) => `${a.number} ${a.status}`)).toEqual(['A1 accepted', 'A2 rejected', 'A3 tabled'])
    // A reading later than what is held wins.
    expect(laterOf([amendment(1, 'tabled', '2026-01-01T10:00:00Z')], [amendment(1, 'withdrawn', '2026-01-01T10:00:05Z')]).map((a) => a.status)).toEqual(['withdrawn'])
  })
})
