import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deleteBlock, insertAfter } from '@hemicycle/amendments'
import type { LanguageEntry, LiveEvent, TranslationBlock } from '@hemicycle/protocol'
import { bodyOf, numberBlocks, readBody, SOURCE_ID, splitResolutionFile } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, expectError, openRaw, sleep, startTestServer, type TestServer } from './harness.ts'
import { LibreOffice } from './libreoffice.ts'
import { listen } from './sse.ts'

let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-translations-'))
const libreOffice = new LibreOffice()
const clients: Client[] = []

const id = () => server.resolutionId
const send = (method: string, path: string, body: unknown, as: string) =>
  server.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const post = (path: string, body: unknown, as: string) => send('POST', path, body, as)
const get = (path: string, as = 'secretariat') => server.api(path, { token: tokens[as]! })
const languages = () => `/api/resolutions/${id()}/languages`
const blocksOf = async (language: string, as = 'traductrice') => (await (await get(`${languages()}/${language}/blocks`, as)).json()) as TranslationBlock[]
const move = (body: Record<string, unknown>, as: string) => post(`/api/resolutions/${id()}/stage`, body, as)

function connect(room: string, as: string): Client {
  const client = connectClient(server.wsUrl, room, tokens[as]!)
  clients.push(client)
  return client
}

/** Each textblock of a document: its id, source and text. */
function textblocks(doc: Y.Doc): Array<{ id: string; sourceId: string | null; text: string }> {
  const out: Array<{ id: string; sourceId: string | null; text: string }> = []
  readBody(doc).descendants((node) => {
    if (node.isTextblock) out.push({ id: node.attrs['id'] as string, sourceId: (node.attrs[SOURCE_ID] as string | null) ?? null, text: node.textContent })
    return !node.isTextblock
  })
  return out
}

/** Writes `text` into the version's block translating `sourceId`, as a translator typing. */
function translate(doc: Y.Doc, sourceId: string, text: string): void {
  const visit = (parent: Y.XmlFragment | Y.XmlElement): boolean => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.getAttribute(SOURCE_ID) === sourceId) {
        const content = child.toArray().find((inner): inner is Y.XmlText => inner instanceof Y.XmlText)!
        content.insert(content.length, text)
        return true
      }
      if (visit(child)) return true
    }
    return false
  }
  if (!visit(bodyOf(doc))) throw new Error(`no block translates ${sourceId}`)
}

function pdfText(pdf: Uint8Array, crop?: { x: number; width: number; height: number }): string {
  const path = join(workdir, `parallel-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  const area = crop ? ['-x', String(Math.round(crop.x)), '-y', '0', '-W', String(Math.round(crop.width)), '-H', String(Math.round(crop.height))] : []
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...area, path, '-'], { encoding: 'utf8' })
}

const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim()

/** Each of `parts` found in `text` after the one before it. */
function expectInOrder(text: string, parts: readonly string[]) {
  let at = -1
  for (const part of parts) {
    const next = text.indexOf(squash(part), at + 1)
    expect(next, `"${part.slice(0, 50)}" after position ${at}`).toBeGreaterThan(at)
    at = next
  }
}

let original: Array<{ id: string; text: string }> = []
let en: Client
let es: Client

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'traductrice', 'claire', 'ingrid', 'mateo', 'tomas']) tokens[name] = await server.login(name)
  const reader = connect(id(), 'tomas')
  await reader.synced
  original = textblocks(reader.doc)
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
  libreOffice.dispose()
  rmSync(workdir, { recursive: true, force: true })
})

describe('adding a language version', () => {
  it('gives one empty block per block of the original, each linked to its source, with the same § numbers', async () => {
    expect(original.length).toBe(15)
    const response = await post(languages(), { language: 'en' }, 'secretariat')
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ language: 'en', original: false, title: 'Résolution : cohésion sociale et progrès', counts: { current: 0, due: 0, missing: 15 }, hash: null })
    expect((await post(languages(), { language: 'es' }, 'secretariat')).status).toBe(201)

    en = connect(`${id()}/en`, 'traductrice')
    es = connect(`${id()}/es`, 'traductrice')
    await Promise.all([en.synced, es.synced])
    for (const client of [en, es]) {
      const blocks = textblocks(client.doc)
      expect(blocks.map((block) => block.sourceId)).toEqual(original.map((block) => block.id))
      expect(blocks.every((block) => block.text === '')).toBe(true)
      const ids = blocks.map((block) => block.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.some((blockId) => original.some((block) => block.id === blockId))).toBe(false)
    }
    const listed = (await (await get(languages(), 'tomas')).json()) as LanguageEntry[]
    expect(listed.map((entry) => [entry.language, entry.original, entry.counts])).toEqual([
      ['fr', true, { current: 15, due: 0, missing: 0 }],
      ['en', false, { current: 0, due: 0, missing: 15 }],
      ['es', false, { current: 0, due: 0, missing: 15 }],
    ])
    const blocks = await blocksOf('es')
    expect(blocks.map((block) => [block.sourceId, block.paragraph, block.status, block.sourceChanges])).toEqual(original.map((block, index) => [block.id, index + 1, 'missing', null]))
  })

  it('is the secretariat’s, once per language, in a language of the alliance other than the original', async () => {
    await expectError(await post(languages(), { language: 'en' }, 'secretariat'), 409, 'language_exists')
    await expectError(await post(languages(), { language: 'de' }, 'secretariat'), 422, 'invalid_language')
    await expectError(await post(languages(), { language: 'fr' }, 'secretariat'), 422, 'original_language')
    await expectError(await post(languages(), { language: 'en' }, 'traductrice'), 403, 'forbidden')
    await expectError(await post(languages(), { language: 'en' }, 'claire'), 403, 'forbidden')
    await expectError(await get(`${languages()}/de/blocks`), 404, 'not_found')
    await expect(openRaw(server.wsUrl, `/collab/${id()}/de?token=${tokens['traductrice']}`)).rejects.toThrow('HTTP 404')
  })
})

describe('translating live', () => {
  it('lets translators and the secretariat write a version, and nobody else', async () => {
    translate(en.doc, original[0]!.id, 'We live in a time of rapid change.')
    await en.saved()
    expect(en.denials).toEqual([])

    const claire = connect(`${id()}/en`, 'claire')
    await claire.synced
    translate(claire.doc, original[1]!.id, 'Claire was here.')
    await eventually(() => expect(claire.denials.length).toBeGreaterThan(0))
    expect(claire.denials.every((reason) => reason.startsWith('role:'))).toBe(true)
    // A translator translates: the original is not hers to edit.
    const onOriginal = connect(id(), 'traductrice')
    await onOriginal.synced
    const first = (onOriginal.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
    first.insert(0, 'Translator was here. ')
    await eventually(() => expect(onOriginal.denials.length).toBeGreaterThan(0))
    expect(onOriginal.denials.every((reason) => reason.startsWith('role:'))).toBe(true)
    await sleep(100)
    const [block] = await blocksOf('en')
    expect(block).toMatchObject({ status: 'due', text: 'We live in a time of rapid change.', sourceText: original[0]!.text, confirmed: null })
    expect((await blocksOf('en'))[1]!.text).toBe('')
  })

  it('makes a block current when a translator confirms it, and refuses to confirm an empty one', async () => {
    const confirmed = await post(`${languages()}/en/blocks/${original[0]!.id}/confirm`, {}, 'traductrice')
    expect(confirmed.status).toBe(200)
    expect(await confirmed.json()).toMatchObject({ sourceId: original[0]!.id, status: 'current', sourceChanges: null, confirmed: { by: 'Élise Fontaine' } })
    await expectError(await post(`${languages()}/en/blocks/${original[1]!.id}/confirm`, {}, 'traductrice'), 409, 'empty_translation')
    await expectError(await post(`${languages()}/en/blocks/${original[0]!.id}/confirm`, {}, 'claire'), 403, 'forbidden')
    await expectError(await post(`${languages()}/en/blocks/nowhere/confirm`, {}, 'traductrice'), 404, 'not_found')
  })

  it('keeps every version aligned, § for §, when paragraphs are added to, split in and removed from the original', async () => {
    const events = await listen(`${server.url}/api/resolutions/${id()}/events`, tokens['traductrice']!)
    const claire = connect(id(), 'claire')
    await claire.synced
    claire.doc.transact(() => {
      insertAfter(claire.doc, original[2]!.id, [[{ text: 'Un paragraphe nouveau.' }]])
      deleteBlock(claire.doc, original[5]!.id)
      // A split: the first half keeps its id, the second is a paragraph of its own.
      const second = (claire.doc.getXmlFragment('body').get(1) as Y.XmlElement).get(0) as Y.XmlText
      const text = second.toString()
      const at = text.indexOf('Certains s')
      second.delete(at, text.length - at)
      insertAfter(claire.doc, original[1]!.id, [[{ text: text.slice(at) }]])
    })
    await claire.saved()
    const now = textblocks(claire.doc)
    expect(now.length).toBe(16)
    for (const client of [en, es]) {
      await eventually(() => expect(textblocks(client.doc).map((block) => block.sourceId)).toEqual(now.map((block) => block.id)), { timeout: 2000 })
    }
    expect(textblocks(en.doc)[0]!.text).toBe('We live in a time of rapid change.')
    const added = now.filter((block) => !original.some((before) => before.id === block.id))
    expect(added.length).toBe(2)
    await eventually(() =>
      expect(events.events.filter((event): event is Extract<LiveEvent, { type: 'translation' }> => event.type === 'translation' && event.language === 'es' && added.some((block) => block.id === event.sourceId))).toHaveLength(2),
    )
    const blocks = await blocksOf('en')
    expect(blocks.map((block) => block.paragraph)).toEqual(numberBlocks(readBody(claire.doc)).map((block) => block.paragraph))
    // The first block stays confirmed; both halves of the split block are as untranslated as it was.
    expect(blocks.map((block) => block.status).slice(0, 3)).toEqual(['current', 'missing', 'missing'])
    events.close()
    original = now
  })
})

describe('an accepted amendment', () => {
  let fourth: { id: string; text: string }

  it('turns the block of every version due at once, live, with the amendment’s change as the source’s change', async () => {
    fourth = original.find((block) => block.text.startsWith("Ce n'est pas une tâche facile, car"))!
    for (const client of [en, es]) translate(client.doc, fourth.id, client === en ? 'This is no easy task.' : 'No es una tarea fácil.')
    await Promise.all([en.saved(), es.saved()])
    for (const language of ['en', 'es']) expect((await post(`${languages()}/${language}/blocks/${fourth.id}/confirm`, {}, 'traductrice')).status).toBe(200)

    expect((await move({ to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const tabled = await post(`/api/resolutions/${id()}/amendments`, { kind: 'replace', blockId: fourth.id, text: fourth.text.replace('tâche facile', 'tâche aisée'), justification: 'Plus juste.' }, 'claire')
    expect(tabled.status).toBe(201)
    const amendment = (await tabled.json()) as { id: string }
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)

    const events = await listen(`${server.url}/api/resolutions/${id()}/events`, tokens['traductrice']!)
    await eventually(() => expect(events.events.length).toBeGreaterThan(0))
    const started = performance.now()
    expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    const due = (language: string) => (event: LiveEvent) => event.type === 'translation' && event.language === language && event.sourceId === fourth.id && event.status === 'due'
    await eventually(() => expect(events.events.some(due('en')) && events.events.some(due('es'))).toBe(true), { timeout: 1000, interval: 5 })
    const elapsed = performance.now() - started
    console.info(`accepted amendment → both versions' § due, told live, in ${elapsed.toFixed(0)} ms`)
    events.close()

    const block = (await blocksOf('es')).find((candidate) => candidate.sourceId === fourth.id)!
    expect(block.status).toBe('due')
    expect(block.sourceChanges!.filter((run) => run.change !== 'equal')).toEqual([
      { text: 'facile', change: 'delete' },
      { text: 'aisée', change: 'insert' },
    ])
    expect(block.sourceChanges!.filter((run) => run.change !== 'insert').map((run) => run.text).join('')).toBe(fourth.text)
    expect(block.sourceChanges!.filter((run) => run.change !== 'delete').map((run) => run.text).join('')).toBe(block.sourceText)
  })

  it('becomes current again when a translator confirms it against the new wording', async () => {
    expect((await post(`${languages()}/es/blocks/${fourth.id}/confirm`, {}, 'traductrice')).status).toBe(200)
    const es4 = (await blocksOf('es')).find((candidate) => candidate.sourceId === fourth.id)!
    expect(es4).toMatchObject({ status: 'current', sourceChanges: null })
    expect((await blocksOf('en')).find((candidate) => candidate.sourceId === fourth.id)!.status).toBe('due')
  })
})

describe('the lock', () => {
  const filled = (language: string, index: number) => `${language.toUpperCase()} text of block ${index + 1}.`
  const amended = () => original.find((block) => block.text.startsWith("Ce n'est pas une tâche facile, car"))!

  it('is refused while versions have due or missing blocks, naming them, and allowed when the Steering Committee acknowledges them', async () => {
    for (const [client, language] of [[en, 'en'], [es, 'es']] as const) {
      for (const [index, block] of textblocks(client.doc).entries()) if (block.text === '') translate(client.doc, block.sourceId!, filled(language, index))
      await client.saved()
    }
    await sleep(200)
    const refused = await expectError(await move({ to: 'final', confirm: true }, 'mateo'), 409, 'translations_due')
    const { outstanding } = refused as unknown as { outstanding: Array<{ language: string; sourceId: string; status: string; paragraph: number }> }
    const paragraph = (await blocksOf('en')).find((block) => block.sourceId === amended().id)!.paragraph
    expect(outstanding).toContainEqual({ language: 'en', sourceId: amended().id, paragraph, status: 'due' })
    expect(outstanding.some((block) => block.language === 'es' && block.sourceId === amended().id)).toBe(false)
    expect(outstanding.some((block) => block.status === 'missing')).toBe(false)
    expect(((await (await get(`/api/resolutions/${id()}`)).json()) as { stage: string }).stage).toBe('consolidation')

    const locked = await move({ to: 'final', confirm: true, acceptOutstandingTranslations: true }, 'mateo')
    expect(locked.status).toBe(200)
    const audit = (await (await get(`/api/resolutions/${id()}/audit`)).json()) as Array<{ action: string; detail: Record<string, unknown> }>
    const lock = audit.filter((entry) => entry.action === 'lock').at(-1)!
    expect(lock.detail['outstandingTranslationsAcknowledged']).toEqual(outstanding)
  })

  it('hashes every version, and each hash verifies against the stored text', async () => {
    const listed = (await (await get(languages())).json()) as LanguageEntry[]
    for (const entry of listed) expect(entry.hash).toMatch(/^[0-9a-f]{64}$/)
    for (const language of ['fr', 'en', 'es']) {
      const verify = (await (await server.api(`/api/resolutions/${id()}/verify?language=${language}`)).json()) as { hash: string; matches: boolean }
      const markdown = await (await get(`/api/resolutions/${id()}/export.md?language=${language}`)).text()
      const { body } = splitResolutionFile(markdown)
      expect({ language, matches: verify.matches, hash: verify.hash }).toEqual({ language, matches: true, hash: createHash('sha256').update(body).digest('hex') })
      expect(verify.hash).toBe(listed.find((entry) => entry.language === language)!.hash)
    }
  })

  it('refuses every edit to a version afterwards', async () => {
    const before = textblocks(es.doc)
    const told = es.denials.length
    translate(es.doc, original[0]!.id, ' Too late.')
    await eventually(() => expect(es.denials.length).toBeGreaterThan(told))
    expect(es.denials.every((reason) => reason.startsWith('stage:'))).toBe(true)
    await sleep(200)
    const stored = await (await get(`/api/resolutions/${id()}/export.md?language=es`)).text()
    expect(stored).not.toContain('Too late.')
    expect(stored).toContain(before[0]!.text)
    await expectError(await post(`${languages()}/en/blocks/${amended().id}/confirm`, {}, 'traductrice'), 409, 'wrong_stage')
    await expectError(await post(languages(), { language: 'es' }, 'secretariat'), 409, 'wrong_stage')
    const verify = (await (await server.api(`/api/resolutions/${id()}/verify?language=es`)).json()) as { matches: boolean }
    expect(verify.matches).toBe(true)
  })
})

describe('documents in every language', () => {
  it('stamps the Spanish export PROYECTO, in every format', async () => {
    const markdown = await (await get(`/api/resolutions/${id()}/export.md?language=es`)).text()
    expect(markdown).toMatch(/^status: PROYECTO$/m)
    expect(markdown).toMatch(/^language: es$/m)
    const pdf = new Uint8Array(await (await get(`/api/resolutions/${id()}/export.pdf?language=es`)).arrayBuffer())
    const text = squash(pdfText(pdf))
    expect(text).toContain('PROYECTO 03 de julio de 2019')
    expect(text).not.toContain('PROJET')
    expect(text).toContain('No es una tarea fácil.')
    const html = await (await get(`/api/resolutions/${id()}/export.html?language=en`)).text()
    expect(html).toContain('<div class="stamp">DRAFT 03 July 2019</div>')
    await expectError(await get(`/api/resolutions/${id()}/export.pdf?language=en&version=1`), 422, 'version_not_translated')
  })

  it('prints each amendment’s paragraph in a chosen version beside the original’s in the booklet', async () => {
    const booklet = squash(pdfText(new Uint8Array(await (await get(`/api/resolutions/${id()}/booklet.pdf?beside=es`)).arrayBuffer())))
    expectInOrder(booklet, ['A1', 'Texte en espagnol', 'No es una tarea fácil.'])
    const without = squash(pdfText(new Uint8Array(await (await get(`/api/resolutions/${id()}/booklet.pdf`)).arrayBuffer())))
    expect(without).not.toContain('Texte en espagnol')
    expect(without).not.toContain('No es una tarea fácil.')
  })

  it('sets the three texts side by side in the parallel PDF, paragraph by paragraph, in order', async () => {
    const response = await get(`/api/resolutions/${id()}/parallel.pdf?languages=fr,en,es`)
    expect(response.status).toBe(200)
    const pdf = new Uint8Array(await response.arrayBuffer())
    const texts = { fr: await serverTexts(id()), en: await serverTexts(`${id()}/en`), es: await serverTexts(`${id()}/es`) }
    // Each column, read alone by pdftotext, holds its language's text block after block.
    const left = 56 + 28
    const width = (595.28 - 56 - left - 2 * 12) / 3
    for (const [index, language] of (['fr', 'en', 'es'] as const).entries()) {
      const column = squash(pdfText(pdf, { x: left + index * (width + 12), width, height: 841.89 - 64 }))
      expectInOrder(column, texts[language])
      for (const other of (['fr', 'en', 'es'] as const).filter((candidate) => candidate !== language)) expect(column).not.toContain(squash(texts[other][4]!))
    }
    expect(squash(pdfText(pdf))).toContain('PROYECTO 03 de julio de 2019')
    await expectError(await get(`/api/resolutions/${id()}/parallel.pdf?languages=fr,fr`), 400, 'invalid_languages')
  })

  it('sets them side by side in the parallel DOCX, row by row, as LibreOffice reads it', async () => {
    const docx = new Uint8Array(await (await get(`/api/resolutions/${id()}/parallel.docx?languages=fr,en,es`)).arrayBuffer())
    const [converted] = await libreOffice.convert([{ name: 'parallel.docx', bytes: docx }], 'txt')
    const text = squash(readFileSync(converted!, 'utf8'))
    const [fr, english, spanish] = [await serverTexts(id()), await serverTexts(`${id()}/en`), await serverTexts(`${id()}/es`)]
    expectInOrder(text, fr.flatMap((paragraph, index) => [paragraph, english[index]!, spanish[index]!]))
    expect(text).toContain('PROYECTO 03 de julio de 2019')
  }, 180_000)
})

/** Each textblock's text as the server holds it, read by an observer's fresh client. */
async function serverTexts(room: string): Promise<string[]> {
  const client = connect(room, 'tomas')
  await client.synced
  return textblocks(client.doc).map((block) => block.text)
}
