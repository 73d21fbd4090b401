import type { LiveEvent, MeetingEvent } from '@hemicycle/protocol'
import type { Fanout } from '../collab/fanout.ts'
import type { NotificationRecord } from '../notifications/notifications.ts'

/**
 * Live events, delivered to every instance through the same Fanout as
 * document updates, so a browser connected anywhere hears of a change made
 * anywhere. One channel per resolution (amendments, stage, saving) and one
 * per meeting (votes, roll).
 */
export interface Channel<Event> {
  publish(id: string, event: Event): void
  subscribe(id: string, handler: (event: Event) => void): () => void
}

export type LiveEvents = Channel<LiveEvent>
export type MeetingEvents = Channel<MeetingEvent>

function channel<Event>(fanout: Fanout, prefix: string): Channel<Event> {
  return {
    publish(id, event) {
      fanout.publish(`${prefix}${id}`, new TextEncoder().encode(JSON.stringify(event)))
    },
    subscribe(id, handler) {
      const subscription = fanout.subscribe(`${prefix}${id}`, (message) => handler(JSON.parse(new TextDecoder().decode(message)) as Event))
      return () => subscription.unsubscribe()
    },
  }
}

export function liveEvents(fanout: Fanout): LiveEvents {
  return channel<LiveEvent>(fanout, 'hemicycle:events:')
}

export function meetingEvents(fanout: Fanout): MeetingEvents {
  return channel<MeetingEvent>(fanout, 'hemicycle:meeting:')
}

/** One channel for every notification; each stream keeps those meant for its person. */
export function notificationEvents(fanout: Fanout): Channel<NotificationRecord> {
  return channel<NotificationRecord>(fanout, 'hemicycle:notifications:')
}
