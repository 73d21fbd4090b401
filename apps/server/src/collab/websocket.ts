import type { Socket as TcpSocket } from 'node:net'
import * as ws from 'ws'
import type { Socket } from './connection.ts'

/** ws's own framing (exported by ws, not described by @types/ws): the bytes ws.send writes for a message. */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] }
}
type WebSocket = ws.WebSocket

/**
 * Messages up to this size are framed once and shared by every receiver.
 * Larger ones (a whole document for a newcomer) are rare and go through ws
 * as they are, so they are never copied.
 */
const SHARED_FRAME_MAX_BYTES = 64 * 1024

/** A broadcast message framed as one unmasked, final binary frame (RFC 6455 §5.2), kept as long as the message itself. */
const frames = new WeakMap<Uint8Array, Buffer>()

function frameOf(data: Uint8Array): Buffer {
  let frame = frames.get(data)
  if (!frame) {
    // The header, then the payload unless it is empty.
    frame = Buffer.concat(Sender.frame(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }))
    frames.set(data, frame)
  }
  return frame
}

/** The parts of ws's own state that say a frame may go straight to the TCP socket: what ws.send would write next is exactly this frame. */
interface WsInternals {
  _socket?: TcpSocket
  _sender?: { _state?: number; _queue?: unknown[] }
}

/** ws's sender is idle (state DEFAULT, nothing queued) and no extension (compression) rewrites frames. */
function writesStraight(socket: WebSocket): TcpSocket | null {
  const { _socket: tcp, _sender: sender } = socket as unknown as WsInternals
  if (!tcp || socket.extensions !== '' || sender?._state !== 0 || sender._queue?.length !== 0) return null
  return tcp
}

/**
 * The socket a connection speaks through, over a ws WebSocket (Hono's
 * `WSContext.raw`). One change goes to hundreds of sockets in the same turn:
 * ws would frame each copy anew and write it in two pieces, which was most
 * of the server's time in a busy document. A shared message is framed once
 * and written to each socket in one call, byte for byte what ws.send would
 * have written. Whenever ws's own state could make that differ (a
 * compression extension, something queued, internals not as expected), it
 * falls back to ws.send.
 */
export function websocketOf(socket: WebSocket): Socket {
  return new WsSocket(socket)
}

/**
 * A class, not an object literal of getters and closures: every connection's socket then shares one shape, and
 * the fan-out's reads of `readyState` and `bufferedAmount` for hundreds of sockets in a turn stay monomorphic
 * (as literals, each socket had a shape of its own, and those reads were a tenth of a busy server's time).
 */
class WsSocket implements Socket {
  constructor(private readonly socket: WebSocket) {}

  get readyState(): number {
    return this.socket.readyState
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  send(data: Uint8Array): void {
    this.socket.send(data)
  }

  sendShared(data: Uint8Array): void {
    const tcp = data.byteLength <= SHARED_FRAME_MAX_BYTES && this.socket.readyState === ws.WebSocket.OPEN ? writesStraight(this.socket) : null
    if (tcp) tcp.write(frameOf(data))
    else this.socket.send(data)
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason)
  }

  terminate(): void {
    this.socket.terminate()
  }

  pause(): void {
    this.socket.pause()
  }

  resume(): void {
    this.socket.resume()
  }
}
