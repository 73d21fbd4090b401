import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { MAX_INDENT_SHARE } from '@hemicycle/documents'
import type { ParallelModel } from '@hemicycle/translations'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { renderParallelPdf } from '../src/documents/parallelPdf.ts'
import { MARGIN, PAGE, TEXT_LEFT, TEXT_WIDTH } from '../src/documents/pdfWriter.ts'
import { paragraph, quote, typedDraftSession } from './typedDrafts.ts'

/**
 * A hand-written client may nest a paragraph as deep as the schema allows
 * (32 elements); the editor shows each level a little further in, so a
 * clause 20 quotes deep still reads at full size on screen, and the adopted
 * text, its Markdown and its hash hold it. Each printed form set it a step
 * further in a level: the PDF and the archival record in 2-point type at 20
 * levels, mirrored and lost to a reader past 24; Word past the page's edge,
 * where LibreOffice cut its words; Chromium, printing the HTML, one letter a
 * line. The steps now stop at 40% of the text's width, and the first levels
 * are set in as they always were.
 */
const { libreOffice, get, bytesOf, file, chromiumPdf, importMarkdown, adopt, typeDraft } = typedDraftSession('deep-nesting')
const SLOW = 180_000

const CLAUSE = 'The Council cuts the budget of every member party by half from next year.'
const nested = (depth: number, text: string): Y.XmlElement => (depth === 0 ? paragraph(text) : quote(nested(depth - 1, text)))
/** Whitespace as one space: how a reader reads a text laid out over lines. */
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ')

/** Each word of the PDF with its box, as pdftotext -bbox reads it. */
function printedWords(pdf: Uint8Array): Array<{ word: string; xMin: number; xMax: number; height: number }> {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file('nested.pdf', pdf), '-'], { encoding: 'utf8' })
  return [...html.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)].map(([, xMin, yMin, xMax, yMax, word]) => ({
    word: word!,
    xMin: Number(xMin),
    xMax: Number(xMax),
    height: Number(yMax) - Number(yMin),
  }))
}

/** Every word of `text` printed in `pdf`, wherever it stands, at a size a reader reads and within the page's margins. */
function expectReadable(pdf: Uint8Array, text: string, what: string): void {
  const printed = printedWords(pdf)
  for (const word of text.split(' ')) {
    const found = printed.filter((candidate) => candidate.word === word)
    expect(found.length, `${what}: "${word}" printed`).toBeGreaterThan(0)
    for (const { height, xMin, xMax } of found) {
      // The text is set at 10.5 pt (9 in the parallel edition); 6 pt is the least a reader reads.
      expect(height, `${what}: "${word}" height in points`).toBeGreaterThanOrEqual(6)
      expect(xMin, `${what}: "${word}" within the margin`).toBeGreaterThanOrEqual(MARGIN.left)
      expect(xMax, `${what}: "${word}" within the margin`).toBeLessThanOrEqual(PAGE.width - MARGIN.right + 0.5)
    }
  }
}

async function adoptedWith(title: string, blocks: () => Y.XmlElement[]): Promise<string> {
  const id = await importMarkdown(title, 'Draft.\n')
  await typeDraft(id, blocks)
  await adopt(id)
  return id
}

describe('a clause nested deep in quotes, adopted', () => {
  // 31 quotes around a paragraph: the deepest the schema allows.
  for (const depth of [20, 31]) {
    it(`is printed at a readable size within the margins, ${depth} levels deep: the PDF, its line-numbered print, the record and the redline`, async () => {
      const clause = `${depth}: ${CLAUSE}`
      const id = await adoptedWith(`Deep ${depth}`, () => [paragraph('The Council decides:'), nested(depth, clause), paragraph('Done.')])
      // The adopted text holds it, and the hash vouches for it.
      const markdown = await (await get(`/api/resolutions/${id}/export.md`)).text()
      expect(markdown).toContain(`${'> '.repeat(depth)}${clause}`)
      const versions = (await (await get(`/api/resolutions/${id}/versions`)).json()) as Array<{ id: number }>
      for (const path of [`export.pdf`, `export.pdf?lines=1`, `record.pdf`, `redline.pdf?from=${versions[0]!.id}`]) {
        expectReadable(await bytesOf(`/api/resolutions/${id}/${path}`), clause, path)
      }
    }, SLOW)
  }

  it('keeps every word of it in the Word files as LibreOffice lays them out, and in the HTML as Chromium prints it (20 levels)', async () => {
    const id = await adoptedWith('Deep Word', () => [paragraph('The Council decides:'), nested(20, CLAUSE), paragraph('Done.')])
    const versions = (await (await get(`/api/resolutions/${id}/versions`)).json()) as Array<{ id: number }>
    const converted = await libreOffice.convert(
      [
        { name: 'export.docx', bytes: await bytesOf(`/api/resolutions/${id}/export.docx`) },
        { name: 'redline.docx', bytes: await bytesOf(`/api/resolutions/${id}/redline.docx?from=${versions[0]!.id}`) },
      ],
      'pdf',
    )
    for (const [index, pdf] of converted.entries()) {
      const laidOut = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }))
      expect(laidOut, ['export.docx', 'redline.docx'][index]).toContain(CLAUSE)
      expectReadable(new Uint8Array(readFileSync(pdf)), CLAUSE, `${['export.docx', 'redline.docx'][index]} by LibreOffice`)
    }
    for (const path of ['export.html', 'export.html?lines=1']) {
      const printed = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', file('html.pdf', chromiumPdf(await (await get(`/api/resolutions/${id}/${path}`)).text())), '-'], { encoding: 'utf8' }))
      expect(printed, `${path} by Chromium`).toContain(CLAUSE)
    }
  }, SLOW)

  it('still sets each of the first levels one step further in, and the deepest no further than 40% of the text\'s width', async () => {
    const id = await adoptedWith('Steps', () => [
      paragraph('Zero level.'),
      nested(1, 'Onefold quoted.'),
      nested(2, 'Twofold quoted.'),
      nested(3, 'Threefold quoted.'),
      nested(20, 'Twentyfold quoted.'),
      nested(31, 'Thirtyonefold quoted.'),
    ])
    const printed = printedWords(await bytesOf(`/api/resolutions/${id}/export.pdf`))
    const left = (word: string) => printed.find((candidate) => candidate.word === word)!.xMin
    const zero = left('Zero')
    expect(zero).toBeCloseTo(TEXT_LEFT, 0)
    // 18 points a level, as the PDF always set them.
    expect([left('Onefold'), left('Twofold'), left('Threefold')].map((x) => Math.round(x - zero))).toEqual([18, 36, 54])
    const deepest = left('Thirtyonefold') - zero
    expect(left('Twentyfold') - zero).toBeCloseTo(deepest, 1)
    expect(deepest).toBeGreaterThan(54)
    expect(deepest).toBeLessThanOrEqual(MAX_INDENT_SHARE * TEXT_WIDTH)
  }, SLOW)
})

describe('a row nested deep in the parallel edition', () => {
  it('is printed at a readable size within its column, in each language (31 levels)', async () => {
    const texts = { fr: 'Le Conseil réduit de moitié le budget de chaque parti membre dès l’an prochain.', en: CLAUSE, es: 'El Consejo reduce a la mitad el presupuesto de cada partido miembro desde el próximo año.' }
    const row = { kind: 'paragraph' as const, level: 0, number: null, paragraph: 1, section: '1', marker: null, quote: true, sourceId: null }
    const model: ParallelModel = {
      letterhead: 'PROGRESSIVE ALLIANCE',
      event: '',
      columns: (['fr', 'en', 'es'] as const).map((language) => ({ language, title: 'Cohésion', stamp: 'PROJET', record: null })),
      rows: [
        { ...row, depth: 0, number: '1', quote: false, cells: Object.values(texts).map(() => ({ runs: [{ text: 'Préambule.' }], pending: null })) },
        { ...row, depth: 31, cells: Object.values(texts).map((text) => ({ runs: [{ text }], pending: null })) },
      ],
    }
    const pdf = new Uint8Array(await renderParallelPdf(model))
    for (const text of Object.values(texts)) expectReadable(pdf, text, 'parallel.pdf')
  })
})
