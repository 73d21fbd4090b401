import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { LoginRequest, LoginResponse, Person } from '@hemicycle/protocol'
import { deleteCookie, setCookie } from 'hono/cookie'
import { DUMMY_HASH, verifyPassword } from '../accounts/passwords.ts'
import { findCredentials } from '../accounts/people.ts'
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
    429: errorResponse('Too many failed attempts for this username'),
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

export function sessionRoutes(services: Services) {
  const throttle = new LoginThrottle(services.now)
  const app = new OpenAPIHono<AppEnv>()

  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json')
    const key = username.trim().toLowerCase()
    const wait = throttle.retryAfter(key)
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      throw new ApiError(429, 'too_many_attempts', `Too many failed logins for this username; try again in ${Math.ceil(wait / 60)} minutes.`)
    }
    const found = await findCredentials(services.db, key)
    // The hash is checked even for an unknown username, so the answer's timing does not reveal which usernames exist.
    const valid = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH)
    if (!found || !valid) {
      throttle.failed(key)
      throw new ApiError(401, 'invalid_credentials', 'The username or the password is wrong.')
    }
    throttle.succeeded(key)
    const token = await services.sessions.open(found.person.id)
    await audit(services.db, { person: found.person, action: 'login' })
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/' })
    return c.json({ token, person: found.person }, 200)
  })

  app.openapi(logout, async (c) => {
    const token = tokenOf(c)
    const person = await services.sessions.resolve(token)
    if (token && person) {
      await services.sessions.close(token)
      await audit(services.db, { person, action: 'logout' })
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  app.use('/me', requirePerson(services))
  app.openapi(me, (c) => {
    return c.json(c.get('person'), 200)
  })

  return app
}
