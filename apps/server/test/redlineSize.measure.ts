/**
 * How much heap and time a redline of a very long resolution takes: 20,000
 * paragraphs of about 300 characters, a few of them changed by a person and
 * an amendment. Not a test (vitest does not pick it up) and not one of the
 * benchmarks: a figure to compare before and after a change to the redline.
 *
 *   cd apps/server && node --import tsx test/redlineSize.measure.ts
 *
 * Each part runs in a fresh process, with --trace-gc read for the largest
 * heap a collection found (the peak, to within one collection's worth).
 */
import { execFileSync } from 'node:child_process'
import { computeRedline, modelBlocks } from '@hemicycle/documents'
import { BLOCK_ID, bodyOf, readBody, schema, writeBody } from '@hemicycle/schema'
import * as Y from 'yjs'
import { deletedRanges, insertedRanges } from '../src/collab/storage.ts'
import { type LogRow, redlineBlocks, redlineInputs } from '../src/documents/redline.ts'

const PARAGRAPHS = Number(process.env.PARAGRAPHS ?? 20_000)
const WORDS = ['la', 'résolution', 'appelle', 'les', 'gouvernements', 'à', 'renforcer', 'cohésion', 'sociale', 'et', 'le', 'progrès', 'commun', 'des', 'peuples']

function paragraphText(index: number): string {
  const words: string[] = []
  let length = 0
  for (let word = 0; length < 300; word++) {
    const next = WORDS[(index * 7 + word * 3) % WORDS.length]!
    words.push(next)
    length += next.length + 1
  }
  return `${words.join(' ')}.`
}

/** Version 1 as imported, then a person's and an amendment's edits, each logged as the server logs them. */
function history() {
  const rows: LogRow[] = []
  let at = Date.parse('2026-11-01T10:00:00Z')
  const log = (update: Uint8Array, origin: LogRow['origin'], who: string | null) =>
    rows.push({
      id: rows.length + 1,
      origin,
      amendment_id: origin === 'amendment' ? who : null,
      person_id: origin === 'connection' ? who : null, delegation_id: null, decision: null,
      inserts: insertedRanges(update),
      deletes: deletedRanges(update),
      created_at: new Date((at += 60_000)),
    })
  const from = new Y.Doc()
  from.clientID = 1
  const content = schema.node('doc', null, Array.from({ length: PARAGRAPHS }, (_, index) => schema.node('paragraph', { [BLOCK_ID]: `p${index}` }, schema.text(paragraphText(index)))))
  writeBody(from, content)
  log(Y.encodeStateAsUpdate(from), 'server', null)
  const fromAt = new Date(at)

  const to = new Y.Doc()
  to.clientID = 2
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from))
  const edit = (clientID: number, origin: LogRow['origin'], who: string, change: (body: Y.XmlFragment) => void) => {
    to.clientID = clientID
    const before = Y.encodeStateVector(to)
    to.transact(() => change(bodyOf(to)))
    log(Y.encodeStateAsUpdate(to, before), origin, who)
  }
  const text = (body: Y.XmlFragment, index: number) => (body.get(index) as Y.XmlElement).get(0) as Y.XmlText
  for (let index = 100; index < PARAGRAPHS; index += 1_000) {
    edit(2, 'connection', 'claire', (body) => text(body, index).insert(20, 'durablement '))
    edit(3, 'amendment', 'A1', (body) => text(body, index + 1).delete(30, 40))
  }
  edit(3, 'amendment', 'A2', (body) => body.delete(PARAGRAPHS - 5, 2))
  return { from, to, rows, between: [fromAt, new Date(at)] as const }
}

/** The largest heap any collection started from, in MB, from --trace-gc's "Mark-Compact 812.4 (830.1) -> ..." lines. */
const peakHeap = (trace: string) => Math.max(...[...trace.matchAll(/(?:Scavenge|Mark-Compact|Mark-sweep)[^\d]*([\d.]+) \(([\d.]+)\) ->/g)].map((match) => Number(match[1])))

function child(part: string) {
  const { from, to, rows, between } = history()
  const inputs = part === 'package' ? redlineInputs(from, to, rows, between) : null
  global.gc?.()
  const base = process.memoryUsage().heapUsed
  console.log(`base ${(base / 2 ** 20).toFixed(1)}`)
  const started = performance.now()
  let blocks: unknown[]
  if (part === 'model') blocks = [modelBlocks(readBody(from)), modelBlocks(readBody(to))]
  else if (part === 'inputs') blocks = Object.values(redlineInputs(from, to, rows, between))
  else if (part === 'package') blocks = computeRedline(inputs!.from, inputs!.to, inputs!.attribution)
  else blocks = redlineBlocks(from, to, rows, between)
  const elapsed = performance.now() - started
  global.gc?.()
  console.log(`result ${blocks.length} ms ${elapsed.toFixed(0)} retained ${((process.memoryUsage().heapUsed - base) / 2 ** 20).toFixed(1)}`)
}

if (process.argv[2] === 'child') child(process.argv[3]!)
else {
  for (const part of ['model', 'inputs', 'package', 'server']) {
    const runs = Array.from({ length: Number(process.env.RUNS ?? 2) }, () => {
      const out = execFileSync(process.execPath, ['--expose-gc', '--trace-gc', '--import', 'tsx', process.argv[1]!, 'child', part], { encoding: 'utf8', maxBuffer: 2 ** 28 })
      const base = Number(/^base ([\d.]+)/m.exec(out)![1])
      const [, count, ms, retained] = /^result (\d+) ms (\d+) retained ([\d.-]+)/m.exec(out)!
      const during = out.slice(out.indexOf('\nbase '), out.indexOf('\nresult '))
      return { count: Number(count), ms: Number(ms), peak: peakHeap(during) - base, retained: Number(retained) }
    })
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a))
    console.log(`${part.padEnd(8)} blocks ${best.count}  time ${runs.map((run) => run.ms).join(' / ')} ms  peak heap above the start ${Math.max(...runs.map((run) => run.peak)).toFixed(0)} MB, result holds ${best.retained.toFixed(0)} MB`)
  }
}
