import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { ConfirmTranslation, LanguageEntry, NewLanguage, TranslationBlock, VersionChange } from '@hemicycle/protocol'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'

const LanguageParam = ResolutionIdParam.extend({ language: z.string().min(1).max(20).meta({ param: { name: 'language', in: 'path' } }) })
const BlockParam = LanguageParam.extend({ sourceId: z.string().min(1).max(100).meta({ param: { name: 'sourceId', in: 'path' } }) })

const refusals = {
  400: errorResponse('Malformed body'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Role not allowed'),
  404: errorResponse('Unknown resolution, version or block'),
  409: errorResponse('Not allowed at this stage, a version that exists already, an empty block to confirm, or a block changed since it was read (`changed_since_read`, with `changed` and the `block` as it now stands)'),
  422: errorResponse('A language outside the alliance’s three, or the original’s own'),
}

/**
 * Language versions (CONTRACT.md, "Language versions"): list them with how
 * many of their blocks are current, due or missing; add one; read a
 * version's blocks beside their sources; confirm a block.
 */
export function translationRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/resolutions/:id/languages', requirePerson(services))
  app.use('/resolutions/:id/languages/*', requirePerson(services))

  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/languages',
      summary: 'The resolution’s languages: its original (all current) and each version, with its blocks’ statuses and its hash at the lock',
      security: authenticated,
      request: { params: ResolutionIdParam },
      responses: { 200: jsonResponse(z.array(LanguageEntry), 'The original first, then the versions'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await services.translations.languages(c.req.valid('param').id), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/languages',
      summary: 'Add a version in another of the alliance’s languages (secretariat): one empty block per block of the original',
      security: authenticated,
      request: { params: ResolutionIdParam, body: { content: { 'application/json': { schema: NewLanguage } }, required: true } },
      responses: { 201: jsonResponse(LanguageEntry, 'The new version'), ...refusals },
    }),
    async (c) => c.json(await services.translations.create(c.req.valid('param').id, c.get('person'), c.req.valid('json').language), 201),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/resolutions/{id}/languages/{language}',
      summary: 'Give a version its title in its language (secretariat, translators); empty gives it the original’s again',
      security: authenticated,
      request: { params: LanguageParam, body: { content: { 'application/json': { schema: VersionChange } }, required: true } },
      responses: { 200: jsonResponse(LanguageEntry, 'The version'), ...refusals },
    }),
    async (c) => {
      const { id, language } = c.req.valid('param')
      return c.json(await services.translations.retitle(id, language, c.req.valid('json').title, c.get('person')), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/languages/{language}/blocks',
      summary: 'A version’s blocks in the order of the original, each with its status and, when due, the source’s change since it was last confirmed',
      security: authenticated,
      request: { params: LanguageParam },
      responses: { 200: jsonResponse(z.array(TranslationBlock), 'The blocks'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => {
      const { id, language } = c.req.valid('param')
      return c.json(await services.translations.blocks(id, language), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/languages/{language}/blocks/{sourceId}/confirm',
      summary: 'Confirm that a block’s translation matches its source as the original has it now (secretariat, translators)',
      description:
        'With `read` (the block’s `sourceDigest` and `translationDigest` as the translator read them), refused with 409 `changed_since_read` when either text now reads otherwise; without it, the block is confirmed as it stands.',
      security: authenticated,
      request: { params: BlockParam, body: { content: { 'application/json': { schema: ConfirmTranslation } }, required: false } },
      responses: { 200: jsonResponse(TranslationBlock, 'The block, now current'), ...refusals },
    }),
    async (c) => {
      const { id, language, sourceId } = c.req.valid('param')
      // No body at all is the contract's original confirmation, as is `{}`.
      const read = c.req.valid('json')?.read
      return c.json(await services.translations.confirm(id, language, sourceId, c.get('person'), read), 200)
    },
  )

  return app
}
