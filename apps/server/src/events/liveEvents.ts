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
  /**
   * `frame`: the event as one server-sent event, its bytes shared by every
   * subscriber of this instance, as is the event (read-only): a stream that
   * passes the event on as it came sends these bytes, so an event of
   * megabytes (the amendments of a paragraph, announced again) is read and
   * written once, not once per open stream. Null for a record that is no
   * event by itself (a notification, which each stream wraps).
   */
  subscribe(id: string, handler: (event: Event, frame: Uint8Array | null) => void): () => void
}

export type LiveEvents = Channel<LiveEvent>
export type MeetingEvents = Channel<MeetingEvent>

const encoder = new TextEncoder()

/**
 * A published event's bytes (its JSON) as one server-sent event: JSON
 * escapes every line break in a string, so the data is one line.
 */
export function sseFrame(type: string, json: Uint8Array): Uint8Array {
  const head = encoder.encode(`event: ${type}\ndata: `)
  const frame = new Uint8Array(head.byteLength + json.byteLength + 2)
  frame.set(head)
  frame.set(json, head.byteLength)
  frame.set([10, 10], head.byteLength + json.byteLength)
  return frame
}

function channel<Event>(fanout: Fanout, prefix: string): Channel<Event> {
  // The bus hands one message to every handler of this instance: read once, for all of them.
  const read = new WeakMap<Uint8Array, { event: Event; frame: Uint8Array | null }>()
  return {
    publish(id, event) {
      fanout.publish(`${prefix}${id}`, encoder.encode(JSON.stringify(event)))
    },
    subscribe(id, handler) {
      const subscription = fanout.subscribe(`${prefix}${id}`, (message) => {
        let known = read.get(message)
        if (!known) {
          const event = JSON.parse(new TextDecoder().decode(message)) as Event
          const { type } = event as { type?: unknown }
          known = { event, frame: typeof type === 'string' ? sseFrame(type, message) : null }
          read.set(message, known)
        }
        handler(known.event, known.frame)
      })
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
