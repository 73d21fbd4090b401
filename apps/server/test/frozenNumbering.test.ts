import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment, Numbering, PrintedText, Redline, TranslationBlock } from '@hemicycle/protocol'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { languageVersionSession } from './languageVersions.ts'

/**
 * The contract freezes § and line numbers when amendments open, through
 * consolidation. Cards and the booklet cited the frozen numbers, but the
 * print view and every export numbered the text as it stood: once an
 * insertion was accepted, "A2 · §7" on a card and §7 in the PDF were two
 * different paragraphs. Read back with pdftotext and from the DOCX's XML.
 */

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-frozen-numbering-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

const { start, id, get, post, move } = languageVersionSession()

function pdfText(pdf: Uint8Array): string {
  const path = join(workdir, `${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0]+/g, ' ')
}

const printed = async () => {
  const response = await get(`/api/resolutions/${id()}/print.json`)
  expect(response.status).toBe(200)
  return (await response.json()) as PrintedText
}
const numbering = async () => ((await (await get(`/api/resolutions/${id()}/numbering`)).json()) as Numbering).frozen
const bytes = async (path: string) => {
  const response = await get(path)
  expect(response.status).toBe(200)
  return new Uint8Array(await response.arrayBuffer())
}

describe('§ and line numbers frozen when amendments open', () => {
  it('are the ones the print view, the PDF, the HTML, the DOCX, the booklet and the cards cite through consolidation, and the text is numbered afresh at the lock', async () => {
    await start()
    expect(await numbering()).toBeNull()
    // Nobody logged in (no token of anyone's) reads neither.
    for (const path of ['numbering', 'print.json']) expect((await get(`/api/resolutions/${id()}/${path}`, 'nobody')).status).toBe(401)
    expect((await get('/api/resolutions/no-such-id/numbering')).status).toBe(404)
    const draft = await printed()
    const paragraphs = draft.blocks.filter((block) => block.number !== null)
    const second = paragraphs[1]!
    const last = paragraphs.at(-1)!
    expect(second.number).toBe('2')
    const lastNumber = Number(last.number)

    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const frozen = await numbering()
    expect(frozen?.[second.id!]).toEqual({ paragraph: 2, line: Number(second.lineLabels[0]) })
    const tabled = async (body: Record<string, unknown>) => {
      const response = await post(`/api/resolutions/${id()}/amendments`, { justification: 'Utile.', ...body }, 'claire')
      expect(response.status).toBe(201)
      return (await response.json()) as Amendment
    }
    const insertion = await tabled({ kind: 'insertAfter', blockId: second.id, text: 'Un paragraphe ajouté par amendement, après le deuxième.' })
    const replacement = await tabled({ kind: 'replace', blockId: last.id, text: 'Le dernier paragraphe, récrit.' })
    expect([replacement.paragraph, replacement.line]).toEqual([lastNumber, Number(last.lineLabels[0])])
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post(`/api/amendments/${insertion.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)

    // The print view: the added paragraph is §2a on lines after §2's with a letter; the last § keeps its number and its lines.
    const consolidated = await printed()
    const added = consolidated.blocks.find((block) => block.runs.some((run) => run.text.includes('ajouté par amendement')))!
    expect(added.number).toBe('2a')
    expect(added.lineLabels[0]).toBe(`${second.lineLabels.at(-1)}a`)
    const lastNow = consolidated.blocks.find((block) => block.id === last.id)!
    expect([lastNow.number, lastNow.lineLabels]).toEqual([last.number, last.lineLabels])
    const card = (await (await get(`/api/amendments/${replacement.id}`)).json()) as Amendment
    expect([`${card.paragraph}`, `${card.line}`]).toEqual([lastNow.number, lastNow.lineLabels[0]])
    // No § past the last frozen one: numbered as it stands, the text would have one more.
    expect(consolidated.blocks.filter((block) => block.number !== null)).toHaveLength(paragraphs.length + 1)
    expect(consolidated.blocks.some((block) => block.number === String(lastNumber + 1))).toBe(false)

    const pdf = pdfText(await bytes(`/api/resolutions/${id()}/export.pdf?lines=1`))
    expect(pdf).toContain(`§2a`)
    expect(pdf).toContain(`${added.lineLabels[0]} `)
    expect(pdf).not.toContain(`§${lastNumber + 1} `)
    expect(pdf).toContain(`§${lastNumber} `)
    const html = new TextDecoder().decode(await bytes(`/api/resolutions/${id()}/export.html?lines=1`))
    expect(html).toContain('>§2a<')
    expect(html).toContain(`<span class="ln">${added.lineLabels[0]}</span>`)
    expect(html).not.toContain(`>§${lastNumber + 1}<`)
    expect((await post(`/api/resolutions/${id()}/languages`, { language: 'en' }, 'secretariat')).status).toBe(201)
    const parallel = new TextDecoder().decode(await bytes(`/api/resolutions/${id()}/parallel.html?languages=fr,en`))
    expect(parallel).toContain('>§2a<')
    expect(parallel).not.toContain(`>§${lastNumber + 1}<`)
    // The English version cites the original's §s: its blocks are found in the freeze by the block each translates.
    const english = (await (await get(`/api/resolutions/${id()}/languages/en/blocks`)).json()) as TranslationBlock[]
    expect(english.find((block) => block.sourceId === added.id)?.section).toBe('2a')
    expect(english.find((block) => block.sourceId === last.id)?.section).toBe(last.number)
    const englishHtml = new TextDecoder().decode(await bytes(`/api/resolutions/${id()}/export.html?language=en`))
    expect(englishHtml).toContain('>§2a<')
    expect(englishHtml).not.toContain(`>§${lastNumber + 1}<`)
    // Its note on the added paragraph, not yet translated, sends the reader to §2a of the original.
    expect(englishHtml).toContain('see §2a of the original')
    const docx = await bytes(`/api/resolutions/${id()}/export.docx?lines=1`)
    const documentXml = strFromU8(unzipSync(docx)['word/document.xml']!)
    expect(documentXml).toContain('>§2a<')
    expect(documentXml).not.toContain(`>§${lastNumber + 1}<`)
    const booklet = pdfText(await bytes(`/api/resolutions/${id()}/booklet.pdf`))
    // The resolution is French: its booklet says "ligne".
    expect(booklet).toContain(`${replacement.number} · §${lastNumber}, ligne ${lastNow.lineLabels[0]}`)

    // The redline from the draft to the text as it stands: the added paragraph is inserted as §2a, the rest keep their §.
    const redline = (await (await get(`/api/resolutions/${id()}/redline.json?from=1&to=current`)).json()) as Redline
    expect(redline.blocks.filter((block) => block.status === 'inserted').map((block) => block.number)).toEqual(['2a'])
    expect(redline.blocks.filter((block) => block.number !== null).map((block) => block.number)).toEqual(consolidated.blocks.filter((block) => block.number !== null).map((block) => block.number))

    // Amendments reopened: numbers are frozen afresh (the added paragraph is §3 now), and a version of the first round is
    // still cited as it was then, not by the new freeze, under which its text would lack a §3.
    expect((await move({ to: 'amendments', reason: 'Un second tour.' }, 'mateo')).status).toBe(200)
    expect((await numbering())?.[added.id!]?.paragraph).toBe(3)
    const versions = (await (await get(`/api/resolutions/${id()}/versions`)).json()) as { id: number; label: string }[]
    const firstRound = versions.find((version) => version.label === 'amendments → consolidation')!
    const earlier = new TextDecoder().decode(await bytes(`/api/resolutions/${id()}/export.html?version=${firstRound.id}`))
    expect([...earlier.matchAll(/>§(\w+)</g)].map((match) => match[1])).toEqual(paragraphs.map((block) => block.number))
    // The booklet cites the amendment to the last paragraph where it stands now, and where it was tabled.
    const reopened = pdfText(await bytes(`/api/resolutions/${id()}/booklet.pdf`))
    expect(reopened).toContain(`${replacement.number} · §${lastNumber + 1}, ligne `)
    expect(reopened).toContain(`(déposé au §${lastNumber}, ligne ${last.lineLabels[0]})`)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)

    // Locked, the text is numbered as it will be adopted.
    expect((await move({ to: 'final', confirm: true, acceptOutstandingAmendments: true, acceptOutstandingTranslations: true }, 'mateo')).status).toBe(200)
    expect(await numbering()).toBeNull()
    const locked = await printed()
    expect(locked.blocks.find((block) => block.id === added.id)?.number).toBe('3')
    expect(locked.blocks.some((block) => block.number === String(lastNumber + 1))).toBe(true)
    expect(pdfText(await bytes(`/api/resolutions/${id()}/export.pdf`))).not.toContain('§2a')
  }, 120_000)
})
