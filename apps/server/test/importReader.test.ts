import { monitorEventLoopDelay } from 'node:perf_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WordReader } from '../src/documents/wordReader.ts'
import { ApiError } from '../src/http/errors.ts'
import { docx, p, r, style } from './handWrittenDocx.ts'
import { startTestServer, type TestServer } from './harness.ts'
import { killHard, spawnServer } from './processes.ts'

/**
 * Word files are read on a thread of their own (`documents/wordReader.ts`):
 * a long one no longer holds up everyone's typing while it is read, and one
 * that would take too long or too much memory is refused without harming
 * the server.
 */

/** A long resolution as Word writes it: `count` paragraphs of a few formatted runs each. */
const longDraft = (count: number) =>
  docx(Array.from({ length: count }, (_, index) => p(r(`Le Conseil décide, au paragraphe ${index + 1}, `) + r('de renforcer', '<w:b/>') + r(' la cohésion sociale.', '<w:i/>'))).join(''))

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-word-reader-'))
let server: TestServer
let secretariat: string
beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: join(workdir, 'data') })
  secretariat = await server.login('secretariat')
})
afterAll(async () => {
  await server?.close()
  rmSync(workdir, { recursive: true, force: true })
})

function importFile(bytes: Uint8Array, name: string, dryRun: boolean, base = server.url, token = secretariat) {
  const form = new FormData()
  form.set('file', new File([bytes], name))
  return fetch(`${base}/api/resolutions/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } })
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('reading Word files on a thread of their own', () => {
  it('keeps the event loop free while a long Word file is read', { timeout: 120_000 }, async () => {
    const bytes = longDraft(20_000)
    // Once first, so the thread and its modules are loaded: what is measured is the reading.
    expect((await importFile(docx(p(r('Le Conseil décide.'))), 'warm.docx', true)).status).toBe(200)
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const started = performance.now()
    const response = await importFile(bytes, 'long.docx', true)
    const took = performance.now() - started
    delay.disable()
    expect(response.status).toBe(200)
    const preview = (await response.json()) as { paragraphs: number }
    expect(preview.paragraphs).toBe(20_000)
    const longestMs = delay.max / 1e6
    console.log(`a 20,000-paragraph Word file read in ${Math.round(took)} ms; the event loop was held at most ${Math.round(longestMs)} ms`)
    // On the event loop the reading and the preview held it for their whole length (about 20 s here); what is left is parsing the upload.
    expect(longestMs).toBeLessThan(500)
  })

  it('refuses a file that takes too long to read, and reads the next one on a new thread', { timeout: 60_000 }, async () => {
    const reader = new WordReader({ timeLimitMs: 50, heapMb: 512, maxWaiting: 4 })
    const tooLong = await refusal(reader.read({ bytes: longDraft(20_000), fileName: 'long.docx' }))
    expect(tooLong.status).toBe(422)
    expect(tooLong.code).toBe('too_complex')
    expect(tooLong.message).toContain('longer than 0.05 s')
    const patient = new WordReader()
    expect((await patient.read({ bytes: docx(p(r('Le Conseil décide.'))), fileName: 'short.docx' })).doc.textContent).toBe('Le Conseil décide.')
  })

  it('refuses a file whose reading needs more memory than the thread has, and the server goes on', { timeout: 60_000 }, async () => {
    const reader = new WordReader({ timeLimitMs: 60_000, heapMb: 64, maxWaiting: 4 })
    const tooBig = await refusal(reader.read({ bytes: longDraft(45_000), fileName: 'huge.docx' }))
    expect(tooBig.status).toBe(422)
    expect(tooBig.code).toBe('too_complex')
    expect(tooBig.message).toContain('more than 64 MiB')
    // The same reader reads the next file, on a new thread.
    expect((await reader.read({ bytes: docx(p(r('Le Conseil décide.'))), fileName: 'short.docx' })).doc.textContent).toBe('Le Conseil décide.')
  })

  it('refuses a file past the files waiting, with a Retry-After, and reads those waiting', { timeout: 60_000 }, async () => {
    const reader = new WordReader({ timeLimitMs: 60_000, heapMb: 512, maxWaiting: 1 })
    const bytes = longDraft(2_000)
    const reading = reader.read({ bytes, fileName: 'first.docx' })
    const waiting = reader.read({ bytes, fileName: 'second.docx' })
    const refused = await refusal(reader.read({ bytes, fileName: 'third.docx' }))
    expect(refused.status).toBe(503)
    expect(refused.code).toBe('import_busy')
    expect(refused.getResponse().headers.get('retry-after')).toBe('5')
    for (const parsed of await Promise.all([reading, waiting])) expect(parsed.doc.childCount).toBe(2_000)
  })

  it('passes a refusal from the thread on as it was made', async () => {
    const response = await importFile(new TextEncoder().encode('not a zip'), 'draft.docx', true)
    expect(response.status).toBe(422)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_docx')
  })

  it('reads Word files in the built server, which starts its thread from the compiled module', { timeout: 60_000 }, async () => {
    const built = await spawnServer({ DATA_DIR: join(workdir, 'built'), SEED_DEMO: '1' })
    try {
      const login = await fetch(`${built.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })
      const { token } = (await login.json()) as { token: string }
      const response = await importFile(docx(p(r('Résolution sur le climat'), '<w:pStyle w:val="Title"/>') + p(r('Le Conseil décide.')), { styles: style('paragraph', 'Title') }), 'climat.docx', false, built.url, token)
      expect(response.status).toBe(201)
      expect(((await response.json()) as { title: string }).title).toBe('Résolution sur le climat')
    } finally {
      await killHard(built)
    }
  })
})
