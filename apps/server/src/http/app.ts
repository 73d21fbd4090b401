import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { amendmentRoutes } from '../routes/amendments.ts'
import { collabRoutes } from '../routes/collab.ts'
import { correctionRoutes } from '../routes/corrections.ts'
import { documentRoutes } from '../routes/documents.ts'
import { eventRoutes } from '../routes/events.ts'
import { meetingRoutes } from '../routes/meetings.ts'
import { notificationRoutes } from '../routes/notifications.ts'
import { procedureRoutes } from '../routes/procedure.ts'
import { peopleRoutes } from '../routes/people.ts'
import { resolutionRoutes } from '../routes/resolutions.ts'
import { sessionRoutes } from '../routes/session.ts'
import { translationRoutes } from '../routes/translations.ts'
import type { AppEnv, Services } from './env.ts'
import { ApiError, invalidRequest, tooLarge } from './errors.ts'
import { refuseNul } from './nulGuard.ts'
import { sameOrigin } from './sameOrigin.ts'
import { securityHeaders } from './securityHeaders.ts'
import type { Logger } from '../logger.ts'

/** JSON bodies larger than this are refused with 413 (file imports have their own limit). */
export const JSON_LIMIT_BYTES = 256 * 1024

const CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
}

function errorResponse(error: Error, c: Context, logger: Logger): Response {
  const [response, code] = refusalOf(error, c, logger)
  // A refused websocket upgrade goes out without its body (@hono/node-server writes the status and headers only): the code travels in a header.
  if (c.req.header('upgrade')?.toLowerCase() === 'websocket') response.headers.set('x-error-code', code)
  return response
}

function refusalOf(error: Error, c: Context, logger: Logger): [Response, string] {
  if (error instanceof ApiError) return [error.getResponse(), error.code]
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode
    const code = /malformed json/i.test(error.message) ? 'malformed_json' : (CODES[status] ?? 'error')
    return [c.json({ error: { code, message: error.message || 'The request was refused.' } }, status), code]
  }
  logger.error('unhandled error', { path: c.req.path, error })
  return [c.json({ error: { code: 'internal_error', message: 'Something went wrong on the server; nothing was changed.' } }, 500), 'internal_error']
}

export interface AppOptions {
  /** The built web client (apps/web/dist), served at `/`; null to serve the API only. */
  webRoot: string | null
  logger: Logger
  /** Where people reach Hemicycle (PUBLIC_URL): its origin is the only one allowed to change things; https makes cookies Secure. */
  publicUrl: string | null
  /** Behind a reverse proxy: the client address comes from X-Forwarded-For. */
  trustProxy: boolean
  /** Websockets one session may hold open here (MAX_SOCKETS_PER_SESSION). */
  maxSocketsPerSession: number
}

export function createApp(services: Services, { webRoot, logger, publicUrl, trustProxy, maxSocketsPerSession }: AppOptions) {
  const https = publicUrl?.startsWith('https:') ?? false
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues)
    },
  })

  app.onError((error, c) => errorResponse(error, c, logger))
  app.use('*', securityHeaders({ https }))

  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    // The path only: query strings may carry a session token and are never logged.
    logger.debug('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) })
  })

  const jsonLimit = bodyLimit({
    maxSize: JSON_LIMIT_BYTES,
    onError: () => {
      throw tooLarge(JSON_LIMIT_BYTES)
    },
  })
  app.use('/api/*', (c, next) => (c.req.path === '/api/resolutions/import' ? next() : jsonLimit(c, next)))
  app.use('*', sameOrigin({ publicOrigin: publicUrl ? new URL(publicUrl).origin : null }))
  app.use('/api/*', refuseNul())

  app.get('/api/health', (c) => c.json({ ok: true, database: services.db.kind }))
  app.route('/api', sessionRoutes(services, { secureCookies: https, trustProxy }))
  app.route('/api', peopleRoutes(services))
  app.route('/api', resolutionRoutes(services))
  app.route('/api', amendmentRoutes(services))
  app.route('/api', procedureRoutes(services))
  app.route('/api', eventRoutes(services))
  app.route('/api', documentRoutes(services))
  app.route('/api', meetingRoutes(services))
  app.route('/api', translationRoutes(services))
  app.route('/api', correctionRoutes(services))
  app.route('/api', notificationRoutes(services))
  app.route('/', collabRoutes(services, logger, maxSocketsPerSession))

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', { type: 'apiKey', in: 'cookie', name: 'hemicycle_session' })
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Hemicycle', version: '1', description: 'Drafting, amending and adopting resolutions. Errors: {"error": {"code", "message"}}.' },
    servers: [{ url: '/' }],
  })

  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `No API route ${c.req.method} ${c.req.path}.` } }, 404))

  if (webRoot && existsSync(join(webRoot, 'index.html'))) {
    app.use(
      '/assets/*',
      serveStatic({
        root: webRoot,
        onFound: (_path, c) => {
          // Vite names assets by content hash: they never change.
          c.header('Cache-Control', 'public, max-age=31536000, immutable')
        },
      }),
    )
    app.use('*', serveStatic({ root: webRoot }))
    // Every other path is a page of the single-page app.
    app.get('*', serveStatic({ root: webRoot, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }))
  }

  return app
}
