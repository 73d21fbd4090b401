import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from './errors.ts'

/** Methods that only read: a page of another origin may make them, and learns nothing it could not see (CORS). */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether a browser sent this request from a page of another origin. The
 * origin is the public URL's when one is configured, otherwise the host
 * the request was addressed to. Requests without an Origin header (scripts,
 * stock y-websocket clients, the CLI) are not a browser page's, unless
 * Sec-Fetch-Site says otherwise.
 */
export function fromForeignOrigin(c: Context, publicOrigin: string | null): boolean {
  const origin = c.req.header('origin')
  if (origin === undefined) return c.req.header('sec-fetch-site') === 'cross-site'
  let parsed: URL
  try {
    parsed = new URL(origin)
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not this site.
    return true
  }
  return publicOrigin ? parsed.origin !== publicOrigin : parsed.host !== c.req.header('host')
}

/**
 * State-changing requests and websocket upgrades from a page of another
 * origin are refused (403 `foreign_origin`): the browser would send the
 * session cookie along, so any site could otherwise act as the person
 * logged in.
 */
export function sameOrigin({ publicOrigin }: { publicOrigin: string | null }): MiddlewareHandler {
  return async (c, next) => {
    const changes = !SAFE.has(c.req.method) || c.req.header('upgrade')?.toLowerCase() === 'websocket'
    if (changes && fromForeignOrigin(c, publicOrigin)) {
      throw new ApiError(403, 'foreign_origin', 'Requests that change something must come from Hemicycle’s own pages.')
    }
    await next()
  }
}
