import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../logger.ts'
import { Composers } from './composer.ts'
import { InProcessFanout } from './fanout.ts'
import { LiveDocument } from './liveDocument.ts'

const logger = { error: () => {}, info: () => {}, warn: () => {}, debug: () => {} } as unknown as Logger

/** The in-process bus, whose claims can be made to fail as a Redis out of reach fails them. */
class FlakyBus extends InProcessFanout {
  down = false
  private readonly statusListeners = new Set<(status: 'lost' | 'restored') => void>()
  override claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.down ? Promise.reject(new Error('the bus does not answer')) : super.claim(key, holder, ttlMs)
  }
  override onStatus(listener: (status: 'lost' | 'restored') => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }
  /** As Redis restarting: the claims forgotten, the bus lost, then back. */
  restart(status: 'lost' | 'restored'): void {
    if (status === 'lost') void this.close()
    for (const listener of this.statusListeners) listener(status)
  }
}

const opened: Array<{ stop(): void } | LiveDocument> = []
afterEach(() => {
  for (const thing of opened.splice(0)) {
    if (thing instanceof LiveDocument) thing.destroy()
    else thing.stop()
  }
})

function composers(bus: InProcessFanout, instanceId: string, claimMs: number): Composers {
  const made = new Composers({ fanout: bus, instanceId, logger, claimMs })
  opened.push(made)
  return made
}

function document(): LiveDocument {
  const made = new LiveDocument('r', 'draft')
  opened.push(made)
  return made
}

describe('the claim to compose a text', () => {
  it('lapses while the bus does not answer, and is gained again, with the whole text composed, once it does', async () => {
    const bus = new FlakyBus()
    const here = composers(bus, 'here', 300)
    const text = document()
    let gained = 0
    await here.follow(text, () => gained++)
    expect([here.composesHere(text), gained]).toEqual([true, 1])
    bus.down = true
    // A renewal that fails ends it at once (one is asked every third of its length).
    await sleep(150)
    expect(here.composesHere(text)).toBe(false)
    bus.down = false
    await sleep(150)
    expect([here.composesHere(text), gained]).toEqual([true, 2])
  })

  it('stops at once when the bus is lost, and is claimed again a renewal after it is back, not before (helper-173)', async () => {
    const bus = new FlakyBus()
    const here = composers(bus, 'here', 600)
    const text = document()
    let gained = 0
    await here.follow(text, () => gained++)
    bus.restart('lost')
    expect(here.composesHere(text)).toBe(false)
    bus.restart('restored')
    // The texts are asked again from the others meanwhile: a composition the bus lost comes back before anyone composes.
    await sleep(150)
    expect(here.composesHere(text)).toBe(false)
    await sleep(400)
    expect([here.composesHere(text), gained]).toEqual([true, 2])
  })

  it('is let go at the next renewal when its copy was destroyed without leaving (an unload whose earlier hook failed)', async () => {
    const bus = new InProcessFanout()
    const here = composers(bus, 'here', 300)
    const there = composers(bus, 'there', 300)
    const text = document()
    await here.follow(text, () => {})
    text.destroy()
    const elsewhere = document()
    let gained = 0
    await there.follow(elsewhere, () => gained++)
    expect(gained).toBe(0)
    await sleep(250)
    expect([there.composesHere(elsewhere), gained]).toEqual([true, 1])
  })

  it("is the copy's, not the instance's: a copy loaded again while the old one is still held composes only once the old lets go", async () => {
    const bus = new InProcessFanout()
    const here = composers(bus, 'here', 300)
    const old = document()
    const fresh = document()
    await here.follow(old, () => {})
    let gained = 0
    await here.follow(fresh, () => gained++)
    expect([here.composesHere(old), here.composesHere(fresh), gained]).toEqual([true, false, 0])
    await here.leave(old)
    await sleep(150)
    expect([here.composesHere(fresh), gained]).toEqual([true, 1])
  })

  it('is let go when the text leaves while a renewal is on its way: another instance takes it', async () => {
    const bus = new InProcessFanout()
    const here = composers(bus, 'here', 60_000)
    const there = composers(bus, 'there', 60_000)
    const text = document()
    const renewal = here.follow(text, () => {})
    await here.leave(text)
    await renewal
    const elsewhere = document()
    await there.follow(elsewhere, () => {})
    expect([here.composesHere(text), there.composesHere(elsewhere)]).toEqual([false, true])
  })
})
