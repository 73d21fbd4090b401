import type { Role } from '@hemicycle/protocol'
import { ROLE_NAMES } from '@hemicycle/rules'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { SESSION_COOKIE } from '../accounts/sessions.ts'
import type { AppEnv, Services } from './env.ts'
import { forbidden, unauthorized } from './errors.ts'

/** The token of a request: `Authorization: Bearer …` first, then the session cookie. */
export function tokenOf(c: Context): string | null {
  const header = c.req.header('authorization')
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
  return bearer ?? getCookie(c, SESSION_COOKIE) ?? null
}

/** Refuses the request with 401 unless it carries a valid session; sets `person`. */
export function requirePerson(services: Pick<Services, 'sessions'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await services.sessions.resolveSession(tokenOf(c))
    if (!session) throw unauthorized()
    c.set('person', session.person)
    c.set('sessionId', session.id)
    await next()
  }
}


/** Refuses with 403 unless the (already authenticated) person has one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get('person').role)) {
      throw forbidden(`Only ${roles.map((role) => ROLE_NAMES[role]).join(' or ')} may do this.`)
    }
    await next()
  }
}
