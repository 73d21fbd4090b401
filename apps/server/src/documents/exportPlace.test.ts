import { describe, expect, it } from 'vitest'
import type { ApiError } from '../http/errors.ts'
import type { ExportJob } from './exportJobs.ts'
import { ExportWriter } from './exportWriter.ts'

/** An export's place is given back when its client goes, also while its job is still being read. */
const never = () => new Promise<never>(() => {})
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => 'produced', (caught: unknown) => (caught as ApiError).code), new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms))])

describe('the export line: a client gone while its export is read', () => {
  it('gives the place back at once, not when (if ever) the read settles', async () => {
    const writer = new ExportWriter({ timeLimitMs: 60_000, heapMb: 256, maxWaiting: 8, maxPerPerson: 1 })
    const leaving = new AbortController()
    const first = writer.write(never, { signal: leaving.signal, person: 'p' })
    leaving.abort()
    // The client is gone: its request should end (408) and its place leave the line.
    expect(await within(first, 200)).toBe('client_gone')
    // The same person's next export is read (pending here), not refused 429 as if the place were still held.
    expect(await within(writer.write(never, { person: 'p' }), 200)).toBe('pending')
  })

  it('a line of reads that never settle, their clients gone, does not refuse anyone else', async () => {
    const writer = new ExportWriter({ timeLimitMs: 60_000, heapMb: 256, maxWaiting: 2, maxPerPerson: 2 })
    for (const person of ['a', 'a', 'b']) {
      const leaving = new AbortController()
      void writer.write(never, { signal: leaving.signal, person }).catch(() => {})
      leaving.abort()
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await within(writer.write(never, { person: 'c' }), 200)).toBe('pending')
  })
})

describe('the export line: a job that cannot be sent to the thread', () => {
  it('fails alone, and the line goes on', async () => {
    const writer = new ExportWriter({ timeLimitMs: 60_000, heapMb: 256, maxWaiting: 8 })
    // A function cannot be copied to another thread: postMessage throws.
    const unsendable = { kind: 'markdown', updates: [], frontMatter: { title: () => 'x' }, rule: undefined } as unknown as ExportJob
    const sendable: ExportJob = { kind: 'markdown', updates: [], frontMatter: { title: 'x' }, rule: undefined }
    const [refused, after] = await Promise.allSettled([writer.write(unsendable), writer.write(sendable)])
    expect(refused.status).toBe('rejected')
    expect(after).toMatchObject({ status: 'fulfilled' })
    expect(await within(writer.write(sendable), 5_000)).toBe('produced')
  })
})
