import type { Logger } from '../logger.ts'
import type { Fanout } from './fanout.ts'
import type { LiveDocument } from './liveDocument.ts'

/** How long a claim lasts on the bus unless renewed. The default of `COMPOSER_CLAIM_MS`. */
export const COMPOSER_CLAIM_MS = 9000

interface Followed {
  /** Who claims: this copy of the document, not the instance, so a copy put away and loaded again never takes over the old copy's claim, nor lets it go. */
  holder: string
  /** Until when (`performance.now()`) this instance may compose: a little before the claim it last renewed runs out on the bus. */
  until: number
  renewing: boolean
  gained: () => void
}

/**
 * Which instance composes a document's text (`extensions/normalizedText.ts`):
 * one at a time. A composition is new content: two instances composing the
 * same "e\u0301" each write an "é", and their copies merge into "éé"
 * (helper-169); each rule tried for letting every instance compose only its
 * own connections' typing was broken by a hostile review in turn
 * (helper-170, -171, -172), and left decomposed what two instances' typing
 * made together. So each instance holding a document claims it on the bus
 * and renews its claim while it holds it; the one that has it composes
 * every change, made on any instance, and the others none.
 *
 * The holder counts its claim as ending a third of its length before the
 * bus lets it go, from when it asked: another instance takes it only
 * after that, so two never compose at once unless an instance stalls that
 * long (a composition then made twice reads "éé"; the only window left).
 * An instance that dies leaves the claim to run out: meanwhile nobody
 * composes, and the next holder composes the whole text on taking it.
 */
export class Composers {
  private readonly followed = new Map<LiveDocument, Followed>()
  private readonly renewal: NodeJS.Timeout
  private readonly stopListening: () => void
  private copies = 0
  /** Until when (`performance.now()`) nothing is claimed: the bus just came back, and what it lost is being asked again. */
  private quietUntil = 0

  constructor(
    private readonly options: { fanout: Fanout; instanceId: string; logger: Logger; claimMs?: number },
  ) {
    this.renewal = setInterval(() => {
      for (const document of this.followed.keys()) void this.renew(document)
    }, this.claimMs / 3)
    this.renewal.unref()
    // Lost, the bus may lose the claims too (Redis restarted keeps nothing) and another instance take them the moment it
    // is back: this one stops composing at once. Back, it claims again only after a renewal's interval, once the
    // compositions the bus lost were asked again (`sharing.ts` resyncs every text then): whoever composes next has them.
    this.stopListening = options.fanout.onStatus((status) => {
      if (status === 'lost') for (const followed of this.followed.values()) followed.until = 0
      else this.quietUntil = performance.now() + this.claimMs / 3
    })
  }

  private get claimMs(): number {
    return this.options.claimMs ?? COMPOSER_CLAIM_MS
  }

  private key(document: LiveDocument): string {
    return `hemicycle:composer:${document.name}`
  }

  /** Claims the document now and at every renewal while it is held here; `gained` runs each time this instance becomes its composer. */
  follow(document: LiveDocument, gained: () => void): Promise<void> {
    this.followed.set(document, { holder: `${this.options.instanceId}/${++this.copies}`, until: 0, renewing: false, gained })
    return this.renew(document)
  }

  /** Whether this instance composes the document now. */
  composesHere(document: LiveDocument): boolean {
    const followed = this.followed.get(document)
    return followed !== undefined && performance.now() < followed.until
  }

  /** The document leaves this instance: its claim goes at once, for another to take at its next renewal. */
  async leave(document: LiveDocument): Promise<void> {
    const followed = this.followed.get(document)
    if (!followed) return
    this.followed.delete(document)
    try {
      await this.options.fanout.unclaim(this.key(document), followed.holder)
    } catch (error) {
      // It runs out by itself.
      this.options.logger.warn('the claim to compose a text could not be let go', { resolutionId: document.resolutionId, error })
    }
  }

  stop(): void {
    clearInterval(this.renewal)
    this.stopListening()
  }

  private async renew(document: LiveDocument): Promise<void> {
    const followed = this.followed.get(document)
    if (!followed || followed.renewing) return
    // A copy destroyed without leaving (an unload whose earlier hook failed) would keep the claim for good, and nobody
    // compose the text again (helper-173).
    if (document.doc.isDestroyed) return this.leave(document)
    if (performance.now() < this.quietUntil) return
    followed.renewing = true
    const asked = performance.now()
    let held = false
    try {
      held = await this.options.fanout.claim(this.key(document), followed.holder, this.claimMs)
    } catch (error) {
      this.options.logger.warn('the claim to compose a text could not be renewed', { resolutionId: document.resolutionId, error })
    } finally {
      followed.renewing = false
    }
    if (this.followed.get(document) !== followed) return
    const had = this.composesHere(document)
    followed.until = held ? asked + (this.claimMs * 2) / 3 : 0
    if (held && !had) followed.gained()
  }
}
