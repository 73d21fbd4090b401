import type { Stage } from '@hemicycle/protocol'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Connection } from './connection.ts'

/** A resolution's text while it is open on this instance: the Y.Doc, presence, and who is connected. */
export class LiveDocument {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new Awareness(this.doc)
  readonly connections = new Set<Connection>()

  constructor(
    readonly resolutionId: string,
    /** The stage decides who may write; it changes live (issue 6) and every connection follows. */
    public stage: Stage,
  ) {
    // The server has no caret of its own.
    this.awareness.setLocalState(null)
  }

  broadcast(message: Uint8Array, except?: Connection): void {
    for (const connection of this.connections) if (connection !== except) connection.send(message)
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }
}
