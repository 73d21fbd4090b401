import { upgradeWebSocket } from '@hono/node-server'
import { Hono } from 'hono'
import type { Connection } from '../collab/connection.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { tokenOf } from '../http/session.ts'

/**
 * `/collab/<resolutionId>`: the y-websocket endpoint. Authentication and
 * loading happen before the upgrade, so a refused socket gets a plain
 * 401 / 404 and never opens.
 */
export function collabRoutes({ collab }: Services) {
  const app = new Hono<AppEnv>()

  app.get(
    '/collab/:resolutionId',
    async (c, next) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        throw new ApiError(426, 'upgrade_required', 'This address speaks the y-websocket protocol; open it as a websocket.')
      }
      const context = await collab.authenticate({
        resolutionId: c.req.param('resolutionId'),
        token: c.req.query('token') ?? tokenOf(c),
        wantsAcks: c.req.query('acks') === '1',
      })
      const document = await collab.open(context.resolutionId)
      c.set('collab', { context, document })
      await next()
    },
    upgradeWebSocket((c) => {
      const { context, document } = c.get('collab')
      let connection: Connection | null = null
      return {
        onOpen: (_event, ws) => {
          connection = collab.connect(
            { get readyState() { return ws.readyState }, send: (data) => ws.send(data as Uint8Array<ArrayBuffer>), close: (code, reason) => ws.close(code, reason) },
            context,
            document,
          )
        },
        onMessage: (event) => connection?.receive(event.data),
        onClose: () => {
          if (connection) collab.disconnect(connection)
        },
      }
    }),
  )

  return app
}
