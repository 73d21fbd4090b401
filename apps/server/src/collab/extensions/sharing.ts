import { randomUUID } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../../logger.ts'
import type { OwnerKey } from '../clientIds.ts'
import type { Extension } from '../extension.ts'
import type { Fanout } from '../fanout.ts'
import type { LiveDocument } from '../liveDocument.ts'
import type { UpdateOrigin } from '../origin.ts'

/** What instances tell each other about a document. */
const Kind = { Update: 0, Awareness: 1, StateVector: 2 } as const

/** A message between instances, with the owners of the client ids it carries, so every instance refuses the same forgeries. */
function envelope(instanceId: string, kind: number, payload: Uint8Array, owners: ReadonlyArray<[number, OwnerKey]> = []): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, instanceId)
  encoding.writeVarUint(encoder, kind)
  encoding.writeVarUint8Array(encoder, payload)
  encoding.writeVarUint(encoder, owners.length)
  for (const [client, owner] of owners) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarString(encoder, owner)
  }
  return encoding.toUint8Array(encoder)
}

function ownersOf(document: LiveDocument, clients: Iterable<number>): Array<[number, OwnerKey]> {
  return [...clients].flatMap((client): Array<[number, OwnerKey]> => {
    const owner = document.gate.clients.ownerKey(client)
    return owner ? [[client, owner]] : []
  })
}

/** The client ids an awareness update speaks for. */
function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update)
  const clients: number[] = []
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    clients.push(decoding.readVarUint(decoder))
    decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
  }
  return clients
}

/**
 * Keeps a document identical on every instance that holds it: each change
 * made here is published, each change published elsewhere is applied here
 * (and stored by the instance where it was made). A newly loaded copy
 * announces its state vector and the others answer with what it lacks.
 */
export function sharing({ fanout, instanceId = randomUUID(), logger }: { fanout: Fanout; instanceId?: string; logger: Logger }): Extension {
  const subscriptions = new Map<LiveDocument, () => void>()
  const remote: UpdateOrigin = { kind: 'remote', instanceId }
  const channel = (document: LiveDocument) => `hemicycle:doc:${document.name}`

  const receive = (document: LiveDocument, message: Uint8Array) => {
    const decoder = decoding.createDecoder(message)
    const from = decoding.readVarString(decoder)
    if (from === instanceId || document.doc.isDestroyed) return
    const kind = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    for (let count = decoding.readVarUint(decoder); count > 0; count--) {
      const client = decoding.readVarUint(decoder)
      document.gate.clients.adopt(client, decoding.readVarString(decoder) as OwnerKey)
    }
    if (kind === Kind.Update) Y.applyUpdate(document.doc, payload, remote)
    if (kind === Kind.Awareness) awarenessProtocol.applyAwarenessUpdate(document.awareness, payload, remote)
    if (kind === Kind.StateVector) {
      const missing = Y.encodeStateAsUpdate(document.doc, payload)
      fanout.publish(channel(document), envelope(instanceId, Kind.Update, missing, ownersOf(document, Y.parseUpdateMeta(missing).to.keys())))
    }
  }

  return {
    name: 'sharing',
    async afterLoadDocument({ document }) {
      subscriptions.set(
        document,
        fanout.subscribe(channel(document), (message) => {
          try {
            receive(document, message)
          } catch (error) {
            logger.error('a message from another instance could not be applied', { document: document.name, error })
          }
        }),
      )
      fanout.publish(channel(document), envelope(instanceId, Kind.StateVector, Y.encodeStateVector(document.doc)))
    },
    onChange({ document, update, origin }) {
      if (origin.kind === 'remote' || origin.kind === 'storage') return
      fanout.publish(channel(document), envelope(instanceId, Kind.Update, update, ownersOf(document, Y.parseUpdateMeta(update).to.keys())))
    },
    onAwarenessUpdate({ document, update, origin }) {
      if (origin.kind === 'remote') return
      fanout.publish(channel(document), envelope(instanceId, Kind.Awareness, update, ownersOf(document, awarenessClients(update))))
    },
    async onUnloadDocument({ document }) {
      subscriptions.get(document)?.()
      subscriptions.delete(document)
    },
  }
}
