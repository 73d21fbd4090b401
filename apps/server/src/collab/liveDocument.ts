import type { Language, Stage } from '@hemicycle/protocol'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Connection } from './connection.ts'
import { documentKey } from './documentKey.ts'
import { UpdateGate } from './updateGate.ts'

/** One of a resolution's texts (the original or a language version) while it is open on this instance: the Y.Doc, presence, and who is connected. */
export class LiveDocument {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new Awareness(this.doc)
  readonly connections = new Set<Connection>()
  /** Decides which updates from connections the document takes, and whose client ids are whose. */
  readonly gate = new UpdateGate(this.doc)

  readonly resolutionId: string
  /** null: the original; otherwise the language of this version. */
  readonly language: Language | null

  constructor(
    /** The room name, which keys the document everywhere: see `documentKey.ts`. */
    readonly name: string,
    /** The stage decides who may write; it changes live (issue 6) and every connection follows. */
    public stage: Stage,
  ) {
    ;({ resolutionId: this.resolutionId, language: this.language } = documentKey(name))
    // The server has no caret of its own.
    this.awareness.setLocalState(null)
  }

  broadcast(message: Uint8Array, except?: Connection): void {
    for (const connection of this.connections) if (connection !== except) connection.send(message)
  }

  /**
   * Gives the server a client id of its own for this document, one nobody
   * has written under, and records it as the server's: no participant can
   * then create structs under it. Call once the stored state is loaded.
   */
  chooseServerClientId(): void {
    const taken = (client: number) => client === 0 || Y.getState(this.doc.store, client) > 0 || this.gate.clients.owner(client) !== undefined
    while (taken(this.doc.clientID)) this.doc.clientID = Math.floor(Math.random() * 0x100000000)
    this.gate.clients.claimForServer(this.doc.clientID)
    // Presence was created under the first id; it stays the server's too, so nobody speaks as the server there either.
    if (!this.gate.clients.owner(this.awareness.clientID)) this.gate.clients.claimForServer(this.awareness.clientID)
  }

  destroy(): void {
    this.gate.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }
}
