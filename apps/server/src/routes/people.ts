import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Account, AccountChange, Delegation, DelegationChange, NewAccount, NewDelegation, PasswordChange } from '@hemicycle/protocol'
import { changeAccount, changeDelegation, createAccount, createDelegation, removeDelegation, setPassword } from '../accounts/administration.ts'
import { listAccounts, listDelegations } from '../accounts/people.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse } from '../http/openapi.ts'
import { requirePerson, requireRole } from '../http/session.ts'

const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })
const PersonIdParam = z.object({ pid: z.string().min(1).max(100).meta({ param: { name: 'pid', in: 'path' } }) })

const DelegationIdParam = z.object({ did: z.string().min(1).max(100).meta({ param: { name: 'did', in: 'path' } }) })

const refusals = {
  400: errorResponse('Malformed body'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Not the secretariat'),
}

const people = createRoute({
  method: 'get',
  path: '/people',
  summary: 'Everyone with an account, deactivated ones included (secretariat only)',
  security: authenticated,
  responses: {
    200: jsonResponse(z.array(Account), 'People, by delegation'),
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
  app.use('/people/*', requirePerson(services), requireRole('secretariat'))
  app.openapi(people, async (c) => c.json(await listAccounts(services.db), 200))

  app.openapi(
    createRoute({
      method: 'post',
      path: '/people',
      summary: 'Create an account with a role, a delegation and a first password (secretariat only)',
      security: authenticated,
      request: json(NewAccount),
      responses: {
        201: jsonResponse(Account, 'The account, active'),
        ...refusals,
        404: errorResponse('Unknown delegation'),
        409: errorResponse('`username_taken`'),
        422: errorResponse('`delegation_required`, `delegation_not_allowed`, `password_too_short`, `password_too_long`'),
      },
    }),
    async (c) => c.json(await createAccount(services, c.get('person'), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/people/{pid}',
      summary: 'Change a name, role, delegation or gender, deactivate or reactivate an account (secretariat only)',
      description: 'Deactivating ends the person’s sessions at once (their sockets and event streams close) and refuses their logins; their history stays.',
      security: authenticated,
      request: { params: PersonIdParam, ...json(AccountChange) },
      responses: {
        200: jsonResponse(Account, 'The account as changed'),
        ...refusals,
        404: errorResponse('Unknown person or delegation'),
        409: errorResponse('`own_account` (yourself), `last_secretariat`'),
        422: errorResponse('`delegation_required`, `delegation_not_allowed`'),
      },
    }),
    async (c) => {
      const account = await changeAccount(services, c.get('person'), c.req.valid('param').pid, c.req.valid('json'))
      // Open meeting rooms show the account as it now reads.
      await services.meetings.personChanged(account.id)
      return c.json(account, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/people/{pid}/password',
      summary: 'Set or reset a person’s password (secretariat only)',
      description: 'The person’s other sessions end.',
      security: authenticated,
      request: { params: PersonIdParam, ...json(PasswordChange) },
      responses: {
        204: { description: 'Set' },
        ...refusals,
        404: errorResponse('Unknown person'),
        422: errorResponse('`password_too_short`, `password_too_long`'),
      },
    }),
    async (c) => {
      await setPassword(services, c.get('person'), c.req.valid('param').pid, c.req.valid('json').password, c.get('sessionId'))
      return c.body(null, 204)
    },
  )

  app.use('/delegations', requirePerson(services))
  app.openapi(delegations, async (c) => c.json(await listDelegations(services.db), 200))

  app.openapi(
    createRoute({
      method: 'post',
      path: '/delegations',
      summary: 'Add a member party’s delegation (secretariat only)',
      security: authenticated,
      request: json(NewDelegation),
      responses: { 201: jsonResponse(Delegation, 'The delegation'), ...refusals, 409: errorResponse('`delegation_exists`') },
    }),
    async (c) => c.json(await createDelegation(services, c.get('person'), c.req.valid('json')), 201),
  )

  app.use('/delegations/*', requirePerson(services), requireRole('secretariat'))
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/delegations/{did}',
      summary: 'Rename a delegation’s party or country (secretariat only)',
      security: authenticated,
      request: { params: DelegationIdParam, ...json(DelegationChange) },
      responses: { 200: jsonResponse(Delegation, 'The delegation'), ...refusals, 404: errorResponse('No such delegation'), 409: errorResponse('`delegation_exists`') },
    }),
    async (c) => {
      const delegation = await changeDelegation(services, c.get('person'), c.req.valid('param').did, c.req.valid('json'))
      // Open meeting rooms show the delegation as it is now named.
      await services.meetings.delegationChanged(delegation.id)
      return c.json(delegation, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/delegations/{did}',
      summary: 'Remove a delegation made by mistake (secretariat only)',
      description: 'Refused with 409 `delegation_in_use` while the delegation has people or amendments, or appears anywhere in the record (co-signatures, rolls, ballots, audit log, edits, notifications); `uses` says where.',
      security: authenticated,
      request: { params: DelegationIdParam },
      responses: { 204: { description: 'Removed' }, ...refusals, 404: errorResponse('No such delegation'), 409: errorResponse('`delegation_in_use`') },
    }),
    async (c) => {
      await removeDelegation(services, c.get('person'), c.req.valid('param').did)
      return c.body(null, 204)
    },
  )
  return app
}
