import { BODY } from '@hemicycle/schema'
import * as Y from 'yjs'
import { DEMO_MARKDOWN, percentile, seed, sleep, textOf, until } from './body.ts'
import { type BenchClient, connectMany } from './clients.ts'
import { startLoadClients } from './loadClients.ts'
import type { ServerUnderTest } from './servers.ts'

export interface FanoutResult {
  clients: number
  p50Ms: number
  p99Ms: number
  cpuSeconds: number
  rssMiB: number
  /** Edits that reached every receiver, of those sent. */
  delivered: string
}

const WRITERS = 5
const RECEIVERS = 5
const EDITS_PER_SECOND = 5
const WARM_UP_SECONDS = 1

/** Each writer types `EDITS_PER_SECOND` edits a second for `seconds` at the start of its own paragraph, the writers staggered as people do not type in step. */
async function type(writers: readonly BenchClient[], seconds: number, marker: (writer: number, edit: number) => string): Promise<void> {
  const total = EDITS_PER_SECOND * seconds
  await Promise.all(
    writers.map(async (writer, index) => {
      await sleep((index * 1000) / EDITS_PER_SECOND / WRITERS)
      const started = performance.now()
      for (let edit = 0; edit < total; edit++) {
        const due = started + (edit * 1000) / EDITS_PER_SECOND
        await sleep(Math.max(0, due - performance.now()))
        textOf(writer.doc, index).insert(0, marker(index, edit))
      }
    }),
  )
}

/**
 * One document, `count` clients: 5 writers type 5 edits a second each for
 * `seconds`, each into its own paragraph; 5 other clients time each edit's
 * arrival; the rest only receive, in a worker thread (`loadClients.ts`).
 * The writers type for `WARM_UP_SECONDS` first, untimed. The server's CPU
 * time is read before and after the timed edits.
 */
export async function fanout(server: ServerUnderTest, count: number, seconds = 10): Promise<FanoutResult> {
  const room = await server.demo()
  const clients = await connectMany(server.protocol, room, 0, Math.min(count, WRITERS + RECEIVERS))
  const load = count > clients.length ? await startLoadClients({ protocol: server.protocol, room, from: clients.length, to: count, batch: 50 }) : null
  seed(clients[0]!.doc, DEMO_MARKDOWN)
  const paragraphs = clients[0]!.doc.getXmlFragment(BODY).length
  await until(() => clients.every((client) => client.doc.getXmlFragment(BODY).length === paragraphs), 60_000, 'every client has the text')
  await load?.holding(paragraphs)
  await sleep(300)

  const writers = clients.slice(0, WRITERS)
  const receivers = clients.slice(WRITERS, WRITERS + RECEIVERS)
  const sent = new Map<string, number>()
  const arrivals = new Map<string, number>()
  const latencies: number[] = []
  for (const receiver of receivers) {
    receiver.doc.getXmlFragment(BODY).observeDeep((events) => {
      const now = performance.now()
      for (const event of events) {
        if (!(event.target instanceof Y.XmlText)) continue
        for (const op of event.delta) {
          if (typeof op.insert !== 'string') continue
          for (const [marker] of op.insert.matchAll(/⟨\d+\.\d+⟩/g)) {
            const at = sent.get(marker)
            if (at === undefined) continue
            latencies.push(now - at)
            arrivals.set(marker, (arrivals.get(marker) ?? 0) + 1)
          }
        }
      }
    })
  }

  // Untimed first: every server's first edits pay for code not yet compiled, and Hemicycle's for its check copy and its record of each writer's client id.
  await type(writers, WARM_UP_SECONDS, (index, edit) => `⟨warm-up ${index}.${edit}⟩`)
  // A stock client renews its presence every 15 s, all of them at once when they connected together: now, rather than inside the
  // timed edits, and long enough before them for a server that holds renewals back a second (Hemicycle) to have sent them.
  for (const client of clients) client.awareness.setLocalState(client.awareness.getLocalState())
  await sleep(1500)

  const cpuBefore = server.cpuSeconds()
  const threadsBefore = server.cpuByThread()
  await type(writers, seconds, (index, edit) => {
    const marker = `⟨${index}.${edit}⟩`
    sent.set(marker, performance.now())
    return marker
  })
  await until(() => arrivals.size === sent.size && [...arrivals.values()].every((n) => n === RECEIVERS), 10_000, 'every edit reached every receiver').catch(() => {})
  const cpuSeconds = server.cpuSeconds() - cpuBefore
  if (process.env['BENCH_THREADS']) {
    const spent = [...server.cpuByThread()]
      .map(([name, seconds]): [string, number] => [name, seconds - (threadsBefore.get(name) ?? 0)])
      .filter(([, seconds]) => seconds > 0)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`)
    process.stderr.write(`bench: ${server.name}, ${count} clients, CPU s by thread: ${spent.join(', ')}\n`)
  }
  const rssMiB = server.rssMiB()
  const reached = [...arrivals.values()].filter((n) => n === RECEIVERS).length
  for (const client of clients) client.destroy()
  await load?.destroy()
  await sleep(500)
  return { clients: count, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), cpuSeconds, rssMiB, delivered: `${reached}/${sent.size}` }
}
