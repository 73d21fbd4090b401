import type { Fanout, InProcessFanout, Subscription } from '../src/collab/fanout.ts'

/**
 * One instance's view of a shared in-process bus whose messages on document channels that `late` picks (all by
 * default) reach the others `delayMs` late, in order: an instance far from the others, or a message held up.
 */
export class LateBus implements Fanout {
  constructor(
    private readonly bus: InProcessFanout,
    private readonly delayMs: number,
    private readonly late: (message: Uint8Array) => boolean = () => true,
  ) {}
  publish(channel: string, message: Uint8Array): void {
    void this.publishCounted(channel, message)
  }
  publishCounted(channel: string, message: Uint8Array): Promise<number> {
    if (!channel.startsWith('hemicycle:doc:') || !this.late(message)) return this.bus.publishCounted(channel, message)
    return new Promise((resolve) => setTimeout(() => resolve(this.bus.publishCounted(channel, message)), this.delayMs))
  }
  listeners(channel: string): number {
    return this.bus.listeners(channel)
  }
  subscribe(channel: string, handler: (message: Uint8Array) => void): Subscription {
    return this.bus.subscribe(channel, handler)
  }
  onStatus(): () => void {
    return () => {}
  }
  claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.bus.claim(key, holder, ttlMs)
  }
  unclaim(key: string, holder: string): Promise<void> {
    return this.bus.unclaim(key, holder)
  }
  async close(): Promise<void> {}
}
