import { Redis } from 'ioredis'
import type { Fanout, Subscription } from './fanout.ts'

/** How long a connection attempt waits between tries (ms), at most. */
const MAX_RETRY_MS = 2000
/**
 * How often each connection is asked to answer (PING, allowed while
 * subscribed), and how long it has to. A connection can die on Redis's side
 * only (a NAT forgetting an idle one): the subscribing one is never written
 * to, so its death would never be noticed, and this instance would go on
 * taking changes through stage moves it no longer hears. One that does not
 * answer is dropped and made again: its closing says the bus is lost, its
 * return that it is restored (`sharing.ts` then reads every stage again).
 */
const ANSWER_EVERY_MS = 5000
const ANSWER_WITHIN_MS = 3000

/** Takes or keeps KEYS[1] for ARGV[1] for ARGV[2] ms, unless another holds it: one step, so two instances never both take it. */
const CLAIM = `local held = redis.call('GET', KEYS[1])
if held == false or held == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`
const UNCLAIM = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`

/**
 * The bus between instances over Redis pub/sub (REDIS_URL), through ioredis:
 * one connection publishes, each message written at once and so in order
 * (not auto-pipelined: ioredis then holds each batch until Redis has
 * answered the one before, which on a busy instance kept a change from the
 * other instances for a round trip and a turn of the event loop, 13 ms at
 * the median with 500 clients), one subscribes, once per
 * channel however many handlers this instance has on it, so Redis's count of
 * receivers is a count of instances. Redis keeps nothing: an instance that
 * loses its connection may miss messages, so it says so (`lost`) and, back,
 * resubscribes before saying `restored`, for the documents to resync.
 */
export class RedisFanout implements Fanout {
  private readonly handlers = new Map<string, Set<(message: Uint8Array) => void>>()
  private readonly subscribing = new Map<string, Promise<void>>()
  private readonly statusListeners = new Set<(status: 'lost' | 'restored') => void>()
  private lost = false
  private closed = false
  private readonly answering: NodeJS.Timeout
  private asking = false

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly onError: (error: unknown) => void,
  ) {
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message))
    for (const connection of [pub, sub]) {
      connection.on('error', (error: unknown) => onError(error))
      connection.on('close', () => this.setLost())
      connection.on('ready', () => void this.recover())
    }
    this.answering = setInterval(() => void this.askBoth(), ANSWER_EVERY_MS)
    this.answering.unref()
  }

  /** Each ready connection answers within ANSWER_WITHIN_MS, or is dropped and made again. */
  private async askBoth(): Promise<void> {
    if (this.asking || this.closed) return
    this.asking = true
    try {
      await Promise.all(
        [this.pub, this.sub].map(async (connection) => {
          if (connection.status !== 'ready') return
          let timer: NodeJS.Timeout | undefined
          const answer = connection.ping()
          // Rejected when the connection is dropped below: already given up on.
          answer.catch(() => {})
          try {
            await Promise.race([answer, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), ANSWER_WITHIN_MS)))])
          } catch {
            if (this.closed) return
            this.onError(new Error(`Redis did not answer on ${connection.options.connectionName} within ${ANSWER_WITHIN_MS} ms: connecting again`))
            connection.disconnect(true)
          } finally {
            clearTimeout(timer)
          }
        }),
      )
    } finally {
      this.asking = false
    }
  }

  /** Connects both sides; rejects when Redis cannot be reached, so a misconfigured instance does not start. */
  static async connect(url: string, onError: (error: unknown) => void): Promise<RedisFanout> {
    const options = {
      lazyConnect: true,
      // A message the bus cannot take now is not worth sending later, out of order: resyncing covers it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // See above: each publish leaves at once.
      enableAutoPipelining: false,
      retryStrategy: (times: number) => Math.min(times * 100, MAX_RETRY_MS),
    }
    const pub = new Redis(url, { ...options, connectionName: 'hemicycle-publish' })
    // Not resubscribed by ioredis, which would also resubscribe a channel left while Redis was down (its UNSUBSCRIBE
    // failed): Redis would count this instance in a fence it never answers. `recover` subscribes the channels with handlers.
    const sub = new Redis(url, { ...options, connectionName: 'hemicycle-subscribe', autoResubscribe: false })
    try {
      await Promise.all([pub.connect(), sub.connect()])
    } catch (error) {
      pub.disconnect()
      sub.disconnect()
      throw error
    }
    return new RedisFanout(pub, sub, onError)
  }

  private deliver(channel: string, message: Buffer): void {
    const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength)
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(bytes)
      } catch (error) {
        this.onError(error)
      }
    }
  }

  private setLost(): void {
    if (this.lost || this.closed) return
    this.lost = true
    for (const listener of this.statusListeners) listener('lost')
  }

  private async recover(): Promise<void> {
    if (!this.lost || this.closed || this.pub.status !== 'ready' || this.sub.status !== 'ready') return
    try {
      // Subscribed again for certain before anyone is asked to resend: what they resend must not be missed.
      const channels = [...this.handlers.keys()]
      if (channels.length > 0) await this.sub.subscribe(...channels)
    } catch (error) {
      this.onError(error)
      return
    }
    if (!this.lost) return
    this.lost = false
    for (const listener of this.statusListeners) listener('restored')
  }

  publish(channel: string, message: Uint8Array): void {
    this.publishCounted(channel, message).catch((error: unknown) => this.onError(error))
  }

  publishCounted(channel: string, message: Uint8Array): Promise<number> {
    return this.pub.publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
  }

  /** Redis does not say who else listens. */
  listeners(): undefined {
    return undefined
  }

  subscribe(channel: string, handler: (message: Uint8Array) => void): Subscription {
    let handlers = this.handlers.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.handlers.set(channel, handlers)
      const subscribed = this.sub.subscribe(channel).then(() => undefined)
      this.subscribing.set(channel, subscribed)
      subscribed.catch((error: unknown) => this.onError(error)).finally(() => this.subscribing.delete(channel))
    }
    const entry = (message: Uint8Array) => handler(message)
    handlers.add(entry)
    const set = handlers
    return {
      ready: this.subscribing.get(channel) ?? Promise.resolve(),
      unsubscribe: () => {
        set.delete(entry)
        if (set.size > 0 || this.handlers.get(channel) !== set) return
        this.handlers.delete(channel)
        if (!this.closed) this.sub.unsubscribe(channel).catch((error: unknown) => this.onError(error))
      },
    }
  }

  onStatus(listener: (status: 'lost' | 'restored') => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  async claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
    // On the publishing connection: after everything this instance published before, in order.
    return (await this.pub.eval(CLAIM, 1, key, holder, Math.ceil(ttlMs))) === 1
  }

  async unclaim(key: string, holder: string): Promise<void> {
    await this.pub.eval(UNCLAIM, 1, key, holder)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.answering)
    this.handlers.clear()
    await Promise.allSettled([this.pub.quit(), this.sub.quit()])
    this.pub.disconnect()
    this.sub.disconnect()
  }
}
