import { WebSocket } from 'ws'

export interface Heartbeat {
  stop(): void
}

/**
 * Ends the sockets whose other end went away without closing them (a laptop
 * lid shut, a train in a tunnel, a changed network). Until TCP gives up,
 * which takes minutes to hours, the server would otherwise keep such a
 * socket, and with it the person's client id and presence: others see a
 * caret that is not there, and the person's tab, back on a new socket,
 * shares its id with a ghost.
 *
 * Every `everyMs` each open socket is pinged; one that has not answered the
 * previous ping is ended, so a dead socket goes within two periods. Browsers
 * and ws answer pings by themselves, whatever the page is doing.
 */
export function heartbeat(sockets: { readonly clients: Set<WebSocket> }, everyMs: number, onDead: (socket: WebSocket) => void = () => {}): Heartbeat {
  const awaiting = new WeakSet<WebSocket>()
  const listening = new WeakSet<WebSocket>()
  const timer = setInterval(() => {
    for (const socket of sockets.clients) {
      if (socket.readyState !== WebSocket.OPEN) continue
      if (awaiting.has(socket)) {
        onDead(socket)
        socket.terminate()
        continue
      }
      if (!listening.has(socket)) {
        listening.add(socket)
        socket.on('pong', () => awaiting.delete(socket))
      }
      awaiting.add(socket)
      socket.ping()
    }
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
