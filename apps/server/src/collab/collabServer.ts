import type { Stage } from '@hemicycle/protocol'
import { CloseCode } from '@hemicycle/protocol'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { unauthorized } from '../http/errors.ts'
import type { Logger } from '../logger.ts'
import { Connection, type Socket } from './connection.ts'
import { documentKey } from './documentKey.ts'
import { LostChanges } from './lostChanges.ts'
import type { ConnectionContext } from './context.ts'
import type { AuthenticatePayload, Extension } from './extension.ts'
import { type AwarenessChange, LiveDocument } from './liveDocument.ts'
import { isUpdateOrigin, type UpdateOrigin } from './origin.ts'
import { changesStructure } from './structuralChange.ts'
import { HandlingBudget } from './handlingBudget.ts'
import { SyncBudget } from './syncBudget.ts'
import { noteWordMoves } from './wordMoves.ts'

export interface CollabServerOptions {
  extensions: readonly Extension[]
  /** The stage a resolution is at, read when its document is loaded. */
  stageOf: (resolutionId: string) => Promise<Stage>
  /**
   * Runs a document's loading while no procedural step of its resolution
   * runs on another instance, so a stage change cannot pass a document being
   * loaded unseen (it either finished before the stage is read, or waits
   * for the load to subscribe). Without it, loading just runs.
   */
  loadBetweenTurns?: <T>(resolutionId: string, load: () => Promise<T>) => Promise<T>
  /**
   * Whether a procedural step of the resolution runs on this instance: a
   * decision applies its change to the document it opened once the change is
   * stored, and a document unloaded meanwhile would leave it out of the one
   * loaded next (read before it was stored). Such a document stays loaded.
   */
  inTurn?: (resolutionId: string) => boolean
  /** How long a document with nobody connected stays in memory. */
  unloadAfterMs: number
  /** How long a tab may show others' changes the server never got before it is told to open the text afresh (`LostChanges`). */
  lostChangesGraceMs?: number
  logger: Logger
}

/**
 * Holds the live documents of this instance and runs the extension hooks
 * around them: load on first use, change on every update, store and unload
 * when the last person has left.
 */
export class CollabServer {
  private readonly documents = new Map<string, LiveDocument>()
  private readonly loading = new Map<string, Promise<LiveDocument>>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  /** Documents being filled from storage: stage changes reach them too. */
  private readonly loadingDocuments = new Set<LiveDocument>()
  /** Answers to "what do I lack" each person may still ask for, over all their sockets (see `SyncBudget`). */
  private readonly syncBudget = new SyncBudget()
  /** The time each person's messages may take, over all their sockets (see `HandlingBudget`). */
  private readonly handlingBudget = new HandlingBudget()
  /** Counts stage changes, so a load can tell one happened while it read the stage. */
  private stageChanges = 0
  private destroyed = false

  /** Others' changes people's tabs show that the server lacks (`LostChanges`), kept while their texts unload and load again. */
  private readonly lostChanges = new LostChanges()

  constructor(private readonly options: CollabServerOptions) {}

  private get extensions() {
    return this.options.extensions
  }

  async authenticate(payload: AuthenticatePayload): Promise<ConnectionContext> {
    for (const extension of this.extensions) {
      const context = await extension.onAuthenticate?.(payload)
      if (context) return context
    }
    throw unauthorized()
  }

  /**
   * A live document by its name (a resolution's id for its original,
   * `<id>/<language>` for a version: `documentKey.ts`), loading it if
   * needed. Nobody connected: it unloads after a while.
   */
  async open(name: string): Promise<LiveDocument> {
    if (this.destroyed) throw new Error('the collaboration server is shutting down')
    await this.unloading.get(name)
    const live = this.documents.get(name)
    if (live) {
      this.scheduleUnload(live)
      return live
    }
    let pending = this.loading.get(name)
    if (!pending) {
      pending = this.load(name).finally(() => this.loading.delete(name))
      this.loading.set(name, pending)
    }
    const document = await pending
    this.scheduleUnload(document)
    return document
  }

  /** The live document if this instance holds it. */
  peek(name: string): LiveDocument | undefined {
    return this.documents.get(name)
  }

  private load(name: string): Promise<LiveDocument> {
    const { loadBetweenTurns = (_id, load) => load() } = this.options
    return loadBetweenTurns(documentKey(name).resolutionId, () => this.loadNow(name))
  }

  private async loadNow(name: string): Promise<LiveDocument> {
    const document = new LiveDocument(name, 'draft')
    document.lostChanges = this.lostChanges
    this.loadingDocuments.add(document)
    try {
      await this.fill(document)
    } catch (error) {
      if (this.documents.get(document.name) === document) this.documents.delete(document.name)
      document.destroy()
      throw error
    } finally {
      this.loadingDocuments.delete(document)
    }
    return document
  }

  private async fill(document: LiveDocument): Promise<void> {
    const { name, resolutionId } = document
    // Read while loading is registered: a stage change arriving meanwhile is newer than what was read, and wins.
    const stageChanges = this.stageChanges
    const stage = await this.options.stageOf(resolutionId)
    if (this.stageChanges === stageChanges) document.stage = stage
    for (const extension of this.extensions) await extension.onLoadDocument?.({ document })
    // Content no stored row attributes to a person was written by the server (an import, a restored version).
    for (const client of Y.decodeStateVector(Y.encodeStateVector(document.doc)).keys()) document.gate.clients.adopt(client, 'server')
    document.chooseServerClientId()
    noteWordMoves(document.doc)
    document.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => this.changed(document, update, origin, transaction))
    document.received = (payload) => {
      for (const extension of this.extensions) {
        if (extension.onReceive) this.guarded(`${extension.name}.onReceive`, document, () => extension.onReceive!({ document, ...payload }))
      }
    }
    document.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.presenceChanged(document, change, origin))
    this.documents.set(name, document)
    for (const extension of this.extensions) await extension.afterLoadDocument?.({ document })
  }

  /**
   * Runs inside Yjs's update event, that is inside whoever applied the
   * change: an extension that throws here must not leave the change half
   * told (broadcast but not stored), nor reach that caller. Each hook runs
   * on its own and a failure is logged.
   */
  private guarded(what: string, document: LiveDocument, run: () => void): void {
    try {
      run()
    } catch (error) {
      this.options.logger.error(`${what} failed`, { document: document.name, error })
    }
  }

  private changed(document: LiveDocument, update: Uint8Array, rawOrigin: unknown, transaction: Y.Transaction): void {
    const origin: UpdateOrigin = isUpdateOrigin(rawOrigin) ? rawOrigin : { kind: 'server' }
    const seq = ++document.changes
    const structural = changesStructure(transaction)
    this.guarded('broadcast', document, () => {
      if (origin.kind === 'server' && document.holdsOwnChanges) document.holdOwnChange(seq, update)
      else document.broadcastUpdate(update, origin.kind === 'connection' ? document.connectionWithId(origin.connectionId) : undefined)
    })
    for (const extension of this.extensions) {
      if (extension.onChange) this.guarded(`${extension.name}.onChange`, document, () => extension.onChange!({ document, update, origin, seq, structural, transaction }))
    }
  }

  private presenceChanged(document: LiveDocument, change: AwarenessChange, origin: unknown): void {
    this.guarded('presence', document, () => this.tellPresence(document, change, origin))
  }

  private tellPresence(document: LiveDocument, { added, updated, removed }: AwarenessChange, origin: unknown): void {
    const connection = origin instanceof Connection ? origin : undefined
    if (connection) {
      for (const client of [...added, ...updated]) {
        // A client id moves with its Y.Doc: a reconnecting tab takes it over from its old socket.
        for (const other of document.connections) other.awarenessClients.delete(client)
        connection.awarenessClients.add(client)
      }
      for (const client of removed) connection.awarenessClients.delete(client)
    }
    const changed = [...added, ...updated, ...removed]
    if (changed.length === 0) return
    document.broadcastPresence({ added, updated, removed }, connection)
    const update = awarenessProtocol.encodeAwarenessUpdate(document.awareness, changed)
    const updateOrigin: UpdateOrigin = connection ? connection.origin : isUpdateOrigin(origin) ? origin : { kind: 'server' }
    for (const extension of this.extensions) {
      if (extension.onAwarenessUpdate) {
        this.guarded(`${extension.name}.onAwarenessUpdate`, document, () => extension.onAwarenessUpdate!({ document, update, origin: updateOrigin }))
      }
    }
  }

  /** Binds an open websocket to a document. */
  connect(socket: Socket, context: ConnectionContext, document: LiveDocument): Connection {
    const connection = new Connection(socket, context, document, this.options.logger, this.syncBudget, this.handlingBudget, this.options.lostChangesGraceMs)
    if (this.documents.get(document.name) !== document) {
      // Unloaded during the handshake: the client reconnects and gets the document afresh.
      connection.close(CloseCode.ServerShutdown, 'the document was reloaded; reconnect')
      return connection
    }
    document.connections.add(connection)
    this.cancelUnload(document)
    connection.start()
    for (const extension of this.extensions) {
      if (extension.onConnect) this.guarded(`${extension.name}.onConnect`, document, () => extension.onConnect!({ document, connection }))
    }
    return connection
  }

  disconnect(connection: Connection): void {
    const { document } = connection
    if (!document.connections.delete(connection)) return
    connection.close(1000, 'closed')
    document.gate.clients.release(connection)
    if (document.connections.size === 0) document.gate.rest()
    this.guarded('presence', document, () => awarenessProtocol.removeAwarenessStates(document.awareness, [...connection.awarenessClients], null))
    for (const extension of this.extensions) {
      if (extension.onDisconnect) this.guarded(`${extension.name}.onDisconnect`, document, () => extension.onDisconnect!({ document, connection }))
    }
    this.scheduleUnload(document)
  }

  /** The documents of a resolution this instance holds or is loading. */
  private documentsOf(resolutionId: string): LiveDocument[] {
    return [...this.documents.values(), ...this.loadingDocuments].filter((document) => document.resolutionId === resolutionId)
  }

  /**
   * The resolution moves to another stage: write rights of open connections
   * to its original and every language version here follow at once (those that lose the right are told, permission
   * denied), and this resolves once every other instance holding one of its
   * documents has followed too and stored what it took before; it rejects
   * if one does not answer in time. From then on no instance accepts a
   * change the new stage forbids.
   */
  async applyStage(resolutionId: string, stage: Stage): Promise<void> {
    const documents = this.documentsOf(resolutionId)
    this.followStage(resolutionId, stage)
    for (const document of documents) {
      for (const extension of this.extensions) await extension.onStageChange?.({ document, stage })
    }
  }

  /** Applies a stage change made elsewhere (another instance, or a stage event), on this instance only. */
  followStage(resolutionId: string, stage: Stage): void {
    this.stageChanges += 1
    for (const document of this.documentsOf(resolutionId)) {
      if (document.stage === stage) continue
      const before = new Map([...document.connections].map((connection) => [connection, connection.refusal()]))
      document.stage = stage
      for (const connection of document.connections) {
        const refusal = connection.refusal()
        if (refusal && !before.get(connection)) connection.denyWrite(refusal)
        if (!refusal && before.get(connection)) connection.writeRestored()
      }
    }
  }

  /**
   * Reads again the stage of every resolution held here, each once no
   * procedural step of it runs (on any instance), and follows it: an
   * instance that was off the bus missed the stage changes made meanwhile,
   * whose fences Redis did not count it in.
   */
  async refreshStages(): Promise<void> {
    const { loadBetweenTurns = (_id, load) => load() } = this.options
    const resolutionIds = new Set([...this.documents.values(), ...this.loadingDocuments].map((document) => document.resolutionId))
    await Promise.all([...resolutionIds].map((id) => loadBetweenTurns(id, async () => this.followStage(id, await this.options.stageOf(id)))))
  }

  /** Everything changed so far is durable when this resolves. */
  async store(document: LiveDocument): Promise<void> {
    for (const extension of this.extensions) await extension.onStoreDocument?.({ document })
  }

  /**
   * Resolves at a moment when every change this instance took is in the
   * database, so that a change the server then computes from the live
   * document, synchronously, depends on nothing that a crash could lose
   * (Yjs would hold such a change back, and the text would lack it). People
   * typing meanwhile make it store again; rejects if it cannot catch up.
   */
  async settle(document: LiveDocument): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.store(document)
      if (!document.unstored()) return
    }
    throw new Error(`the changes to ${document.name} could not all be stored`)
  }

  private cancelUnload(document: LiveDocument): void {
    clearTimeout(this.unloadTimers.get(document.name))
    this.unloadTimers.delete(document.name)
  }

  private scheduleUnload(document: LiveDocument): void {
    if (document.connections.size > 0 || this.destroyed) return
    this.cancelUnload(document)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(document.name)
      if (document.connections.size > 0 || this.documents.get(document.name) !== document) return
      if (this.options.inTurn?.(document.resolutionId)) this.scheduleUnload(document)
      else this.unload(document).catch(() => {})
    }, this.options.unloadAfterMs)
    timer.unref()
    this.unloadTimers.set(document.name, timer)
  }

  /**
   * Puts a live copy away at once: its connections are closed with `code`
   * (their copies may hold what it held), what it took is stored, and the
   * next open reads the text again from storage.
   */
  async putAway(document: LiveDocument, code: CloseCode, reason: string): Promise<void> {
    if (this.documents.get(document.name) !== document) return
    this.cancelUnload(document)
    for (const connection of [...document.connections]) connection.close(code, reason)
    await this.unload(document)
  }

  /**
   * Stores, then forgets a document. If storing fails (database down), the
   * document goes back into memory with its unsaved changes and unloading is
   * tried again later: nothing is dropped while the server runs.
   */
  private unload(document: LiveDocument): Promise<void> {
    const { name } = document
    this.documents.delete(name)
    const done = (async () => {
      try {
        await this.store(document)
      } catch (error) {
        this.documents.set(name, document)
        this.scheduleUnload(document)
        throw error
      }
      try {
        for (const extension of this.extensions) await extension.onUnloadDocument?.({ document })
      } finally {
        document.destroy()
      }
    })().finally(() => this.unloading.delete(name))
    this.unloading.set(name, done.catch(() => {}))
    return done
  }

  /**
   * Closes every connection, then stores and unloads every document. While
   * the database refuses, storing is tried again until `deadline` (epoch
   * ms); a document still unsaved then stays unsaved, and the returned
   * promise rejects naming it, so the process can say so and exit non-zero.
   */
  async destroy({ deadline = Number.POSITIVE_INFINITY }: { deadline?: number } = {}): Promise<void> {
    this.destroyed = true
    await Promise.allSettled(this.loading.values())
    for (const document of this.documents.values()) {
      this.cancelUnload(document)
      for (const connection of document.connections) connection.close(CloseCode.ServerShutdown, 'the server is restarting')
      document.connections.clear()
    }
    await Promise.allSettled(this.unloading.values())
    const unsaved: string[] = []
    await Promise.all(
      [...this.documents.values()].map(async (document) => {
        this.documents.delete(document.name)
        for (;;) {
          try {
            await this.store(document)
            break
          } catch (error) {
            if (Date.now() >= deadline) {
              this.options.logger.error('changes could not be stored before shutdown', { document: document.name, error })
              unsaved.push(document.name)
              return
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now()))))
          }
        }
        try {
          for (const extension of this.extensions) await extension.onUnloadDocument?.({ document })
        } catch (error) {
          // Stored already; tidying up (compaction) waits for the next start.
          this.options.logger.warn('a document could not be tidied up at shutdown', { document: document.name, error })
        } finally {
          document.destroy()
        }
      }),
    )
    for (const extension of this.extensions) await extension.onDestroy?.()
    if (unsaved.length > 0) throw new Error(`changes to ${unsaved.length} document(s) could not be stored: ${unsaved.join(', ')}`)
  }
}
