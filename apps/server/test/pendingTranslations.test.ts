import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bodyOf, SOURCE_ID, textblockElements } from '@hemicycle/schema'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { eventually, typeIntoBlock } from './harness.ts'
import { languageVersionSession, paragraphsOf, textOf } from './languageVersions.ts'
import { LibreOffice } from './libreoffice.ts'

/**
 * A language version locked with translations outstanding: every printed
 * export of it says, at the paragraph, that a `due` paragraph's
 * translation was not confirmed against the original as it reads, and
 * that a `missing` one is not translated, rather than printing the old
 * words (or nothing) as if they were the adopted text. The canonical
 * Markdown, which the lock hashes, stays the text alone.
 */

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-pending-'))
const office = new LibreOffice()
afterAll(() => {
  office.dispose()
  rmSync(workdir, { recursive: true, force: true })
})

const { start, s, id, get, post, token, blocksOf, move, connect, translateAndConfirmAll } = languageVersionSession()

const DUE = '[Translation pending: this paragraph has not been confirmed against §3 of the original as it now reads.]'
const MISSING = '[Not translated: see §6 of the original.]'

/** Text with every run of spaces and line breaks made one space, so a mark wrapped over lines reads in one piece. */
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ')

/** The text of a PDF as pdftotext reads it; `crop`, only what lies in that part of each page (points from the left, and width). */
function pdfText(pdf: Uint8Array, crop: { x: number; width: number } | null = null): string {
  expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe('%PDF-')
  const path = join(workdir, `${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  const area = crop ? ['-x', String(crop.x), '-y', '0', '-W', String(crop.width), '-H', '842'] : []
  return squash(execFileSync('pdftotext', ['-enc', 'UTF-8', ...area, path, '-'], { encoding: 'utf8' }))
}

const htmlText = (html: string) => squash(html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))

/** The marks of a text, in order: the due one right after §3's words, the missing one between §5's and §7's, none elsewhere. */
function expectMarks(text: string, what: string): void {
  const marks = [...text.matchAll(/\[(?:Translation pending|Not translated)[^\]]*\]/g)].map((match) => match[0])
  expect(marks, what).toEqual([DUE, MISSING])
  const at = (needle: string) => text.indexOf(needle)
  expect(at('EN text of block 3.'), what).toBeGreaterThanOrEqual(0)
  expect(at('EN text of block 3.'), what).toBeLessThan(at(DUE))
  expect(at(DUE), what).toBeLessThan(at('EN text of block 4.'))
  expect(at('EN text of block 5.'), what).toBeLessThan(at(MISSING))
  expect(at(MISSING), what).toBeLessThan(at('EN text of block 7.'))
  expect(text, what).not.toContain('EN text of block 6.')
}

async function bytes(path: string): Promise<Uint8Array> {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  return new Uint8Array(await response.arrayBuffer())
}

describe('an English version locked with §3 due and §6 missing', () => {
  it('marks them, in English, in every printed export, and leaves the canonical Markdown and its hash the text alone', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const blocks = await blocksOf('en')
    const [third, sixth] = [blocks.find((block) => block.paragraph === 3)!, blocks.find((block) => block.paragraph === 6)!]

    // A delegate changes §3 of the original: its translation no longer vouches for it.
    const claire = connect(id(), 'claire')
    await claire.synced
    typeIntoBlock(claire.doc, third.sourceId, 0, 'Dès maintenant, ')
    await claire.saved()
    // The translator takes §6's translation back: nothing translates it.
    const element = textblockElements(bodyOf(version.doc))
      .map(({ element }) => element)
      .find((candidate) => candidate.getAttribute(SOURCE_ID) === sixth.sourceId) as Y.XmlElement
    const words = textOf(element)
    words.delete(0, words.length)
    await version.saved()
    await eventually(async () => {
      const statuses = (await blocksOf('en')).map((block) => block.status)
      expect(statuses).toEqual(statuses.map((_, index) => (index === 2 ? 'due' : index === 5 ? 'missing' : 'current')))
    })

    // While the version is still followed (drafting), and after the lock.
    expectMarks(htmlText(await (await get(`/api/resolutions/${id()}/export.html?language=en`)).text()), 'HTML while drafting')

    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    // The booklet printed with the English text beside each amendment's paragraph: §3's and §6's carry the mark, §2's none.
    const second = blocks.find((block) => block.paragraph === 2)!
    const amendments: string[] = []
    for (const block of [second, third, sixth]) {
      const tabled = await post(`/api/resolutions/${id()}/amendments`, { kind: 'delete', blockId: block.sourceId, text: '', justification: 'Superflu.' }, 'claire')
      expect(tabled.status).toBe(201)
      amendments.push(((await tabled.json()) as { id: string }).id)
    }
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const bookletMarks = (text: string, what: string) => {
      expect([...text.matchAll(/\[(?:Translation pending|Not translated)[^\]]*\]/g)].map((match) => match[0]), what).toEqual([DUE, MISSING])
      expect(text.indexOf('EN text of block 2.'), what).toBeGreaterThanOrEqual(0)
      expect(text.indexOf('EN text of block 2.'), what).toBeLessThan(text.indexOf('EN text of block 3.'))
      expect(text.indexOf('EN text of block 3.'), what).toBeLessThan(text.indexOf(DUE))
      expect(text.indexOf(DUE), what).toBeLessThan(text.indexOf(MISSING))
    }
    bookletMarks(pdfText(await bytes(`/api/resolutions/${id()}/booklet.pdf?beside=en`)), 'booklet PDF beside English')
    const [booklet] = await office.convert([{ name: 'booklet.docx', bytes: await bytes(`/api/resolutions/${id()}/booklet.docx?beside=en`) }], 'txt')
    bookletMarks(squash(readFileSync(booklet!, 'utf8')), 'booklet DOCX beside English, as LibreOffice reads it')
    for (const amendment of amendments) expect((await post(`/api/amendments/${amendment}/decision`, { decision: 'reject', reason: 'Non.' }, 'ingrid')).status).toBe(200)
    const locked = await move({ to: 'final', confirm: true, acceptOutstandingTranslations: true }, 'mateo')
    expect(locked.status, await locked.clone().text()).toBe(200)

    const base = `/api/resolutions/${id()}`
    expectMarks(pdfText(await bytes(`${base}/export.pdf?language=en`)), 'PDF')
    expectMarks(pdfText(await bytes(`${base}/export.pdf?language=en&lines=1`)), 'PDF with line numbers')
    expectMarks(htmlText(await (await get(`${base}/export.html?language=en`)).text()), 'HTML')
    expectMarks(htmlText(await (await get(`${base}/export.html?language=en&lines=1`)).text()), 'HTML with line numbers')
    const docx = await bytes(`${base}/export.docx?language=en`)
    const [flowing, lined] = await office.convert(
      [
        { name: 'flowing.docx', bytes: docx },
        { name: 'lined.docx', bytes: await bytes(`${base}/export.docx?language=en&lines=1`) },
      ],
      'txt',
    )
    expectMarks(squash(readFileSync(flowing!, 'utf8')), 'DOCX, as LibreOffice reads it')
    expectMarks(squash(readFileSync(lined!, 'utf8')), 'DOCX with line numbers, as LibreOffice reads it')
    // The notes are Hemicycle's own: the DOCX imported again (as a new draft) reads the text without them.
    const form = new FormData()
    form.append('file', new File([docx as Uint8Array<ArrayBuffer>], 'english.docx'))
    const readBack = await s().api('/api/resolutions/import?dryRun=1', { method: 'POST', body: form, token: token('secretariat') })
    expect(readBack.status).toBe(200)
    const imported = ((await readBack.json()) as { markdown: string }).markdown
    expect(imported).toContain('EN text of block 3.')
    expect(imported).not.toMatch(/Translation pending|Not translated/)
    expectMarks(pdfText(await bytes(`${base}/record.pdf?language=en`)), 'the archival record')

    // Side by side, the English cell of §3 and of §6 carries the mark; the French original none.
    // pdftotext reads two columns in no set order: the English column (the right half of the A4 page) is read on its own.
    const sideBySide = await bytes(`${base}/parallel.pdf?languages=fr,en`)
    expect([...pdfText(sideBySide).matchAll(/\[(?:Translation pending|Not translated)[^\]]*\]/g)].map((match) => match[0])).toEqual([DUE, MISSING])
    expectMarks(pdfText(sideBySide, { x: 310, width: 290 }), 'parallel PDF, its English column')
    expectMarks(htmlText(await (await get(`${base}/parallel.html?languages=fr,en`)).text()), 'parallel HTML')
    const [parallel] = await office.convert([{ name: 'parallel.docx', bytes: await bytes(`${base}/parallel.docx?languages=fr,en`) }], 'txt')
    expectMarks(squash(readFileSync(parallel!, 'utf8')), 'parallel DOCX, as LibreOffice reads it')

    // The Markdown the lock hashed is the text alone: §3's old words, §6 empty, no mark; and it still verifies.
    const markdown = await (await get(`${base}/export.md?language=en`)).text()
    expect(markdown).not.toMatch(/Translation pending|Not translated/)
    expect(paragraphsOf(markdown)[2]).toContain('EN text of block 3.')
    const verify = (await (await s().api(`${base}/verify?language=en`)).json()) as { matches: boolean }
    expect(verify.matches).toBe(true)
  }, 240_000)
})
