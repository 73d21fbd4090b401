import { z } from '@hono/zod-openapi'
import { ApiErrorBody } from '@hemicycle/protocol'

/** Response entries shared by the route definitions. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ApiErrorBody } },
})

export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

export const authenticated: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }]

/** Path parameters shared by the routes: a resolution's id, an amendment's id. */
export const ResolutionIdParam = z.object({ id: z.string().min(1).max(100).meta({ param: { name: 'id', in: 'path' } }) })
export const AmendmentIdParam = z.object({ aid: z.string().min(1).max(100).meta({ param: { name: 'aid', in: 'path' } }) })
