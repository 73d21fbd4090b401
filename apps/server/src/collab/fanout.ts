/**
 * How server instances share live documents: a publish/subscribe bus of
 * binary messages per channel. One process needs none; several behind a
 * load balancer use Redis pub/sub (issue to come). Keep this interface small
 * so that swap stays a new file, not a rewrite.
 */
export interface Fanout {
  publish(channel: string, message: Uint8Array): void
  /** Returns the unsubscribe function. Handlers also receive this instance's own messages. */
  subscribe(channel: string, handler: (message: Uint8Array) => void): () => void
  close(): Promise<void>
}

/** A bus inside one process: instances created in the same process (tests, a single server) share it. */
export class InProcessFanout implements Fanout {
  private readonly channels = new Map<string, Set<(message: Uint8Array) => void>>()

  /** `onError` hears a handler's failure, which must not escape the microtask it runs in. */
  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  publish(channel: string, message: Uint8Array): void {
    const handlers = this.channels.get(channel)
    if (!handlers) return
    // Delivered later, as over a network, never inside the publisher's transaction.
    for (const handler of handlers) {
      queueMicrotask(() => {
        try {
          handler(message)
        } catch (error) {
          this.onError(error)
        }
      })
    }
  }

  subscribe(channel: string, handler: (message: Uint8Array) => void): () => void {
    let handlers = this.channels.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.channels.set(channel, handlers)
    }
    handlers.add(handler)
    return () => {
      handlers.delete(handler)
      if (handlers.size === 0) this.channels.delete(channel)
    }
  }

  async close(): Promise<void> {
    this.channels.clear()
  }
}
