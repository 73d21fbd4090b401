import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, hostname, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type Cluster, startCluster } from '../../apps/server/test/postgresCluster.ts'
import { type RedisServer, startRedis } from '../../apps/server/test/redisServer.ts'
import { amendmentAcceptance } from './amendment.ts'
import { sleep } from './body.ts'
import { coldJoin } from './coldJoin.ts'
import { fanout } from './fanout.ts'
import { manyDocs, type ManyDocsOpen, perIdleKiB } from './manyDocs.ts'
import { mergeBenchmark } from './merge.ts'
import { presenceAtRest } from './presence.ts'
import { type ServerUnderTest, startHemicycle, startHocuspocus, startReference } from './servers.ts'

/**
 * `pnpm bench`: Hemicycle against the servers people would otherwise deploy
 * (@y/websocket-server 0.1.1 and @hocuspocus/server 3.4, both in memory, no
 * checks, nothing stored), in one run, each figure also as a ratio to the
 * best peer (lower is better everywhere). The sizes are the by
 * default; BENCH_* variables shrink them for a quick run.
 */
// Each y-websocket provider listens for the process's exit.
process.setMaxListeners(0)

const numbers = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number)
const SIZES = {
  clients: numbers('BENCH_CLIENTS', '20,200,500'),
  seconds: numbers('BENCH_SECONDS', '10')[0]!,
  documents: numbers('BENCH_DOCUMENTS', '1000')[0]!,
  idleSeconds: numbers('BENCH_IDLE_SECONDS', '60')[0]!,
  paragraphs: numbers('BENCH_PARAGRAPHS', '200')[0]!,
  history: numbers('BENCH_HISTORY', '20000')[0]!,
  amendments: numbers('BENCH_AMENDMENTS', '10')[0]!,
  present: numbers('BENCH_PRESENT', '500')[0]!,
}
/** Which workloads run (all by default): fanout, join, amendment, presence, memory, merge. */
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'fanout,join,amendment,presence,memory,merge').split(','))

/** One column of the table: a server set-up, and whether it is a peer (a ratio's denominator). */
interface Column {
  name: string
  peer: boolean
  start: () => Promise<ServerUnderTest>
  /** Workloads this set-up runs. */
  runs: Set<string>
}

/** figure → column → value; undefined where a column does not run that workload. */
const figures = new Map<string, Map<string, number>>()
const record = (figure: string, column: string, value: number) => {
  if (!figures.has(figure)) figures.set(figure, new Map())
  figures.get(figure)!.set(column, value)
}
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)

/** Workloads that failed on a set-up, said under the table: a peer that chokes once leaves its cells empty, not the run unfinished. */
const failures: string[] = []
async function workload<T>(column: Column, what: string, run: () => Promise<T>): Promise<T | null> {
  log(`${column.name}: ${what}`)
  try {
    return await run()
  } catch (error) {
    failures.push(`${column.name}: ${what}: ${(error as Error).message}`)
    log(`${column.name}: ${what} failed: ${(error as Error).message}`)
    return null
  }
}

async function freshDatabase(cluster: Cluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  return cluster.url.replace(/\/postgres$/, `/${name}`)
}

async function speed(column: Column): Promise<void> {
  const server = await column.start()
  try {
    record('server resident memory at rest, MiB', column.name, server.rssMiB())
    if (column.runs.has('fanout')) {
      for (const count of SIZES.clients) {
        await workload(column, `fan-out, ${count} clients`, async () => {
          const result = await fanout(server, count, SIZES.seconds)
          record(`fan-out ${count} clients: p50 ms`, column.name, result.p50Ms)
          record(`fan-out ${count} clients: p99 ms`, column.name, result.p99Ms)
          record(`fan-out ${count} clients: server CPU s`, column.name, result.cpuSeconds)
          record(`fan-out ${count} clients: server RSS MiB`, column.name, result.rssMiB)
          if (result.delivered.split('/')[0] !== result.delivered.split('/')[1]) log(`${column.name}: only ${result.delivered} edits reached every receiver`)
        })
      }
    }
    if (column.runs.has('join')) {
      const joined = await workload(column, `cold join, ${SIZES.paragraphs} paragraphs, ${SIZES.history} updates`, async () => {
        const joined = await coldJoin(server, { paragraphs: SIZES.paragraphs, history: SIZES.history })
        record('cold join: median ms', column.name, joined.medianMs)
        record('cold join: the same state applied in-process, no server (floor), median ms', column.name, joined.applyMs)
        return joined
      })
      if (column.runs.has('amendment') && server.api && joined) {
        await workload(column, `${SIZES.amendments} amendments accepted`, async () => {
          const accepted = await amendmentAcceptance(server, joined.room, SIZES.amendments)
          record('amendment accepted → in client: median ms', column.name, accepted.medianMs)
          record('amendment accepted → in client: worst ms', column.name, accepted.worstMs)
        })
      }
    }
    if (column.runs.has('presence')) {
      await workload(column, `presence of ${SIZES.present} clients at rest`, async () => {
        const present = await presenceAtRest(server, SIZES.present)
        record(`presence of ${SIZES.present} clients at rest, 6.5 s: server CPU s`, column.name, present.cpuSeconds)
      })
    }
  } finally {
    await server.stop()
  }
}

/** Opens the documents on every set-up in turn, then reads each one's memory again once all have been idle SIZES.idleSeconds. */
async function memory(columns: Column[]): Promise<void> {
  const open: Array<{ column: Column; server: ServerUnderTest; result: ManyDocsOpen }> = []
  try {
    for (const column of columns.filter((candidate) => candidate.runs.has('memory'))) {
      log(`${column.name}: ${SIZES.documents} documents, 2 clients each`)
      const server = await column.start()
      open.push({ column, server, result: await manyDocs(server, SIZES.documents) })
      record(`${SIZES.documents} documents open: server RSS MiB`, column.name, server.rssMiB())
      record('memory per open document, KiB', column.name, open.at(-1)!.result.perOpenKiB)
    }
    const last = open.at(-1)?.result.closedAt ?? performance.now()
    log(`waiting until the documents have been idle ${SIZES.idleSeconds} s`)
    await sleep(Math.max(0, last + SIZES.idleSeconds * 1000 - performance.now()))
    for (const { column, server, result } of open) record(`memory per document ${SIZES.idleSeconds} s after its clients left, KiB`, column.name, perIdleKiB(server, result))
  } finally {
    await Promise.all(open.map(({ server }) => server.stop()))
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((_, i) => Math.max(headers[i]!.length, ...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

const shown = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2))

function report(columns: Column[]): string {
  const peers = columns.filter((column) => column.peer)
  const ours = columns.filter((column) => !column.peer)
  const rows = [...figures].map(([figure, values]) => {
    const best = Math.min(...peers.map((peer) => values.get(peer.name)).filter((value): value is number => value !== undefined))
    return [
      figure,
      ...peers.map((peer) => (values.has(peer.name) ? shown(values.get(peer.name)!) : '—')),
      ...ours.map((column) => {
        const value = values.get(column.name)
        if (value === undefined) return '—'
        // Below zero the process shrank under where it stood before: no ratio means anything then.
        if (value < 0) return `${shown(value)} (shrank)`
        return Number.isFinite(best) && best > 0 ? `${shown(value)} (${(value / best).toFixed(2)}×)` : shown(value)
      }),
    ]
  })
  return table(['figure', ...columns.filter((c) => c.peer).map((c) => c.name), ...ours.map((c) => `${c.name} (× best peer)`)], rows)
}

const dir = mkdtempSync(join(tmpdir(), 'hemicycle-bench-'))
let cluster: Cluster | null = null
let redis: RedisServer | null = null
const started = performance.now()
try {
  try {
    cluster = await startCluster()
  } catch (error) {
    log(`no PostgreSQL server, its columns are left out: ${(error as Error).message}`)
  }
  try {
    if (cluster) redis = await startRedis()
  } catch (error) {
    log(`no Redis server, the two-instance column is left out: ${(error as Error).message}`)
  }
  const all = new Set(ONLY)
  const columns: Column[] = [
    { name: '@y/websocket-server 0.1.1', peer: true, start: startReference, runs: all },
    { name: '@hocuspocus/server 3.4', peer: true, start: startHocuspocus, runs: all },
  ]
  let pglite = 0
  columns.push({ name: 'Hemicycle, PGlite', peer: false, start: () => startHemicycle({ name: 'Hemicycle, PGlite', dataDir: join(dir, `pglite-${++pglite}`) }), runs: all })
  if (cluster) {
    const pgCluster = cluster
    let databases = 0
    columns.push({
      name: 'Hemicycle, PostgreSQL',
      peer: false,
      start: async () => startHemicycle({ name: 'Hemicycle, PostgreSQL', dataDir: join(dir, 'unused'), databaseUrl: await freshDatabase(pgCluster, `bench_${++databases}`) }),
      // Presence never reaches the database: the PGlite column measures it for one instance.
      runs: new Set([...all].filter((workload) => workload !== 'presence')),
    })
    if (redis) {
      const redisUrl = redis.url
      columns.push({
        name: 'Hemicycle, 2 instances over Redis',
        peer: false,
        start: async () => startHemicycle({ name: 'Hemicycle, 2 instances', dataDir: join(dir, 'unused'), databaseUrl: await freshDatabase(pgCluster, `bench_${++databases}`), redisUrl, instances: 2 }),
        runs: new Set([...all].filter((workload) => workload === 'fanout')),
      })
    }
  }
  // BENCH_COLUMNS=PostgreSQL: only the columns whose names contain one of these (to profile one server; ratios need the peers).
  const picked = process.env['BENCH_COLUMNS']?.split(',')
  if (picked) columns.splice(0, columns.length, ...columns.filter((column) => picked.some((part) => column.name.includes(part))))
  for (const column of columns) if (['fanout', 'join', 'presence'].some((workload) => column.runs.has(workload))) await speed(column)
  if (ONLY.has('memory')) await memory(columns)

  const cpu = cpus()
  console.log(`\nHemicycle benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${hostname()}: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`)
  console.log(
    `Sizes: fan-out ${SIZES.clients.join(' / ')} clients (5 writers × 5 edits/s for ${SIZES.seconds} s, latency seen by 5 receivers); cold join ${SIZES.paragraphs} paragraphs with ${SIZES.history} updates of history; ` +
      `${SIZES.amendments} amendments; presence of ${SIZES.present} clients renewing every 15 s, for 6.5 s; ${SIZES.documents} documents × 2 clients, idle ${SIZES.idleSeconds} s. Hemicycle's memory is its Node process (PostgreSQL and Redis run apart); two instances: both processes.\n`,
  )
  console.log(report(columns))
  for (const failure of failures) console.log(`\nNot measured (—): ${failure}`)
  if (ONLY.has('merge')) {
    const [ours, fuzzy] = mergeBenchmark() as [ReturnType<typeof mergeBenchmark>[0], ReturnType<typeof mergeBenchmark>[0]]
    console.log(`\nRebasing an amendment onto a paragraph that moved on (paragraphs of the Kuala Lumpur draft; half the changes overlap)\n`)
    console.log(
      table(
        ['method', 'merges/s', 'vs diff-match-patch', 'overlaps merged silently'],
        [ours, fuzzy].map((m) => [m.method, shown(m.perSecond), `${(m.perSecond / fuzzy.perSecond).toFixed(2)}×`, `${m.silentOnOverlap} of ${m.overlapping}`]),
      ),
    )
  }
  console.log(`\nRan in ${((performance.now() - started) / 60_000).toFixed(1)} min.`)
} finally {
  redis?.stop()
  cluster?.stop()
  rmSync(dir, { recursive: true, force: true })
}
