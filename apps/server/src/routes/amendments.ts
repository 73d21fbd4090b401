import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Amendment, AmendmentChange, AmendmentStatus, BulkAcceptance, BulkConfirmation, Decision, NewAmendment, NewCompromise, Preview, Response } from '@hemicycle/protocol'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse, AmendmentIdParam, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'

const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })

const refusals = {
  400: errorResponse('Malformed body'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Role not allowed'),
  404: errorResponse('Unknown id'),
  409: errorResponse('Not allowed at this stage or in this status, or conflicting'),
  413: errorResponse('Wording too long'),
  422: errorResponse('Well-formed but invalid (unknown block, no change, empty)'),
}

export function amendmentRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const amendments = () => services.amendments
  app.use('/resolutions/:id/amendments/*', requirePerson(services))
  app.use('/resolutions/:id/amendments', requirePerson(services))
  app.use('/resolutions/:id/compromises', requirePerson(services))
  app.use('/amendments/*', requirePerson(services))

  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/amendments',
      summary: 'Amendments of a resolution, in the order tabled',
      security: authenticated,
      request: {
        params: ResolutionIdParam,
        query: z.object({ status: AmendmentStatus.optional(), delegation: z.string().max(100).optional(), blockId: z.string().max(100).optional() }),
      },
      responses: { 200: jsonResponse(z.array(Amendment), 'Amendments'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await amendments().list(c.req.valid('param').id, c.req.valid('query')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/amendments',
      summary: 'Table an amendment for your delegation',
      description: '`text` is inline Markdown (**bold**, *italic*, blank lines between paragraphs for insertAfter); `blockId: null` inserts at the start.',
      security: authenticated,
      request: { params: ResolutionIdParam, ...json(NewAmendment) },
      responses: { 201: jsonResponse(Amendment, 'The amendment'), ...refusals },
    }),
    async (c) => c.json(await amendments().table(c.req.valid('param').id, c.get('person'), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/amendments/{aid}',
      summary: 'One amendment',
      security: authenticated,
      request: { params: AmendmentIdParam },
      responses: { 200: jsonResponse(Amendment, 'The amendment'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await amendments().get(c.req.valid('param').aid), 200),
  )

  app.openapi(createRoute({
      method: 'patch',
      path: '/amendments/{aid}',
      summary: 'Change your delegation’s tabled amendment',
      security: authenticated,
      request: { params: AmendmentIdParam, ...json(AmendmentChange) },
      responses: { 200: jsonResponse(Amendment, 'Change your delegation’s tabled amendment'), ...refusals },
    }), async (c) =>
    c.json(await amendments().edit(c.req.valid('param').aid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(createRoute({
      method: 'post',
      path: '/amendments/{aid}/withdraw',
      summary: 'Withdraw your delegation’s amendment',
      security: authenticated,
      request: { params: AmendmentIdParam },
      responses: { 200: jsonResponse(Amendment, 'Withdraw your delegation’s amendment'), ...refusals },
    }), async (c) =>
    c.json(await amendments().withdraw(c.req.valid('param').aid, c.get('person')), 200),
  )

  app.openapi(createRoute({
      method: 'post',
      path: '/amendments/{aid}/cosponsor',
      summary: 'Co-sponsor another delegation’s amendment',
      security: authenticated,
      request: { params: AmendmentIdParam },
      responses: { 200: jsonResponse(Amendment, 'Co-sponsor another delegation’s amendment'), ...refusals },
    }), async (c) =>
    c.json(await amendments().cosponsor(c.req.valid('param').aid, c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/amendments/{aid}/preview',
      summary: 'The amendment rebased on the current text: what accepting would write',
      security: authenticated,
      request: { params: AmendmentIdParam },
      responses: { 200: jsonResponse(Preview, 'The amendment rebased on the current text: what accepting would write'), ...refusals },
    }),
    async (c) => c.json(await amendments().preview(c.req.valid('param').aid), 200),
  )

  app.openapi(createRoute({
      method: 'post',
      path: '/amendments/{aid}/decision',
      summary: 'Accept, accept as modified, or reject (chairs, secretariat)',
      security: authenticated,
      request: { params: AmendmentIdParam, ...json(Decision) },
      responses: { 200: jsonResponse(Amendment, 'Accept, accept as modified, or reject (chairs, secretariat)'), ...refusals },
    }), async (c) =>
    c.json(await amendments().decide(c.req.valid('param').aid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/amendments/{aid}/response',
      summary: 'The tabling delegation agrees or objects to a modified or merged wording',
      security: authenticated,
      request: { params: AmendmentIdParam, ...json(Response) },
      responses: { 200: jsonResponse(Amendment, 'The tabling delegation agrees or objects to a modified or merged wording'), ...refusals },
    }),
    async (c) => c.json(await amendments().respond(c.req.valid('param').aid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/compromises',
      summary: 'Merge amendments on one paragraph into a compromise (chairs, secretariat)',
      security: authenticated,
      request: { params: ResolutionIdParam, ...json(NewCompromise) },
      responses: { 201: jsonResponse(Amendment, 'Merge amendments on one paragraph into a compromise (chairs, secretariat)'), ...refusals },
    }),
    async (c) => c.json(await amendments().compromise(c.req.valid('param').id, c.get('person'), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/amendments/accept-non-colliding',
      summary: 'Accept every tabled amendment that applies cleanly and collides with no other',
      description: 'With `dryRun=1`, nothing is decided: the answer says which would be accepted and which skipped, for the chair to confirm.',
      security: authenticated,
      request: {
        params: ResolutionIdParam,
        query: z.object({ dryRun: z.enum(['0', '1']).optional() }),
        // The dry run's list, confirmed: without it, what was acceptable when the chair clicked was accepted, which may not be what was shown.
        body: { content: { 'application/json': { schema: BulkConfirmation } }, required: false },
      },
      responses: { 200: jsonResponse(BulkAcceptance, 'Accept every tabled amendment that applies cleanly and collides with no other'), ...refusals },
    }),
    async (c) =>
      c.json(await amendments().acceptNonColliding(c.req.valid('param').id, c.get('person'), { dryRun: c.req.valid('query').dryRun === '1', only: c.req.valid('json')?.ids }), 200),
  )

  return app
}
