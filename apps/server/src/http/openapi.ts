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
