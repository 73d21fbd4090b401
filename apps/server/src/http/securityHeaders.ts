import type { MiddlewareHandler } from 'hono'

/**
 * The web app: its own scripts only; inline styles because the editor draws
 * other people's carets and selections with style attributes; connections
 * (API, websocket) to its own origin; never inside a frame.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** API answers and exports: nothing in them runs, even when a browser opens an exported HTML page. */
const API_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"

/** Security headers on every page, API answer and export; API answers are not to be stored by caches. */
export function securityHeaders({ https }: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next()
    // A websocket upgrade answers with 101, which carries no page.
    if (c.req.header('upgrade')?.toLowerCase() === 'websocket') return
    const api = c.req.path.startsWith('/api/')
    c.header('Content-Security-Policy', api ? API_POLICY : PAGE_POLICY)
    // A delegation's drafts and decisions are kept by no cache on the way, and the page reads the server's clock from
    // each answer's Date header (serverClock in the web app): an answer from a cache would carry an old one.
    if (api && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
    if (https) c.header('Strict-Transport-Security', 'max-age=31536000')
  }
}
