import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Notification, type NotificationEvent, NotificationsRead } from '@hemicycle/protocol'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'

/** `GET /api/notifications`, marking them read, and their live stream. */
export function notificationRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/notifications', requirePerson(services))
  app.use('/notifications/*', requirePerson(services))

  app.openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      summary: 'Your latest notifications, newest first',
      security: authenticated,
      responses: { 200: jsonResponse(z.array(Notification), 'Notifications'), 401: errorResponse('Not logged in') },
    }),
    async (c) => c.json(await services.notifications.list(c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/read',
      summary: 'Mark notifications read: these ids, or all',
      security: authenticated,
      request: { body: { content: { 'application/json': { schema: NotificationsRead } }, required: true } },
      responses: { 204: { description: 'Marked' }, 400: errorResponse('Malformed body'), 401: errorResponse('Not logged in') },
    }),
    async (c) => {
      await services.notifications.markRead(c.get('person'), c.req.valid('json'))
      return c.body(null, 204)
    },
  )

  // Server-sent events: `notification`, as each one meant for you is sent.
  app.get('/notifications/events', (c) =>
    services.streams.open<NotificationEvent>(c, [], (push) => services.notifications.subscribe(c.get('person'), (notification, frame) => push({ type: 'notification', notification }, frame))),
  )
  return app
}
