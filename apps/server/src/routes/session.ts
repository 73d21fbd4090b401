import { randomBytes } from 'node:crypto'
import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { getConnInfo } from '@hono/node-server/conninfo'
import { LoginRequest, LoginResponse, Person } from '@hemicycle/protocol'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { findCredentials, replacePasswordHash } from '../accounts/people.ts'
import { SESSION_COOKIE } from '../accounts/sessions.ts'
import { audit } from '../audit.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { LoginThrottle } from '../http/loginThrottle.ts'
import { authenticated, errorResponse, jsonResponse } from '../http/openapi.ts'
import { requirePerson, tokenOf } from '../http/session.ts'

const login = createRoute({
  method: 'post',
  path: '/login',
  summary: 'Log in with a username and password',
  description: 'Sets the `hemicycle_session` cookie and returns the same token for `Authorization: Bearer` and the websocket `?token=`.',
  request: { body: { content: { 'application/json': { schema: LoginRequest } }, required: true } },
  responses: {
    200: jsonResponse(LoginResponse, 'Logged in'),
    400: errorResponse('Malformed body'),
    401: errorResponse('Wrong username or password'),
    429: errorResponse('Too many failed attempts from this address (for this username, or across usernames); see Retry-After'),
  },
})

const logout = createRoute({
  method: 'post',
  path: '/logout',
  summary: 'End the current session',
  security: authenticated,
  responses: { 204: { description: 'Logged out' } },
})

const me = createRoute({
  method: 'get',
  path: '/me',
  summary: 'The person logged in',
  security: authenticated,
  responses: { 200: jsonResponse(Person, 'The person'), 401: errorResponse('Not logged in') },
})

/** Remembers a browser that logged in, so its owner is not refused for failures others made from the same address. */
const DEVICE_COOKIE = 'hemicycle_device'
const DEVICE_ID = /^[A-Za-z0-9_-]{22,64}$/

export interface SessionRouteOptions {
  /** Cookies are `Secure` when Hemicycle is served over https. */
  secureCookies: boolean
  /** Behind a reverse proxy, the client address is the last one it adds to X-Forwarded-For. */
  trustProxy: boolean
}

/** The address a request came from, as the throttle counts it. */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // In-process requests (app.request) have no socket.
    return 'unknown'
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function sessionRoutes(services: Services, { secureCookies, trustProxy }: SessionRouteOptions) {
  const throttle = new LoginThrottle({ now: services.now })
  const app = new OpenAPIHono<AppEnv>()

  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json')
    const key = username.trim().toLowerCase()
    const sentDevice = getCookie(c, DEVICE_COOKIE) ?? null
    const attempt = { username: key, address: clientAddress(c, trustProxy), device: sentDevice && DEVICE_ID.test(sentDevice) ? sentDevice : null }
    const verdict = throttle.check(attempt)
    if (verdict.refused) {
      throw new ApiError(429, 'too_many_attempts', `Too many failed logins from this address; try again in ${verdict.retryAfterSeconds} seconds.`, {
        'Retry-After': String(verdict.retryAfterSeconds),
      })
    }
    // Counted as a failure before the password is checked (taken back if it is right), so guesses sent at once are refused as those sent one by one.
    const takeBack = throttle.failed(attempt)
    if (verdict.delayMs > 0) await sleep(verdict.delayMs)
    const found = await findCredentials(services.db, key)
    // The hash is checked even for an unknown username, so the answer's timing does not reveal which usernames exist.
    const valid = await services.passwords.verify(password, found?.passwordHash)
    const wrong = () => new ApiError(401, 'invalid_credentials', 'The username or the password is wrong.')
    if (!found || !valid) throw wrong()
    // Null when the password was reset, or the account deactivated, while it was being checked: the password checked is no longer the account's.
    const token = await services.sessions.open(found.person.id, found.passwordHash)
    if (!token) throw wrong()
    takeBack()
    if (services.passwords.outdated(found.passwordHash)) {
      // Made at another cost than PASSWORD_COST: hashed again now that the password is known. A failure costs nothing
      // but this account's timing until its next login, which tries again.
      await services.passwords
        .hash(password)
        .then((hash) => replacePasswordHash(services.db, found.person.id, found.passwordHash, hash))
        .catch(() => undefined)
    }
    const device = attempt.device ?? randomBytes(24).toString('base64url')
    throttle.succeeded({ ...attempt, device })
    await audit(services.db, { person: found.person, action: 'login' })
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secureCookies })
    setCookie(c, DEVICE_COOKIE, device, { httpOnly: true, sameSite: 'Strict', path: '/api/login', secure: secureCookies, maxAge: 365 * 24 * 60 * 60 })
    return c.json({ token, person: found.person }, 200)
  })

  app.openapi(logout, async (c) => {
    const token = tokenOf(c)
    const session = await services.sessions.resolveSession(token)
    if (token && session) {
      await services.sessions.close(token)
      services.sessionWatch.ended(session.id, 'logout')
      await audit(services.db, { person: session.person, action: 'logout' })
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies })
    return c.body(null, 204)
  })

  app.use('/me', requirePerson(services))
  app.openapi(me, (c) => {
    return c.json(c.get('person'), 200)
  })

  return app
}
