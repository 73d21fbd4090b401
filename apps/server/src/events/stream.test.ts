import type { Person } from '@hemicycle/protocol'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { SessionEnd } from '../accounts/sessionWatch.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { createLogger } from '../logger.ts'
import { eventStreams } from './stream.ts'

type Ping = { type: 'ping'; text: string }

/** One stream route answered in-process, its events pushed by hand, its session ended by hand. */
function streamApp(options: { maxPerSession?: number; maxUnreadBytes?: number; keepAliveMs?: number } = {}) {
  const pushes = new Set<(event: Ping) => void>()
  const ends = new Set<(reason: SessionEnd) => void>()
  const streams = eventStreams({
    sessionWatch: {
      watch: (_session, _person, end) => {
        ends.add(end)
        return () => ends.delete(end)
      },
    },
    logger: createLogger('silent'),
    ...options,
  })
  const app = new Hono<AppEnv>()
  app.onError((error, c) => (error instanceof ApiError ? error.getResponse() : c.text('unexpected', 500)))
  app.get('/events/:session', (c) => {
    c.set('sessionId', c.req.param('session'))
    c.set('person', { id: 'p' } as Person)
    return streams.open<Ping>(c, [{ type: 'ping', text: 'first' }], (push) => {
      pushes.add(push)
      return () => pushes.delete(push)
    })
  })
  const publish = (text: string) => {
    for (const push of pushes) push({ type: 'ping', text })
  }
  const endSessions = () => {
    for (const end of ends) end('logout')
  }
  return { app, publish, endSessions, pushes }
}

async function readAll(response: Response): Promise<string> {
  return new Response(response.body).text()
}

describe('an event stream', () => {
  it('sends the initial events, then what is pushed, as server-sent events, until the session ends', async () => {
    const { app, publish, endSessions, pushes } = streamApp()
    const response = await app.request('/events/s')
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    publish('second')
    endSessions()
    expect(await readAll(response)).toBe('event: ping\ndata: {"type":"ping","text":"first"}\n\nevent: ping\ndata: {"type":"ping","text":"second"}\n\n')
    expect(pushes.size).toBe(0)
  })

  it('fails, unsubscribed, once its client leaves more than the bound unread', async () => {
    const { app, publish, pushes } = streamApp({ maxUnreadBytes: 1000 })
    const response = await app.request('/events/s')
    for (let i = 0; i < 6; i++) publish('x'.repeat(80))
    expect(pushes.size).toBe(1)
    publish('x'.repeat(200))
    expect(pushes.size).toBe(0)
    await expect(readAll(response)).rejects.toThrow()
  })

  it('is refused past the number a session may hold, and gives its place back when cancelled', async () => {
    const { app } = streamApp({ maxPerSession: 2 })
    const held = [await app.request('/events/s'), await app.request('/events/s')]
    const refused = await app.request('/events/s')
    expect(refused.status).toBe(429)
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_streams' } })
    expect((await app.request('/events/other')).status).toBe(200)
    await held[0]!.body!.cancel()
    expect((await app.request('/events/s')).status).toBe(200)
  })

  it('sends a keep-alive comment every so often', async () => {
    const { app, endSessions } = streamApp({ keepAliveMs: 20 })
    const response = await app.request('/events/s')
    await new Promise((resolve) => setTimeout(resolve, 70))
    endSessions()
    expect(await readAll(response)).toContain(': keep-alive\n\n')
  })
})
