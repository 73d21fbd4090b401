import { readFileSync } from 'node:fs'

/**
 * Where a server under test spent its time: reads a V8 CPU profile (as
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…"` leaves one per server
 * process) and prints busy time per second, then the functions by self and
 * inclusive time, over a window of the profile (the bench's timed edits,
 * not the start-up, which the per-second line shows).
 *
 *   pnpm --filter @hemicycle/bench run cpu-profile <file.cpuprofile> [--from s] [--to s] [--top n] [--under functionName]
 *
 * `--under` keeps only the samples whose stack holds that function: what a
 * hook costs, and in what.
 */

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  /** Microseconds before each sample, the first from the profile's start. */
  timeDeltas: number[]
}

export interface Summary {
  busyMs: number
  idleMs: number
  /** Busy milliseconds in each second of the profile, from its start. */
  perSecond: number[]
  self: Map<string, number>
  inclusive: Map<string, number>
}

const IDLE = new Set(['(idle)'])

/** A function's name and where it is defined (the last two parts of its file's path), as the tables print it. */
export function frameKey({ functionName, url, lineNumber }: CallFrame): string {
  return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
}

/**
 * Sums a profile: each sample's time is the delta to the next sample (the
 * time until the next tick is what the sampled stack was running), counted
 * once per distinct function on its stack for the inclusive table, so a
 * recursive function is not counted twice.
 */
export function summarise(profile: CpuProfile, { fromMs = 0, toMs = Number.POSITIVE_INFINITY, under }: { fromMs?: number; toMs?: number; under?: string } = {}): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!)
    return stack
  }
  const summary: Summary = { busyMs: 0, idleMs: 0, perSecond: [], self: new Map(), inclusive: new Map() }
  const add = (table: Map<string, number>, key: string, ms: number) => table.set(key, (table.get(key) ?? 0) + ms)
  let clockMs = 0
  for (let index = 0; index < profile.samples.length; index++) {
    clockMs += (profile.timeDeltas[index] ?? 0) / 1000
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000
    const stack = stackOf(profile.samples[index]!)
    if (IDLE.has(stack[0]!.callFrame.functionName)) {
      if (clockMs >= fromMs && clockMs < toMs) summary.idleMs += ms
      continue
    }
    const second = Math.floor(clockMs / 1000)
    summary.perSecond[second] = (summary.perSecond[second] ?? 0) + ms
    if (clockMs < fromMs || clockMs >= toMs) continue
    if (under !== undefined && !stack.some((node) => node.callFrame.functionName === under)) continue
    summary.busyMs += ms
    add(summary.self, frameKey(stack[0]!.callFrame), ms)
    for (const key of new Set(stack.map((node) => frameKey(node.callFrame)))) add(summary.inclusive, key, ms)
  }
  return summary
}

function table(title: string, entries: Map<string, number>, top: number): string {
  const rows = [...entries].sort((x, y) => y[1] - x[1]).slice(0, top)
  return [`${title}:`, ...rows.map(([key, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${key}`)].join('\n')
}

function main(args: string[]): void {
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`)
    return at >= 0 ? args[at + 1] : undefined
  }
  const file = args.find((arg, index) => !arg.startsWith('--') && (index === 0 || !args[index - 1]!.startsWith('--')))
  if (!file) {
    process.stderr.write('usage: profile <file.cpuprofile> [--from s] [--to s] [--top n] [--under functionName]\n')
    process.exit(2)
  }
  const seconds = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value) * 1000)
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const under = option('under')
  const summary = summarise(profile, { fromMs: seconds(option('from'), 0), toMs: seconds(option('to'), Number.POSITIVE_INFINITY), ...(under ? { under } : {}) })
  const top = Number(option('top') ?? 40)
  process.stdout.write(
    [
      `busy ms per second: ${summary.perSecond.map((ms, second) => `${second}s ${(ms ?? 0).toFixed(0)}`).join(', ')}`,
      `in the window: busy ${summary.busyMs.toFixed(0)} ms${under ? ` under ${under}` : ''}, idle ${summary.idleMs.toFixed(0)} ms`,
      table('self', summary.self, top),
      table('inclusive', summary.inclusive, top),
      '',
    ].join('\n'),
  )
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main(process.argv.slice(2))
