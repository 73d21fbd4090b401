import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Protocol, Room } from './servers.ts'

/** A simulated person: a Y.Doc kept in sync with a server by the client a real integrator would use. */
export interface BenchClient {
  doc: Y.Doc
  synced: Promise<void>
  destroy(): void
}

/** Connects to the room's `index`-th endpoint (modulo): several instances share the clients in turn. */
export function connect(protocol: Protocol, room: Room, index = 0, doc = new Y.Doc()): BenchClient {
  const endpoint = room.endpoints[index % room.endpoints.length]!
  if (protocol === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url: endpoint.url, WebSocketPolyfill: WebSocket })
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: room.name, document: doc })
    provider.attach()
    const synced = new Promise<void>((resolve) => {
      if (provider.synced) resolve()
      provider.on('synced', () => resolve())
    })
    return {
      doc,
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
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.on('sync', (done: boolean) => done && resolve())
  })
  return {
    doc,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}
