import type { LiveEvent } from '@hemicycle/protocol'
import type { Fanout } from '../collab/fanout.ts'

/**
 * Live events of a resolution (amendments, stage, saving), delivered to every
 * instance through the same Fanout as document updates, so a browser
 * connected anywhere hears of a change made anywhere.
 */
export interface LiveEvents {
  publish(resolutionId: string, event: LiveEvent): void
  subscribe(resolutionId: string, handler: (event: LiveEvent) => void): () => void
}

const channel = (resolutionId: string) => `hemicycle:events:${resolutionId}`

export function liveEvents(fanout: Fanout): LiveEvents {
  return {
    publish(resolutionId, event) {
      fanout.publish(channel(resolutionId), new TextEncoder().encode(JSON.stringify(event)))
    },
    subscribe(resolutionId, handler) {
      return fanout.subscribe(channel(resolutionId), (message) => handler(JSON.parse(new TextDecoder().decode(message)) as LiveEvent))
    },
  }
}
