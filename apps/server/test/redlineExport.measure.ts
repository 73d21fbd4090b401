/**
 * One redline export (`produceExport`), as the export thread makes it, in a
 * process of its own whose heap is the thread's (`--max-old-space-size` as
 * its `maxOldGenerationSizeMb`), for its peak heap, RSS and time. Run by
 * `redline20k.test.ts` with the reading it saved (`v8.serialize`):
 *
 *   node --max-old-space-size=1024 --expose-gc --trace-gc --import tsx test/redlineExport.measure.ts <reading> <pdf|docx>
 *
 * Prints `base <MB>` then `result <bytes> ms <ms> rss <MB>`; the GC lines
 * between them give the peak.
 */
import { readFileSync } from 'node:fs'
import { deserialize } from 'node:v8'
import { produceExport } from '../src/documents/exportJobs.ts'
import type { RedlineReading } from '../src/documents/redline.ts'

async function main(path: string, format: 'pdf' | 'docx') {
  const reading = deserialize(readFileSync(path)) as RedlineReading
  global.gc?.()
  console.log(`base ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`)
  const started = performance.now()
  const output = await produceExport({ kind: 'redline', format, reading })
  const ms = performance.now() - started
  console.log(`result ${output.length} ms ${ms.toFixed(0)} rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`)
}

if (process.argv[2] && process.argv[3]) await main(process.argv[2], process.argv[3] as 'pdf' | 'docx')
