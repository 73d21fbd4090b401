import { BODY } from '@hemicycle/schema'
import { paragraphsMarkdown, seed, until } from './body.ts'
import { type BenchClient, connect } from './clients.ts'
import type { Room, ServerUnderTest } from './servers.ts'

export interface ManyDocsOpen {
  documents: number
  baseMiB: number
  openMiB: number
  /** Resident memory per open document (two clients each), over the server before any opened. */
  perOpenKiB: number
  closedAt: number
}

const BODY_MARKDOWN = paragraphsMarkdown(3)

/** Creates `count` documents of three paragraphs, `parallel` at a time. */
async function createRooms(server: ServerUnderTest, count: number, parallel = 8): Promise<Array<Room & { seed: boolean }>> {
  const rooms: Array<Room & { seed: boolean }> = []
  for (let start = 0; start < count; start += parallel) {
    rooms.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, offset) => server.create(`Document ${start + offset}`, BODY_MARKDOWN)))))
  }
  return rooms
}

/**
 * `count` documents with two clients each: the server's resident memory per
 * open document; then every client leaves (the caller reads the memory
 * again a minute later: `perIdleKiB`).
 */
export async function manyDocs(server: ServerUnderTest, count: number): Promise<ManyDocsOpen> {
  const rooms = await createRooms(server, count)
  const baseMiB = server.rssMiB()
  const clients: BenchClient[] = []
  const batch = 50
  for (let start = 0; start < rooms.length; start += batch) {
    const pairs = rooms.slice(start, start + batch).map((room) => [connect(server.protocol, room, 0), connect(server.protocol, room, 0)] as const)
    await Promise.all(pairs.flat().map((client) => client.synced))
    pairs.forEach(([first], index) => {
      if (rooms[start + index]!.seed) seed(first.doc, BODY_MARKDOWN)
    })
    clients.push(...pairs.flat())
  }
  await until(() => clients.every((client) => client.doc.getXmlFragment(BODY).length === 3), 60_000, 'every client has its text')
  const openMiB = server.rssMiB()
  for (const client of clients) client.destroy()
  return { documents: count, baseMiB, openMiB, perOpenKiB: ((openMiB - baseMiB) * 1024) / count, closedAt: performance.now() }
}

/** Resident memory per document, over the server before any opened, once its clients have been gone a while. */
export function perIdleKiB(server: ServerUnderTest, open: ManyDocsOpen): number {
  return ((server.rssMiB() - open.baseMiB) * 1024) / open.documents
}
