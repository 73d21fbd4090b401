import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportLine } from '../src/documents/exportWriter.ts'
import { eventually, startTestServer, type TestServer } from './harness.ts'
import { longResolution } from './eventLoop.ts'

/**
 * An export whose client goes while the thread produces it is stopped, and
 * its place in the line given back, there and then: produced to the end, it
 * held the thread (up to its 60 s) and the person's share of the line for
 * nobody, and a delegate who asks, drops the connection and asks again kept
 * the thread busy for everyone else's exports.
 */

let server: TestServer
let token = ''
let id = ''

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', UNLOAD_AFTER_MS: '10000' })
  token = await server.login('tomas')
  // Long enough that its redline's PDF takes seconds on the thread (3 s on the reference machine, past the 1 s in which a
  // stopped export's thread must have ended): an export to leave mid-way.
  id = await longResolution(server, await server.login('secretariat'), 4_000)
}, 120_000)
afterAll(async () => {
  await server?.close()
})

const REDLINE = 'redline.pdf?from=1'
const ask = (signal?: AbortSignal) => fetch(`${server.url}/api/resolutions/${id}/${REDLINE}`, { headers: { authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) })

/** A PDF whole, to its end-of-file mark: not one cut off when another export was stopped. */
async function wholePdf(response: Promise<Response>): Promise<string> {
  const answer = await response
  expect(answer.status).toBe(200)
  const text = Buffer.from(await answer.arrayBuffer()).toString('latin1')
  expect(text.startsWith('%PDF-')).toBe(true)
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
  return text
}

/** Once the export thread has taken up a job: the first is then produced, not read or waiting. */
const producing = () => eventually(() => expect(exportLine().running).toBe(1), { timeout: 30_000, interval: 10 })

describe('an export whose client goes while it is produced', () => {
  it('is stopped: its thread ends at once, not when the export would have been done', { timeout: 120_000 }, async () => {
    // Once first, so that the thread and its renderers are loaded and the measure is the export's.
    await wholePdf(ask())
    const leaving = new AbortController()
    const abandoned = ask(leaving.signal).catch(() => null)
    await producing()
    const cpuBefore = process.cpuUsage()
    const stopped = performance.now()
    leaving.abort()
    expect(await abandoned).toBeNull()
    // Nothing left running, waiting or read, and no thread computing (a thread ended is one that has exited).
    await eventually(() => expect(exportLine()).toEqual({ running: 0, waiting: 0, reading: 0, threads: 0 }), { timeout: 1_000, interval: 10 })
    const stoppedMs = performance.now() - stopped
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const cpu = process.cpuUsage(cpuBefore)
    console.log(`stopped ${Math.round(stoppedMs)} ms after its client left; the process used ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU in the ${Math.round(performance.now() - stopped)} ms after`)
  })

  it('gives its place back at once: the person’s next export is taken, and the one that waited is produced whole', { timeout: 120_000 }, async () => {
    // Whatever an earlier test left is done with: the person's share is whole.
    await eventually(() => expect(exportLine()).toMatchObject({ running: 0, waiting: 0, reading: 0 }), { timeout: 60_000, interval: 50 })
    const leaving = new AbortController()
    const abandoned = ask(leaving.signal).catch(() => null)
    await producing()
    // The person's second place: it waits behind the first.
    const waited = ask()
    await eventually(() => expect(exportLine().waiting).toBe(1), { timeout: 30_000, interval: 10 })
    leaving.abort()
    expect(await abandoned).toBeNull()
    // The server has heard the client go once the export that waited is taken up.
    await eventually(() => expect(exportLine()).toMatchObject({ running: 1, waiting: 0 }), { timeout: 1_000, interval: 10 })
    // A third, asked at once: before, the abandoned export held its place until it was done, and this was refused 429.
    const third = ask()
    const [waitedPdf, thirdPdf] = await Promise.all([wholePdf(waited), wholePdf(third)])
    expect(waitedPdf.length).toBeGreaterThan(100_000)
    expect(thirdPdf.length).toBe(waitedPdf.length)
  })
})
