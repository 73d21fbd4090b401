import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

/** Each block's § (empty for a block without one) and first and last line, as the editor's margin shows them. */
const margins = (page: Page) =>
  page.locator('.resolution-text .margin').evaluateAll((elements) =>
    elements.map((margin) => {
      const lines = margin.querySelector('.margin-lines')?.textContent ?? ''
      const [first, last] = lines.replace(/^\D+/, '').split('–')
      return { paragraph: margin.querySelector('.margin-paragraph')?.textContent ?? '', first: first!, last: last ?? first! }
    }),
  )

/** The same from the print view with its line numbers shown. */
const printedBlocks = (page: Page) =>
  page.locator('.printed-block').evaluateAll((blocks) =>
    blocks.map((block) => {
      const lines = [...block.querySelectorAll('.line-number')].map((line) => line.textContent ?? '')
      return { paragraph: block.querySelector('.printed-number')?.textContent ?? '', first: lines[0]!, last: lines.at(-1)! }
    }),
  )

describe('§ and line numbers frozen through consolidation', () => {
  it('are the same on the screen, in the print view, at the desk, on the card and in the booklet once an insertion is accepted', async () => {
    const shot = screenshots('frozen-numbering')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    const { blocks } = (await callApi(site(), `/api/resolutions/${id}/print.json`, 'secretariat')) as { blocks: { id: string; number: string | null }[] }
    const numbered = blocks.filter((block) => block.number !== null)
    const insertion = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'insertAfter', blockId: numbered[1]!.id, text: 'Un paragraphe ajouté après le deuxième.', justification: 'Utile.' })
    const replacement = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'replace', blockId: numbered.at(-1)!.id, text: 'Le dernier paragraphe, récrit.', justification: 'Plus court.' })
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    await callApi(site(), `/api/amendments/${insertion['id'] as string}/decision`, 'ingrid', { decision: 'accept' })

    const { context, page } = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(page)
    await page.locator('.resolution-text p', { hasText: 'Un paragraphe ajouté après le deuxième.' }).waitFor()
    const expected = [...Array.from({ length: 2 }, (_, i) => `§${i + 1}`), '§2a', ...Array.from({ length: numbered.length - 2 }, (_, i) => `§${i + 3}`)]
    await expect.poll(async () => (await margins(page)).map((block) => block.paragraph).filter(Boolean)).toEqual(expected)
    const screen = await margins(page)
    const added = screen.find((block) => block.paragraph === '§2a')!
    expect(added.first).toMatch(/^\d+a$/)
    const last = screen.at(-1)!
    expect(last.paragraph).toBe(`§${numbered.length}`)
    // The card of the amendment to the last §: the § and line it was tabled at are where the margin shows that paragraph.
    expect([`§${replacement['paragraph'] as number}`, String(replacement['line'])]).toEqual([last.paragraph, last.first])
    await shot(page, 'margin')

    await page.getByRole('link', { name: 'Print view' }).click()
    await page.getByTestId('printed-stamp').waitFor()
    await page.getByLabel('Line numbers').check()
    expect(await printedBlocks(page)).toEqual(screen)
    await shot(page, 'print')

    await page.goto(`${site().url}/resolutions/${id}/desk`)
    const group = page.locator(`[data-testid="desk-group"][data-block="${numbered.at(-1)!.id}"]`)
    expect(await group.locator('h2').textContent()).toBe(last.paragraph)
    expect(await group.locator('.desk-paragraph .line-number').first().textContent()).toBe(last.first)

    await page.goto(`${site().url}/resolutions/${id}/booklet`)
    await page.locator('.booklet-entry').first().waitFor()
    expect(await page.locator(`.booklet-entry[data-amendment="${replacement['number'] as string}"] h3`).textContent()).toBe(`${replacement['number'] as string} · ${last.paragraph}, ligne ${last.first}`)
    await context.close()
  })
})
