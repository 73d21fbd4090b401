import type { MiddlewareHandler } from 'hono'
import { badRequest } from './errors.ts'

/** Whether a parsed JSON value holds NUL in any string or key, looked at without recursion. */
export function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const current = stack.pop()
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item)
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return true
        stack.push(item)
      }
    }
  }
  return false
}

/**
 * NUL has no place in anything Hemicycle keeps (PostgreSQL text cannot
 * hold it, and no wording needs it): a request with one in its address or
 * its JSON body is refused with 400 `invalid_character` before any route
 * sees it.
 */
export function refuseNul(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.includes('\u0000') || /%00/i.test(c.req.url)) throw badRequest('invalid_character', 'The address holds a NUL character.')
    if (c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        // Malformed or too large: the route's own validation says so.
        return next()
      }
      if (holdsNul(body)) throw badRequest('invalid_character', 'The request holds a NUL character.')
    }
    await next()
  }
}
