import { CloseCode, MessageType } from '@hemicycle/protocol'
import { bodyOf } from '@hemicycle/schema'
import * as decoding from 'lib0/decoding'
import * as authProtocol from 'y-protocols/auth'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { useSession } from '../stores/session.ts'
import { type ConnectionFacts, initialFacts } from './connectionStatus.ts'
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
      const stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(this.doc.clientID) ?? 0
      set({ stored })
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
    this.doc.on('update', () => set({ typed: Y.getState(this.doc.store, this.doc.clientID) }))
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
    const typed = Y.getState(this.doc.store, this.doc.clientID)
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
    this.provider.destroy()
    this.doc.destroy()
  }
}

/** The code before the colon of a permission-denied reason ("observer: …", "stage: …"). */
export function denialCode(reason: string): string {
  return reason.split(':')[0]!.trim()
}
