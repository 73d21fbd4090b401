import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ApiErrorBody } from '@hemicycle/protocol'

/** What a request Node's HTTP parser refused, before any route saw it, is answered. */
interface ParserRefusal {
  status: number
  reason: string
  body: ApiErrorBody
}

/**
 * The answer to a parser error, or null when there is no one to answer (the
 * client went away). Node's own answer is a bare status line; a script that
 * sent a 20 KB query string deserves the contract's JSON saying why.
 */
function parserRefusal(code: string | undefined): ParserRefusal | null {
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        body: {
          error: {
            code: 'headers_too_large',
            message: 'The address and headers of the request are over 16 KB together; send long values in a request body.',
          },
        },
      }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', body: { error: { code: 'request_timeout', message: 'The request did not arrive in full in time.' } } }
    default:
      return { status: 400, reason: 'Bad Request', body: { error: { code: 'malformed_request', message: 'The request is not well-formed HTTP.' } } }
  }
}

/** The whole HTTP response for a refusal, written straight to the socket: there is no response object yet. */
function refusalResponse({ status, reason, body }: ParserRefusal): string {
  const json = JSON.stringify(body)
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(json)}`,
    'x-content-type-options: nosniff',
    'connection: close',
    '',
    json,
  ].join('\r\n')
}

/** Answers parser errors in the contract's shape instead of Node's bare status line, then closes the socket. */
export function answerParserErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const refusal = parserRefusal(error.code)
    // While an earlier request on this connection (pipelined) is being answered, whatever is
    // written next is read as that request's answer: a refusal would tell the client a request
    // that took effect was malformed. Closing leaves its outcome unknown, as it is.
    const inFlight = (socket as Duplex & { _httpMessage?: unknown })._httpMessage
    if (refusal && socket.writable && !inFlight) socket.end(refusalResponse(refusal), () => socket.destroy())
    else socket.destroy()
  })
}
