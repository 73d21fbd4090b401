/**
 * How server instances share live documents: a publish/subscribe bus of
 * binary messages per channel. One process uses the in-process bus; several
 * behind a load balancer use Redis pub/sub (`redisFanout.ts`).
 */
export interface Fanout {
  /** Sends without waiting; a message the bus cannot take is reported to the bus's error handler, never thrown. */
  publish(channel: string, message: Uint8Array): void
  /**
   * Sends after everything published before, and resolves with how many
   * instances subscribed to the channel received it (this one included).
   * Rejects when the bus cannot take it.
   */
  publishCounted(channel: string, message: Uint8Array): Promise<number>
  /**
   * How many handlers hear the channel, this instance's included, when the
   * bus knows (the in-process one); undefined when it cannot (Redis). With
   * one, and that one this instance's own, a message for the other
   * instances need not even be written.
   */
  listeners(channel: string): number | undefined
  /** Handlers also receive this instance's own messages; `ready` resolves once messages published from now on arrive. */
  subscribe(channel: string, handler: (message: Uint8Array) => void): Subscription
  /**
   * Told when this instance loses the bus (`lost`: it may miss messages from
   * now on) and when it has it back (`restored`: what was missed must be
   * asked for again). The in-process bus is never lost.
   */
  onStatus(listener: (status: 'lost' | 'restored') => void): () => void
  /**
   * Takes `key` for `holder` for `ttlMs` from now, or keeps it that much
   * longer when `holder` has it already: true then, false while another
   * holder has it. One holder at a time across the instances: what only one
   * instance may do for a document (`composer.ts`). Rejects when the bus
   * cannot answer.
   */
  claim(key: string, holder: string, ttlMs: number): Promise<boolean>
  /** Lets `key` go, if `holder` has it. */
  unclaim(key: string, holder: string): Promise<void>
  close(): Promise<void>
}

export interface Subscription {
  ready: Promise<void>
  unsubscribe(): void
}

/** A bus inside one process: instances created in the same process (tests, a single server) share it. */
export class InProcessFanout implements Fanout {
  private readonly channels = new Map<string, Set<(message: Uint8Array) => void>>()
  private readonly claims = new Map<string, { holder: string; until: number }>()

  /** `onError` hears a handler's failure, which must not escape the microtask it runs in. */
  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  publish(channel: string, message: Uint8Array): void {
    void this.publishCounted(channel, message)
  }

  publishCounted(channel: string, message: Uint8Array): Promise<number> {
    const handlers = [...(this.channels.get(channel) ?? [])]
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
    return Promise.resolve(handlers.length)
  }

  listeners(channel: string): number {
    return this.channels.get(channel)?.size ?? 0
  }

  subscribe(channel: string, handler: (message: Uint8Array) => void): Subscription {
    let handlers = this.channels.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.channels.set(channel, handlers)
    }
    // One entry per subscription, so the same function subscribed twice counts twice, as two instances would.
    const entry = (message: Uint8Array) => handler(message)
    handlers.add(entry)
    return {
      ready: Promise.resolve(),
      unsubscribe: () => {
        handlers.delete(entry)
        if (handlers.size === 0 && this.channels.get(channel) === handlers) this.channels.delete(channel)
      },
    }
  }

  /** Never lost: nobody is told anything. */
  onStatus(_listener: (status: 'lost' | 'restored') => void): () => void {
    return () => {}
  }

  claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = performance.now()
    const held = this.claims.get(key)
    if (held && held.holder !== holder && held.until > now) return Promise.resolve(false)
    this.claims.set(key, { holder, until: now + ttlMs })
    return Promise.resolve(true)
  }

  unclaim(key: string, holder: string): Promise<void> {
    if (this.claims.get(key)?.holder === holder) this.claims.delete(key)
    return Promise.resolve()
  }

  async close(): Promise<void> {
    this.channels.clear()
    this.claims.clear()
  }
}
