import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { fileURLToPath } from 'node:url'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { readRedline } from '../src/documents/redline.ts'
import { EXPORT_LIMITS } from '../src/documents/exportWriter.ts'
import { findResolution } from '../src/resolutions/repository.ts'
import { connectClient, startTestServer, type TestServer } from './harness.ts'

/**
 * Whether the export thread's heap (`EXPORT_LIMITS.heapMb`, 1 GiB) and time
 * (60 s) hold the redline of a 20,000-paragraph resolution, as PDF and DOCX:
 * the redline reads both versions, and the renderers lay out every run.
 * Minutes of CPU, so not in the default suite:
 *
 *   MEASURE_20K=1 pnpm exec vitest run --project server-timed apps/server/test/redline20k.test.ts
 *
 * Each export is asked of a real server (its thread, its limits) and must
 * come whole; then the same export is made again in a process of its own
 * with the thread's heap limit (`redlineExport.measure.ts`) for its peak
 * heap and RSS, which a worker's heap does not give out on Node 20.
 */

const PARAGRAPHS = 20_000
const WORDS = ['la', 'résolution', 'appelle', 'les', 'gouvernements', 'à', 'renforcer', 'cohésion', 'sociale', 'et', 'le', 'progrès', 'commun', 'des', 'peuples']

/** About 240 characters: 20,000 of them are 4.95 MB of Markdown, just under the import’s 5 MiB. */
function paragraphText(index: number): string {
  const words: string[] = []
  for (let word = 0, length = 0; length < 225; word++) {
    const next = WORDS[(index * 7 + word * 3) % WORDS.length]!
    words.push(next)
    length += next.length + 1
  }
  return `${words.join(' ')} (${index + 1}).`
}

/** The largest heap any collection started from, in MB, from --trace-gc's "Mark-Compact 812.4 (830.1) -> ..." lines. */
const peakHeapMb = (trace: string) => Math.max(0, ...[...trace.matchAll(/(?:Scavenge|Mark-Compact|Mark-sweep)[^\d]*([\d.]+) \(([\d.]+)\) ->/g)].map((match) => Number(match[1])))

let server: TestServer
let secretariat = ''
let dir = ''

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', UNLOAD_AFTER_MS: '600000' })
  secretariat = await server.login('secretariat')
  dir = mkdtempSync(join(tmpdir(), 'redline20k-'))
})
afterAll(async () => {
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function importLong(): Promise<string> {
  const markdown = `---\ntitle: Très longue résolution\nlanguage: fr\n---\n\n${Array.from({ length: PARAGRAPHS }, (_, index) => paragraphText(index)).join('\n\n')}\n`
  const form = new FormData()
  form.set('file', new File([markdown], 'long.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: secretariat })
  expect(response.status, await response.clone().text()).toBe(201)
  return ((await response.json()) as { id: string }).id
}

/** Edits the text as it stands, `every` paragraphs one word in and a few words out, in transactions of 1,000 paragraphs, stored. */
async function edit(id: string, every: number): Promise<number> {
  const client = connectClient(server.wsUrl, id, secretariat)
  await client.synced
  const body = client.doc.getXmlFragment('body')
  let changed = 0
  for (let start = 0; start < body.length; start += 1_000) {
    client.doc.transact(() => {
      for (let index = start; index < Math.min(start + 1_000, body.length); index++) {
        if (index % every !== 0) continue
        const content = (body.get(index) as Y.XmlElement).get(0) as Y.XmlText
        content.insert(20, 'durablement ')
        content.delete(80, 25)
        changed += 1
      }
    })
    await client.saved()
  }
  client.destroy()
  return changed
}

/** An export asked of the server: its time, its size, and the server process's RSS at its highest meanwhile. */
async function exported(id: string, path: string) {
  const rssBefore = process.memoryUsage().rss
  let rssPeak = rssBefore
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50)
  const started = performance.now()
  try {
    const response = await server.api(`/api/resolutions/${id}/${path}`, { token: secretariat })
    const bytes = new Uint8Array(await response.arrayBuffer())
    const ms = performance.now() - started
    expect(response.status, new TextDecoder().decode(bytes.subarray(0, 300))).toBe(200)
    return { ms, bytes, rssBefore: rssBefore / 2 ** 20, rssPeak: rssPeak / 2 ** 20 }
  } finally {
    clearInterval(sampler)
  }
}

/** The same export in a process of the thread's heap: its peak heap above what it started with, its RSS and time. */
function alone(readingPath: string, format: 'pdf' | 'docx') {
  const script = fileURLToPath(new URL('./redlineExport.measure.ts', import.meta.url))
  // MEASURE_PROFILE=<dir>: a CPU profile of each, for where the time goes.
  const profile = process.env['MEASURE_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['MEASURE_PROFILE']}`] : []
  const out = execFileSync(process.execPath, [`--max-old-space-size=${EXPORT_LIMITS.heapMb}`, '--expose-gc', '--trace-gc', ...profile, '--import', 'tsx', script, readingPath, format], {
    encoding: 'utf8',
    maxBuffer: 2 ** 28,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
  const base = Number(/^base ([\d.]+)/m.exec(out)![1])
  const [, bytes, ms, rss] = /^result (\d+) ms (\d+) rss (\d+)/m.exec(out)!
  const during = out.slice(out.indexOf('\nbase '), out.indexOf('\nresult '))
  return { bytes: Number(bytes), ms: Number(ms), peakHeap: peakHeapMb(during), base, rss: Number(rss) }
}

describe.runIf(process.env['MEASURE_20K'])('the redline of a 20,000-paragraph resolution', () => {
  for (const [name, every] of [
    ['a change every 1,000 paragraphs', 1_000],
    ['a change in every paragraph', 1],
  ] as const) {
    it(`is exported whole as PDF and DOCX within the export thread's heap and time: ${name}`, { timeout: 1_800_000 }, async () => {
      const id = await importLong()
      const changed = await edit(id, every)
      const { services } = server.hemicycle
      const reading = await readRedline(services, (await findResolution(services.db, id))!, 1, 'current')
      const readingPath = join(dir, `${every}.bin`)
      writeFileSync(readingPath, serialize(reading))
      for (const format of ['pdf', 'docx'] as const) {
        const { ms, bytes, rssBefore, rssPeak } = await exported(id, `redline.${format}?from=1`)
        if (format === 'pdf') expect(Buffer.from(bytes.subarray(-8)).toString('latin1')).toContain('%%EOF')
        else {
          // Every paragraph is there, the last one too: not a file cut short.
          const document = strFromU8(unzipSync(bytes)['word/document.xml']!)
          expect(document).toContain(`(${PARAGRAPHS}).`)
          expect(document.match(/<w:p[ >]/g)?.length ?? 0).toBeGreaterThanOrEqual(PARAGRAPHS)
        }
        const measured = alone(readingPath, format)
        console.log(
          `${PARAGRAPHS} paragraphs, ${changed} changed, redline.${format}: through the server ${(ms / 1000).toFixed(1)} s, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB, ` +
            `server RSS ${rssBefore.toFixed(0)} → ${rssPeak.toFixed(0)} MiB; alone ${(measured.ms / 1000).toFixed(1)} s, peak heap ${measured.peakHeap.toFixed(0)} MB (from ${measured.base.toFixed(0)}) of ${EXPORT_LIMITS.heapMb}, max RSS ${measured.rss} MB`,
        )
        expect(measured.bytes).toBeGreaterThan(0)
      }
    })
  }
})
