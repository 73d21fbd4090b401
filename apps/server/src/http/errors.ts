import { type ApiErrorBody, INVALID_CHARACTER } from '@hemicycle/protocol'
import { HTTPException } from 'hono/http-exception'
import { MAX_BLOCK_TEXT, MAX_DOCUMENT_TEXT } from '@hemicycle/schema'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * Every refusal the API gives: an HTTP status and the contract's JSON body
 * `{error: {code, message}}`. Thrown anywhere below a route; the app's error
 * handler turns it into the response.
 */
export class ApiError extends HTTPException {
  readonly code: string
  private readonly extraHeaders: Record<string, string>
  /** What the refusal names beside its sentence, for machines (the outstanding translations of a refused lock). */
  readonly details: Record<string, unknown>

  /** `headers` go out with the answer (Retry-After with a 429). */
  constructor(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}, details: Record<string, unknown> = {}) {
    super(status, { message })
    this.code = code
    this.extraHeaders = headers
    this.details = details
  }

  body(): ApiErrorBody {
    return { error: { ...this.details, code: this.code, message: this.message } }
  }

  override getResponse(): Response {
    // After a 413 the rest of the body is never read; the connection cannot carry another request.
    const headers: Record<string, string> = { ...this.extraHeaders, ...(this.status === 413 ? { connection: 'close' } : {}) }
    return Response.json(this.body(), { status: this.status, headers })
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message)

/** A body or query that failed its schema: 400 `invalid_request` naming the first problem, or the code the schema gave it (`invalid_character`). */
export function invalidRequest(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; params?: Record<string, unknown> }>): ApiError {
  const issue = issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : ''
  const code = issue?.params?.['code'] === INVALID_CHARACTER ? INVALID_CHARACTER : 'invalid_request'
  return badRequest(code, `${where}${issue?.message ?? 'the request is not valid'}`)
}
export const unauthorized = (message = 'Log in first: no valid session token was given.') => new ApiError(401, 'unauthorized', message)
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message)
export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `No ${what} has the id "${id}".`)
export const conflict = (code: string, message: string) => new ApiError(409, code, message)
export const tooLarge = (limitBytes: number) =>
  new ApiError(413, 'payload_too_large', `The request body is larger than the limit of ${Math.round(limitBytes / 1024)} KiB.`)
export const unprocessable = (code: string, message: string) => new ApiError(422, code, message)
/** A block's text would be longer than a block may hold (an import, an acceptance): `why` says which, naming its §. */
export const paragraphTooLong = (why: string, paragraph: number) =>
  new ApiError(422, 'paragraph_too_long', `${why}, more than the ${MAX_BLOCK_TEXT} characters a paragraph may hold.`, {}, { paragraph, limit: MAX_BLOCK_TEXT })
/** The whole text would be longer than a resolution may hold (an import, an acceptance): `why` says which. */
export const documentTooLong = (why: string, length: number) =>
  new ApiError(422, 'document_too_long', `${why}: ${length} characters, more than the ${MAX_DOCUMENT_TEXT} a resolution may hold.`, {}, { length, limit: MAX_DOCUMENT_TEXT })
