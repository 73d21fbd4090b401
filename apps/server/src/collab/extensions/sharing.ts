import { randomUUID } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Extension } from '../extension.ts'
import type { Fanout } from '../fanout.ts'
import type { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'

/** What instances tell each other about a document. */
const Kind = { Update: 0, Awareness: 1, StateVector: 2 } as const

function envelope(instanceId: string, kind: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, instanceId)
  encoding.writeVarUint(encoder, kind)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/**
 * Keeps a document identical on every instance that holds it: each change
 * made here is published, each change published elsewhere is applied here
 * (and stored by the instance where it was made). A newly loaded copy
 * announces its state vector and the others answer with what it lacks.
 */
export function sharing({ fanout, instanceId = randomUUID() }: { fanout: Fanout; instanceId?: string }): Extension {
  const subscriptions = new Map<LiveDocument, () => void>()
  const remote: UpdateOrigin = { kind: 'remote', instanceId }
  const channel = (document: LiveDocument) => `hemicycle:doc:${document.resolutionId}`

  const receive = (document: LiveDocument, message: Uint8Array) => {
    const decoder = decoding.createDecoder(message)
    const from = decoding.readVarString(decoder)
    if (from === instanceId || document.doc.isDestroyed) return
    const kind = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (kind === Kind.Update) Y.applyUpdate(document.doc, payload, remote)
    if (kind === Kind.Awareness) awarenessProtocol.applyAwarenessUpdate(document.awareness, payload, remote)
    if (kind === Kind.StateVector) {
      const missing = Y.encodeStateAsUpdate(document.doc, payload)
      fanout.publish(channel(document), envelope(instanceId, Kind.Update, missing))
    }
  }

  return {
    name: 'sharing',
    async afterLoadDocument({ document }) {
      subscriptions.set(document, fanout.subscribe(channel(document), (message) => receive(document, message)))
      fanout.publish(channel(document), envelope(instanceId, Kind.StateVector, Y.encodeStateVector(document.doc)))
    },
    onChange({ document, update, origin }) {
      if (origin.kind === 'remote' || origin.kind === 'storage') return
      fanout.publish(channel(document), envelope(instanceId, Kind.Update, update))
    },
    onAwarenessUpdate({ document, update, origin }) {
      if (origin.kind === 'remote') return
      fanout.publish(channel(document), envelope(instanceId, Kind.Awareness, update))
    },
    async onUnloadDocument({ document }) {
      subscriptions.get(document)?.()
      subscriptions.delete(document)
    },
  }
}
