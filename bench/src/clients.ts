import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Protocol, Room } from './servers.ts'

/** A simulated person: a Y.Doc kept in sync with a server by the client a real integrator would use. */
export interface BenchClient {
  doc: Y.Doc
  awareness: Awareness
  synced: Promise<void>
  destroy(): void
}

/**
 * Connects to the room's `index`-th endpoint (modulo): several instances
 * share the clients in turn. Without `presence` the client shows no
 * presence (its awareness state is null), so it sends none and never
 * renews it.
 */
export function connect(protocol: Protocol, room: Room, index = 0, { doc = new Y.Doc(), presence = true }: { doc?: Y.Doc; presence?: boolean } = {}): BenchClient {
  const endpoint = room.endpoints[index % room.endpoints.length]!
  const awareness = new Awareness(doc)
  if (!presence) awareness.setLocalState(null)
  if (protocol === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url: endpoint.url, WebSocketPolyfill: WebSocket })
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: room.name, document: doc, awareness })
    provider.attach()
    const synced = new Promise<void>((resolve) => {
      if (provider.synced) resolve()
      provider.on('synced', () => resolve())
    })
    return {
      doc,
      awareness,
      synced,
      destroy() {
        provider.destroy()
        socket.destroy()
        doc.destroy()
      },
    }
  }
  const provider = new WebsocketProvider(endpoint.url, room.name, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: endpoint.params,
    disableBc: true,
    awareness,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.on('sync', (done: boolean) => done && resolve())
  })
  return {
    doc,
    awareness,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Connects clients number `from` to `to` - 1, `batch` at a time, each to the room's endpoints in turn. */
export async function connectMany(protocol: Protocol, room: Room, from: number, to: number, { batch = 50, presence = true } = {}): Promise<BenchClient[]> {
  const clients: BenchClient[] = []
  for (let start = from; start < to; start += batch) {
    const next = Array.from({ length: Math.min(batch, to - start) }, (_, offset) => connect(protocol, room, start + offset, { presence }))
    await Promise.all(next.map((client) => client.synced))
    clients.push(...next)
  }
  return clients
}
