import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Delegation, Person } from '@hemicycle/protocol'
import { listDelegations, listPeople } from '../accounts/people.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse } from '../http/openapi.ts'
import { requirePerson, requireRole } from '../http/session.ts'

const people = createRoute({
  method: 'get',
  path: '/people',
  summary: 'Everyone with an account (secretariat only)',
  security: authenticated,
  responses: {
    200: jsonResponse(z.array(Person), 'People, by delegation'),
    401: errorResponse('Not logged in'),
    403: errorResponse('Not the secretariat'),
  },
})

const delegations = createRoute({
  method: 'get',
  path: '/delegations',
  summary: 'The member parties’ delegations',
  security: authenticated,
  responses: { 200: jsonResponse(z.array(Delegation), 'Delegations'), 401: errorResponse('Not logged in') },
})

export function peopleRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/people', requirePerson(services), requireRole('secretariat'))
  app.openapi(people, async (c) => c.json(await listPeople(services.db), 200))
  app.use('/delegations', requirePerson(services))
  app.openapi(delegations, async (c) => c.json(await listDelegations(services.db), 200))
  return app
}
