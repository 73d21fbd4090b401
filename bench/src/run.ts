import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mergeBenchmark } from './merge.ts'
import { startHemicycle, startReference, type ServerUnderTest } from './servers.ts'
import { syncBenchmark, type SyncResult } from './sync.ts'
import { type Cluster, startCluster } from '../../apps/server/test/postgresCluster.ts'

/**
 * `pnpm bench`: Hemicycle against its reference peers in one run, as a
 * table with ratios. Sync: the stock y-websocket reference server
 * (@y/websocket-server, memory only, no checks) against Hemicycle (every
 * frame checked, every update stored). Merge: the three-way rebase against
 * diff-match-patch's fuzzy patching.
 */
// Each y-websocket provider listens for the process's exit.
process.setMaxListeners(100)

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 10)
const EDITS = Number(process.env['BENCH_EDITS'] ?? 200)

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(cell < 10 ? 2 : 0) : cell)))]
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => String(row[i]).length)))
  const line = (row: Array<string | number>) => `| ${row.map((cell, i) => String(cell).padEnd(widths[i]!)).join(' | ')} |`
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n')
}

async function measure(start: () => Promise<ServerUnderTest>): Promise<SyncResult> {
  const server = await start()
  try {
    await syncBenchmark(server, 2, 20) // warm up
    return await syncBenchmark(server, CLIENTS, EDITS)
  } finally {
    await server.stop()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hemicycle-bench-'))
try {
  const reference = await measure(startReference)
  const memory = await measure(() => startHemicycle('memory://'))
  const disk = await measure(() => startHemicycle(join(dir, 'data')))
  memory.server = 'Hemicycle (PGlite in memory)'
  disk.server = 'Hemicycle (PGlite on disk)'
  const results = [reference, memory, disk]
  let cluster: Cluster | null = null
  try {
    cluster = await startCluster()
  } catch (error) {
    console.log(`(no PostgreSQL server for the last row: ${(error as Error).message})`)
  }
  if (cluster) {
    try {
      const postgres = await measure(() => startHemicycle(join(dir, 'unused'), cluster!.url))
      postgres.server = 'Hemicycle (PostgreSQL server)'
      results.push(postgres)
    } finally {
      cluster.stop()
    }
  }
  console.log(`\nLive sync: ${CLIENTS} stock y-websocket clients typing ${EDITS} characters each into one document, one more client watching\n`)
  console.log(
    table(
      ['server', 'edits/s', 'vs ref', 'converged in ms', 'p50 ms', 'p95 ms', 'vs ref p95', 'server RSS MiB', 'vs ref RSS'],
      results.map((r) => [
        r.server,
        r.editsPerSecond,
        `${(r.editsPerSecond / reference.editsPerSecond).toFixed(2)}×`,
        r.convergeMs,
        r.p50Ms,
        r.p95Ms,
        `${(r.p95Ms / Math.max(reference.p95Ms, 0.01)).toFixed(2)}×`,
        r.rssMiB,
        `${(r.rssMiB / reference.rssMiB).toFixed(2)}×`,
      ]),
    ),
  )
  const merges = mergeBenchmark()
  const [ours, fuzzy] = merges as [(typeof merges)[0], (typeof merges)[0]]
  console.log(`\nRebasing an amendment onto a paragraph that moved on (paragraphs of the Kuala Lumpur draft; half the changes overlap)\n`)
  console.log(
    table(
      ['method', 'merges/s', 'vs dmp', 'overlaps merged silently'],
      merges.map((m) => [m.method, m.perSecond, `${(m.perSecond / fuzzy.perSecond).toFixed(2)}×`, `${m.silentOnOverlap} of ${m.overlapping}`]),
    ),
  )
  void ours
} finally {
  rmSync(dir, { recursive: true, force: true })
}
