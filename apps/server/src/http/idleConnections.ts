import type { Server } from 'node:http'

/**
 * How long a keep-alive connection may sit idle before the server closes it: longer than the proxies that usually
 * stand in front of it keep theirs (nginx and most cloud balancers: 60 s). Node's own 5 s closes a connection the
 * proxy still holds, and a request it sends just then is lost as a reset (a 502 for the person). A client that sees
 * Node's `Keep-Alive: timeout` header (fetch does) closes first by itself.
 */
export const IDLE_CONNECTION_MS = 65_000

export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_MS
  // Above the idle time, so that a request arriving on a connection that waited is not timed out as slow headers.
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000
}
