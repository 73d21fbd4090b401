import { CollabSession, denialCode } from './collabSession.ts'
import { hasUnsavedChanges } from './connectionStatus.ts'

export interface LiveSnapshot {
  session: CollabSession | null
  /** The server's reason, when it refused changes this tab believed it could make. */
  refusal: string | null
}

/**
 * Owns the live session of one resolution for as long as someone looks at
 * it (an external store for useSyncExternalStore). When the server refuses
 * writes the tab thought it could make, the reason is kept for the page to
 * show (the editor turns read-only); if this tab's copy already holds
 * changes the server will never take, the session is replaced by a fresh
 * one built from the server's copy.
 */
export class LiveResolution {
  private snapshot: LiveSnapshot = { session: null, refusal: null }
  private readonly listeners = new Set<() => void>()
  private mayWrite = false

  constructor(
    readonly resolutionId: string,
    private readonly createSession: (id: string) => CollabSession = (id) => new CollabSession(id),
  ) {}

  /** Whether the person may write at the resolution's stage, as far as this tab knows. */
  setMayWrite(mayWrite: boolean): void {
    this.mayWrite = mayWrite
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    if (this.listeners.size === 1) this.open(this.snapshot.refusal)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.close()
    }
  }

  getSnapshot = (): LiveSnapshot => this.snapshot

  private open(refusal: string | null): void {
    const session = this.createSession(this.resolutionId)
    session.facts.subscribe((facts, previous) => {
      if (!facts.denial || previous.denial || !this.mayWrite || this.snapshot.session !== session) return
      const reason = facts.denial.slice(denialCode(facts.denial).length + 1).trim() || facts.denial
      if (hasUnsavedChanges(facts)) {
        this.close()
        this.open(reason)
      } else {
        this.publish({ session, refusal: reason })
      }
    })
    this.publish({ session, refusal })
  }

  private close(): void {
    this.snapshot.session?.destroy()
    this.publish({ session: null, refusal: this.snapshot.refusal })
  }

  private publish(snapshot: LiveSnapshot): void {
    this.snapshot = snapshot
    for (const listener of this.listeners) listener()
  }
}
