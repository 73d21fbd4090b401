import { describe, expect, it } from 'vitest'
import { paragraph, typedDraftSession } from './typedDrafts.ts'

/**
 * Every character of the HTML export survives its printing: Chromium prints
 * it, pdftotext reads the print. With line numbers each cited line was set
 * `white-space: pre`, never to wrap, and one wider than the printed column (a
 * line of capitals, a long first-level heading) ran past the page's edge and
 * lost its end ("WITH MAW" for "WITH MAWMAWE"); without them, a word longer
 * than the column (a web address) did the same. Hemicycle's own PDF, which
 * measures each line, is the control.
 */
const { get, bytesOf, chromiumPdf, pdfText, importMarkdown, typeDraft } = typedDraftSession('printed')
const SLOW = 180_000
const joined = (text: string) => text.replace(/\s+/g, '')

describe('the HTML export, printed by Chromium', () => {
  it('keeps the end of a line of capitals the numbering cuts at 80 characters', async () => {
    const id = await importMarkdown('Capitals', 'Draft.\n')
    const first = 'THE WORLD WOMEN MOVEMENT WELCOMES MEMBERS OF THE ALLIANCE WHO WORK WITH MAWMAWE'
    await typeDraft(id, () => [paragraph(`${first} SECONDLINE follows here.`)])
    const html = await (await get(`/api/resolutions/${id}/export.html?lines=1`)).text()
    expect(html).toContain('MAWMAWE')
    expect(pdfText(await bytesOf(`/api/resolutions/${id}/export.pdf?lines=1`)), 'line-numbered PDF').toContain('MAWMAWE')
    const printed = pdfText(chromiumPdf(html))
    for (const word of ['MEMBERS', 'MAWMAWE', 'SECONDLINE']) expect(printed, 'line-numbered HTML by Chromium').toContain(word)
  }, SLOW)

  it('keeps the end of a long first-level heading', async () => {
    const id = await importMarkdown('Heading', '# Resolution on the protection of workers and their families in the global economy\n\nText.\n')
    expect(pdfText(await bytesOf(`/api/resolutions/${id}/export.pdf?lines=1`)), 'line-numbered PDF').toMatch(/global\s+economy/)
    const printed = pdfText(chromiumPdf(await (await get(`/api/resolutions/${id}/export.html?lines=1`)).text()))
    expect(printed, 'line-numbered HTML by Chromium').toMatch(/global\s+economy/)
  }, SLOW)

  it('keeps every character of a web address longer than the column, without line numbers', async () => {
    const address = 'https://www.progressivealliance.example.org/congress/2026/resolutions/annex_on_the_protection_of_workers_final_version_ENDMARK'
    const id = await importMarkdown('Address', `The text is published at ${address} for all members.\n`)
    expect(joined(pdfText(await bytesOf(`/api/resolutions/${id}/export.pdf`))), 'PDF').toContain(joined(address))
    const printed = joined(pdfText(chromiumPdf(await (await get(`/api/resolutions/${id}/export.html`)).text())))
    expect(printed, 'HTML by Chromium').toContain(joined(address))
  }, SLOW)
})
