import type { LoggedUpdate } from './storage.ts'

/** A change made on another instance, kept here until that instance says it is stored. */
export interface HeldChange extends LoggedUpdate {
  /** The maker's number for it: its changes to this document, counted in order. */
  seq: number
  /** When this instance received it (ms, performance clock). */
  receivedAt: number
}

type StateVector = Map<number, number>

/**
 * Who stores a change to a document that several instances hold: the
 * instance where it was made, which then says so to the others ("stored
 * through change n"). Meanwhile each other instance keeps the change; if its
 * maker does not say so in time (it died), they store it themselves. A
 * change stored twice is harmless: Yjs updates are idempotent, and the rows
 * attribute the same ids to the same person.
 */
export class Custody {
  private readonly held = new Map<string, HeldChange[]>()
  private readonly storedHereListeners = new Set<(through: number, stored: StateVector) => void>()
  /** Per Yjs client, the clock up to which other instances have said everything is stored. */
  readonly storedElsewhere: StateVector = new Map()
  /**
   * Queues everything held for storing here, now (set by the storage extension). At a stage change, once every
   * instance still alive has answered the fence (each says what it stored before answering), what is still held
   * was made on an instance that died: stored before the text is read and hashed, not after.
   */
  takeOverNow: () => void = () => {}

  get size(): number {
    let count = 0
    for (const changes of this.held.values()) count += changes.length
    return count
  }

  hold(instanceId: string, change: HeldChange): void {
    let changes = this.held.get(instanceId)
    if (!changes) {
      changes = []
      this.held.set(instanceId, changes)
    }
    changes.push(change)
  }

  /** `instanceId` stored its changes up to `through`, and with them everything up to `stored`. */
  release(instanceId: string, through: number, stored: StateVector): void {
    const changes = this.held.get(instanceId)
    if (changes) {
      const kept = changes.filter((change) => change.seq > through)
      if (kept.length > 0) this.held.set(instanceId, kept)
      else this.held.delete(instanceId)
    }
    for (const [client, clock] of stored) if (clock > (this.storedElsewhere.get(client) ?? 0)) this.storedElsewhere.set(client, clock)
  }

  /** Takes the changes received before `before`, in the order each maker made them: their makers did not store them in time. */
  takeOverdue(before: number): HeldChange[] {
    const taken: HeldChange[] = []
    for (const [instanceId, changes] of this.held) {
      const overdue = changes.filter((change) => change.receivedAt < before)
      if (overdue.length === 0) continue
      for (const change of overdue) taken.push(change)
      const kept = changes.filter((change) => change.receivedAt >= before)
      if (kept.length > 0) this.held.set(instanceId, kept)
      else this.held.delete(instanceId)
    }
    return taken
  }

  /** This instance stored its own changes up to `through`: other instances may let go of them. */
  storedHere(through: number, stored: StateVector): void {
    for (const listener of this.storedHereListeners) listener(through, stored)
  }

  onStoredHere(listener: (through: number, stored: StateVector) => void): () => void {
    this.storedHereListeners.add(listener)
    return () => this.storedHereListeners.delete(listener)
  }
}
