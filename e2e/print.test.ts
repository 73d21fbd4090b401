import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

describe('the print view', () => {
  it('shows the stamp, the § numbers and, on demand, the line numbers, as printed', async () => {
    const shot = screenshots('print')
    const { context, page } = await loggedIn(browser(), site(), 'julien')
    await openDraft(page)
    await page.getByRole('link', { name: 'Print view' }).click()
    await page.getByTestId('printed-stamp').waitFor()
    expect(await page.getByTestId('printed-stamp').textContent()).toBe('PROJET 03 juillet 2019')
    expect(await page.locator('.letterhead').textContent()).toBe('PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA PROGRESISTA')
    expect(await page.locator('.printed-number').allTextContents()).toEqual(Array.from({ length: 15 }, (_, i) => `§${i + 1}`))
    await shot(page, 'text')
    await page.getByLabel('Line numbers').check()
    const numbers = (await page.locator('.line-number').allTextContents()).map(Number)
    expect(numbers[0]).toBe(1)
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1))
    expect(numbers.length).toBeGreaterThan(60)
    await shot(page, 'with-line-numbers')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.app-header').isVisible()).toBe(false)
    expect(await page.getByTestId('printed-stamp').isVisible()).toBe(true)
    await shot(page, 'as-printed')
    await context.close()
  })

  it('numbers a text locked before rule 2 as its PDF does: an empty § and a "1)" § stay paragraphs; a quotation’s italics show; a long address stays on the page', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'secretariat')
    const source = '---\ntitle: Locked long ago\nlanguage: en\n---\n\nAlpha paragraph.\n\n<!---->\n\n1\\) Beta paragraph.\n\n> Every party *shall* comply.\n\nPublished at https://www.progressivealliance.example.org/congress/2026/resolutions/annex_on_the_protection_of_workers_final_version_ENDMARK today.\n'
    const imported = await page.request.post(`${site().url}/api/resolutions/import`, { multipart: { file: { name: 'old.md', mimeType: 'text/markdown', buffer: Buffer.from(source) } } })
    expect(imported.status()).toBe(201)
    const { id } = (await imported.json()) as { id: string }
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2099-01-01T00:00:00Z' })
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    await callApi(site(), `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
    // As a lock made before rule 2 stands: its Markdown has no empty § and reads "1) Beta" as a list.
    await site().services.db.query('update resolutions set hash_rule = 1 where id = $1', [id])
    await page.goto(`${site().url}/resolutions/${id}/print`)
    await page.getByTestId('printed-stamp').waitFor()
    expect(await page.locator('.printed-number').allTextContents()).toEqual(['§1', '§2', '§3', '§4'])
    expect(await page.locator('.print-page').textContent()).toContain('1) Beta paragraph.')
    // The quotation is set upright, as in the editor and the PDF: set in italics, its italic word looked like the others.
    const quoted = page.locator('.printed-block.quote').filter({ hasText: 'Every party' })
    const fontStyle = (element: Element) => getComputedStyle(element).fontStyle
    expect([await quoted.evaluate(fontStyle), await quoted.locator('em').evaluate(fontStyle)]).toEqual(['normal', 'italic'])
    // A word longer than the column (a web address) is broken within it, printed: it ran past the page's edge.
    // The page as wide as an A4 sheet's text at 96 dpi.
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: 600, height: 900 })
    const address = page.locator('.printed-block').filter({ hasText: 'ENDMARK' })
    expect(await address.evaluate((element) => [element.scrollWidth <= element.clientWidth, element.clientWidth > 0])).toEqual([true, true])
    await context.close()
  })

  it('prints the amendments booklet in the order of the text', async () => {
    const shot = screenshots('booklet')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const opened = await secretariat.page.request.post(`${site().url}/api/resolutions/${id}/stage`, { data: { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() } })
    expect(opened.status()).toBe(200)
    const { context, page } = await loggedIn(browser(), site(), 'lucia')
    await openDraft(page)
    const blocks = await page.locator('.margin').evaluateAll((margins) => margins.map((margin) => (margin as HTMLElement).dataset['blockId']!))
    for (const [block, text] of [
      [blocks[8]!, 'Les libertés sont la base.'],
      [blocks[2]!, 'Le socialisme a toujours porté le progrès social.'],
    ] as const) {
      const response = await page.request.post(`${site().url}/api/resolutions/${id}/amendments`, { data: { kind: 'replace', blockId: block, text, justification: 'Plus court.' } })
      expect(response.status()).toBe(201)
    }
    await page.getByRole('link', { name: 'Amendments booklet' }).click()
    await page.locator('.booklet-entry').first().waitFor()
    expect(await page.locator('.booklet-entry h3').allTextContents()).toEqual([expect.stringMatching(/^A2 · §3, ligne \d+$/), expect.stringMatching(/^A1 · §9, ligne \d+$/)])
    expect(await page.locator('.booklet-heading').textContent()).toBe('Cahier des amendements')
    await shot(page, 'booklet')
    await context.close()
    await secretariat.context.close()
  })
})
