import { upgradeWebSocket } from '@hono/node-server'
import { CloseCode, Language } from '@hemicycle/protocol'
import { Hono } from 'hono'
import type { WebSocket } from 'ws'
import type { Connection } from '../collab/connection.ts'
import { websocketOf } from '../collab/websocket.ts'
import { documentName } from '../collab/documentKey.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { ApiError, notFound } from '../http/errors.ts'
import type { Logger } from '../logger.ts'
import { tokenOf } from '../http/session.ts'

const SESSION_ENDED = {
  logout: 'the session ended: log in again',
  expired: 'the session expired: log in again',
  changed: 'your role, delegation or name changed: reconnect',
}

/**
 * `/collab/<resolutionId>` (the original) and `/collab/<resolutionId>/<language>`
 * (a language version): the y-websocket endpoint. Authentication and
 * loading happen before the upgrade, so a refused socket gets a plain
 * 401 / 404 and never opens.
 */
export function collabRoutes({ collab, sessionWatch }: Services, logger: Logger, maxPerSession: number) {
  const app = new Hono<AppEnv>()
  const openBySession = new Map<string, number>()

  app.get(
    '/collab/:resolutionId/:language?',
    async (c, next) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        throw new ApiError(426, 'upgrade_required', 'This address speaks the y-websocket protocol; open it as a websocket.')
      }
      const resolutionId = c.req.param('resolutionId')
      const asked = c.req.param('language')
      const language = asked === undefined ? null : Language.safeParse(asked)
      if (language !== null && !language.success) throw notFound('language version of this resolution', resolutionId)
      const context = await collab.authenticate({
        resolutionId,
        language: language?.data ?? null,
        token: c.req.query('token') ?? tokenOf(c),
        wantsAcks: c.req.query('acks') === '1',
      })
      if ((openBySession.get(context.sessionId) ?? 0) >= maxPerSession) {
        throw new ApiError(429, 'too_many_connections', `This session already holds ${maxPerSession} connections open; close some (other tabs or windows) first.`)
      }
      const document = await collab.open(documentName(context))
      c.set('collab', { context, document })
      await next()
    },
    upgradeWebSocket((c) => {
      const { context, document } = c.get('collab')
      let connection: Connection | null = null
      let counted = false
      let unwatch = () => {}
      // Whatever goes wrong with one socket closes that socket and is logged; it never reaches the process.
      const guarded = (what: string, run: () => void) => {
        try {
          run()
        } catch (error) {
          logger.error(`websocket ${what} failed`, { resolutionId: context.resolutionId, error })
          connection?.close(CloseCode.BadMessage, 'the server could not handle this message')
        }
      }
      return {
        onOpen: (_event, ws) =>
          guarded('open', () => {
            // Counted as it opens: upgrades sent at once all pass the check above before any of them opens.
            const held = (openBySession.get(context.sessionId) ?? 0) + 1
            openBySession.set(context.sessionId, held)
            counted = true
            if (held > maxPerSession) return ws.close(CloseCode.TooManyConnections, `this session already holds ${maxPerSession} connections open`)
            connection = collab.connect(websocketOf(ws.raw as WebSocket), context, document)
            const open = connection
            unwatch = sessionWatch.watch(context.sessionId, context.person, (reason) =>
              open.close(reason === 'changed' ? CloseCode.AccountChanged : CloseCode.Unauthorized, SESSION_ENDED[reason]),
            )
          }),
        onMessage: (event) =>
          guarded('message', () => {
            sessionWatch.used(context.sessionId)
            connection?.receive(event.data)
          }),
        onClose: () =>
          guarded('close', () => {
            unwatch()
            if (connection) collab.disconnect(connection)
            if (!counted) return
            counted = false
            const left = (openBySession.get(context.sessionId) ?? 1) - 1
            if (left > 0) openBySession.set(context.sessionId, left)
            else openBySession.delete(context.sessionId)
          }),
        onError: (event) => logger.debug('websocket error', { resolutionId: context.resolutionId, error: event }),
      }
    }),
  )

  return app
}
