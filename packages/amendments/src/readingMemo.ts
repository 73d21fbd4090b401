import type { Proposal, Rebase } from './amendment.ts'
import type { Edit } from './edits.ts'
import type { Run } from './inline.ts'
import { wordingLength } from './wording.ts'

/** What was read of one proposal against one wording of its block. */
interface Reading {
  /** Its number among the block's readings, for pairs. */
  index: number
  rebase?: Rebase
  edits?: Edit[]
  /** The generation of the last reading that asked for it. */
  seen: number
  /** What it holds, estimated in bytes (`ReadingMemo.held`). */
  bytes: number
}

interface BlockWords {
  readings: Map<string, Reading>
  /** Whether two readings' changes touch, by their indexes in the order asked. */
  touching: Map<number, boolean>
  next: number
  seen: number
  /** Its key's bytes. */
  bytes: number
}

/** A proposal's place in the memo against one wording of its block (`ReadingMemo.entry`); `kept` false past the memo's bound. */
export interface MemoEntry {
  readonly block: BlockWords
  readonly reading: Reading
  readonly kept: boolean
}

/** Indexes under this fit a pair in one number. */
const PAIR = 2 ** 26

/** What one token of an edit costs held, about: an object of three fields and its short string. */
const TOKEN_BYTES = 80
/** What one remembered pair costs, about, in a Map. */
const PAIR_BYTES = 40
/**
 * What a text's memo holds at most, estimated: far more than its
 * amendments as people write them (400 amendments of a few lines hold ~2
 * MiB), and a bound on what a delegation tabling the longest amendments it
 * may, by the hundred, can have the server keep for as long as the text is
 * open. Past it, readings are computed and not kept, as without a memo.
 */
export const MEMO_BYTES = 32 * 1024 * 1024

/**
 * Rebases, edits and collisions of amendments, remembered from one reading
 * of a text's amendments to the next, keyed by what they are computed from
 * (the block's words, and the proposal's kind, base, wording and the
 * wordings its block had since), never by an id: an amendment edited or a
 * paragraph typed into is read again, the rest is not. Tabling the 240th amendment to a text read all 240 again, and
 * every pair on each paragraph, twice (~0.4 s on the event loop); listing
 * them, once more. A reading (`begin`) forgets what the one before it did
 * not ask for, so what is kept is what the text's amendments are now, and
 * no more than `maxBytes` of it.
 */
export class ReadingMemo {
  private words = new Map<string, BlockWords>()
  private generation = 0
  private bytes = 0
  /** The JSON of runs and wordings met in this reading: objects are not changed during one, nothing says they are not between. */
  private keys = new WeakMap<object, string>()

  constructor(private readonly maxBytes: number = MEMO_BYTES) {}

  /** What the memo holds, estimated in bytes. */
  held(): number {
    return this.bytes
  }

  /** Starts a reading: what the last reading left unasked is dropped. */
  begin(): void {
    const last = this.generation
    this.generation += 1
    this.keys = new WeakMap()
    for (const [key, block] of this.words) {
      if (block.seen < last) {
        this.bytes -= block.bytes + block.touching.size * PAIR_BYTES
        for (const reading of block.readings.values()) this.bytes -= reading.bytes
        this.words.delete(key)
        continue
      }
      for (const [proposal, reading] of block.readings) {
        if (reading.seen >= last) continue
        this.bytes -= reading.bytes
        block.readings.delete(proposal)
      }
      const live = new Set([...block.readings.values()].map((reading) => reading.index))
      for (const pair of block.touching.keys()) {
        if (live.has(Math.floor(pair / PAIR)) && live.has(pair % PAIR)) continue
        block.touching.delete(pair)
        this.bytes -= PAIR_BYTES
      }
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

  private room(bytes: number): boolean {
    return this.bytes + bytes <= this.maxBytes
  }

  /**
   * What is remembered of `proposal` against `current`: looked up once per
   * proposal and reading (its key is the proposal's whole base and wording),
   * then asked by `rebase`, `edits` and `touching`.
   */
  entry(proposal: Proposal, current: Run[] | null): MemoEntry {
    const wordsKey = current === null ? 'null' : this.keyOf(current)
    const since = proposal.since && proposal.since.length > 0 ? `\u0000${this.keyOf(proposal.since)}` : ''
    const proposalKey = `${proposal.kind}\u0000${proposal.blockId === null}\u0000${this.keyOf(proposal.base)}\u0000${this.keyOf(proposal.wording)}${since}`
    let block = this.words.get(wordsKey)
    let reading = block?.readings.get(proposalKey)
    if (!block || !reading) {
      // Strings of JSON: two bytes a character at most.
      const needed = (block ? 0 : wordsKey.length * 2) + proposalKey.length * 2
      if (!this.room(needed)) {
        const transient = { readings: new Map(), touching: new Map(), next: 0, seen: this.generation, bytes: 0 }
        return { block: transient, reading: { index: 0, seen: this.generation, bytes: 0 }, kept: false }
      }
      if (!block) {
        block = { readings: new Map(), touching: new Map(), next: 0, seen: this.generation, bytes: wordsKey.length * 2 }
        this.words.set(wordsKey, block)
        this.bytes += block.bytes
      }
      reading = { index: block.next++, seen: this.generation, bytes: proposalKey.length * 2 }
      block.readings.set(proposalKey, reading)
      this.bytes += reading.bytes
    }
    block.seen = this.generation
    reading.seen = this.generation
    return { block, reading, kept: true }
  }

  private hold(reading: Reading, bytes: number): boolean {
    if (!this.room(bytes)) return false
    reading.bytes += bytes
    this.bytes += bytes
    return true
  }

  /** `compute`'s rebase of the entry's proposal onto its words (the proposal's own wording), as last computed. Frozen: it is shared. */
  rebase({ reading, kept }: MemoEntry, compute: () => Rebase): Rebase {
    if (reading.rebase) return reading.rebase
    const rebased = Object.freeze(compute())
    if (kept && this.hold(reading, rebased.state === 'clean' ? 2 * wordingLength(rebased.wording) + 64 : 64)) reading.rebase = rebased
    return rebased
  }

  /** The edits the entry's rebased proposal makes to its words, as last computed. */
  edits({ reading, kept }: MemoEntry, compute: () => Edit[]): Edit[] {
    if (reading.edits) return reading.edits
    const edits = compute()
    if (kept && this.hold(reading, edits.reduce((sum, edit) => sum + (edit.insert.length + 1) * TOKEN_BYTES, 0))) reading.edits = edits
    return edits
  }

  /** Whether two entries' changes to the same words touch, as last found. */
  touching(first: MemoEntry, second: MemoEntry, compute: () => boolean): boolean {
    // In the order asked (the question need not be symmetric), and only for entries kept for the same words. Past
    // 2^26 readings of one paragraph's words the pair no longer fits in a number: computed, not remembered.
    if (!first.kept || !second.kept || first.block !== second.block || first.reading.index >= PAIR || second.reading.index >= PAIR) return compute()
    const key = first.reading.index * PAIR + second.reading.index
    let found = first.block.touching.get(key)
    if (found === undefined) {
      found = compute()
      if (this.room(PAIR_BYTES)) {
        first.block.touching.set(key, found)
        this.bytes += PAIR_BYTES
      }
    }
    return found
  }
}
