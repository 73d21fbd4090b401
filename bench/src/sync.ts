import { BODY, encodeBody, parseMarkdownBody, withBlockIds } from '@hemicycle/schema'
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ServerUnderTest } from './servers.ts'

export interface SyncResult {
  server: string
  clients: number
  edits: number
  /** Wall time from the first edit until every client holds every edit. */
  convergeMs: number
  editsPerSecond: number
  /** Time for one edit to reach another client, over a sample. */
  p50Ms: number
  p95Ms: number
  rssMiB: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0

function connect(connection: { url: string; room: string; params: Record<string, string> }) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(connection.url, connection.room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: connection.params,
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => provider.on('sync', (done: boolean) => done && resolve()))
  return { doc, provider, synced }
}

/**
 * `clients` stock y-websocket clients on one document, each typing `perClient`
 * characters into its own paragraph at a steady pace; one more client only
 * watches, to time how long each edit takes to arrive.
 */
export async function syncBenchmark(server: ServerUnderTest, clients: number, perClient: number): Promise<SyncResult> {
  const connection = await server.connection(`bench-${Date.now()}`)
  const watcher = connect(connection)
  await watcher.synced
  const body = watcher.doc.getXmlFragment(BODY)
  if (body.length === 0) {
    // The reference server starts empty: give it the same draft Hemicycle serves.
    const fixture = readFileSync(new URL('../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8').replace(/^---[\s\S]*?---\n/, '')
    Y.applyUpdate(watcher.doc, encodeBody(withBlockIds(parseMarkdownBody(fixture))))
  }
  const writers = Array.from({ length: clients }, () => connect(connection))
  await Promise.all(writers.map((writer) => writer.synced))
  await sleep(200)
  const paragraphs = watcher.doc.getXmlFragment(BODY).length

  const sent = new Map<string, number>()
  const latencies: number[] = []
  watcher.doc.getXmlFragment(BODY).observeDeep(() => {
    const now = performance.now()
    for (const [marker, at] of sent) {
      if (watcher.doc.getXmlFragment(BODY).toString().includes(marker)) {
        latencies.push(now - at)
        sent.delete(marker)
      }
    }
  })

  const started = performance.now()
  await Promise.all(
    writers.map(async (writer, index) => {
      const text = ((writer.doc.getXmlFragment(BODY).get(index % paragraphs) as Y.XmlElement).get(0)) as Y.XmlText
      for (let i = 0; i < perClient; i++) {
        const sample = i % 25 === 0
        const piece = sample ? `⟨${index}.${i}⟩` : 'x'
        if (sample) sent.set(`⟨${index}.${i}⟩`, performance.now())
        text.insert(Math.min(text.length, i), piece)
        await sleep(2)
      }
    }),
  )
  const vector = (doc: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]))
  for (;;) {
    const reference = vector(watcher.doc)
    const converged = sent.size === 0 && writers.every((writer) => vector(writer.doc) === reference)
    if (converged) break
    if (performance.now() - started > 120_000) throw new Error(`${server.name}: no convergence after 120 s`)
    await sleep(5)
  }
  const convergeMs = performance.now() - started
  const rssMiB = server.rssMiB()
  for (const client of [watcher, ...writers]) {
    client.provider.destroy()
    client.doc.destroy()
  }
  const edits = clients * perClient
  return {
    server: server.name,
    clients,
    edits,
    convergeMs,
    editsPerSecond: edits / (convergeMs / 1000),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    rssMiB,
  }
}
