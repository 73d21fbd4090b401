import { CloseCode, MessageType } from '@hemicycle/protocol'
import { bodyOf } from '@hemicycle/schema'
import * as decoding from 'lib0/decoding'
import * as authProtocol from 'y-protocols/auth'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { useSession } from '../stores/session.ts'
import { type ConnectionFacts, initialFacts } from './connectionStatus.ts'
import { type ClientIdLease, leaseClientId } from './clientIdPool.ts'
import { followClientId } from './followClientId.ts'
import { liveUndoManager } from './liveUndo.ts'

export function collabUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`
}

/**
 * One resolution's live document in this tab: the Y.Doc, the y-websocket
 * provider (authenticated by the session cookie), and the facts the status
 * badge and the read-only banner are drawn from.
 */
export class CollabSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly facts: StoreApi<ConnectionFacts> = createStore(() => initialFacts)

  constructor(readonly resolutionId: string, url: string = collabUrl(window.location)) {
    this.provider = new WebsocketProvider(url, resolutionId, this.doc, {
      params: { acks: '1' },
      disableBc: true,
      maxBackoffTime: 5000,
    })
    const set = (partial: Partial<ConnectionFacts>) => this.facts.setState(partial)

    this.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => set({ denial: reason, denials: this.facts.getState().denials + 1 }))
    }
    this.provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
      set({ stored: this.countWritten((client) => vector.get(client) ?? 0) })
    }
    this.provider.on('status', ({ status }) => {
      // A refusal belongs to the socket that was told it: the server tells a new socket again, before it syncs, if it still applies.
      set(status === 'connected' ? { socket: status, everConnected: true, denial: null } : { socket: status, synced: false })
      if (status === 'disconnected') this.forgetOthersClocks()
    })
    // y-websocket does not reconnect after a 44xx close; after 4401 no new socket could succeed before a new login.
    this.provider.on('closed', ({ code, reason }) => {
      set(code === CloseCode.Unauthorized ? { sessionEnded: true } : { closedForGood: { code, reason } })
    })
    // The secretariat changed this person's role, delegation or name: the socket reconnects by itself, and once it has, the page
    // learns who it now is. Asked after reconnecting, not before, so the page never knows an older standing than the socket's.
    let accountChanged = false
    this.provider.on('connection-close', (event) => {
      if (event?.code === CloseCode.AccountChanged) accountChanged = true
    })
    this.provider.on('status', ({ status }) => {
      if (status !== 'connected' || !accountChanged) return
      accountChanged = false
      void useSession.getState().restore()
    })
    this.provider.on('sync', (synced: boolean) => set(synced ? { synced, loaded: true } : { synced }))
    this.doc.on('update', () => set({ typed: this.typedHere() }))
    const person = useSession.getState().person
    if (person) this.reuseClientId(`${person.id}.${resolutionId}`)
  }

  /**
   * Each id this tab has written under, with where it stood when the tab took
   * it: an id reused from the pool holds earlier tabs' changes, which are not
   * this tab's to call saved or unsaved.
   */
  private readonly written = new Map<number, number>([[this.doc.clientID, 0]])
  private lease: ClientIdLease | null = null
  private ended = false

  /** How much of what this tab wrote a clock count reaches, per id (`clockOf`: the document's, or the server's stored state). */
  private countWritten(clockOf: (client: number) => number): number {
    let count = 0
    for (const [client, from] of this.written) count += Math.max(0, clockOf(client) - from)
    return count
  }

  private typedHere(): number {
    return this.countWritten((client) => Y.getState(this.doc.store, client))
  }

  /**
   * Writes under an id of this person's pool for the text (`clientIdPool.ts`),
   * once the server's copy is in and the id's last tab is gone from the
   * server: Yjs takes a new id when changes under its own arrive from
   * elsewhere, and the server's copy holds the earlier tabs' changes under a
   * reused one; a reloaded page's old socket may still be open there, its
   * last changes on their way, until the server removes its presence, which
   * it does after reading everything that socket sent. Not if this tab has
   * written already: its changes stay under the id they were written under.
   */
  private reuseClientId(scope: string): void {
    void leaseClientId(scope)
      .then((lease) => {
        if (!lease) return
        if (this.ended) return lease.release()
        this.lease = lease
        const attempt = () => {
          if (!this.adoptable(lease.id)) return
          unsubscribe()
          this.provider.awareness.off('change', attempt)
          this.adopt(lease.id)
        }
        const unsubscribe = this.facts.subscribe(attempt)
        this.provider.awareness.on('change', attempt)
        attempt()
      })
      .catch(() => {
        // No lock to be had: the tab keeps the id Yjs gave it.
      })
  }

  private adoptable(id: number): boolean {
    return !this.ended && this.facts.getState().synced && !this.provider.awareness.states.has(id) && Y.getState(this.doc.store, this.doc.clientID) === 0
  }

  private adopt(id: number): void {
    this.doc.clientID = id
    this.written.clear()
    this.written.set(id, Y.getState(this.doc.store, id))
    this.presenceUnder(id)
    this.facts.setState({ typed: 0, stored: 0 })
    // Should changes under the id come from elsewhere all the same, Yjs takes a new id: the tab's presence and its count of
    // what it wrote follow, or its own caret would be drawn as someone else's and "saved" would speak of the wrong id.
    followClientId(this.doc, new Set(this.written.keys()), (client) => {
      this.written.set(client, Y.getState(this.doc.store, client))
      this.presenceUnder(client)
    })
  }

  /** This tab's presence under `id`, as y-tiptap tells the tab's own caret from others' by the document's id. */
  private presenceUnder(id: number): void {
    const { awareness } = this.provider
    if (awareness.clientID === id) return
    const state = awareness.getLocalState()
    awareness.setLocalState(null)
    awareness.clientID = id
    // Everyone, the server included, keeps the clock the id's last tab reached and ignores any state not newer: this tab
    // starts past it. A clock moves once per caret move or renewal, far less than once a millisecond.
    const now = Date.now()
    awareness.meta.set(id, { clock: Math.max(awareness.meta.get(id)?.clock ?? 0, now), lastUpdated: now })
    awareness.setLocalState(state)
  }

  /**
   * When its socket closes, y-websocket drops the others' presence but keeps
   * the clocks it last heard them at. Back online, the server tells who is
   * here at those same clocks, which y-protocols ignores as not newer: the
   * page would show nobody until each person moved or renewed (up to 15 s).
   */
  private forgetOthersClocks(): void {
    const { awareness } = this.provider
    for (const client of [...awareness.meta.keys()]) {
      if (client !== this.doc.clientID && !awareness.states.has(client)) awareness.meta.delete(client)
    }
  }

  /**
   * Resolves true once the server has stored everything typed here so far
   * (its "saved" acknowledgement), false if that takes longer than
   * `timeoutMs`: what the server then reads of this document is what this
   * tab shows, not an older state still on its way.
   */
  whenStored(timeoutMs: number): Promise<boolean> {
    const typed = this.typedHere()
    const done = () => this.facts.getState().stored >= typed
    if (done()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const finish = (stored: boolean) => {
        clearTimeout(timer)
        unsubscribe()
        resolve(stored)
      }
      const timer = setTimeout(() => finish(false), timeoutMs)
      const unsubscribe = this.facts.subscribe(() => {
        if (done()) finish(true)
      })
    })
  }

  private undo: Y.UndoManager | null = null

  /** The undo history of this tab's edits to the text, made when an editor first asks for it, gone with the document. */
  get undoManager(): Y.UndoManager {
    this.undo ??= liveUndoManager(bodyOf(this.doc))
    return this.undo
  }

  destroy(): void {
    this.ended = true
    this.provider.destroy()
    this.doc.destroy()
    this.lease?.release()
  }
}

/** The code before the colon of a permission-denied reason ("observer: …", "stage: …"). */
export function denialCode(reason: string): string {
  return reason.split(':')[0]!.trim()
}
