import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { BODY } from '@hemicycle/schema'
import { until } from './body.ts'
import { type BenchClient, connectMany } from './clients.ts'
import type { Protocol, Room } from './servers.ts'

/**
 * The clients of a fan-out that only receive, in a worker thread of their
 * own. With 500 clients in one event loop, applying what they all receive
 * kept the bench's process busy about 70% of the time, so the edits the
 * writers sent and the receivers timed waited in that queue, and the
 * 99th percentile measured the bench more than the server. Here the
 * writers and the receivers keep an event loop to themselves; the load
 * still reads and applies every message, on a core of its own when one is
 * free, as people's browsers would. The load shows no presence: connected
 * together, its clients would all renew it in the same second every 15 s
 * (490 renewals, each sent to 499 clients), inside one server's timed
 * edits and not another's, as their connections took longer or not.
 */
export interface LoadClients {
  /** Waits until every load client holds a body of `blocks` top-level blocks. */
  holding(blocks: number): Promise<void>
  /** Clients with `presence`: each shows a name, then this waits until each sees everyone's. */
  present(): Promise<void>
  /** Clients with `presence`: each renews its state at a random moment within `withinMs` with probability `share` (and not otherwise in that time). */
  renew(withinMs: number, share: number): Promise<void>
  destroy(): Promise<void>
}

interface Setup {
  protocol: Protocol
  room: Room
  /** Client numbers `from` to `to` (exclusive): each connects to the room's endpoints in turn, as `connect` picks them. */
  from: number
  to: number
  batch: number
  /** Whether the clients show presence (without, their state is null: they send none and never renew it). */
  presence?: boolean
}

type Command = { kind: 'holding'; blocks: number } | { kind: 'present' } | { kind: 'renew'; withinMs: number; share: number } | { kind: 'destroy' }
type Reply = { kind: 'connected' } | { kind: 'holding' } | { kind: 'present' } | { kind: 'renewing' } | { kind: 'failed'; message: string }

export function startLoadClients(setup: Setup): Promise<LoadClients> {
  // This module is TypeScript: the worker loads it through tsx, as the bench runs (a worker's first module escapes loader hooks).
  const self = JSON.stringify(import.meta.url)
  const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${self}, ${self}))`
  const worker = new Worker(entry, { eval: true, workerData: setup })
  const replies: Reply[] = []
  let waiting: (() => void) | null = null
  let failure: Error | null = null
  worker.on('message', (reply: Reply) => {
    replies.push(reply)
    waiting?.()
  })
  worker.on('error', (error) => {
    failure = error
    waiting?.()
  })
  const next = async (kind: Reply['kind']) => {
    for (;;) {
      if (failure) throw failure
      const reply = replies.shift()
      if (reply?.kind === 'failed') throw new Error(`load clients: ${reply.message}`)
      if (reply?.kind === kind) return
      if (!reply) await new Promise<void>((resolve) => (waiting = resolve))
    }
  }
  const command = (message: Command) => worker.postMessage(message)
  return next('connected').then(() => ({
    async holding(blocks) {
      command({ kind: 'holding', blocks })
      await next('holding')
    },
    async present() {
      command({ kind: 'present' })
      await next('present')
    },
    async renew(withinMs, share) {
      command({ kind: 'renew', withinMs, share })
      await next('renewing')
    },
    async destroy() {
      command({ kind: 'destroy' })
      await new Promise((resolve) => worker.once('exit', resolve))
    },
  }))
}

async function serve(port: NonNullable<typeof parentPort>, { protocol, room, from, to, batch, presence = false }: Setup): Promise<void> {
  const clients = await connectMany(protocol, room, from, to, { batch, presence })
  const reply = (done: Promise<void>, answer: Reply) =>
    done.then(
      () => port.postMessage(answer),
      (error: unknown) => port.postMessage({ kind: 'failed', message: String(error) } satisfies Reply),
    )
  port.on('message', (message: Command) => {
    switch (message.kind) {
      case 'destroy':
        for (const client of clients) client.destroy()
        // The providers' sockets close on their own turn; then nothing holds the thread.
        setTimeout(() => process.exit(0), 200)
        return
      case 'holding':
        void reply(until(() => clients.every((client) => client.doc.getXmlFragment(BODY).length === message.blocks), 60_000, 'every load client has the text'), { kind: 'holding' })
        return
      case 'present':
        // A state at clock 0 (what a new Awareness starts with) is one y-protocols does not pass on: people show their name.
        clients.forEach((client, index) => client.awareness.setLocalStateField('user', { name: `Delegate ${from + index}` }))
        // Everyone has heard everyone's name, at its latest clock: not only a state of theirs (a server may show people before they give a name).
        void reply(until(() => everyoneHeardEveryone(clients), 60_000, 'every load client sees everyone'), { kind: 'present' })
        return
      case 'renew':
        for (const client of clients) {
          // As if it had just renewed: y-protocols renews only 15 s after, past the window.
          client.awareness.meta.get(client.awareness.clientID)!.lastUpdated = Date.now()
          if (Math.random() < message.share) setTimeout(() => client.awareness.setLocalState(client.awareness.getLocalState()), Math.random() * message.withinMs)
        }
        port.postMessage({ kind: 'renewing' } satisfies Reply)
        return
    }
  })
  port.postMessage({ kind: 'connected' } satisfies Reply)
}

/** Whether each client holds every client's state at the clock that client is at. */
function everyoneHeardEveryone(clients: readonly BenchClient[]): boolean {
  const latest = clients.map(({ awareness }) => [awareness.clientID, awareness.meta.get(awareness.clientID)?.clock ?? 0] as const)
  return clients.every(({ awareness }) => latest.every(([id, clock]) => awareness.states.has(id) && awareness.meta.get(id)?.clock === clock))
}

if (!isMainThread && parentPort) {
  // As in run.ts: each y-websocket provider listens for the process's exit (a worker has its own listeners).
  process.setMaxListeners(0)
  serve(parentPort, workerData as Setup).catch((error: unknown) => parentPort!.postMessage({ kind: 'failed', message: String(error) } satisfies Reply))
}
