import { readRuns, type Run } from '@hemicycle/amendments'
import { bodyOf } from '@hemicycle/schema'
import * as Y from 'yjs'
import { CloseCode } from '@hemicycle/protocol'
import { CollabSession, denialCode } from './collabSession.ts'
import { hasUnsavedChanges } from './connectionStatus.ts'
import { unsavedWordsRemoved } from './wordsRemovedMeanwhile.ts'
import { type LeftBehind, leaveBehind, leftUnsaved, release } from './leftBehind.ts'

/** The server's "permission denied" to a tab that believed it could write. */
export interface Refusal {
  /** The reason's code ("stage", "observer", "role"): what the page words, in its own language. */
  code: string
  /** The server's own words after the code (English), for a code the page does not know. */
  reason: string
  /**
   * Whether changes typed here were refused (and taken off the screen), or
   * only the right to type more was withdrawn: a tab told of a stage move by
   * its socket before its event stream must not say edits were refused when
   * none were made.
   */
  changesRefused: boolean
}

export interface LiveSnapshot {
  session: CollabSession | null
  /** Set when the server refused writes this tab believed it could make. */
  refusal: Refusal | null
  /** Wordings typed here that the server refused, by block: offered as draft amendments rather than lost. */
  unsaved: ReadonlyMap<string, Run[]>
  /**
   * Why they were not saved: `rights`, the text could no longer be edited
   * here; `refused`, the server closed the socket over a change it would not
   * take, and this tab went on from the server's copy.
   */
  unsavedBecause: 'rights' | 'refused' | 'lost'
  /** Paragraphs this tab deleted that the server still holds, by block, with the words they are back with. */
  unsavedDeletions: ReadonlyMap<string, Run[]>
  /** Words typed here, not stored yet, that went with a paragraph someone else deleted or joined meanwhile, by block (`unsavedWordsRemoved`). */
  unsavedRemoved: ReadonlyMap<string, string>
}

/** What a tab's copy held when it was given up: each block's wording, and which Yjs changes it had seen. */
interface KeptCopy {
  wordings: Map<string, Run[]>
  seen: Map<number, number>
}

const keptCopyOf = (doc: Y.Doc): KeptCopy => ({ wordings: wordings(doc), seen: Y.decodeStateVector(Y.encodeStateVector(doc)) })

/** Whether a copy that had seen `seen` held this element: its Yjs id is within what it had seen. */
function hadSeen(element: Y.XmlElement, seen: ReadonlyMap<number, number>): boolean {
  const id = element._item?.id
  return id !== undefined && (seen.get(id.client) ?? 0) > id.clock
}

/** Each textblock element of a document, by block id. */
function blockElements(doc: Y.Doc): Map<string, Y.XmlElement> {
  const out = new Map<string, Y.XmlElement>()
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const id = child.getAttribute('id')
      if (typeof id === 'string' && child.toArray().every((inner) => inner instanceof Y.XmlText)) out.set(id, child)
      else visit(child)
    }
  }
  visit(bodyOf(doc))
  return out
}

/** Each block's wording in a document, by id. */
export function wordings(doc: Y.Doc): Map<string, Run[]> {
  return new Map([...blockElements(doc)].map(([id, element]) => [id, readRuns(element)]))
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
  private snapshot: LiveSnapshot = { session: null, refusal: null, unsaved: new Map(), unsavedBecause: 'rights', unsavedDeletions: new Map(), unsavedRemoved: new Map() }
  private readonly listeners = new Set<() => void>()
  private mayWrite = false

  constructor(
    readonly resolutionId: string,
    private readonly createSession: (id: string) => CollabSession = (id) => new CollabSession(id),
  ) {}

  /** Whether the person may write at the resolution's stage, as far as this tab knows. */
  setMayWrite(mayWrite: boolean): void {
    if (mayWrite === this.mayWrite) return
    this.mayWrite = mayWrite
    // A refusal belongs to the rights this tab believed in; once it knows the new ones, the page says those instead.
    if (this.snapshot.refusal !== null) this.publish({ ...this.snapshot, refusal: null })
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    if (this.listeners.size === 1) {
      const kept = leftUnsaved.get(this.resolutionId) as KeptCopy | undefined
      leftUnsaved.delete(this.resolutionId)
      this.open(this.snapshot.refusal, kept)
    }
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.leave()
    }
  }

  /**
   * Nobody looks at the text any more (the page was left for another in the app). A session still holding changes the
   * server has not stored stays open, out of sight, until it has stored them or can never (refused, closed for good,
   * the person logged out): destroyed at once, the words typed offline were lost, though the page had said they would be
   * sent when the connection returned. Leaving the tab itself is warned of while any session holds such changes.
   */
  private leave(): void {
    const session = this.snapshot.session
    if (!session || !hasUnsavedChanges(session.facts.getState())) return this.close()
    this.publish({ ...this.snapshot, session: null })
    // Out of sight: not shown to the others as present in the text.
    session.provider.awareness.setLocalState(null)
    const entry: LeftBehind = { unsaved: () => hasUnsavedChanges(session.facts.getState()), drop: () => session.destroy() }
    leaveBehind(entry)
    const stop = session.facts.subscribe((facts) => {
      if (hasUnsavedChanges(facts) && !facts.closedForGood && !facts.denial && !facts.sessionEnded) return
      stop()
      if (!release(entry)) return
      if (hasUnsavedChanges(facts) && !facts.sessionEnded) leftUnsaved.set(this.resolutionId, keptCopyOf(session.doc))
      session.destroy()
    })
  }

  getSnapshot = (): LiveSnapshot => this.snapshot

  private open(refusal: Refusal | null, refused?: KeptCopy, because: LiveSnapshot['unsavedBecause'] = 'rights'): void {
    const session = this.createSession(this.resolutionId)
    session.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (this.snapshot.session !== session) return
      const removed = unsavedWordsRemoved(transaction, session.doc.clientID, session.facts.getState().stored)
      if (removed.size === 0) return
      const unsavedRemoved = new Map(this.snapshot.unsavedRemoved)
      for (const [block, words] of removed) unsavedRemoved.set(block, (unsavedRemoved.get(block) ?? '') + words)
      this.publish({ ...this.snapshot, unsavedRemoved })
    })
    session.facts.subscribe((facts, previous) => {
      if (refused && facts.loaded && !previous.loaded) {
        // What this tab had that the server's copy has not: the refused edits, block by block.
        const server = blockElements(session.doc)
        const words = (id: string) => readRuns(server.get(id)!)
        // A paragraph the server never had is offered too, when it has words: a new paragraph typed as the stage moved.
        const unsaved = new Map(
          [...refused.wordings].filter(([id, runs]) => (server.has(id) ? JSON.stringify(words(id)) !== JSON.stringify(runs) : runs.some((run) => run.text.trim() !== ''))),
        )
        // A paragraph the server holds and this tab had seen but no longer held was deleted here, and is back: said, not left to be
        // noticed. One the tab never saw (added meanwhile by someone else) is not this tab's deletion.
        const unsavedDeletions = new Map(
          [...server].filter(([id, element]) => !refused.wordings.has(id) && hadSeen(element, refused.seen)).map(([id]): [string, Run[]] => [id, words(id)]),
        )
        this.publish({ ...this.snapshot, unsaved, unsavedBecause: because, unsavedDeletions })
      }
      // Closed for good, this session would look offline forever while keeping what was typed on screen as if it would be
      // sent: this tab goes on from the server's copy (a new socket and document) and offers back what the server lacks.
      // Not for a session closed before it ever had the document: a new one would be closed the same way, again and again.
      if (facts.closedForGood && !previous.closedForGood && facts.loaded && this.snapshot.session === session) {
        const kept = keptCopyOf(session.doc)
        this.close()
        this.open(this.snapshot.refusal, kept, facts.closedForGood.code === CloseCode.OthersLost ? 'lost' : 'refused')
        return
      }
      // A socket that synced without being refused may write: a stage move refused after the text froze for it gave the right back.
      if (facts.synced && !previous.synced && facts.denial === null && this.snapshot.session === session && this.snapshot.refusal !== null && this.mayWrite) {
        this.publish({ ...this.snapshot, refusal: null })
      }
      if (!facts.denial || facts.denials === previous.denials || this.snapshot.session !== session) return
      const code = denialCode(facts.denial)
      const reason = facts.denial.slice(code.length + 1).trim() || facts.denial
      // Refused changes must not stay on screen as if they were the text, whatever this tab thought it could do.
      if (hasUnsavedChanges(facts)) {
        const kept = keptCopyOf(session.doc)
        this.close()
        this.open(this.mayWrite ? { code, reason, changesRefused: true } : this.snapshot.refusal, kept)
      } else if (this.mayWrite) {
        // Told again (a new socket, before it syncs) after changes were refused: those were still the last ones refused.
        this.publish({ ...this.snapshot, session, refusal: { code, reason, changesRefused: this.snapshot.refusal?.changesRefused ?? false } })
      }
    })
    this.publish({ ...this.snapshot, session, refusal })
  }

  /** The draft amendment offered for a refused wording was tabled or dismissed, or a deletion's notice was. */
  dismissUnsaved(blockId: string): void {
    const unsaved = new Map(this.snapshot.unsaved)
    const unsavedDeletions = new Map(this.snapshot.unsavedDeletions)
    const unsavedRemoved = new Map(this.snapshot.unsavedRemoved)
    unsaved.delete(blockId)
    unsavedDeletions.delete(blockId)
    unsavedRemoved.delete(blockId)
    this.publish({ ...this.snapshot, unsaved, unsavedDeletions, unsavedRemoved })
  }

  private close(): void {
    this.snapshot.session?.destroy()
    this.publish({ ...this.snapshot, session: null })
  }

  private publish(snapshot: LiveSnapshot): void {
    this.snapshot = snapshot
    for (const listener of this.listeners) listener()
  }
}
