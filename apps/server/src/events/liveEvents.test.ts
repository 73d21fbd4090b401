import type { LiveEvent } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { InProcessFanout } from '../collab/fanout.ts'
import { liveEvents, notificationEvents } from './liveEvents.ts'

const saved: LiveEvent = { type: 'saved', through: 42 } as unknown as LiveEvent

describe('live events', () => {
  it('are read once per instance: every subscriber gets the same event and the same server-sent-event bytes', async () => {
    const events = liveEvents(new InProcessFanout())
    const heard: Array<{ event: LiveEvent; frame: Uint8Array | null }> = []
    for (let index = 0; index < 3; index++) events.subscribe('r1', (event, frame) => heard.push({ event, frame }))
    events.publish('r1', { ...saved, note: 'ligne 1\nligne 2\r\n' } as unknown as LiveEvent)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(heard).toHaveLength(3)
    expect(heard[1]!.event).toBe(heard[0]!.event)
    expect(heard[2]!.frame).toBe(heard[0]!.frame)
    // The bytes a stream writes for the event by itself: the data on one line, however many line breaks its strings hold.
    const expected = `event: saved\ndata: ${JSON.stringify({ ...saved, note: 'ligne 1\nligne 2\r\n' })}\n\n`
    expect(new TextDecoder().decode(heard[0]!.frame!)).toBe(expected)
    expect(expected.split('\n')).toHaveLength(4)
  })

  it('give no frame for a record that is no event by itself (a notification, which each stream wraps)', async () => {
    const notifications = notificationEvents(new InProcessFanout())
    const frames: Array<Uint8Array | null> = []
    notifications.subscribe('all', (_record, frame) => frames.push(frame))
    notifications.publish('all', { id: 'n1' } as never)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(frames).toEqual([null])
  })
})
