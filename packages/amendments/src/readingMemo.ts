import type { Proposal, Rebase } from './amendment.ts'
import type { Edit } from './edits.ts'
import type { Run } from './inline.ts'

/** What was read of one proposal against one wording of its block. */
interface Reading {
  /** Its number among the block's readings, for pairs. */
  index: number
  rebase?: Rebase
  edits?: Edit[]
  /** The generation of the last reading that asked for it. */
  seen: number
}

interface BlockWords {
  readings: Map<string, Reading>
  /** Whether two readings' changes touch, by their indexes in the order asked. */
  touching: Map<number, boolean>
  next: number
  seen: number
}

/** A proposal's place in the memo against one wording of its block (`ReadingMemo.entry`). */
export interface MemoEntry {
  readonly block: BlockWords
  readonly reading: Reading
}

/** Indexes under this fit a pair in one number. */
const PAIR = 2 ** 26

/**
 * Rebases, edits and collisions of amendments, remembered from one reading
 * of a text's amendments to the next, keyed by what they are computed from
 * (the block's words, and the proposal's kind, base and wording), never by
 * an id: an amendment edited or a paragraph typed into is read again, the
 * rest is not. Tabling the 400th amendment to a text read all 400 again, and
 * every pair on each paragraph, twice (0.7 s on the event loop); listing
 * them, once more. A reading (`begin`) forgets what the one before it did
 * not ask for, so what is kept is what the text's amendments are now.
 */
export class ReadingMemo {
  private words = new Map<string, BlockWords>()
  private generation = 0
  /** The JSON of runs and wordings met in this reading: objects are not changed during one, nothing says they are not between. */
  private keys = new WeakMap<object, string>()

  /** Starts a reading: what the last reading left unasked is dropped. */
  begin(): void {
    const last = this.generation
    this.generation += 1
    this.keys = new WeakMap()
    for (const [key, block] of this.words) {
      if (block.seen < last) {
        this.words.delete(key)
        continue
      }
      for (const [proposal, reading] of block.readings) if (reading.seen < last) block.readings.delete(proposal)
      const live = new Set([...block.readings.values()].map((reading) => reading.index))
      for (const pair of block.touching.keys()) if (!live.has(Math.floor(pair / PAIR)) || !live.has(pair % PAIR)) block.touching.delete(pair)
    }
  }

  private keyOf(value: object): string {
    let key = this.keys.get(value)
    if (key === undefined) {
      key = JSON.stringify(value)
      this.keys.set(value, key)
    }
    return key
  }

  /**
   * What is remembered of `proposal` against `current`: looked up once per
   * proposal and reading (its key is the proposal's whole base and wording),
   * then asked by `rebase`, `edits` and `touching`.
   */
  entry(proposal: Proposal, current: Run[] | null): MemoEntry {
    const wordsKey = current === null ? 'null' : this.keyOf(current)
    let block = this.words.get(wordsKey)
    if (!block) {
      block = { readings: new Map(), touching: new Map(), next: 0, seen: this.generation }
      this.words.set(wordsKey, block)
    }
    block.seen = this.generation
    const proposalKey = `${proposal.kind}\u0000${proposal.blockId === null}\u0000${this.keyOf(proposal.base)}\u0000${this.keyOf(proposal.wording)}`
    let reading = block.readings.get(proposalKey)
    if (!reading) {
      reading = { index: block.next++, seen: this.generation }
      block.readings.set(proposalKey, reading)
    }
    reading.seen = this.generation
    return { block, reading }
  }

  /** `compute`'s rebase of the entry's proposal onto its words (the proposal's own wording), as last computed. Frozen: it is shared. */
  rebase({ reading }: MemoEntry, compute: () => Rebase): Rebase {
    return (reading.rebase ??= Object.freeze(compute()))
  }

  /** The edits the entry's rebased proposal makes to its words, as last computed. */
  edits({ reading }: MemoEntry, compute: () => Edit[]): Edit[] {
    return (reading.edits ??= compute())
  }

  /** Whether two entries' changes to the same words touch, as last found. */
  touching(first: MemoEntry, second: MemoEntry, compute: () => boolean): boolean {
    // In the order asked (the question need not be symmetric), and only for entries of the same words. Past 2^26
    // readings of one paragraph's words the pair no longer fits in a number: computed, not remembered.
    if (first.block !== second.block || first.reading.index >= PAIR || second.reading.index >= PAIR) return compute()
    const key = first.reading.index * PAIR + second.reading.index
    let found = first.block.touching.get(key)
    if (found === undefined) {
      found = compute()
      first.block.touching.set(key, found)
    }
    return found
  }
}
