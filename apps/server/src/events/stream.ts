import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'

/** Sent every so often so proxies keep the stream open. */
const KEEP_ALIVE_MS = 20_000

/**
 * Streams events as server-sent events (the event name is `type`): first
 * `initial`, then whatever `subscribe` pushes, in order, until the client
 * goes away or `until` says the stream is over (its session ended).
 */
export function streamEvents<Event extends { type: string }>(
  c: Context,
  initial: readonly Event[],
  subscribe: (push: (event: Event) => void) => () => void,
  until: (end: () => void) => () => void,
): Response {
  return streamSSE(c, async (stream) => {
    const queue: Event[] = [...initial]
    let wake: (() => void) | null = null
    const unsubscribe = subscribe((event) => {
      queue.push(event)
      wake?.()
    })
    let open = true
    const end = () => {
      open = false
      unsubscribe()
      unwatch()
      wake?.()
    }
    const unwatch = until(end)
    stream.onAbort(end)
    while (open) {
      while (queue.length > 0) {
        const event = queue.shift()!
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) })
      }
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, KEEP_ALIVE_MS).unref()
      })
      wake = null
      if (open && queue.length === 0) await stream.write(': keep-alive\n\n')
    }
  })
}
