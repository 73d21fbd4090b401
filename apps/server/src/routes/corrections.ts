import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Amendment, DecisionReset, ObjectionReply, Resolution } from '@hemicycle/protocol'
import type { AppEnv, Services } from '../http/env.ts'
import { AmendmentIdParam, authenticated, errorResponse, jsonResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'
import { changeDeadline } from '../resolutions/deadlines.ts'
import { publicResolution } from '../resolutions/repository.ts'

const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })

const refusals = {
  400: errorResponse('Malformed body, or no reason'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Role not allowed'),
  404: errorResponse('Unknown id'),
  409: errorResponse('Not allowed at this stage or in this status, or the change cannot be taken back cleanly'),
}

/**
 * Correcting the record and keeping the procedure's dates: a decision reset,
 * an objection answered, the deadline set or extended.
 */
export function correctionRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/amendments/:aid/reset', requirePerson(services))
  app.use('/amendments/:aid/objection-reply', requirePerson(services))
  app.use('/amendments/:aid/late-typing-checked', requirePerson(services))
  app.use('/resolutions/:id/deadline', requirePerson(services))

  app.openapi(
    createRoute({
      method: 'post',
      path: '/amendments/{aid}/reset',
      summary: 'Take a decision back: the amendment is tabled again and its change to the text reverted (chairs, secretariat; until the lock)',
      description:
        'The revert is rebased onto the text as it stands: what others changed since is kept; if the same words were changed since, or a paragraph it touched is gone, nothing changes and the answer is 409 `reset_conflict`. An amendment merged into a compromise is reset through its compromise (409 `merged`).',
      security: authenticated,
      request: { params: AmendmentIdParam, ...json(DecisionReset) },
      responses: { 200: jsonResponse(Amendment, 'The amendment, tabled again'), ...refusals },
    }),
    async (c) => c.json(await services.amendments.reset(c.req.valid('param').aid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/amendments/{aid}/objection-reply',
      summary: 'Answer the tabling delegation’s objection to a modified or merged wording (chairs, secretariat)',
      description: 'An objection stays unanswered, and holds up the lock, until a chair or the secretariat replies here or the delegation changes its answer. A new answer from the delegation needs a new reply.',
      security: authenticated,
      request: { params: AmendmentIdParam, ...json(ObjectionReply) },
      responses: { 200: jsonResponse(Amendment, 'The amendment, with the reply'), ...refusals },
    }),
    async (c) => c.json(await services.amendments.replyToObjection(c.req.valid('param').aid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/amendments/{aid}/late-typing-checked',
      summary: 'Say that the paragraph of an acceptance typed over unseen reads as meant (chairs, secretariat, during consolidation)',
      description:
        'Typing by someone whose editor had not received an acceptance, in its words (`decision.lateTyping`), holds up the lock (409 `amendments_outstanding`, reason `lateTyping`) until a chair or the secretariat, having read the paragraph and corrected it if need be, says so here. Typing noted after that holds it up again. 409 `nothing_to_check` when there is none unchecked, `typed_again` when more was noted while this was sent.',
      security: authenticated,
      request: { params: AmendmentIdParam },
      responses: { 200: jsonResponse(Amendment, 'The amendment, with `decision.lateTypingChecked`'), ...refusals },
    }),
    async (c) => c.json(await services.amendments.checkLateTyping(c.req.valid('param').aid, c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/deadline',
      summary: 'Set or extend the deadline for amendments while they are open (secretariat)',
      security: authenticated,
      request: {
        params: ResolutionIdParam,
        ...json(z.strictObject({ deadline: z.string().max(40).meta({ description: 'ISO 8601 instant with its offset, in the future' }) })),
      },
      responses: { 200: jsonResponse(Resolution, 'The resolution with its new deadline'), ...refusals, 422: errorResponse('The deadline is not in the future') },
    }),
    async (c) => {
      const updated = await changeDeadline(services, c.req.valid('param').id, c.get('person'), c.req.valid('json').deadline)
      return c.json(publicResolution(updated, services.now()), 200)
    },
  )
  return app
}
