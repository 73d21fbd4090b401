import { ApiErrorBody } from '@hemicycle/protocol'
import type { z } from 'zod'
import { fetchTimed } from '../serverClock.ts'

/** A refusal from the API, with the contract's stable code; status 0 when the server could not be reached. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The fields the refusal carries beside its code and message (e.g. the outstanding amendments). */
    readonly detail: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
  }
}

/**
 * Calls the JSON API with the session cookie, and checks the answer against
 * the shared schema: a server that answers something else is a bug to see
 * at once, not data to render.
 */
export async function api<T extends z.ZodType>(
  path: string,
  schema: T,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<z.infer<T>> {
  let response: Response
  try {
    response = await fetchTimed(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      // A form (a file upload) sets its own multipart content type.
      headers: init.body === undefined || init.body instanceof FormData ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? null : init.body instanceof FormData ? init.body : JSON.stringify(init.body),
      signal: init.signal ?? null,
    })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new HttpError(0, 'unreachable', 'The server cannot be reached.')
  }
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) {
    const error = ApiErrorBody.safeParse(payload)
    throw error.success
      ? new HttpError(response.status, error.data.error.code, error.data.error.message, (payload as { error: Record<string, unknown> }).error)
      : new HttpError(response.status, 'error', `The server answered ${response.status}.`)
  }
  return schema.parse(payload)
}
