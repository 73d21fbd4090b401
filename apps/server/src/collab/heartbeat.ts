import { WebSocket, type WebSocketServer } from 'ws'

/** What ws's TCP socket has read (ws keeps it as `_socket`, as `websocket.ts` reads it); undefined if ws changed, and then only pongs count. */
function bytesRead(socket: WebSocket): number | undefined {
  return (socket as unknown as { _socket?: { bytesRead?: number } })._socket?.bytesRead
}

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
 * Every `everyMs` each open socket is pinged; one that has neither answered
 * the previous ping nor sent a byte since is ended, so a dead socket goes
 * within two periods. Browsers and ws answer pings by themselves, whatever
 * the page is doing, but a pong leaves behind what the client is already
 * sending: a large change up a slow link (a paste, what was typed offline)
 * may take longer than a period, and bytes arriving show the client is
 * there.
 *
 * A ping also arrives behind what the server is already sending, a whole
 * document to a newcomer on a slow link: that must cross within a period
 * or two, which y-websocket asks of any message anyway (it reconnects after
 * 30 s without one).
 */
export function heartbeat(sockets: WebSocketServer, everyMs: number, onDead: (socket: WebSocket) => void = () => {}): Heartbeat {
  /** For each socket with a ping unanswered, the bytes read from it when it was pinged. */
  const unanswered = new WeakMap<WebSocket, number | undefined>()
  const listen = (socket: WebSocket) => socket.on('pong', () => unanswered.delete(socket))
  sockets.on('connection', listen)
  const timer = setInterval(() => {
    for (const socket of sockets.clients) {
      if (socket.readyState !== WebSocket.OPEN) continue
      if (unanswered.has(socket) && bytesRead(socket) === unanswered.get(socket)) {
        onDead(socket)
        socket.terminate()
        continue
      }
      unanswered.set(socket, bytesRead(socket))
      socket.ping()
    }
  }, everyMs)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      sockets.off('connection', listen)
    },
  }
}
