import { randomUUID } from 'node:crypto'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { MAX_MESSAGE_BYTES } from '@hemicycle/protocol'
import { WebSocketServer } from 'ws'
import { sessions as createSessions } from './accounts/sessions.ts'
import { sessionWatch as createSessionWatch } from './accounts/sessionWatch.ts'
import { CollabServer } from './collab/collabServer.ts'
import { collabExtensions } from './collab/extensions/index.ts'
import { heartbeat } from './collab/heartbeat.ts'
import { collectGarbage } from './garbageCollection.ts'
import { type Fanout, InProcessFanout } from './collab/fanout.ts'
import type { Config } from './config.ts'
import { FIXTURE_PATH } from './config.ts'
import type { Database } from './db/database.ts'
import { openDatabase } from './db/open.ts'
import { createApp } from './http/app.ts'
import { keepIdleConnections } from './http/idleConnections.ts'
import { answerParserErrors } from './http/parserRefusals.ts'
import type { Services } from './http/env.ts'
import { createLogger, type Logger } from './logger.ts'
import { AmendmentService } from './amendments/service.ts'
import { liveEvents, meetingEvents, notificationEvents } from './events/liveEvents.ts'
import { eventStreams } from './events/stream.ts'
import { MeetingService } from './meetings/service.ts'
import { Notifications } from './notifications/notifications.ts'
import { findResolution } from './resolutions/repository.ts'
import { ResolutionTurns } from './resolutions/turns.ts'
import { TranslationService } from './translations/service.ts'
import { seedDemoAlliance } from './seed/demoAlliance.ts'
import { Passwords } from './accounts/passwords.ts'
import { SavingHealth } from './events/savingHealth.ts'

export interface HemicycleOptions {
  config: Config
  /** The clock; tests pass a fake one. */
  now?: () => Date
  fanout?: Fanout
  logger?: Logger
  /** An already open database (tests share one); otherwise opened from the config. */
  db?: Database
  /** How memory is given back once documents have unloaded (`garbageCollection.ts`); tests pass one that counts. */
  collectGarbage?: () => Promise<void>
}

export interface Hemicycle {
  readonly url: string
  readonly port: number
  readonly services: Services
  readonly app: ReturnType<typeof createApp>
  /**
   * Stops accepting, closes sockets, stores every document (retrying for up
   * to SHUTDOWN_TIMEOUT_MS while the database refuses), closes the database
   * (unless it was given). Rejects if any change could not be stored.
   */
  close(): Promise<void>
}

/** Starts one Hemicycle server: database, collaboration, HTTP and websocket on one port. */
export async function startHemicycle(options: HemicycleOptions): Promise<Hemicycle> {
  const { config } = options
  const now = options.now ?? (() => new Date())
  const logger = options.logger ?? createLogger(config.LOG_LEVEL)
  const db = options.db ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, template: config.PGLITE_TEMPLATE }))
  const onBusError = (error: unknown) => logger.error('a live message could not be delivered', { error })
  // ioredis is loaded only by an instance that uses Redis (35 ms of a start).
  const fanout = options.fanout ?? (config.REDIS_URL ? await (await import('./collab/redisFanout.ts')).RedisFanout.connect(config.REDIS_URL, onBusError) : new InProcessFanout(onBusError))

  const passwords = new Passwords(config.PASSWORD_COST)
  if (config.SEED_DEMO === '1' && (await seedDemoAlliance(db, { password: config.DEMO_PASSWORD, passwords, fixturePath: FIXTURE_PATH, now: now() }))) {
    logger.info('created the demo alliance and imported the Kuala Lumpur draft')
  }
  const [secretariat] = await db.query<{ count: number }>(`select count(*)::int as count from people where role = 'secretariat' and active`)
  if (!secretariat?.count) logger.warn('nobody can manage accounts yet: create the first secretariat account with `pnpm hemicycle create-secretariat <username> <full name>`')

  const sessions = createSessions(db, now)
  const savingHealth = new SavingHealth()
  const sessionWatch = createSessionWatch({ sessions, now, logger, bus: fanout })
  const events = liveEvents(fanout)
  const turns = new ResolutionTurns(db)
  const translations: TranslationService = new TranslationService({ db, collab: () => collab, events, turns, now, logger })
  const collab: CollabServer = new CollabServer({
    extensions: collabExtensions({
      db,
      sessions,
      fanout,
      events,
      collab: () => collab,
      translations: () => translations,
      lateTyping: (typing) => amendments.noteLateTyping(typing),
      instanceId: randomUUID(),
      logger,
      fenceTimeoutMs: config.FENCE_TIMEOUT_MS,
      fenceHeardMs: config.FENCE_HEARD_MS,
      composerClaimMs: config.COMPOSER_CLAIM_MS,
      // Several instances: one may die between storing a change and passing it on (one alone takes every change itself).
      changesFromLogEveryMs: config.REDIS_URL ? 2000 : 0,
      ...(config.RELEASE_MEMORY_AFTER_MS > 0 ? { memoryRelease: { quietMs: config.RELEASE_MEMORY_AFTER_MS, collect: options.collectGarbage ?? collectGarbage } } : {}),
      persistence: {
        logger,
        takeOverAfterMs: config.TAKE_OVER_AFTER_MS,
        flushAfterMs: config.PERSIST_INTERVAL_MS,
        compactAfterRows: config.COMPACT_AFTER_ROWS,
        compactEveryMs: config.COMPACT_EVERY_MS,
        now,
        onHealth: (document, health, error) => {
          ;(health === 'delayed' ? logger.error : logger.info)(`saving ${health}`, { resolutionId: document.resolutionId, error })
          savingHealth.note(document.resolutionId, document.name, health)
          events.publish(document.resolutionId, { type: 'saving', state: health })
        },
      },
    }),
    stageOf: async (id) => (await findResolution(db, id))?.stage ?? 'draft',
    loadBetweenTurns: (id, load) => turns.betweenTurns(id, load),
    inTurn: (id) => turns.inTurn(id),
    unloadAfterMs: config.UNLOAD_AFTER_MS,
    lostChangesGraceMs: config.LOST_CHANGES_GRACE_MS,
    logger,
  })

  const notifications = new Notifications({ db, channel: notificationEvents(fanout), now })
  const amendments = new AmendmentService({ db, collab, events, now, turns, notifications })
  const meetings = new MeetingService({ db, collab, events, amendments, now, turns, notifications, meetingEvents: meetingEvents(fanout), logger })
  const streams = eventStreams({ sessionWatch, logger })
  const services: Services = { db, sessions, passwords, sessionWatch, collab, events, savingHealth, amendments, meetings, notifications, streams, translations, turns, now }
  // Deadlines approaching are noticed by the clock, not by anyone's action.
  const sweeping = setInterval(() => {
    notifications.sweep().catch((error: unknown) => logger.warn('approaching deadlines could not be notified', { error }))
  }, 60_000)
  sweeping.unref()
  const app = createApp(services, {
    webRoot: config.WEB_ROOT,
    logger,
    publicUrl: config.PUBLIC_URL ?? null,
    trustProxy: config.TRUST_PROXY === '1',
    maxSocketsPerSession: config.MAX_SOCKETS_PER_SESSION,
  })

  // Frames above the protocol limit are refused by the connection with a clear reason; far larger ones never reach memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_MESSAGE_BYTES })
  const server = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } })
  answerParserErrors(server as HttpServer)
  keepIdleConnections(server as HttpServer)
  const beating = heartbeat(wss, config.HEARTBEAT_MS, () => logger.debug('a websocket did not answer its ping: closed'))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.PORT, config.HOST, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
  const url = `http://${host}:${port}`

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    services,
    app,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        sessionWatch.close()
        beating.stop()
        clearInterval(sweeping)
        let unsaved: unknown = null
        await translations.close()
        await collab.destroy({ deadline: Date.now() + config.SHUTDOWN_TIMEOUT_MS }).catch((error: unknown) => (unsaved = error))
        for (const client of wss.clients) client.terminate()
        if ('closeAllConnections' in server) server.closeAllConnections()
        await stopped
        await fanout.close()
        if (!options.db) await db.close().catch((error: unknown) => logger.warn('the database did not close cleanly', { error }))
        if (unsaved) throw unsaved
      })()
      return closing
    },
  }
}
